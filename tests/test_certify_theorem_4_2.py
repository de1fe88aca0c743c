"""Tests of Theorem 4.2's certificates (:mod:`verify.certify._theorem_4_2`): valid
ones verify, tampered ones do not, and the report's rows are proved only where the certificate
decides."""

from __future__ import annotations

import copy
import json
from fractions import Fraction

import pytest

pytest.importorskip("flint", reason="needs the certify extra (python-flint)")
pytest.importorskip("z3", reason="needs the certify extra (z3-solver)")

from tests.certificates_tamper import tampered
from verify import certify
from verify.certify import _theorem_4_2 as t42
from verify.claims.theorem_4_2 import check_exact, check_shattering, check_vc_dimension
from verify.claims.theorem_4_2.certificates import (
    certify_shattering_row,
    certify_vc_row,
    rational_patterns,
    shattering_witness,
)
from verify.evidence import Strength


def _shatter(n: int = 2, patterns: str = "standard", last: str = "o1") -> dict:
    O = rational_patterns(n, patterns, 0)
    wit = shattering_witness(n, last, O)
    return certify.theorem_4_2_shattering(n, 2 * n, 2 * n, O, **wit)


def _roundtrip(cert: dict) -> dict:
    return json.loads(certify.dumps(cert))


@pytest.mark.parametrize(("n", "patterns", "last"), [(2, "standard", "o1"), (3, "cayley", "o2"),
                                                     (3, "standard", "o2")])
def test_theorem_4_2_shattering__the_proofs_network_verifies(n, patterns, last):
    cert = _roundtrip(_shatter(n, patterns, last))
    assert cert["verdict"] == "holds"
    assert cert["enclosure"]["min_margin"] == "1"  # N(x_I) = y_I exactly
    assert len(cert["witness"]["coefficients"]) == 2 ** 2 ** (n - 1)
    assert certify.check(cert).ok


def test_shattering_witness__limit_denominator_gives_eq_5_exactly():
    wit = shattering_witness(3, "o1", rational_patterns(3, "standard", 0))
    # labelling 0 (all -1): alpha_I = -4/3 + 1 = -1/3, so u-channels carry 1/3
    assert wit["coefficients"][0] == [Fraction(0)] * 4 + [Fraction(1, 3)] * 4


@pytest.mark.parametrize(("path", "new"), [
    (("inputs", "points", 0, 0), 0),          # one digit of an input: o_1 twice
    (("inputs", "points", 1), [3, 0]),        # a duplicate point
    (("inputs", "patterns", 0, 0), "2"),      # patterns no longer orthonormal
    (("inputs", "d"), 8),                     # the bound: 2 points < 2^(8/2-1)
    (("enclosure", "min_margin"), "2"),       # the recorded margin
    (("witness", "a", 0), "-1"),              # the witness: one sign of the second layer
    (("witness", "coefficients", 3, 0), "0"), # the witness: one filter switched off
    (("verdict",), "fails"),
])
def test_theorem_4_2_shattering__tampering_fails(path, new):
    assert not certify.check(tampered(_roundtrip(_shatter()), path, new)).ok


def test_theorem_4_2_shattering__a_wrong_network_is_undecided():
    O = rational_patterns(2, "standard", 0)
    wit = shattering_witness(2, "o1", O)
    wit["coefficients"] = [[0, 0, 0, 0] for _ in wit["coefficients"]]
    cert = certify.theorem_4_2_shattering(2, 4, 4, O, **wit)
    assert cert["verdict"] == "undecided"
    assert not certify.check(cert).ok


@pytest.mark.parametrize(("n", "l", "verdict", "vc"), [(3, 3, "fails", 2), (3, 4, "holds", 6),
                                                       (4, 4, "fails", 6), (5, 10, "holds", 324)])
def test_theorem_4_2_vc_dimension__decides_with_the_exact_count(n, l, verdict, vc):
    cert = _roundtrip(certify.theorem_4_2_vc_dimension(n, l, 2 * n))
    assert cert["verdict"] == verdict
    assert cert["enclosure"]["vc_dimension"] == vc
    res = certify.check(cert)
    assert res.ok, res


def test_pattern_sets__the_count_is_the_closed_form():
    from verify.claims.theorem_4_2 import pattern_set_count

    for n, l in [(2, 3), (3, 5), (4, 6), (5, 5)]:
        assert len(t42.pattern_sets(n, l)) == pattern_set_count(n, l)


@pytest.mark.parametrize(("case", "path", "new"), [
    ((3, 3), ("inputs", "l"), 4),                    # one input: now it holds
    ((3, 3), ("inputs", "d"), 4),                    # the bound 2^(d/2-1) = 2 is reached
    ((3, 3), ("enclosure", "pattern_sets"), 1),
    ((3, 4), ("witness", "sets", 0), [0, 1]),        # not a pattern set of the support
    ((3, 4), ("witness", "sets", 5), [0, 2]),        # a repeated set
    ((3, 4), ("enclosure", "certified_shattered"), 7),
    ((3, 4), ("verdict",), "fails"),
])
def test_theorem_4_2_vc_dimension__tampering_fails(case, path, new):
    n, l = case
    cert = _roundtrip(certify.theorem_4_2_vc_dimension(n, l, 2 * n))
    assert not certify.check(tampered(cert, path, new)).ok


def test_theorem_4_2_vc_dimension__too_large_a_support_decides_nothing():
    cert = certify.theorem_4_2_vc_dimension(6, 12, 12)  # 1.2 million points, 1274 sets
    assert cert["verdict"] == "undecided"


def test_certify_rows__proved_only_on_rational_patterns_and_decided_rows():
    assert certify_shattering_row(check_exact(2)).strength is Strength.PROVED
    assert certify_shattering_row(check_shattering(3)).strength is Strength.PROVED
    haar = check_shattering(2, patterns="haar")
    assert certify_shattering_row(haar).strength is haar.strength
    assert certify_vc_row(check_vc_dimension(3, 3)).strength is Strength.PROVED
    big = check_vc_dimension(6, 12)
    out = certify_vc_row(big)
    assert out.strength is big.strength
    assert "too large to re-check: |X| = 2n(l-2)^(n-1) = 1200000 > 3*10^5" in \
        out.details["certificate_check"]


def test_check_shattering__bad_witness_shapes_raise_or_fail():
    cert = _roundtrip(_shatter())
    cert["witness"]["coefficients"] = cert["witness"]["coefficients"][:-1]
    assert not certify.check(cert).ok
    cert = copy.deepcopy(_roundtrip(_shatter()))
    cert["inputs"]["points"] = cert["inputs"]["points"] * 5  # 10 points > SHATTER_LIMIT
    assert not certify.check(cert).ok
