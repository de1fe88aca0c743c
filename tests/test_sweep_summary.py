"""What ``python -m verify.sweep`` prints and writes as ``_summary.*``
(:mod:`verify.sweep.rates`): each claim's verdict, counts and smallest slack, the success rates
with their exact tests, the exit status, and the Markdown text, on hand-made rows."""

from __future__ import annotations

import json

from verify.evidence import Evidence, Verdict
from verify.evidence.stats import binomial_test, bonferroni, clopper_pearson, detectable_rate
from verify.evidence.sweep_spec import GRID_NAMES, Grid, SweepSpec
from verify.sweep.rates import FAMILY_ALPHA, summarise, summary_text


def _ev(params: dict, seed: int) -> Evidence:
    return Evidence("T", "t", Verdict.HOLDS, 0.0, 1.0, 1.0)


_G = {g: Grid(({"d": 3}, {"d": 4}), 3) for g in GRID_NAMES}
SPECS = {"Det": SweepSpec("Det", _G, _ev),
         "Prob": SweepSpec("Prob", _G, _ev, event=lambda ev: True, probability=lambda p: 0.9)}


def _row(claim: str, d: int, rep: int, verdict: str, assumed: bool, slack: float,
         kind: str = "difference", event: bool | None = None) -> dict:
    return {"key": f"{claim}{d}{rep}", "claim": claim, "params": json.dumps({"d": d}),
            "seed": 100 * d + rep, "verdict": verdict, "assumed": assumed, "slack": slack,
            "slack_kind": kind, "event": event, "probability_bound": None if event is None else 0.9,
            "root_seed": 7, "replicate": rep, "strength": "computed"}


def _rows(inside_events: int) -> list[dict]:
    """Det: 2 of 5 rows fail, both outside the assumptions (one a p-value row, never ranked).
    Prob: at d=3 (assumed) ``inside_events`` of 40 seeds see the event; at d=4 (outside) 2."""
    rows = [_row("Det", 3, 0, "holds", True, 0.5), _row("Det", 3, 1, "holds", True, 0.25),
            _row("Det", 4, 0, "fails", False, -2.0), _row("Det", 4, 1, "holds", False, 1.0),
            _row("Det", 4, 2, "fails", False, -3.0, kind="p-value")]
    rows += [_row("Prob", 4, r, "holds", False, 0.1, event=r < 2) for r in range(40)]
    rows += [_row("Prob", 3, r, "holds", True, 0.2 + r, event=r < inside_events)
             for r in range(40)]
    return rows


def test_summarise__verdicts_counts_and_smallest_slack_per_claim():
    s = summarise(_rows(40), SPECS, grid="quick", root_seed=7)
    assert (s["grid"], s["seed"], s["rows"], s["family_alpha"]) == ("quick", 7, 85, FAMILY_ALPHA)
    det, prob = s["claims"]["Det"], s["claims"]["Prob"]
    assert det == {"rows": 5, "by_verdict": {"holds": 3, "fails": 2},
                   "verdict": "holds where assumed; fails outside", "failing": 2,
                   "failing_where_assumed": 0,
                   "smallest_slack": {"slack": -2.0, "slack_kind": "difference",
                                      "params": {"d": 4}, "seed": 400}}
    assert prob == {"rows": 80, "by_verdict": {"event": 42, "no event": 38},
                    "verdict": "holds where assumed; fails outside", "failing": 1,
                    "failing_where_assumed": 0,
                    "smallest_slack": {"slack": 0.1, "slack_kind": "difference",
                                       "params": {"d": 4}, "seed": 400},
                    "regimes": 2, "regimes_vacuous": 0, "regimes_rejected": 1}
    assert s["exit_status"] == 0  # nothing fails where its assumptions hold


def test_summarise__success_rates_are_the_exact_tests_in_the_grids_order():
    s = summarise(_rows(5), SPECS, grid="quick", root_seed=7)
    alpha = bonferroni(FAMILY_ALPHA, 2)
    assert alpha == 5e-4
    got = [(q["params"], q["seeds"], q["successes"], q["rate"], q["assumed"], q["vacuous"])
           for q in s["success_rates"]]
    assert got == [({"d": 3}, 40, 5, 0.125, True, False), ({"d": 4}, 40, 2, 0.05, False, False)]
    for q, x in zip(s["success_rates"], (5, 2), strict=True):
        t = binomial_test(40 - x, 40, 1 - 0.9, alpha)
        assert q["ci95"] == list(clopper_pearson(x, 40))
        assert (q["stated_lower_bound"], q["alpha"]) == (0.9, alpha)
        assert (q["p_value"], q["rejected"]) == (t.p_value, True)
        assert q["detectable_failure_rate"] == t.detectable_rate
        assert q["detectable_failure_rate"] == detectable_rate(40, 1 - 0.9, alpha, 0.99)
    assert s["claims"]["Prob"]["verdict"] == "fails"  # rejected where assumed
    assert s["claims"]["Prob"]["failing_where_assumed"] == 1
    assert s["exit_status"] == 1


def test_summary_text__is_the_markdown_the_sweep_prints():
    text = summary_text(summarise(_rows(40), SPECS, grid="quick", root_seed=7))
    assert text == (
        "# Sweep `quick`, seed 7: 85 rows\n"
        "\n"
        "- **Det**: holds where assumed; fails outside (5 rows: 2 fails, 3 holds)\n"
        "- **Prob**: holds where assumed; fails outside (80 seeds: the claimed event occurred "
        "in 42, failed in 38; success rate below the stated bound in 1 of 2 regimes "
        "(0 vacuous))\n"
        "\n"
        "Success rates of the claimed events (exact one-sided binomial test of rate >= stated "
        "bound at level 0.0005 each; family-wise false alarm <= 0.001):\n"
        "\n"
        "| claim | regime | seeds | rate | 95% CI | stated >= | p-value | verdict |\n"
        "|---|---|---|---|---|---|---|---|\n"
        "| Prob | d=3 | 40 | 1.0000 | [0.9119, 1.0000] | 0.9 | 1 | - |\n"
        "| Prob | d=4 | 40 | 0.0500 | [0.0061, 0.1692] | 0.9 | 6.35e-36 | rejected (outside) |\n"
    )


def test_summary_text__a_vacuous_regime_and_float_parameters():
    vac = {"V": SweepSpec("V", {g: Grid(({"eta": 0.5},), 1) for g in GRID_NAMES}, _ev,
                          event=lambda ev: True, probability=lambda p: 0.0)}
    rows = [{**_row("V", 3, 0, "holds", True, 1.0, event=False), "params": '{"eta":0.5}',
             "probability_bound": 0.0}]
    s = summarise(rows, vac, grid="quick", root_seed=0)
    assert s["claims"]["V"]["regimes_vacuous"] == 1
    assert s["claims"]["V"]["verdict"] == "holds"
    assert "| V | eta=0.5 | 1 | 0.0000 | [0.0000, 0.9750] | 0 | vacuous | - |" in summary_text(s)


def test_summarise__one_tested_regime_gets_the_whole_family_alpha():
    """Bonferroni over the non-vacuous regimes: one regime (the other vacuous) is tested at the
    family's level itself, which the caller may set; a vacuous one has no power figure."""
    specs = {"V": SweepSpec("V", _G, _ev, event=lambda ev: True,
                            probability=lambda p: 0.9 if p["d"] == 3 else 0.0)}
    rows = [{**_row("V", d, r, "holds", True, 1.0, event=True),
             "probability_bound": 0.9 if d == 3 else 0.0} for d in (3, 4) for r in range(5)]
    s = summarise(rows, specs, grid="quick", root_seed=7, family_alpha=0.01)
    tested, vacuous = s["success_rates"]
    assert (s["family_alpha"], tested["alpha"], vacuous["alpha"]) == (0.01, 0.01, 0.01)
    assert tested["detectable_failure_rate"] == binomial_test(0, 5, 0.1, 0.01).detectable_rate
    assert (vacuous["vacuous"], vacuous["detectable_failure_rate"]) == (True, None)


def test_summarise__order_schema_and_claims_without_rows():
    """Regimes in the grid's numeric order (d = 9 before d = 10, not as strings), claims in the
    order given; a claim with no row is "not run"; a claim whose only slacks are p-values has
    no smallest slack; the schema names the format of ``_summary.json``."""
    specs = {"B": SweepSpec("B", _G, _ev, event=lambda ev: True, probability=lambda p: 0.5),
             "A": SweepSpec("A", _G, _ev, event=lambda ev: True, probability=lambda p: 0.5),
             "Empty": SweepSpec("Empty", _G, _ev),
             "PV": SweepSpec("PV", _G, _ev)}
    rows = [{**_row(c, d, 0, "holds", True, 1.0, event=True), "probability_bound": 0.5,
             "params": json.dumps({"d": d, "eta": 2.0})} for c in ("A", "B") for d in (10, 9)]
    rows.append(_row("PV", 3, 0, "holds", True, 0.2, kind="p-value"))
    s = summarise(rows, specs, grid="quick", root_seed=7)
    assert s["schema"] == "verify-sweep-summary/1"
    assert [(q["claim"], q["params"]["d"]) for q in s["success_rates"]] == [
        ("B", 9), ("B", 10), ("A", 9), ("A", 10)]
    assert s["claims"]["Empty"]["verdict"] == "not run"
    assert s["claims"]["Empty"]["rows"] == 0
    assert s["claims"]["PV"]["smallest_slack"] is None
    assert "| B | d=9, eta=2 | 1 |" in summary_text(s)
