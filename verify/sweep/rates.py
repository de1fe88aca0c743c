"""What a sweep concludes: per claim, the verdicts of its rows, and for the probabilistic claims
(Lemma 5.2, Eq. 14, Corollary 5.4, Theorem 5.1) the success rate of the claimed event per
regime.

Success rates. In a regime with ``n`` seeds of which ``x`` saw the claimed event, the rate is
``x/n`` with its exact Clopper-Pearson 95% interval (:func:`verify.stats.clopper_pearson`). The
claim "the event holds with probability at least ``p``" is tested with the exact one-sided
binomial test of ``H0: P(not event) <= 1 - p`` (:func:`verify.stats.binomial_test`) at level
``alpha = family_alpha / R``, ``R`` the number of non-vacuous regimes tested in the sweep
(Bonferroni): a correct claim is rejected somewhere in the sweep with probability at most
``family_alpha`` (default ``1e-3``), whatever the number of regimes or seeds. A regime where
``p <= 0`` is vacuous (nothing to test).
"""

from __future__ import annotations

import json
from collections import defaultdict
from typing import Any

from verify.stats import binomial_test, bonferroni, clopper_pearson
from verify.sweep.spec import SweepSpec

__all__ = ["FAMILY_ALPHA", "claim_verdicts", "success_rates", "summarise", "summary_text"]

FAMILY_ALPHA = 1e-3
"""Family-wise false-alarm rate of the success-rate tests of one sweep."""


def success_rates(rows: list[dict[str, Any]], specs: dict[str, SweepSpec], *,
                  family_alpha: float = FAMILY_ALPHA) -> list[dict[str, Any]]:
    """One record per (probabilistic claim, regime): seeds, successes, rate, 95% CI, stated
    lower bound, the test's p-value, level and decision."""
    groups: dict[tuple[str, str], list[dict[str, Any]]] = defaultdict(list)
    for r in rows:
        if specs.get(r["claim"]) is not None and specs[r["claim"]].probabilistic:
            groups[(r["claim"], r["params"])].append(r)
    tested = [g for g, rs in groups.items() if rs[0]["probability_bound"] > 0]
    alpha = bonferroni(family_alpha, max(1, len(tested)))
    order = {c: i for i, c in enumerate(specs)}

    def position(item: tuple[tuple[str, str], list[dict[str, Any]]]) -> tuple[Any, ...]:
        (claim, params), _ = item
        values = json.loads(params)
        return (order[claim], *(str(values[k]).zfill(12) for k in sorted(values)))

    out = []
    for (claim, params), rs in sorted(groups.items(), key=position):
        n = len(rs)
        x = sum(1 for r in rs if r["event"])
        p = float(rs[0]["probability_bound"])
        lo, hi = clopper_pearson(x, n)
        rec: dict[str, Any] = {"claim": claim, "params": json.loads(params), "seeds": n,
                               "successes": x, "rate": x / n, "ci95": [lo, hi],
                               "stated_lower_bound": p, "assumed": all(r["assumed"] for r in rs),
                               "vacuous": p <= 0, "alpha": alpha, "p_value": None,
                               "rejected": False}
        if p > 0:
            t = binomial_test(n - x, n, min(1.0, 1.0 - p), alpha)
            rec["p_value"], rec["rejected"] = t.p_value, t.rejected
        out.append(rec)
    return out


def claim_verdicts(rows: list[dict[str, Any]], rates: list[dict[str, Any]],
                   specs: dict[str, SweepSpec]) -> dict[str, dict[str, Any]]:
    """Per claim: rows, counts by verdict, failures where assumed, and the verdict of the sweep
    (``holds``, ``fails`` where its stated assumptions hold, ``holds where assumed; fails
    outside``). A probabilistic claim's verdict is that of its success-rate tests."""
    out: dict[str, dict[str, Any]] = {}
    for claim, spec in specs.items():
        rs = [r for r in rows if r["claim"] == claim]
        counts: dict[str, int] = defaultdict(int)
        for r in rs:
            counts[r["verdict"]] += 1
        if spec.probabilistic:
            bad = [q for q in rates if q["claim"] == claim and q["rejected"]]
            inside = [q for q in bad if q["assumed"]]
        else:
            bad = [r for r in rs if r["verdict"] == "fails"]
            inside = [r for r in bad if r["assumed"]]
        worst = min((r for r in rs if r["slack"] is not None and r["slack_kind"] != "p-value"),
                    key=lambda r: r["slack"], default=None)
        verdict = ("fails" if inside else "holds where assumed; fails outside" if bad
                   else "holds" if rs else "not run")
        out[claim] = {"rows": len(rs), "by_verdict": dict(counts), "verdict": verdict,
                      "failing": len(bad), "failing_where_assumed": len(inside),
                      "smallest_slack": None if worst is None else
                      {"slack": worst["slack"], "slack_kind": worst["slack_kind"],
                       "params": json.loads(worst["params"]), "seed": worst["seed"]}}
    return out


def summarise(rows: list[dict[str, Any]], specs: dict[str, SweepSpec], *, grid: str,
              root_seed: int, family_alpha: float = FAMILY_ALPHA) -> dict[str, Any]:
    """The sweep's summary (JSON-ready): claims, success rates and the exit status they give
    (0 all hold where assumed, 1 some claim fails there)."""
    rates = success_rates(rows, specs, family_alpha=family_alpha)
    claims = claim_verdicts(rows, rates, specs)
    status = 1 if any(c["verdict"] == "fails" for c in claims.values()) else 0
    return {"schema": "verify-sweep-summary/1", "grid": grid, "seed": root_seed,
            "rows": len(rows), "family_alpha": family_alpha, "claims": claims,
            "success_rates": rates, "exit_status": status}


def _fmt(p: dict[str, Any]) -> str:
    return ", ".join(f"{k}={v:g}" if isinstance(v, float) else f"{k}={v}" for k, v in p.items())


def summary_text(summary: dict[str, Any]) -> str:
    """The summary as short Markdown: a line per claim, a table of success rates."""
    lines = [f"# Sweep `{summary['grid']}`, seed {summary['seed']}: {summary['rows']} rows", ""]
    for claim, c in summary["claims"].items():
        counts = ", ".join(f"{v} {k}" for k, v in sorted(c["by_verdict"].items()))
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
