"""Render one claim's section of REPORT.md so that a person can read it.

A section opens with the claim's declaration (statement, where it is in the paper), then one
compact table per claim name: a row per regime with the parameters that vary between its rows,
observed, bound, slack and verdict. Parameters shared by every row are said once above the
table; the plots follow it, then the shell command that reproduces each row, then one folded
``<details>`` block with everything else the evidence carries (the assumptions, the reason,
per-step arrays, parts, fits, test details): what the rows share once, then each row's own,
numbers at the report's precision (:mod:`verify.report.format`), prose wrapped so that no line
runs on. ``report.json`` keeps all of it at full precision.
"""

from __future__ import annotations

import json
import re
from collections.abc import Mapping
from typing import Any

from verify.evidence.calculus import row_verdict
from verify.evidence.reproduce import shell_command
from verify.model.assumptions import is_stated
from verify.report.format import (
    DETAIL_DIGITS,
    ICON,
    SIGNIFICANT,
    cell,
    fmt,
    params_text,
    row_slack_text,
    seconds,
    stable_text,
    wrap,
)

__all__ = ["render_section", "varying_params"]


def varying_params(rows: list[Mapping[str, Any]]) -> tuple[list[str], dict[str, Any]]:
    """``(varying, fixed)``: the parameter names whose values differ between ``rows`` (in first
    appearance order), and the parameters every row shares with the same value."""
    keys: list[str] = []
    for r in rows:
        keys.extend(k for k in r if k not in keys)
    varying, fixed = [], {}
    for k in keys:
        values = [json.dumps(r.get(k, None), sort_keys=True, default=str) for r in rows]
        if len(set(values)) == 1 and all(k in r for r in rows):
            fixed[k] = rows[0][k]
        else:
            varying.append(k)
    return varying, fixed


def _is_model_table(value: Any) -> bool:
    return (isinstance(value, list) and bool(value) and all(isinstance(r, dict) for r in value)
            and all({"model", "test_error_mean", "test_error_std"} <= r.keys() for r in value))


def model_table(rows: list[dict[str, Any]], indent: str = "    ") -> list[str]:
    """Section 7's per-size rows (one per size and model) as a Markdown table: one line per
    size, ``test mean ± std (train mean)`` per model."""
    x_key = next(k for k in rows[0] if k not in ("model",))
    models = list(dict.fromkeys(r["model"] for r in rows))
    xs = list(dict.fromkeys(r[x_key] for r in rows))
    by = {(r[x_key], r["model"]): r for r in rows}
    out = ["", f"{indent}| {x_key} | " + " | ".join(models) + " |",
           f"{indent}|---:|" + "---|" * len(models)]
    for x in xs:
        cells = []
        for m in models:
            r = by.get((x, m))
            cells.append("—" if r is None else f"{r['test_error_mean']:.4f} ± "
                         f"{r['test_error_std']:.4f} (train {r['train_error_mean']:.3f})")
        out.append(f"{indent}| {x} | " + " | ".join(cells) + " |")
    out.append("")
    return out


def details(values: Mapping[str, Any]) -> list[str]:
    """An evidence record's ``details`` as nested list items (Section 7's tables as tables)."""
    lines = []
    for key, value in values.items():
        if key == "plot":
            continue
        if _is_model_table(value):
            lines.append(f"  - {key} (test error mean ± std over repeats, and train error):")
            lines.extend(model_table(value))
            continue
        if isinstance(value, dict) and len(json.dumps(value, default=str)) > 160:
            lines.append(f"  - {key}:")
            lines.extend(f"    - {k}: {cell(fmt(v))}" for k, v in value.items())
        else:
            lines.append(f"  - {key}: {cell(fmt(value))}")
    return lines


def _text(value: Any, digits: int = SIGNIFICANT) -> str:
    """A value in running text: :func:`fmt`'s numbers, long decimals rounded
    (:func:`stable_text`), tag-like ``<`` escaped so that Markdown shows it."""
    return _TAG.sub("&lt;", stable_text(cell(fmt(value, digits)), digits))


_TAG = re.compile(r"<(?=[A-Za-z/!])")


NOISE = "≈0"
"""How a ``details`` number within its row's stated tolerance of 0 is printed: a gap between
two computations or a residual at that size is rounding, and rounding differs between
machines (report.json has the value)."""

JSON_ONLY = {
    "qp_multipliers_range": "a degenerate QP's multipliers are not unique; the solver's path, "
                            "which the BLAS build changes, picks them",
}
"""``details`` fields REPORT.md does not print (report.json has them), and why."""

DETAILS_BUDGET = 1200
"""Characters of details one row shows in REPORT.md (its reason and what the rows share are
always shown); the names of the fields beyond it are listed, their values are in report.json."""


def _tolerance(ev: Mapping[str, Any]) -> float:
    try:
        return float(ev.get("tolerance") or 0.0)
    except (TypeError, ValueError):
        return 0.0


def _same(rows: list[tuple[int, dict[str, Any]]], get: Any) -> bool:
    return len({json.dumps(get(ev), sort_keys=True, default=str) for _, ev in rows}) == 1


def _shared(rows: list[tuple[int, dict[str, Any]]]) -> dict[str, Any]:
    """What every row has in common, said once: the statement, tolerance and assumptions, and
    (when there are several rows) each ``details`` field with the same value in every row."""
    out: dict[str, Any] = {}
    for key in ("statement", "tolerance", "assumptions"):
        if _same(rows, lambda ev, key=key: ev.get(key)):
            out[key] = rows[0][1].get(key)
    if len(rows) > 1:
        first = rows[0][1].get("details", {})
        out["details"] = {k: v for k, v in first.items() if k != "plot" and k not in JSON_ONLY
                          and not _is_model_table(v)
                          and all(k in ev.get("details", {}) for _, ev in rows)
                          and _same(rows, lambda ev, k=k: ev["details"][k])}
    return out


def _assumptions_text(assumptions: Mapping[str, bool]) -> str:
    return ", ".join(f"{k}{'' if is_stated(k) else ' (proof only)'} {'✓' if v else '✗'}"
                     for k, v in assumptions.items())


def _denoise(value: Any, tol: float, key: str = "") -> Any:
    """``value`` with every float of magnitude at most ``tol`` (> 0) shown as :data:`NOISE`,
    in nested mappings and lists too; tolerances and significance levels stay as they are."""
    if "tol" in key.lower() or key.lower() in ("alpha", "level"):
        return value
    if isinstance(value, dict):
        return {k: _denoise(v, tol, str(k)) for k, v in value.items()}
    if isinstance(value, list):
        return [_denoise(v, tol) for v in value]
    if isinstance(value, float) and tol > 0 and abs(value) <= tol and value != 0:
        return NOISE
    return value


def _detail_items(values: Mapping[str, Any], indent: str = "  ") -> list[tuple[str, str]]:
    """``details`` fields as ``(prefix, text)`` list items: a long mapping as one item per
    key, one level deeper."""
    items: list[tuple[str, str]] = []
    for key, value in values.items():
        if isinstance(value, dict) and len(json.dumps(value, default=str)) > 160:
            items.append((f"{indent}- ", f"{key}:"))
            items += [(f"{indent}  - ", f"{k}: {_text(v, DETAIL_DIGITS)}")
                      for k, v in value.items()]
        else:
            items.append((f"{indent}- ", f"{key}: {_text(value, DETAIL_DIGITS)}"))
    return items


def _row_details(ev: Mapping[str, Any], shared: Mapping[str, Any]) -> tuple[list[str], list[str]]:
    """One row's own details as list items (each wrapped at :data:`WRAP`), up to
    :data:`DETAILS_BUDGET` characters of ``details`` fields, and Section 7's per-size results
    as Markdown tables (which a list item cannot hold)."""
    items: list[tuple[str, str]] = []
    if "statement" not in shared:
        items.append(("  - ", f"statement: {_text(ev['statement'])}"))
    if "tolerance" not in shared:
        items.append(("  - ", f"tolerance {fmt(ev.get('tolerance', 0))}"))
    if ev.get("assumptions") and "assumptions" not in shared:
        items.append(("  - ", "assumptions: "
                      + _TAG.sub("&lt;", _assumptions_text(ev["assumptions"]))))
    if ev.get("reason"):
        items.append(("  - ", f"reason: {_text(ev['reason'])}"))
    if ev.get("holds_under"):
        items.append(("  - ", f"holds under: {_text(ev['holds_under'])}"))
    tables, used, left = [], 0, []
    said = shared.get("details", {})
    tol = _tolerance(ev)
    for key, value in ev.get("details", {}).items():
        if key == "plot" or key in said:
            continue
        if key in JSON_ONLY:
            left.append(key)
            continue
        value = _denoise(value, tol, key)
        if _is_model_table(value):
            tables += [f"- {key} (test error mean ± std over repeats, and train error):",
                       *model_table(value)]
            continue
        own = _detail_items({key: value})
        size = sum(len(text) for _, text in own)
        if used + size > DETAILS_BUDGET and used:
            left.append(key)
            continue
        items += own
        used += size
    if left:
        items.append(("  - ", "in report.json only: " + ", ".join(left)))
    lines = [line for first, item in items for line in wrap(item, first)]
    return lines, tables


def _ranges(numbers: list[int]) -> str:
    """``#1-#3, #5``: row numbers, runs of consecutive ones shortened."""
    runs: list[list[int]] = []
    for n in numbers:
        if runs and n == runs[-1][-1] + 1:
            runs[-1].append(n)
        else:
            runs.append([n])
    return ", ".join(f"#{r[0]}" if len(r) == 1 else f"#{r[0]}–#{r[-1]}" for r in runs)


def _reproduce(rows: list[tuple[int, dict[str, Any]]]) -> list[str]:
    """The command that reproduces each row, each on its own line (rows that share one are
    listed together), every one a shell command (:func:`shell_command`)."""
    by_command: dict[str, list[int]] = {}
    for number, ev in rows:
        if ev.get("reproduce"):
            by_command.setdefault(shell_command(ev["reproduce"]), []).append(number)
    if not by_command:
        return []
    return ["Reproduce:", "",
            *(f"- {_ranges(numbers)}: `{command}`" for command, numbers in by_command.items()),
            ""]


def _details_block(rows: list[tuple[int, dict[str, Any]]]) -> list[str]:
    """Everything about the rows that the table does not show, folded: what the rows share
    once, then each row's own details; ``report.json`` has every value in full."""
    shared = _shared(rows)
    said = []
    if shared.get("statement"):
        said.append(f"statement: {_text(shared['statement'])}")
    if "tolerance" in shared:
        said.append(f"tolerance {fmt(shared.get('tolerance') or 0)}")
    if shared.get("assumptions"):
        said.append("assumptions: " + _TAG.sub("&lt;", _assumptions_text(shared["assumptions"])))
    head = wrap("Every row: " + "; ".join(said) + ".") if said else []
    if shared.get("details"):
        common = _denoise(shared["details"], _tolerance(rows[0][1]))
        head += ["", "Every row's details:", "",
                 *(line for first, item in _detail_items(common, "")
                   for line in wrap(item, first))]
    body, tables = [], []
    for number, ev in rows:
        lines, own_tables = _row_details(ev, shared)
        if lines:
            body += [f"- **#{number}**", *lines]
        if own_tables:
            tables += [f"**#{number}**", "", *own_tables]
    out = ["<details><summary>Details of these rows (report.json has every value in full)"
           "</summary>", ""]
    for part in (head, body, tables):
        if part:
            out += [*part, ""]
    return [*out, "</details>", ""]


def _table(rows: list[tuple[int, dict[str, Any]]]) -> list[str]:
    varying, fixed = varying_params([ev.get("params", {}) for _, ev in rows])
    out = []
    if fixed:
        out += [*wrap(f"Every row: {params_text(fixed)}."), ""]
    head = ["#", *varying, "observed", "bound", "slack", "verdict"]
    out += ["| " + " | ".join(head) + " |",
            "|" + "---:|" * (1 + len(varying)) + "---:|---:|---|---|"]
    for number, ev in rows:
        p = ev.get("params", {})
        slack = row_slack_text(ev)
        cells = [str(number), *(cell(fmt(p.get(k, "—"))) for k in varying),
                 fmt(ev["observed"]), fmt(ev["bound"]), slack,
                 ICON.get(row_verdict(ev), row_verdict(ev))]
        out.append("| " + " | ".join(cells) + " |")
    return out


def render_section(sec: Mapping[str, Any], plots: Mapping[int, str]) -> list[str]:
    """The lines of one section; ``plots[evidence index]`` are image paths."""
    lines = [f"## {sec['title']}", ""]
    if sec.get("location"):
        lines += [f"*{sec['location']}.* {sec.get('statement', '')}", ""]
    lines += [f"Checker: `{sec['module']}`. Time: {seconds(sec['seconds'])}.", ""]
    if not sec.get("run", True):
        lines += ["Not run: the run was interrupted before this section finished.", ""]
    if sec["error"]:
        lines += ["```", sec["error"].strip(), "```", ""]
    by_claim: dict[str, list[tuple[int, dict[str, Any]]]] = {}
    for i, ev in enumerate(sec["evidence"]):
        by_claim.setdefault(ev["claim"], []).append((i + 1, ev))
    for claim, rows in by_claim.items():
        if len(by_claim) > 1:
            lines += [f"### {claim}", ""]
        lines += [*_table(rows), ""]
        for number, ev in rows:
            if number - 1 in plots:
                lines += [f"![{ev['claim']} #{number}]({plots[number - 1]})", ""]
        lines += [*_reproduce(rows), *_details_block(rows)]
    return lines
