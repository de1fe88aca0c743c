"""What a sweep concludes: per claim, the verdicts of its rows, and for the probabilistic claims
(Lemma 5.2, Eq. 14, Corollary 5.4, Theorem 5.1) the success rate of the claimed event per
regime.

Success rates. In a regime with ``n`` seeds of which ``x`` saw the claimed event, the rate is
``x/n`` with its exact Clopper-Pearson 95% interval
(:func:`verify.evidence.stats.clopper_pearson`). The claim "the event holds with probability at
least ``p``" is tested with the exact one-sided binomial test of ``H0: P(not event) <= 1 - p``
(:func:`verify.evidence.stats.binomial_test`) at level ``alpha = family_alpha / R``, ``R`` the
number of non-vacuous regimes tested in the sweep (Bonferroni): a correct claim is rejected
somewhere in the sweep with probability at most ``family_alpha`` (default ``1e-3``), whatever the
number of regimes or seeds. A regime where ``p <= 0`` is vacuous (nothing to test).
"""

from __future__ import annotations

import json
from typing import Any

import pandas as pd

from verify.evidence.stats import binomial_test, bonferroni, clopper_pearson
from verify.evidence.sweep_spec import SweepSpec
from verify.sweep.store import EVENT, NO_EVENT

__all__ = ["FAMILY_ALPHA", "claim_verdicts", "success_rates", "summarise", "summary_text"]

FAMILY_ALPHA = 1e-3
"""Family-wise false-alarm rate of the success-rate tests of one sweep."""


UNRANKED_SLACK = ("p-value", "effect")
"""Slack kinds that are not distances to a bound (a test's p-value, an effect size): never the
claim's smallest slack."""

COLUMNS = ("key", "claim", "params", "seed", "verdict", "assumed", "slack", "slack_kind",
           "event", "probability_bound", "root_seed", "replicate", "strength")
"""The columns the summary reads (a store of millions of rows is summarised in pandas)."""


def _frame(rows: pd.DataFrame | list[dict[str, Any]]) -> pd.DataFrame:
    df = rows if isinstance(rows, pd.DataFrame) else pd.DataFrame(list(rows))
    if df.empty:
        return pd.DataFrame({c: pd.Series(dtype=object) for c in COLUMNS})
    return df


def _position(claim_order: dict[str, int], claim: str, params: str) -> tuple[Any, ...]:
    values = json.loads(params)
    return (claim_order[claim], *(str(values[k]).zfill(12) for k in sorted(values)))


def success_rates(rows: pd.DataFrame | list[dict[str, Any]], specs: dict[str, SweepSpec], *,
                  family_alpha: float = FAMILY_ALPHA) -> list[dict[str, Any]]:
    """One record per (probabilistic claim, regime), in the order of ``specs`` and the
    regimes: seeds, successes, rate, 95% CI, stated lower bound, the test's p-value, level,
    decision and power (``detectable_failure_rate``: the rate of the event's failure that the
    test rejects with probability 0.99)."""
    df = _frame(rows)
    prob = [c for c, s in specs.items() if s.probabilistic]
    df = df[df["claim"].isin(prob)]
    if df.empty:
        return []
    g = df.assign(event=df["event"].astype(bool), assumed=df["assumed"].astype(bool)).groupby(
        ["claim", "params"], sort=False).agg(
        seeds=("event", "size"), successes=("event", "sum"), p=("probability_bound", "first"),
        assumed=("assumed", "all"))
    alpha = bonferroni(family_alpha, max(1, int((g["p"] > 0).sum())))
    order = {c: i for i, c in enumerate(specs)}
    out = []
    for (claim, params), q in sorted(g.iterrows(), key=lambda it: _position(order, *it[0])):
        n, x, p = int(q["seeds"]), int(q["successes"]), float(q["p"])
        lo, hi = clopper_pearson(x, n)
        rec: dict[str, Any] = {"claim": claim, "params": json.loads(params), "seeds": n,
                               "successes": x, "rate": x / n, "ci95": [lo, hi],
                               "stated_lower_bound": p, "assumed": bool(q["assumed"]),
                               "vacuous": p <= 0, "alpha": alpha, "p_value": None,
                               "rejected": False, "detectable_failure_rate": None}
        if p > 0:
            t = binomial_test(n - x, n, min(1.0, 1.0 - p), alpha)
            rec["p_value"], rec["rejected"] = t.p_value, t.rejected
            rec["detectable_failure_rate"] = t.detectable_rate  # rejected with 99% power
        out.append(rec)
    return out


def claim_verdicts(rows: pd.DataFrame | list[dict[str, Any]], rates: list[dict[str, Any]],
                   specs: dict[str, SweepSpec]) -> dict[str, dict[str, Any]]:
    """Per claim: rows, counts by verdict, failures where assumed, and the verdict of the sweep
    (``holds``, ``fails`` where its stated assumptions hold, ``holds where assumed; fails
    outside``). A probabilistic claim's verdict is that of its success-rate tests, and its rows
    (one seed each) are counted by whether the claimed event occurred (``"event"``, ``"no
    event"``, read from the ``event`` column), never as "holds"."""
    df = _frame(rows)
    out: dict[str, dict[str, Any]] = {}
    for claim, spec in specs.items():
        rs = df[df["claim"] == claim]
        counts = {str(k): int(v) for k, v in rs["verdict"].value_counts(sort=False).items()}
        extra: dict[str, Any] = {}
        if spec.probabilistic:
            occurred = int(rs["event"].astype(bool).sum())
            counts = {EVENT: occurred, NO_EVENT: len(rs) - occurred}
            mine = [q for q in rates if q["claim"] == claim]
            bad = [q for q in mine if q["rejected"]]
            n_bad, n_inside = len(bad), sum(1 for q in bad if q["assumed"])
            extra = {"regimes": len(mine), "regimes_vacuous": sum(q["vacuous"] for q in mine),
                     "regimes_rejected": n_bad}
        else:
            fails = rs["verdict"] == "fails"
            n_bad, n_inside = int(fails.sum()), int((fails & rs["assumed"].astype(bool)).sum())
        ranked = rs[rs["slack"].notna() & ~rs["slack_kind"].isin(UNRANKED_SLACK)]
        worst = None
        if not ranked.empty:
            w = ranked.loc[ranked["slack"].astype(float).idxmin()]
            worst = {"slack": float(w["slack"]), "slack_kind": w["slack_kind"],
                     "params": json.loads(w["params"]), "seed": int(w["seed"])}
        verdict = ("fails" if n_inside else "holds where assumed; fails outside" if n_bad
                   else "holds" if len(rs) else "not run")
        out[claim] = {"rows": len(rs), "by_verdict": counts, "verdict": verdict,
                      "failing": n_bad, "failing_where_assumed": n_inside,
                      "smallest_slack": worst, **extra}
    return out


def summarise(rows: pd.DataFrame | list[dict[str, Any]], specs: dict[str, SweepSpec], *,
              grid: str, root_seed: int, family_alpha: float = FAMILY_ALPHA) -> dict[str, Any]:
    """The sweep's summary (JSON-ready): claims, success rates and the exit status they give
    (0 all hold where assumed, 1 some claim fails there)."""
    df = _frame(rows)
    rates = success_rates(df, specs, family_alpha=family_alpha)
    claims = claim_verdicts(df, rates, specs)
    status = 1 if any(c["verdict"] == "fails" for c in claims.values()) else 0
    return {"schema": "verify-sweep-summary/1", "grid": grid, "seed": root_seed,
            "rows": len(df), "family_alpha": family_alpha, "claims": claims,
            "success_rates": rates, "exit_status": status}


def _fmt(p: dict[str, Any]) -> str:
    return ", ".join(f"{k}={v:g}" if isinstance(v, float) else f"{k}={v}" for k, v in p.items())


def summary_text(summary: dict[str, Any]) -> str:
    """The summary as short Markdown: a line per claim, a table of success rates.

    A probabilistic claim's verdict is that of its success rates; its rows are seeds, counted by
    whether the claimed event occurred in them."""
    lines = [f"# Sweep `{summary['grid']}`, seed {summary['seed']}: {summary['rows']} rows", ""]
    for claim, c in summary["claims"].items():
        counts = ", ".join(f"{v} {k}" for k, v in sorted(c["by_verdict"].items()))
        if "regimes" in c:
            b = c["by_verdict"]
            lines.append(f"- **{claim}**: {c['verdict']} ({c['rows']} seeds: the claimed event "
                         f"occurred in {b.get(EVENT, 0)}, failed in {b.get(NO_EVENT, 0)}; "
                         f"success rate below the stated bound in {c['regimes_rejected']} of "
                         f"{c['regimes']} regime{'' if c['regimes'] == 1 else 's'} "
                         f"({c['regimes_vacuous']} vacuous))")
        else:
            lines.append(f"- **{claim}**: {c['verdict']} ({c['rows']} rows: {counts})")
    rates = summary["success_rates"]
    if rates:
        a = rates[0]["alpha"]
        lines += ["", "Success rates of the claimed events (exact one-sided binomial test of "
                  f"rate >= stated bound at level {a:.3g} each; family-wise false alarm <= "
                  f"{summary['family_alpha']:g}):", "",
                  "| claim | regime | seeds | rate | 95% CI | stated >= | p-value | verdict |",
                  "|---|---|---|---|---|---|---|---|"]
        for q in rates:
            pv = "vacuous" if q["p_value"] is None else f"{q['p_value']:.3g}"
            v = ("rejected" if q["rejected"] else "-") + ("" if q["assumed"] else " (outside)")
            lo, hi = q["ci95"]
            lines.append(f"| {q['claim']} | {_fmt(q['params'])} | {q['seeds']} | "
                         f"{q['rate']:.4f} | [{lo:.4f}, {hi:.4f}] | "
                         f"{q['stated_lower_bound']:.6g} | {pv} | {v} |")
    return "\n".join(lines) + "\n"
