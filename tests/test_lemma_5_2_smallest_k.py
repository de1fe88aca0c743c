"""Lemma 5.2's smallest k at l = d, pinned: Section 5's k >= d^3 fails at d = 3, 4
and suffices from d = 5 on; the proof's 8d^3 always suffices."""

from __future__ import annotations

import pytest

from verify.claims.lemma_5_2 import check_smallest_k, check_smallest_k_large_d, smallest_k
from verify.claims.lemma_5_2.smallest_k import bernstein_horizon, large_d_certificate
from verify.evidence import Verdict

PINNED = {3: 29, 4: 68, 5: 110, 6: 180, 7: 265, 8: 386, 9: 512, 10: 682}


@pytest.mark.parametrize(("d", "k_star"), PINNED.items())
def test_smallest_k__pinned_values(d, k_star):
    assert smallest_k(d)["k_star"] == k_star
    assert k_star < 8 * d**3


@pytest.mark.parametrize("d", [3, 4])
def test_check_smallest_k__d_cubed_fails_at_d_3_and_4(d):
    ev = check_smallest_k(d)
    assert ev.verdict is Verdict.FAILS
    assert ev.observed > d**3
    assert ev.holds_under == "d >= 5"


@pytest.mark.parametrize("d", [5, 6, 10])
def test_check_smallest_k__d_cubed_suffices_from_d_5(d):
    ev = check_smallest_k(d)
    assert ev.verdict is Verdict.HOLDS
    assert ev.observed <= d**3


def test_large_d_certificate__covers_every_d_from_15():
    cert = large_d_certificate()
    assert cert["factorisation_checked"]
    assert cert["certified_from"] == 20
    assert 19.5 < cert["largest_root_value"] < 19.6
    assert all(r < 1 for r in cert["bernstein_ratio_d_15_to_19"].values())
    assert check_smallest_k_large_d().verdict is Verdict.HOLDS


def test_bernstein_horizon__rejects_l_where_the_lemma_fails_for_large_k():
    with pytest.raises(ValueError, match="l"):
        bernstein_horizon(6, 3)
    with pytest.raises(ValueError, match="d"):
        check_smallest_k(2)


@pytest.mark.parametrize(("d_max", "text"), [(10, "5 <= d <= 10 and d >= 15"),
                                             (13, "5 <= d <= 13 and d >= 15"),
                                             (14, "d >= 5"), (19, "d >= 5")])
def test_shown_range__names_only_the_range_the_run_shows(d_max, text):
    """The quick profile scans d <= 10 and certifies d >= 15; its verdict must not
    claim d = 11..14."""
    from verify.claims.lemma_5_2 import shown_range

    assert shown_range(d_max) == text
    ev = check_smallest_k(3, shown=shown_range(d_max))
    assert ev.holds_under == text
    with pytest.raises(ValueError, match="d_max"):
        shown_range(4)
    with pytest.raises(ValueError, match="shown"):
        check_smallest_k(3, shown="")


def test_report_checks__certifies_every_smallest_k_row(monkeypatch):
    """The report certifies every smallest-k row of the scan (d = 3..14 at the standard profile):
    the ball-arithmetic re-check is linear in k, so no row is left uncertified (before, the
    exact rational re-check capped this at d <= 10)."""
    import verify.claims.lemma_5_2 as lemma

    certified: list[int] = []
    for name in ("check_lemma_5_2_exact", "certify_lemma_5_2", "check_lemma_5_2",
                 "check_lucky_probability", "check_smallest_k_large_d"):
        monkeypatch.setattr(lemma, name, lambda *a, **k: None)
    monkeypatch.setattr(lemma, "check_smallest_k", lambda d, **k: d)
    monkeypatch.setattr(lemma, "certify_smallest_k", lambda d: certified.append(d) or d)
    out = lemma.report_checks("standard", 0)
    assert certified == list(range(3, 15))
    assert 14 in out
