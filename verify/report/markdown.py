"""Render the report document (see :mod:`verify.report.document`) as REPORT.md."""

from __future__ import annotations

from typing import Any

from verify.evidence.calculus import row_verdict
from verify.report.certificates import (
    mark,
    second_prover_count,
    second_prover_text,
    summary_lines,
)
from verify.report.document import inside_stated_assumptions
from verify.report.format import cell, fmt, icon, params_text, seconds, slack_text
from verify.report.sections import render_section

__all__ = ["control_text", "render_markdown"]


def _summary(doc: dict[str, Any]) -> list[str]:
    out = [
        "| Claim | Statement | Regimes | Verdict | Strength | Control | Seeds | Worst slack "
        "| Time |",
        "|---|---|---:|---|---|---|---:|---|---:|",
    ]
    for row in doc["summary"]:
        w = row["worst"]
        worst = slack_text(w["slack"], w["slack_kind"], w.get("interval"),
                           w.get("tolerance", 0.0), w.get("observed"),
                           w.get("bound")) if w else "—"
        note = f" ({row['note']})" if row.get("note") else ""
        out.append(
            f"| {cell(row['claim'])} | {cell(row['statement'])} | {row['regimes']} | "
            f"{icon(row['verdict'])}{cell(note)} | "
            f"{row.get('strength_text') or row.get('strength', '')} | "
            f"{cell(control_text(row.get('control')))} | "
            f"{row.get('seeds') or '—'} | {cell(worst)} | "
            f"{seconds(row['seconds'])} |"
        )
    return out


def control_text(control: dict[str, Any] | None) -> str:
    """The Summary's Control cell: the false twin and whether the claim's rows caught it
    ("caught at 3 of 41 regimes: the bound divided by 2")."""
    if not control or control.get("outcome") in (None, "none declared"):
        return "none declared"
    twin = control.get("twin", "")
    if control["outcome"] == "caught":
        return (f"caught at {control['refuted_at']} of {control['regimes']} regimes: {twin}")
    if control["outcome"] == "not caught":
        return f"NOT caught at {control['regimes']} regimes: {twin}"
    return f"not run (no row can judge it): {twin}"


def _errata(doc: dict[str, Any]) -> list[str]:
    if not doc["errata"]:
        return ["No errata were produced in this run."]
    out = ["| Where | Kind | The text says | What is true | Evidence |", "|---|---|---|---|---|"]
    for e in doc["errata"]:
        out.append(
            f"| {cell(e['location'])} | {e['kind']} | {cell(e['text_says'])} | "
            f"{cell(e['what_is_true'])} | {cell(e.get('evidence', ''))} |"
        )
    return out


def _algebra(doc: dict[str, Any]) -> list[str]:
    if not doc["algebra"]:
        return ["The proof-algebra checks did not run."]
    out = [second_prover_count(doc), "",
           "| Check | Where | Step | Status | How / why |", "|---|---|---|---|---|"]
    for c in doc["algebra"]:
        why = c.get("detail", "")
        if c.get("note"):
            why = f"{why} — note: {c['note']}" if why else f"note: {c['note']}"
        out.append(
            f"| {c['id']} | {cell(c['location'])} | {cell(c['statement'])} | "
            f"**{c['status']}**{cell(second_prover_text(c))} | {cell(c.get('method', ''))}: "
            f"{cell(why)} |"
        )
    return out


def _assumptions(doc: dict[str, Any]) -> list[str]:
    rows = doc["assumptions"]
    if not rows:
        return ["The assumption fuzzing did not run."]
    out = [
        "| Claim | Assumption | Needed? | Examples tried | Smallest counterexample | Reproduce |",
        "|---|---|---|---:|---|---|",
    ]
    for r in rows:
        out.append(
            f"| {cell(r['claim'])} | {cell(r['assumption'])} | {r['status']} | "
            f"{r['tries']} | {cell(r.get('counterexample', '') or '—')} | "
            f"{'`' + r['reproduce'] + '`' if r.get('reproduce') else '—'} |"
        )
    return out


def _failure_lines(doc: dict[str, Any], inside: bool, per_claim: int) -> list[str]:
    out = []
    shown: dict[str, int] = {}
    for sec in doc["sections"]:
        for ev in sec["evidence"]:
            if row_verdict(ev) != "fails" or inside_stated_assumptions(ev) is not inside:
                continue
            shown[ev["claim"]] = shown.get(ev["claim"], 0) + 1
            if shown[ev["claim"]] == per_claim + 1:
                out.append(f"- … further failures of **{ev['claim']}**: see its section.")
            if shown[ev["claim"]] > per_claim:
                continue
            out.append(
                f"- **{ev['claim']}**{mark(ev)} fails at "
                f"{params_text(ev.get('params', {}))}: observed "
                f"{fmt(ev['observed'])} vs bound {fmt(ev['bound'])}"
                f"{' — ' + ev['reason'] if ev.get('reason') else ''}"
                f"{'; holds under ' + ev['holds_under'] if ev.get('holds_under') else ''}. "
                "Reproduce: "
                f"`{ev.get('reproduce', '')}`"
            )
    return out


def _findings(doc: dict[str, Any], per_claim: int = 3) -> list[str]:
    inside = _failure_lines(doc, True, per_claim)
    verdicts = {row["claim"]: row["verdict"] for row in doc["summary"]}
    for r in doc["assumptions"]:
        if r.get("counterexample") and r.get("inside"):
            verdict = verdicts.get(r["claim"], "")
            missing = (f"; a missing assumption: the claim {verdict.split('; ', 1)[1]}"
                       if verdict.startswith("fails as stated; holds under ") else "")
            inside.append(
                f"- **{r['claim']}** fails inside its stated assumptions at {r['counterexample']} "
                f"(found by the fuzzing{missing}). Reproduce: `{r.get('reproduce', '')}`"
            )
    outside = _failure_lines(doc, False, per_claim)
    out = ["### Claims that fail where their stated assumptions hold", ""]
    out += inside or ["None in this run."]
    out += ["", "### Failures outside a claim's assumptions (the assumption is needed)", "",
            "Regimes chosen to violate one assumption; each shows that the assumption matters. "
            "The Assumptions table below has the fuzzing's smallest such counterexamples.", ""]
    out += outside or ["None in this run."]
    return out


def sequential_table(rows: list[dict[str, Any]]) -> list[str]:
    """The Atlas's table of the regimes decided by sequential seeds
    (:func:`verify.report.atlas.sequential_seeds`): the seeds each took, of its budget."""
    if not rows:
        return []
    out = ["### Seeds per regime (sequential rounds)", "",
           "Seeds were added to these regimes in doubling rounds until the claimed "
           "probability was demonstrated, refuted or the budget spent "
           "(`verify.evidence.sequential`).", "",
           "| claim | regime | decision | seeds | budget |", "|---|---|---|---|---|"]
    for r in rows:
        regime = ", ".join(f"{k}={v}" for k, v in r["regime"].items())
        budget = f"{r['budget']:,}" if isinstance(r["budget"], int) else "—"
        out.append(f"| {r['claim']} | {regime} | {r['status']} | {r['seeds']:,} | {budget} |")
    return [*out, ""]


def _atlas(doc: dict[str, Any]) -> list[str]:
    from verify.report.atlas import sequential_seeds

    atlas = doc.get("atlas")
    seq = sequential_table(sequential_seeds(doc.get("sections", [])))
    if not atlas and not doc.get("complete", True):
        return ["The Atlas sweep did not run: the report was interrupted before it.", "", *seq]
    if not atlas:
        return ["No sweep ran for this report (no selected claim declares one).", "", *seq]
    stopped = []
    if atlas.get("interrupted"):
        stopped = [f"**The Atlas sweep was interrupted (Ctrl-C).** Finished, and drawn below: "
                   f"{', '.join(atlas['finished']) or 'none'}. Not finished: "
                   f"{', '.join(atlas['unfinished']) or 'none'}.", ""]
    out = [f"Where each claim holds, over grids of regimes and seeds: {atlas['rows']} rows from "
           f"{atlas['source']}. Colour: the fraction of a cell's rows that fail (for a "
           "probabilistic claim, of its seeds that miss the claimed event); numbers: the worst "
           "slack; hatched: a stated assumption fails; blue: the boundary the errata predict. "
           "Success rates carry 95% Clopper-Pearson intervals against the stated lower bound. "
           "Theorem 5.1 (non-vacuous bound) and the sample-complexity scaling law are drawn as "
           "curves against their bounds instead of as maps.",
           "", *stopped]
    for e in atlas["entries"]:
        out += [f"### {e['claim']}", ""]
        out += [f"![{e['claim']}]({f})" for f in e["figures"]]
        out += ["", f"Reading: {e['reading']}", ""]
    return [*out, *seq]


def render_markdown(doc: dict[str, Any], plots: dict[tuple[int, int], str]) -> str:
    """REPORT.md from the document; ``plots[(section index, evidence index)]`` are image paths."""
    status = "complete" if doc["complete"] else "**INCOMPLETE: the run was interrupted**"
    lines = [
        "# Verification report: Brutzkus & Globerson, max-pooling networks",
        "",
        f"Generated by `{doc['command']}` (verify {doc['version']}, profile `{doc['profile']}`, "
        f"seed {doc['seed']}). Status: {status}. Exit status {doc['exit_status']}.",
        "",
        "This file is written by `python -m verify.report` and never edited by hand. Every row "
        "below comes from a checker in `verify/` that returns its evidence; each evidence line "
        "says how to reproduce it.",
        "",
        "## Summary",
        "",
        *_summary(doc),
        "",
        *summary_lines(doc),
        "",
        "A claim *fails* when some regime inside its assumptions violates it; *holds where "
        "assumed; fails outside* means every violation found lies outside an assumption the "
        "claim (or its proof) needs; *fails as stated; holds under C* means it fails inside "
        "its stated assumptions only where C, a condition its proof uses and its statement "
        "omits, fails; *not tested* means no regime run could show it, or a statistical test "
        "could not reach its level with the repeats run (too few repeats for alpha). A claim "
        "*holds* only when every part of its statement is decided by a row that could have "
        "failed; otherwise the verdict names the parts shown and those not. *Control*: the "
        "claim's false twin (negative control), re-judged on the same rows; a claim whose twin "
        "is not caught *cannot fail at the regimes run* and is no better than vacuous "
        "(docs/explanation/verdict-calculus.md).",
        "",
        "## Findings",
        "",
        *_findings(doc),
        "",
        "## Errata",
        "",
        *_errata(doc),
        "",
        "## Proof algebra (SymPy)",
        "",
        *_algebra(doc),
        "",
        "## Assumptions (fuzzing)",
        "",
        *_assumptions(doc),
        "",
        "## Atlas",
        "",
        *_atlas(doc),
        "",
    ]
    for si, sec in enumerate(doc["sections"]):
        lines += render_section(sec, {ei: path for (i, ei), path in plots.items() if i == si})
    for key, err in doc.get("special_errors", {}).items():
        lines += [f"## Error in {key}", "", "```", err.strip(), "```", ""]
    return "\n".join(lines).rstrip() + "\n"
