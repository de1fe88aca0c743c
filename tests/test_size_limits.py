"""Out-of-range sizes in the public API raise a ValueError that names the argument and the
limit (``"k = 1180591620717411303424 is too large (at most ...)"``), never a numpy TypeError,
numpy's "Maximum allowed size exceeded" or an OverflowError."""

from __future__ import annotations

import pytest

from verify._validate import check_size
from verify.claims import event_14
from verify.claims.lemma_5_2 import check_lemma_5_2, check_lemma_5_2_exact
from verify.claims.lemma_5_2.exact import exact_failure_probability, lucky_probability, max_exact_k
from verify.claims.proposition_6_1.certificate import closed_form
from verify.claims.theorem_4_2.shattering import second_layer, system_matrix
from verify.claims.theorem_5_1_nonvacuous import run_counts
from verify.evidence.stats import clopper_pearson

CASES = [
    ("m", lambda: event_14.exact_failure_probability(10**30)),
    ("k", lambda: check_lemma_5_2_exact(5, 3, 2**70)),
    ("l", lambda: lucky_probability(10**400)),
    ("k", lambda: check_lemma_5_2(5, 3, 10**30)),
    ("d", lambda: check_lemma_5_2(10**30, 3, 1000)),
    ("N", lambda: system_matrix(10**30)),
    ("N", lambda: second_layer(10**30)),
    ("m2", lambda: run_counts(5, 10**30, 0)),
    ("n", lambda: clopper_pearson(1, 10**30)),
    ("l", lambda: closed_form(1, 10**30)),
    ("n", lambda: closed_form(10**30, 5)),
]


@pytest.mark.parametrize(("name", "call"), CASES, ids=[f"{i}-{n}" for i, (n, _) in
                                                       enumerate(CASES)])
def test_public_api__an_out_of_range_size_names_the_argument(name, call):
    with pytest.raises(ValueError, match=rf"\b{name} = \d+.* is too large"):
        call()


def test_check_size__names_the_argument_and_the_limit():
    with pytest.raises(ValueError, match=r"^k = 1180591620717411303424 is too large \(at most "
                                         r"10: why\)$"):
        check_size("k", 2**70, low=1, high=10, why="why")
    assert check_size("k", 10, low=1, high=10) == 10
    with pytest.raises(ValueError, match="k must be >= 1"):
        check_size("k", 0, low=1, high=10)


def test_exact_failure_probability__the_largest_k_is_still_computed(monkeypatch):
    from verify.claims.lemma_5_2 import exact

    monkeypatch.setattr(exact, "MAX_TERMS", 1000)  # the rule, at a size a test can afford
    k = max_exact_k(40)
    assert k == 4 * 40 * 1000 // 3
    assert 0.0 <= exact_failure_probability(40, 40, k) <= 1.0
    with pytest.raises(ValueError, match=f"k = {k + 1} is too large"):
        exact_failure_probability(40, 40, k + 1)
