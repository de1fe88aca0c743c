"""Write tests/data/claim_rows.json: the evidence rows of a report.json, per claim, trimmed to
what the claims' parts and negative controls read (``python tests/data/claim_rows.py
report.json``). The rows are recorded, never typed in."""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Any

KEEP = ("claim", "verdict", "observed", "bound", "slack", "slack_kind", "tolerance", "strength",
        "assumptions", "holds_under")
DETAILS = ("bound_on", "side", "reading", "part", "part_2", "bound_vacuous", "limit_error_zero",
           "successes", "errors_exactly_zero_from_m", "nonvacuous_from", "effect",
           "effect_interval", "cnn_ahead_cells", "tested")
DECISION = ("status", "successes", "trials", "claimed_probability", "effect", "effect_interval",
            "detectable_failure_rate_99pct_power", "repeats")
PART = ("observed", "bound", "relation", "tolerance", "applicable")


def trim(ev: dict[str, Any]) -> dict[str, Any]:
    out = {k: ev[k] for k in KEEP if k in ev}
    out["params"] = {k: v for k, v in ev.get("params", {}).items() if k in ("method",)}
    det = ev.get("details", {})
    d = {k: det[k] for k in DETAILS if k in det}
    if isinstance(det.get("decision"), dict):
        d["decision"] = {k: det["decision"][k] for k in DECISION if k in det["decision"]}
    if isinstance(det.get("parts"), dict):
        d["parts"] = {n: {k: p[k] for k in PART if k in p} for n, p in det["parts"].items()
                      if isinstance(p, dict)}
    if isinstance(det.get("tests"), list):
        d["tests"] = [{k: t[k] for k in ("mean_difference", "mean_slope_difference") if k in t}
                      for t in det["tests"] if isinstance(t, dict)]
    if isinstance(det.get("cells"), list):
        d["cells"] = [{k: c[k] for k in ("rate",) if k in c} for c in det["cells"]]
    out["details"] = d
    return out


def main(path: str) -> None:
    doc = json.loads(Path(path).read_text(encoding="utf-8"))
    rows: dict[str, list[dict[str, Any]]] = {}
    for sec in doc["sections"]:
        for ev in sec["evidence"]:
            rows.setdefault(ev["claim"], []).append(trim(ev))
    target = Path(__file__).with_suffix(".json")
    target.write_text(json.dumps(rows, indent=1, sort_keys=True) + "\n", encoding="utf-8")


if __name__ == "__main__":
    main(sys.argv[1])
