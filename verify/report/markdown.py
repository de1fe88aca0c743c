"""Render the report document (see :mod:`verify.report.document`) as REPORT.md."""

from __future__ import annotations

import json
import math
from typing import Any

from verify.assumptions import is_stated
from verify.report.document import inside_stated_assumptions

__all__ = ["render_markdown"]

_ICON = {
    "holds": "✅ holds",
    "fails": "❌ fails",
    "boundary": "⚠️ boundary",
    "not applicable": "➖ not applicable",
    "not tested": "❔ not tested",
    "holds where assumed; fails outside": "✅ holds where assumed; ❌ fails outside",
    "error": "💥 error",
    "not run": "⏸ not run",
}


def seconds(s: float) -> str:
    """Every timing in the report goes through here (the determinism test masks them)."""
    return f"{s:.1f} s"


def fmt(x: Any, digits: int = 4) -> str:
    """Compact, stable formatting of numbers and small structures."""
    if isinstance(x, bool):
        return str(x)
    if isinstance(x, int):
        return str(x)
    if isinstance(x, float):
        if math.isnan(x):
            return "nan"
        if x == 0:
            return "0"
        if abs(x) >= 1e5 or abs(x) < 1e-3:
            return f"{x:.{digits - 1}e}"
        return f"{x:.{digits}g}"
    if isinstance(x, str):
        return x
    if isinstance(x, (list, tuple)):
        if len(x) > 8:
            return "[" + ", ".join(fmt(v) for v in x[:4]) + f", … ({len(x)} values)]"
        return "[" + ", ".join(fmt(v) for v in x) + "]"
    if isinstance(x, dict):
        return "{" + ", ".join(f"{k}: {fmt(v)}" for k, v in x.items()) + "}"
    return str(x)


def _cell(text: str) -> str:
    return text.replace("|", "\\|").replace("\n", " ")


def _params(p: dict[str, Any]) -> str:
    return ", ".join(f"{k}={fmt(v)}" for k, v in p.items())


def _summary(doc: dict[str, Any]) -> list[str]:
    out = [
        "| Claim | Statement | Regimes | Verdict | Worst slack | Time |",
        "|---|---|---:|---|---|---:|",
    ]
    for row in doc["summary"]:
        w = row["worst"]
        worst = f"{fmt(w['slack'])} ({w['slack_kind']})" if w else "—"
        out.append(
            f"| {_cell(row['claim'])} | {_cell(row['statement'])} | {row['regimes']} | "
            f"{_ICON.get(row['verdict'], row['verdict'])} | {_cell(worst)} | "
            f"{seconds(row['seconds'])} |"
        )
    return out


def _is_model_table(value: Any) -> bool:
    return (isinstance(value, list) and bool(value) and all(isinstance(r, dict) for r in value)
            and all({"model", "test_error_mean", "test_error_std"} <= r.keys() for r in value))


def _model_table(rows: list[dict[str, Any]]) -> list[str]:
    """Section 7's per-size rows (one per size and model) as a Markdown table: one line per
    size, ``test mean ± std (train mean)`` per model."""
    x_key = next(k for k in rows[0] if k not in ("model",))
    models = list(dict.fromkeys(r["model"] for r in rows))
    xs = list(dict.fromkeys(r[x_key] for r in rows))
    cell = {(r[x_key], r["model"]): r for r in rows}
    out = ["", f"    | {x_key} | " + " | ".join(models) + " |",
           "    |---:|" + "---|" * len(models)]
    for x in xs:
        cells = []
        for m in models:
            r = cell.get((x, m))
            cells.append("—" if r is None else f"{r['test_error_mean']:.4f} ± "
                         f"{r['test_error_std']:.4f} (train {r['train_error_mean']:.3f})")
        out.append(f"    | {x} | " + " | ".join(cells) + " |")
    out.append("")
    return out


def _details(details: dict[str, Any]) -> list[str]:
    lines = []
    for key, value in details.items():
        if key == "plot":
            continue
        if _is_model_table(value):
            lines.append(f"  - {key} (test error mean ± std over repeats, and train error):")
            lines.extend(_model_table(value))
            continue
        if isinstance(value, dict) and len(json.dumps(value, default=str)) > 160:
            lines.append(f"  - {key}:")
            lines.extend(f"    - {k}: {_cell(fmt(v))}" for k, v in value.items())
        else:
            lines.append(f"  - {key}: {_cell(fmt(value))}")
    return lines


def _evidence(ev: dict[str, Any], plots: dict[int, str], i: int) -> list[str]:
    verdict = _ICON.get(ev["verdict"], ev["verdict"])
    lines = [
        f"- **{verdict}** — {ev['statement']}",
        f"  - parameters: {_params(ev.get('params', {}))}",
        f"  - observed {fmt(ev['observed'])} against bound {fmt(ev['bound'])}: slack "
        f"{fmt(ev['slack'])} ({ev.get('slack_kind', '')}), tolerance {fmt(ev.get('tolerance', 0))}",
    ]
    if ev.get("assumptions"):
        held = ", ".join(
            f"{k}{'' if is_stated(k) else ' (proof only)'} {'✓' if v else '✗'}"
            for k, v in ev["assumptions"].items()
        )
        lines.append(f"  - assumptions: {held}")
    if ev.get("reason"):
        lines.append(f"  - reason: {_cell(ev['reason'])}")
    lines.extend(_details(ev.get("details", {})))
    if i in plots:
        lines.append(f"  - plot: ![{ev['claim']}]({plots[i]})")
    if ev.get("reproduce"):
        lines.append(f"  - reproduce: `{ev['reproduce']}`")
    return lines


def _errata(doc: dict[str, Any]) -> list[str]:
    if not doc["errata"]:
        return ["No errata were produced in this run."]
    out = ["| Where | Kind | The text says | What is true | Evidence |", "|---|---|---|---|---|"]
    for e in doc["errata"]:
        out.append(
            f"| {_cell(e['location'])} | {e['kind']} | {_cell(e['text_says'])} | "
            f"{_cell(e['what_is_true'])} | {_cell(e.get('evidence', ''))} |"
        )
    return out


def _algebra(doc: dict[str, Any]) -> list[str]:
    if not doc["algebra"]:
        return ["The proof-algebra checks did not run."]
    out = ["| Check | Where | Step | Status | How / why |", "|---|---|---|---|---|"]
    for c in doc["algebra"]:
        why = c.get("detail", "")
        if c.get("note"):
            why = f"{why} — note: {c['note']}" if why else f"note: {c['note']}"
        out.append(
            f"| {c['id']} | {_cell(c['location'])} | {_cell(c['statement'])} | "
            f"**{c['status']}** | {_cell(c.get('method', ''))}: {_cell(why)} |"
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
            f"| {_cell(r['claim'])} | {_cell(r['assumption'])} | {r['status']} | "
            f"{r['tries']} | {_cell(r.get('counterexample', '') or '—')} | "
            f"{'`' + r['reproduce'] + '`' if r.get('reproduce') else '—'} |"
        )
    return out


def _failure_lines(doc: dict[str, Any], inside: bool, per_claim: int) -> list[str]:
    out = []
    shown: dict[str, int] = {}
    for sec in doc["sections"]:
        for ev in sec["evidence"]:
            if ev["verdict"] != "fails" or inside_stated_assumptions(ev) is not inside:
                continue
            shown[ev["claim"]] = shown.get(ev["claim"], 0) + 1
            if shown[ev["claim"]] == per_claim + 1:
                out.append(f"- … further failures of **{ev['claim']}**: see its section.")
            if shown[ev["claim"]] > per_claim:
                continue
            out.append(
                f"- **{ev['claim']}** fails at {_params(ev.get('params', {}))}: observed "
                f"{fmt(ev['observed'])} vs bound {fmt(ev['bound'])}"
                f"{' — ' + ev['reason'] if ev.get('reason') else ''}. Reproduce: "
                f"`{ev.get('reproduce', '')}`"
            )
    return out


def _findings(doc: dict[str, Any], per_claim: int = 3) -> list[str]:
    inside = _failure_lines(doc, True, per_claim)
    for r in doc["assumptions"]:
        if r.get("counterexample") and r.get("inside"):
            inside.append(
                f"- **{r['claim']}** fails inside its stated assumptions at {r['counterexample']} "
                f"(found by the fuzzing). Reproduce: `{r.get('reproduce', '')}`"
            )
    outside = _failure_lines(doc, False, per_claim)
    out = ["### Claims that fail where their stated assumptions hold", ""]
    out += inside or ["None in this run."]
    out += ["", "### Failures outside a claim's assumptions (the assumption is needed)", "",
            "Regimes chosen to violate one assumption; each shows that the assumption matters. "
            "The Assumptions table below has the fuzzing's smallest such counterexamples.", ""]
    out += outside or ["None in this run."]
    return out


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
        "A claim *fails* when some regime inside its assumptions violates it; *holds where "
        "assumed; fails outside* means every violation found lies outside an assumption the "
        "claim (or its proof) needs; *not tested* means a statistical test could not reach its "
        "level with the repeats run (too few repeats for alpha).",
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
    ]
    for si, sec in enumerate(doc["sections"]):
        lines += [f"## {sec['title']}", "", f"Checker: `{sec['module']}`. Time: "
                  f"{seconds(sec['seconds'])}.", ""]
        if not sec.get("run", True):
            lines += ["Not run: the run was interrupted before this section finished.", ""]
        if sec["error"]:
            lines += ["```", sec["error"].strip(), "```", ""]
        for ei, ev in enumerate(sec["evidence"]):
            sub = {ei: plots[(si, ei)]} if (si, ei) in plots else {}
            lines += _evidence(ev, sub, ei)
        lines.append("")
    for key, err in doc.get("special_errors", {}).items():
        lines += [f"## Error in {key}", "", "```", err.strip(), "```", ""]
    return "\n".join(lines).rstrip() + "\n"
