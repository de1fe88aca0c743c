"""Render one claim's section of REPORT.md so that a person can read it.

A section opens with the claim's declaration (statement, where it is in the paper), then one
compact table per claim name: a row per regime with the parameters that vary between its rows,
observed, bound, slack, verdict, the command that reproduces it, and a folded ``<details>`` cell
with everything else the evidence carries (the assumptions, the reason, per-step arrays, parts,
fits, test details): complete, but out of the way. Parameters shared by every row are said once
above the table; the plots follow it. ``report.json`` keeps all of it.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from typing import Any

from verify.evidence.calculus import row_verdict
from verify.model.assumptions import is_stated
from verify.report.format import ICON, cell, fmt, params_text, row_slack_text, seconds

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


def _folded(ev: Mapping[str, Any]) -> tuple[str, list[str]]:
    """Everything about one row that its other cells do not show: one folded table cell, and
    Section 7's per-size results as Markdown tables (which a cell cannot hold)."""
    parts = [cell(ev["statement"]), f"tolerance {fmt(ev.get('tolerance', 0))}"]
    if ev.get("assumptions"):
        parts.append("assumptions: " + ", ".join(
            f"{k}{'' if is_stated(k) else ' (proof only)'} {'✓' if v else '✗'}"
            for k, v in ev["assumptions"].items()))
    if ev.get("reason"):
        parts.append(f"reason: {cell(ev['reason'])}")
    if ev.get("holds_under"):
        parts.append(f"holds under: {cell(ev['holds_under'])}")
    tables = []
    for key, value in ev.get("details", {}).items():
        if key == "plot":
            continue
        if _is_model_table(value):
            tables += [f"- {key} (test error mean ± std over repeats, and train error):",
                       *model_table(value)]
        else:
            parts.append(f"{key}: {cell(fmt(value))}")
    text = "; ".join(parts).replace("<", "&lt;").replace(">", "&gt;")
    return f"<details><summary>more</summary>{text}</details>", tables


def _table(rows: list[tuple[int, dict[str, Any]]]) -> list[str]:
    varying, fixed = varying_params([ev.get("params", {}) for _, ev in rows])
    out = []
    if fixed:
        out += [f"Every row: {params_text(fixed)}.", ""]
    head = ["#", *varying, "observed", "bound", "slack", "verdict", "reproduce", "details"]
    out += ["| " + " | ".join(head) + " |",
            "|" + "---:|" * (1 + len(varying)) + "---:|---:|---|---|---|---|"]
    for number, ev in rows:
        p = ev.get("params", {})
        slack = row_slack_text(ev)
        cells = [str(number), *(cell(fmt(p.get(k, "—"))) for k in varying),
                 fmt(ev["observed"]), fmt(ev["bound"]), slack,
                 ICON.get(row_verdict(ev), row_verdict(ev)),
                 f"`{cell(ev['reproduce'])}`" if ev.get("reproduce") else "—",
                 _folded(ev)[0]]
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
        tables = [(number, _folded(ev)[1]) for number, ev in rows]
        if any(t for _, t in tables):
            lines += ["<details><summary>Per-size results of these rows</summary>", ""]
            for number, t in tables:
                if t:
                    lines += [f"**#{number}**", "", *t]
            lines += ["</details>", ""]
    return lines
