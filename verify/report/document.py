"""The report as data: the JSON document that ``--json`` writes and that REPORT.md renders.

Schema ``verify-report/1`` (documented in docs/report.md):

- ``schema``, ``command`` (what reproduces the whole report), ``version``, ``profile``,
  ``seed``, ``complete`` (false if interrupted), ``exit_status`` (:func:`exit_status`);
- ``summary``: one row per claim: ``claim``, ``statement``, ``regimes`` (number of evidence
  records), ``verdict`` (``holds``, ``fails``, ``fails as stated; holds under <condition>``
  (every failure lies outside a missing assumption the evidence names in ``holds_under``),
  ``holds where assumed; fails outside``, ``holds outside the paper's assumptions`` and ``fails
  outside the paper's assumptions`` (every row outside them: a map beyond the model; also
  ``consistent: not refuted`` and ``vacuous at the sizes run`` with that ending),
  ``holds for <parts>; <parts not shown>``, ``holds;
  cannot fail at the regimes run (negative control not caught)``, ``consistent: not
  refuted``, ``vacuous at the sizes run``, ``not applicable``, ``not tested`` (no regime could
  test it, or some test could not reach its level and none fails), ``error``, ``not run``:
  :mod:`verify.evidence.calculus`), ``strength``, ``strength_text``, ``note``, ``parts``,
  ``control`` (the negative control's twin and outcome), ``seeds``, ``worst`` (the slack of the
  deciding row of the part closest to failing), ``seconds`` (the wall time of its section's
  checker run, shared by the section's claims), ``section`` (its section's key), ``paper``
  (false for a claim that is not the paper's, :func:`in_paper`);
- ``sections``: per section, ``key``, ``title``, ``module``, ``run`` (false: not run, the run
  was interrupted), ``seconds``, ``error`` and
  ``evidence`` (a list of :meth:`verify.evidence.Evidence.as_dict`);
- ``errata`` (:meth:`verify.evidence.Erratum.as_dict`), ``algebra`` (the SymPy checks of
  :mod:`verify.claims.proof_algebra`), ``assumptions`` (the fuzzing table of :mod:`verify.fuzzing`).
"""

from __future__ import annotations

from typing import Any

from verify import __version__
from verify._cli import CLAIM_FAILS, FAILURE, HOLDS, INTERRUPTED
from verify.evidence import Strength
from verify.evidence.calculus import (
    FAILS_OUTSIDE,
    ClaimJudgement,
    Part,
    judge_claim,
    parts_named,
    reading,
    row_verdict,
)
from verify.evidence.controls import Control
from verify.model.assumptions import is_stated
from verify.report.registry import SECTIONS, Section
from verify.report.runner import SectionResult

__all__ = [
    "SCHEMA",
    "build_document",
    "claim_summary",
    "exit_status",
    "fails_verdict",
    "in_paper",
    "inside_stated_assumptions",
    "is_failure",
    "judge",
    "merge_errata",
]

SCHEMA = "verify-report/1"


def inside_stated_assumptions(ev: dict[str, Any]) -> bool:
    """Every *stated* assumption of the evidence holds (proof-only ones, such as ``l=d``, do not
    make a regime "outside": a failure there is a failure of the claim as stated)."""
    return all(bool(v) for k, v in ev.get("assumptions", {}).items() if is_stated(k))


def _worst(evs: list[dict[str, Any]], judged: ClaimJudgement) -> dict[str, Any] | None:
    """The Summary's worst slack: the deciding row of the part closest to failing
    (:func:`verify.evidence.calculus.judge_claim`), in the statement's units; ``None`` when no
    row decides a part (only vacuous or untested rows)."""
    if judged.worst is None:
        return None
    index, j = judged.worst
    best = evs[index]
    worst = {"slack": j.slack, "slack_kind": j.kind, "verdict": row_verdict(best),
             "params": best.get("params", {})}
    extra = {"tolerance": best.get("tolerance"), "observed": best.get("observed"),
             "bound": best.get("bound"), "interval": list(j.interval) if j.interval else None}
    worst.update({k: v for k, v in extra.items() if v is not None})
    return worst


def fails_verdict(failing: list[dict[str, Any]]) -> str:
    """The Summary's verdict for a claim with failures inside its stated assumptions: ``fails``,
    or ``fails as stated; holds under <condition>`` when every one of them names (in
    ``holds_under``) a missing assumption under which the claim holds; several conditions are
    joined with ``" and "`` in order of first appearance. When every one of them carries a
    *reading* instead (``details["reading"] = {"fails": ..., "holds": ...}``, e.g. footnote 5:
    "fails uniformly in d; holds for each fixed d"), the verdict is ``fails <how>; holds
    <how>``."""
    if failing and all(reading(e) for e in failing):
        fails = " and ".join(dict.fromkeys(reading(e)["fails"] for e in failing))
        holds = " and ".join(dict.fromkeys(reading(e)["holds"] for e in failing))
        return f"fails {fails}; holds {holds}"
    conditions = [e.get("holds_under", "") for e in failing]
    if not failing or not all(conditions):
        return "fails"
    return "fails as stated; holds under " + " and ".join(dict.fromkeys(conditions))


def is_failure(verdict: str) -> bool:
    """Whether a Summary verdict counts as a failure of the claim as stated (exit status 1):
    ``fails``, ``fails as stated; holds under ...``, ``fails <reading>; holds <reading>`` and
    ``error``; not ``fails outside the paper's assumptions`` (every row outside them: the paper
    promises nothing there)."""
    return verdict == "error" or (verdict.startswith("fails") and verdict != FAILS_OUTSIDE)


def _counts(evs: list[dict[str, Any]], key: str) -> list[int]:
    got = [e.get("details", {}).get("decision", {}).get(key) for e in evs]
    return [int(t) for t in got if isinstance(t, (int, float)) and not isinstance(t, bool)]


def _seeds(evs: list[dict[str, Any]]) -> str:
    """What the claim's decisions counted: seeds per regime (``decision["trials"]``, min–max),
    named by ``decision["unit"]`` where the trials are not seeds (Lemma 5.2's per-filter rows
    count filter draws: "1,729,000 filter draws"), else the repeats of a paired test
    (``decision["repeats"]``: Section 7), as "5 repeats"."""
    trials, unit = _counts(evs, "trials"), ""
    units = {e.get("details", {}).get("decision", {}).get("unit") for e in evs
             if e.get("details", {}).get("decision", {}).get("trials") is not None}
    if len(units) == 1 and None not in units:
        unit = f" {units.pop()}"
    if not trials:
        trials, unit = _counts(evs, "repeats"), " repeats"
    if not trials:
        return ""
    lo, hi = min(trials), max(trials)
    return (f"{lo:,}" if lo == hi else f"{lo:,}–{hi:,}") + unit


def judge(evs: list[dict[str, Any]], parts: tuple[Part, ...] = (),
          control: Control | None = None) -> ClaimJudgement:
    """One claim's :class:`~verify.evidence.calculus.ClaimJudgement` from its evidence rows, its
    parts (default: the parts its rows name, :func:`~verify.evidence.calculus.parts_named`) and
    its negative control (re-judged on the same rows)."""
    outcome = control.outcome(evs, inside_stated_assumptions) if control else None
    return judge_claim(parts or parts_named(evs), evs, inside_stated_assumptions,
                       fails_verdict=fails_verdict, control=outcome)


NOT_IN_PAPER = "Not in the paper"
"""How a declaration's ``location`` starts when its claim is not the paper's (the tutorial's)."""


def in_paper(section: Section) -> bool:
    """Whether ``section`` checks a claim of the paper: every declaration but those whose
    ``location`` starts with :data:`NOT_IN_PAPER` (the tutorial's example claim)."""
    return not section.location.startswith(NOT_IN_PAPER)


def claim_summary(
    section: Section, result: SectionResult | None
) -> list[dict[str, Any]]:
    """One summary row per claim of ``section`` (claims found in the evidence are added), judged
    by :func:`judge` (:mod:`verify.evidence.calculus`) with the section's parts and negative
    control for that claim: its ``verdict``, ``strength`` (an enum value), ``strength_text``
    ("proved at 37 regimes, computed at 4"), ``note`` (the power of an undecided test, or where
    a vacuous bound starts to say something), ``parts`` (each part's outcome and strength),
    ``control`` (the false twin, its outcome and counts), ``seeds`` (seeds per regime, min–max,
    where a statistical row states them) and ``worst`` (the slack of the deciding row of the
    part closest to failing)."""
    evidence = result.evidence if result else []
    names = list(section.names)
    names.extend(e["claim"] for e in evidence if e["claim"] not in names)
    rows = []
    for name in names:
        evs = [e for e in evidence if e["claim"] == name]
        control = section.control_of(name) if name in section.names else None
        judged = None
        if result is None or (not result.error and not evs):
            verdict = "not run"
        elif result.error:
            verdict = "error"
        else:
            parts = section.parts_of(name) if name in section.names else ()
            judged = judge(evs, parts, control)
            verdict = judged.verdict
        rows.append(
            {
                "claim": name,
                "statement": (
                    section.statement
                    if name == section.names[0] or not evs
                    else evs[0]["statement"]
                ),
                "regimes": len(evs),
                "verdict": verdict,
                "strength": judged.strength.value if judged else Strength.NOT_TESTED.value,
                "strength_text": judged.strength_text if judged else "",
                "note": judged.note if judged else "",
                "parts": [p.as_dict() for p in judged.parts] if judged else [],
                "control": dict(judged.control) if judged and judged.control else (
                    {"twin": control.twin, "why": control.why, "caught": None,
                     "outcome": "not run", "regimes": 0, "refuted_at": 0}
                    if control else {"outcome": "none declared"}),
                "seeds": _seeds(evs),
                "worst": _worst(evs, judged) if judged else None,
                "seconds": result.seconds if result else 0.0,
                "section": section.key,
                "paper": in_paper(section),
            }
        )
    return rows


def merge_errata(errata: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """One erratum per location: when several sources (the text, the proof algebra, a checker)
    report the same place, the first one's wording is kept and their evidence and sources are
    joined, in order."""
    merged: dict[str, dict[str, Any]] = {}
    for e in errata:
        first = merged.get(e["location"])
        if first is None:
            merged[e["location"]] = dict(e)
            continue
        for key in ("evidence", "found_by"):
            if e.get(key) and e[key] not in first.get(key, ""):
                first[key] = f"{first[key]} || {e[key]}" if first.get(key) else e[key]
    return list(merged.values())


def exit_status(*, complete: bool, errored: bool, fails: bool) -> int:
    """The report's exit status (one table for every program, :mod:`verify._cli`): 130 if
    interrupted, else 3 if a checker failed (its claims were not judged), else 1 if some claim
    fails where its stated assumptions hold, else 0."""
    if not complete:
        return INTERRUPTED
    if errored:
        return FAILURE
    return CLAIM_FAILS if fails else HOLDS


def build_document(
    results: dict[str, SectionResult],
    sections: tuple[Section, ...],
    *,
    profile: str,
    seed: int,
    command: str,
    complete: bool,
) -> dict[str, Any]:
    """Assemble the JSON document from the section results (in registry order)."""
    summary: list[dict[str, Any]] = []
    doc_sections = []
    errata: list[dict[str, Any]] = []
    for section in sections:
        res = results.get(section.key)
        summary.extend(claim_summary(section, res))
        doc_sections.append(
            {
                "key": section.key,
                "title": section.title,
                "statement": section.statement,
                "location": section.location,
                "module": section.module,
                "seconds": res.seconds if res else 0.0,
                "run": res is not None,
                "error": res.error if res else "",
                "evidence": res.evidence if res else [],
            }
        )
        if res:
            errata.extend(res.errata)
    special = {k: results.get(k) for k in ("errata", "proof-algebra", "fuzzing")}
    if special["errata"]:
        errata = special["errata"].errata + errata
    errored = any(r["verdict"] == "error" for r in summary) or any(
        s and s.error for s in special.values()
    )
    fails = any(is_failure(r["verdict"]) and r["verdict"] != "error" for r in summary) or any(
        row.get("inside") and row.get("counterexample")
        for row in (special["fuzzing"].extra if special["fuzzing"] else [])
    )
    return {
        "schema": SCHEMA,
        "command": command,
        "version": __version__,
        "profile": profile,
        "seed": seed,
        "complete": complete,
        "exit_status": exit_status(complete=complete, errored=errored, fails=fails),
        "summary": summary,
        "sections": doc_sections,
        "errata": merge_errata(errata),
        "algebra": special["proof-algebra"].extra if special["proof-algebra"] else [],
        "assumptions": special["fuzzing"].extra if special["fuzzing"] else [],
        "special_errors": {k: v.error for k, v in special.items() if v and v.error},
        "special_seconds": {k: v.seconds for k, v in special.items() if v},
    }


ALL_SECTIONS = SECTIONS
