"""Tests of Lemma 5.2's per-filter certificate (:mod:`verify.certify._per_filter`)."""

from __future__ import annotations

import itertools
from fractions import Fraction

import pytest

pytest.importorskip("flint", reason="needs the certify extra (python-flint)")
pytest.importorskip("z3", reason="needs the certify extra (z3-solver)")

from tests.certificates_tamper import tampered
from verify import certify
from verify.certify._per_filter import per_filter_probability
from verify.claims.lemma_5_2 import check_lucky_probability_exact, lucky_probability
from verify.evidence import Strength, Verdict
from verify.evidence.certified import certify_per_filter


@pytest.mark.parametrize("l", [3, 4, 5, 10, 21])
def test_per_filter_probability__is_the_closed_form(l):
    q = per_filter_probability(l)
    assert q == (1 - Fraction(1, 2 ** (l - 1))) / (2 * (l - 1))
    assert float(q) == pytest.approx(lucky_probability(l), rel=1e-15)


def test_per_filter_probability__matches_sign_and_rank_enumeration():
    # independent of the sign-vector sum: all 2^m sign vectors and m! orders of |g_j|
    l = 5
    m = l - 1
    hits = 0
    for signs in itertools.product((1, -1), repeat=m):
        for ranks in itertools.permutations(range(m)):
            g = [s * (r + 1) for s, r in zip(signs, ranks, strict=True)]
            hits += g[0] > 0 and g[0] == max(g)
    assert Fraction(hits, 2**m * len(list(itertools.permutations(range(m))))) / 2 == \
        per_filter_probability(l)


@pytest.mark.parametrize(("d", "l", "verdict"), [(6, 3, "fails"), (10, 10, "holds"),
                                                 (10, 9, "fails")])
def test_lemma_5_2_per_filter__verifies(d, l, verdict):
    cert = certify.lemma_5_2_per_filter(d, l)
    assert cert["verdict"] == verdict
    assert certify.check(cert).ok


@pytest.mark.parametrize(("path", "new"), [
    (("inputs", "l"), 4),                    # one digit of an input
    (("inputs", "d"), 3),                    # now l = d: the paper's value is right
    (("enclosure", "paper"), "31/321"),      # the bound
    (("enclosure", "q_l"), "3/17"),
    (("verdict",), "holds"),
])
def test_lemma_5_2_per_filter__tampering_fails(path, new):
    assert not certify.check(tampered(certify.lemma_5_2_per_filter(6, 3), path, new)).ok


def test_check_lucky_probability_exact__proved_row():
    ev = certify_per_filter(check_lucky_probability_exact(6, 3))
    assert ev.verdict is Verdict.FAILS
    assert ev.strength is Strength.PROVED
    assert ev.holds_under == "l = d"
    same = certify_per_filter(check_lucky_probability_exact(7, 7))
    assert same.verdict is Verdict.HOLDS
    assert same.strength is Strength.PROVED


@pytest.mark.parametrize(("d", "l", "name"), [(2, 3, "d"), (5, 6, "l"), (30, 30, "l")])
def test_lemma_5_2_per_filter__bad_inputs_raise_value_error_naming_them(d, l, name):
    with pytest.raises(ValueError, match=f"^{name} "):
        certify.lemma_5_2_per_filter(d, l)
