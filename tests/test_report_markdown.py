"""The Summary's cells as :mod:`verify.report.markdown` writes them."""

from __future__ import annotations

import pytest

from verify.report.markdown import control_text

TWIN = "the bound divided by 2"


def _control(outcome: str | None, regimes: int = 0, refuted_at: int = 0) -> dict:
    return {"twin": TWIN, "outcome": outcome, "regimes": regimes, "refuted_at": refuted_at}


@pytest.mark.parametrize(("control", "text"), [
    (_control("caught", 41, 3), f"caught at 3 of 41 regimes: {TWIN}"),
    (_control("caught", 1, 1), f"caught at 1 of 1 regime: {TWIN}"),
    (_control("caught", 2, 2), f"caught at 2 of 2 regimes: {TWIN}"),
    (_control("not caught", 1), f"NOT caught at 1 regime: {TWIN}"),
    (_control("not caught", 5), f"NOT caught at 5 regimes: {TWIN}"),
    (_control("not run"), f"not run (no row can judge it): {TWIN}"),
    (_control("none declared"), "none declared"),
    (_control(None), "none declared"),
    (None, "none declared"),
])
def test_control_text__outcome_and_the_regimes_in_their_number(control, text):
    assert control_text(control) == text
