"""Footnote 5: the exponent of Lemma 5.2's failure probability is I(d) k (exact fit), with
I(d) ~ (1 - ln 2)/(4d): e^{-Theta(k)} for fixed d, Theta(k/d) uniformly."""

from __future__ import annotations

import math

import pytest

from verify.claims.footnote_5 import (
    check_footnote_5,
    chernoff_rate,
    errata,
    fit_exponent,
    rate_limits,
)
from verify.evidence import Verdict


def test_chernoff_rate__lower_tail_is_the_binding_one_and_falls_as_one_over_d():
    for d in (3, 5, 10, 30, 100):
        r = chernoff_rate(d)
        assert r["rate"] == r["lower_tail"] < r["upper_tail"]
    assert 0.0767 < 200 * chernoff_rate(200)["rate"] < 0.08
    assert chernoff_rate(100)["rate"] < chernoff_rate(10)["rate"] / 9


def test_rate_limits__are_exact():
    assert rate_limits() == {"d*KL(1/(4d)||q_d)": "1/4 - log(2)/4",
                             "d*KL(1/d||q_d)": "-1/2 + log(2)"}


def test_fit_exponent__recovers_a_linear_exponent_in_k():
    fit = fit_exponent(5, [300, 500, 800, 1200, 2000])
    assert fit["a"] == pytest.approx(chernoff_rate(5)["rate"], rel=0.05)
    assert all(b > a for a, b in zip(fit["neg_log_p"], fit["neg_log_p"][1:], strict=False))
    with pytest.raises(ValueError, match="ks"):
        fit_exponent(5, [10, 20, 30])


def test_check_footnote_5__theta_k_for_fixed_d():
    ev = check_footnote_5((3, 6, 20), points=6)
    assert ev.verdict is Verdict.HOLDS
    by_d = ev.details["by_d"]
    assert [round(by_d[d]["d*I(d)"], 3) for d in (3, 6, 20)] == [0.129, 0.13, 0.092]
    assert all(abs(r["ratio"] - 1) < 0.05 for r in by_d.values())
    # the erratum's reading, which the Summary shows as its verdict
    assert ev.details["reading"] == {"fails": "uniformly in d", "holds": "for each fixed d"}


def test_check_footnote_5__fails_when_the_exponent_is_not_the_chernoff_rate(monkeypatch):
    import verify.claims.footnote_5 as f5

    monkeypatch.setattr(f5, "exact_failure_probability",
                        lambda d, l, k: math.exp(-2 * chernoff_rate(d)["rate"] * k))
    assert check_footnote_5((4,), points=5).verdict is Verdict.FAILS


def test_errata__names_the_one_over_d():
    (e,) = errata()
    assert e.kind == "loose"
    assert "Theta(k/d)" in e.what_is_true
