"""Render the report document (see :mod:`verify.report.document`) as REPORT.md."""

from __future__ import annotations

from typing import Any

from verify.evidence.calculus import row_verdict
from verify.evidence.reproduce import shell_command
from verify.report.certificates import (
    mark,
    second_prover_count,
    second_prover_text,
    summary_lines,
)
from verify.report.document import inside_stated_assumptions
from verify.report.format import (
    LINE_LIMIT,
    cell,
    counted,
    fmt,
    icon,
    params_text,
    seconds,
    slack_text,
    stable_text,
    wrap,
)
from verify.report.sections import render_section

__all__ = ["control_text", "render_markdown"]


def _summary(doc: dict[str, Any]) -> list[str]:
    out = [
        "| Claim | Statement | Regimes | Verdict | Strength | Control | Seeds | Worst slack "
        "| Section time |",
        "|---|---|---:|---|---|---|---:|---|---:|",
    ]
    seen: set[str] = set()
    notes: list[str] = []  # the verdicts too long for a table row, numbered
    n_notes = 0
    for row in doc["summary"]:
        w = row["worst"]
        worst = slack_text(w["slack"], w["slack_kind"], w.get("interval"),
                           w.get("tolerance", 0.0), w.get("observed"),
                           w.get("bound")) if w else "—"
        note = f" ({stable_text(row['note'])})" if row.get("note") else ""
        section = row.get("section", row["claim"])
        time = "″" if section in seen else seconds(row["seconds"])
        seen.add(section)
        claim = cell(row["claim"]) + ("" if row.get("paper", True) else " †")
        verdict = f"{icon(row['verdict'])}{cell(note)}"
        head = f"| {claim} | {cell(row['statement'])} | {row['regimes']} | "
        tail = (f" | {row.get('strength_text') or row.get('strength', '')} | "
                f"{cell(stable_text(control_text(row.get('control'))))} | "
                f"{row.get('seeds') or '—'} | {cell(worst)} | {time} |")
        if len(head + verdict + tail) > LINE_LIMIT:  # the verdict in full goes under the table
            n_notes += 1
            notes += wrap(f"[{n_notes}] {row['claim']}: {icon(row['verdict'])}{note}",
                          "- ", "  ")
            verdict = f"{verdict.split(' ', 1)[0]} see verdict [{n_notes}] below"
        out.append(head + verdict + tail)
    if notes:
        out += ["", "Verdicts too long for the table, in full:", "", *notes]
    out += ["", *wrap("Section time: the wall time of the checker run that made a section's "
                      "rows; its claims share that run, and ″ marks a claim of the section "
                      "above.")]
    if not all(row.get("paper", True) for row in doc["summary"]):
        out += ["", *wrap("† Not a claim of the paper: the tutorial's example claim "
                          "(docs/tutorial.md), checked and reported like the paper's.")]
    return out


def control_text(control: dict[str, Any] | None) -> str:
    """The Summary's Control cell: the false twin and whether the claim's rows caught it
    ("caught at 3 of 41 regimes: the bound divided by 2"; "of 1 regime" when there is one)."""
    if not control or control.get("outcome") in (None, "none declared"):
        return "none declared"
    twin = control.get("twin", "")
    if control["outcome"] == "caught":
        return (f"caught at {control['refuted_at']} of "
                f"{counted(control['regimes'], 'regime', 'regimes')}: {twin}")
    if control["outcome"] == "not caught":
        return f"NOT caught at {counted(control['regimes'], 'regime', 'regimes')}: {twin}"
    return f"not run (no row can judge it): {twin}"


def _errata(doc: dict[str, Any]) -> list[str]:
    if not doc["errata"]:
        return ["No errata were produced in this run."]
    out = []
    for e in doc["errata"]:
        out += wrap(f"**{e['location']}** ({e['kind']}). The text says: {e['text_says']}", "- ")
        out += wrap(f"What is true: {stable_text(e['what_is_true'])}", "  ")
        if e.get("evidence"):
            out += wrap(f"Evidence: {stable_text(e['evidence'])}", "  ")
    return out


def _algebra(doc: dict[str, Any]) -> list[str]:
    if not doc["algebra"]:
        return ["The proof-algebra checks did not run."]
    out = [*wrap(second_prover_count(doc)), ""]
    for c in doc["algebra"]:
        why = c.get("detail", "")
        if c.get("note"):
            why = f"{why} — note: {c['note']}" if why else f"note: {c['note']}"
        out += wrap(f"**{c['id']}** ({c['location']}): {c['statement']}. "
                    f"**{c['status']}**{second_prover_text(c)}", "- ")
        out += wrap(f"{c.get('method', '')}: {stable_text(why)}", "  ")
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
            f"{'`' + shell_command(r['reproduce']) + '`' if r.get('reproduce') else '—'} |"
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
            text = (f"**{ev['claim']}**{mark(ev)} fails at {params_text(ev.get('params', {}))}: "
                    f"observed {fmt(ev['observed'])} vs bound {fmt(ev['bound'])}"
                    f"{' — ' + ev['reason'] if ev.get('reason') else ''}"
                    f"{'; holds under ' + ev['holds_under'] if ev.get('holds_under') else ''}.")
            out += wrap(stable_text(text), "- ")
            if ev.get("reproduce"):
                out.append(f"  Reproduce: `{shell_command(ev['reproduce'])}`")
    return out


def _findings(doc: dict[str, Any], per_claim: int = 3) -> list[str]:
    inside = _failure_lines(doc, True, per_claim)
    verdicts = {row["claim"]: row["verdict"] for row in doc["summary"]}
    for r in doc["assumptions"]:
        if r.get("counterexample") and r.get("inside"):
            verdict = verdicts.get(r["claim"], "")
            missing = (f"; a missing assumption: the claim {verdict.split('; ', 1)[1]}"
                       if verdict.startswith("fails as stated; holds under ") else "")
            inside += wrap(f"**{r['claim']}** fails inside its stated assumptions at "
                           f"{r['counterexample']} (found by the fuzzing{missing}).", "- ")
            if r.get("reproduce"):
                inside.append(f"  Reproduce: `{shell_command(r['reproduce'])}`")
    outside = _failure_lines(doc, False, per_claim)
    out = ["### Claims that fail where their stated assumptions hold", ""]
    out += inside or ["None in this run."]
    out += ["", "### Failures outside a claim's assumptions (the assumption is needed)", "",
            *wrap("Regimes chosen to violate one assumption; each shows that the assumption "
                  "matters. The Assumptions table below has the fuzzing's smallest such "
                  "counterexamples."), ""]
    out += outside or ["None in this run."]
    return out


def sequential_table(rows: list[dict[str, Any]]) -> list[str]:
    """The Atlas's table of the regimes decided by sequential seeds
    (:func:`verify.report.atlas.sequential_seeds`): the seeds each took, of its budget."""
    if not rows:
        return []
    out = ["### Seeds per regime (sequential rounds)", "",
           *wrap("Seeds were added to these regimes in doubling rounds until the claimed "
                 "probability was demonstrated, refuted or the budget spent "
                 "(`verify.evidence.sequential`)."), "",
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
        stopped = [*wrap(f"**The Atlas sweep was interrupted (Ctrl-C).** Finished, and drawn "
                         f"below: {', '.join(atlas['finished']) or 'none'}. Not finished: "
                         f"{', '.join(atlas['unfinished']) or 'none'}."), ""]
    out = [*wrap(f"Where each claim holds, over grids of regimes and seeds: {atlas['rows']} rows "
                 f"from {atlas['source']}. Colour: the fraction of a cell's rows that fail (for a "
                 "probabilistic claim, of its seeds that miss the claimed event); numbers: the "
                 "worst slack; hatched (on the maps that have such cells): a stated assumption "
                 "fails; blue: the boundary the errata predict. Step sizes: eta1 is a fraction "
                 "of the largest step Theorem 5.1 allows, 1/(4k(T1+1)). Success rates carry "
                 "95% Clopper-Pearson intervals against the stated lower bound. Theorem 5.1 "
                 "(non-vacuous bound) and the sample-complexity scaling law are drawn as curves "
                 "against their bounds instead of as maps."),
           "", *stopped]
    for e in atlas["entries"]:
        out += [f"### {e['claim']}", ""]
        out += [f"![{e['claim']}]({f})" for f in e["figures"]]
        out += ["", *wrap(stable_text(f"Reading: {e['reading']}")), ""]
    return [*out, *seq]


def render_markdown(doc: dict[str, Any], plots: dict[tuple[int, int], str]) -> str:
    """REPORT.md from the document; ``plots[(section index, evidence index)]`` are image paths."""
    status = "complete" if doc["complete"] else "**INCOMPLETE: the run was interrupted**"
    lines = [
        "# Verification report: Brutzkus & Globerson, max-pooling networks",
        "",
        *wrap(f"Generated by `{doc['command']}` (verify {doc['version']}, profile "
              f"`{doc['profile']}`, seed {doc['seed']}). Status: {status}. Exit status "
              f"{doc['exit_status']}."),
        "",
        *wrap("This file is written by `python -m verify.report` and never edited by hand. Every "
              "row below comes from a checker in `verify/` that returns its evidence; each "
              "evidence line says how to reproduce it, as a shell command. Every computed number "
              "is printed to 4 significant digits (report.json keeps full precision), so that "
              "the same seed gives the same file on any x86-64 machine apart from the timings "
              "(docs/report.md says what the promise covers)."),
        "",
        "## Summary",
        "",
        *_summary(doc),
        "",
        *(line for text in summary_lines(doc) for line in wrap(text)),
        "",
        *wrap("A claim *fails* when some regime inside its assumptions violates it; *holds where "
              "assumed; fails outside* means every violation found lies outside an assumption "
              "the claim (or its proof) needs; *holds (fails) outside the paper's assumptions* "
              "means every row of the claim lies outside them on purpose (a map beyond the "
              "model), and every part holds there (some row fails there): neither is a failure "
              "of the paper (*consistent: not refuted* takes the same ending); *fails as stated; "
              "holds under C* means it fails "
              "inside its stated assumptions only where C, a condition its proof uses and its "
              "statement omits, fails; *not tested* means no regime run could show it, or a "
              "statistical test could not reach its level with the repeats run (too few repeats "
              "for alpha). A claim *holds* only when every part of its statement is decided by a "
              "row that could have failed; otherwise the verdict names the parts shown and those "
              "not. *Control*: the claim's false twin (negative control), re-judged on the same "
              "rows; a claim whose twin is not caught *cannot fail at the regimes run* and is no "
              "better than vacuous (docs/explanation/verdict-calculus.md)."),
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
