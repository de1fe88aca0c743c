"""The report as data: the JSON document that ``--json`` writes and that REPORT.md renders.

Schema ``verify-report/1`` (documented in docs/report.md):

- ``schema``, ``command`` (what reproduces the whole report), ``version``, ``profile``,
  ``seed``, ``complete`` (false if interrupted), ``exit_status`` (:func:`exit_status`);
- ``summary``: one row per claim: ``claim``, ``statement``, ``regimes`` (number of evidence
  records), ``verdict`` (``holds``, ``fails``, ``fails as stated; holds under <condition>``
  (every failure lies outside a missing assumption the evidence names in ``holds_under``),
  ``holds where assumed; fails outside``, ``not applicable``, ``not tested`` (no regime could
  test it, or some test could not reach its level and none fails), ``error``, ``not run``),
  ``worst`` (the least favourable evidence's slack,
  slack kind and verdict), ``seconds`` (the wall time of its section's checker run, shared by
  the section's claims), ``section`` (its section's key), ``paper`` (false for a claim that is
  not the paper's, :func:`in_paper`);
- ``sections``: per section, ``key``, ``title``, ``module``, ``run`` (false: not run, the run
  was interrupted), ``seconds``, ``error`` and
  ``evidence`` (a list of :meth:`verify.evidence.Evidence.as_dict`);
- ``errata`` (:meth:`verify.evidence.Erratum.as_dict`), ``algebra`` (the SymPy checks of
  :mod:`verify.claims.proof_algebra`), ``assumptions`` (the fuzzing table of :mod:`verify.fuzzing`).
"""

from __future__ import annotations

import math
from typing import Any

from verify import __version__
from verify._cli import CLAIM_FAILS, FAILURE, HOLDS, INTERRUPTED
from verify.evidence import Strength
from verify.evidence.strength import (
    decision_status,
    is_vacuous,
    strength_of,
    strongest,
    weakest,
)
from verify.model.assumptions import is_stated
from verify.report.format import tie_key
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
    "merge_errata",
    "shown",
]

SCHEMA = "verify-report/1"
_RANK = {"fails": 0, "boundary": 1, "holds": 2}


def inside_stated_assumptions(ev: dict[str, Any]) -> bool:
    """Every *stated* assumption of the evidence holds (proof-only ones, such as ``l=d``, do not
    make a regime "outside": a failure there is a failure of the claim as stated)."""
    return all(bool(v) for k, v in ev.get("assumptions", {}).items() if is_stated(k))


def _num(x: Any) -> float:
    try:
        return float(x)
    except (TypeError, ValueError):
        return math.nan


def _slack_key(ev: dict[str, Any]) -> float:
    slack, tol = _num(ev.get("slack")), _num(ev.get("tolerance"))
    return 0.0 if tol > 0 and abs(slack) <= tol else tie_key(slack)


def _worst(evs: list[dict[str, Any]]) -> dict[str, Any] | None:
    rated = [e for e in evs if e["verdict"] in _RANK]
    if not rated:
        return None
    # ties go to the first row, in the checker's order: slacks equal at the printed precision,
    # or both within their row's stated tolerance (printed "0 ... within tolerance")
    best = min(rated, key=lambda e: (_RANK[e["verdict"]], _slack_key(e)))
    worst = {
        "slack": best["slack"],
        "slack_kind": best.get("slack_kind", ""),
        "verdict": best["verdict"],
        "params": best.get("params", {}),
    }
    # what the report needs to print the slack honestly (format.slack_text)
    details = best.get("details", {})
    interval = details.get("decision", {}).get("effect_interval", details.get("effect_interval"))
    extra = {"tolerance": best.get("tolerance"), "observed": best.get("observed"),
             "bound": best.get("bound"), "interval": interval}
    worst.update({k: v for k, v in extra.items() if v is not None})
    return worst


def _reading(ev: dict[str, Any]) -> dict[str, str] | None:
    r = ev.get("details", {}).get("reading")
    return r if isinstance(r, dict) and r.get("fails") and r.get("holds") else None


def fails_verdict(failing: list[dict[str, Any]]) -> str:
    """The Summary's verdict for a claim with failures inside its stated assumptions: ``fails``,
    or ``fails as stated; holds under <condition>`` when every one of them names (in
    ``holds_under``) a missing assumption under which the claim holds; several conditions are
    joined with ``" and "`` in order of first appearance. When every one of them carries a
    *reading* instead (``details["reading"] = {"fails": ..., "holds": ...}``, e.g. footnote 5:
    "fails uniformly in d; holds for each fixed d"), the verdict is ``fails <how>; holds
    <how>``."""
    if failing and all(_reading(e) for e in failing):
        fails = " and ".join(dict.fromkeys(_reading(e)["fails"] for e in failing))
        holds = " and ".join(dict.fromkeys(_reading(e)["holds"] for e in failing))
        return f"fails {fails}; holds {holds}"
    conditions = [e.get("holds_under", "") for e in failing]
    if not failing or not all(conditions):
        return "fails"
    return "fails as stated; holds under " + " and ".join(dict.fromkeys(conditions))


def is_failure(verdict: str) -> bool:
    """Whether a Summary verdict counts as a failure of the claim as stated (exit status 1):
    ``fails``, ``fails as stated; holds under ...``, ``fails <reading>; holds <reading>`` and
    ``error``."""
    return verdict == "error" or verdict.startswith("fails")


HOLDS_VERDICT = "holds"
CONSISTENT = "consistent: not refuted"
VACUOUS = "vacuous at the sizes run"


def _power_note(rows: list[dict[str, Any]]) -> str:
    rates = [_num(e.get("details", {}).get("decision", {}).get(
        "detectable_failure_rate_99pct_power")) for e in rows]
    rates = [r for r in rates if not math.isnan(r)]
    if not rates:
        return "power not stated"
    return (f"power: a failure rate of {max(rates):.3g} or more would have been caught with "
            "probability 99%")


def _nonvacuous_note(rows: list[dict[str, Any]]) -> str:
    sizes = [str(e.get("details", {}).get("nonvacuous_from", "")) for e in rows]
    sizes = [s for s in dict.fromkeys(sizes) if s]
    return "non-vacuous from " + "; ".join(sizes) if sizes else "no size stated"


def shown(holding: list[dict[str, Any]]) -> tuple[str, str, str]:
    """What the holding rows inside a claim's assumptions show: ``(verdict, strength, note)``.

    ``holds`` when some row is proved or computed, or statistical and *demonstrated* (strength:
    the weakest of those deciding rows); else ``consistent: not refuted`` when some row is an
    undecided statistical test (strength statistical; the note states its power, the largest
    failure rate it would have caught with probability 99%); else ``vacuous at the sizes run``
    when some row's bound cannot fail (the note says from which size it would say something);
    else ``not tested``.
    """
    deciding, undecided, vacuous = [], [], []
    for e in holding:
        strength = strength_of(e)
        status = decision_status(e)
        if strength is Strength.VACUOUS or status == "vacuous" or (
                strength is Strength.STATISTICAL and is_vacuous(e)):
            vacuous.append(e)
        elif strength in (Strength.PROVED, Strength.COMPUTED) or status == "demonstrated":
            deciding.append(e)
        elif strength is Strength.STATISTICAL:
            undecided.append(e)
    if deciding:
        return HOLDS_VERDICT, weakest(strength_of(e) for e in deciding).value, ""
    if undecided:
        return CONSISTENT, Strength.STATISTICAL.value, _power_note(undecided)
    if vacuous:
        return VACUOUS, Strength.VACUOUS.value, _nonvacuous_note(vacuous)
    return "not tested", Strength.NOT_TESTED.value, ""


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


def _tested(e: dict[str, Any]) -> bool:
    """A statistical row with a stated decision: its decision, not its verdict, says whether it
    failed (a test that did not reject at its level has not refuted the claim)."""
    return strength_of(e) is Strength.STATISTICAL and isinstance(
        e.get("details", {}).get("decision"), dict) and e["verdict"] in ("holds", "boundary",
                                                                        "fails")


def _is_failing(e: dict[str, Any]) -> bool:
    if _tested(e):
        return decision_status(e) == "refuted" or _reading(e) is not None
    return e["verdict"] == "fails" or decision_status(e) == "refuted" or (
        e["verdict"] in ("holds", "boundary") and _reading(e) is not None)


def _is_holding(e: dict[str, Any]) -> bool:
    return (e["verdict"] in ("holds", "boundary") or _tested(e)) and not _is_failing(e)


def _judge(evs: list[dict[str, Any]]) -> tuple[str, str, str]:
    """``(verdict, strength, note)`` of one claim from its evidence rows."""
    inside = [e for e in evs if inside_stated_assumptions(e)]
    outside = [e for e in evs if not inside_stated_assumptions(e)]
    failing = [e for e in inside if _is_failing(e)]
    holding = [e for e in inside if _is_holding(e)]
    if failing:
        verdict = fails_verdict(failing)
        # one failing row shows the failure: the claim's failure is as strong as its strongest
        return verdict, strongest(strength_of(e) for e in failing).value, ""
    if any(_is_failing(e) for e in outside):
        what, strength, note = shown(holding)
        return f"{what} where assumed; fails outside", strength, note
    if all(e["verdict"] == "not applicable" for e in evs):
        untested = all(e.get("details", {}).get("tested") is False for e in evs)
        return ("not tested" if untested else "not applicable"), Strength.NOT_TESTED.value, ""
    if any(e["verdict"] == "not tested" for e in evs):
        return "not tested", Strength.NOT_TESTED.value, ""
    return shown(holding)


NOT_IN_PAPER = "Not in the paper"
"""How a declaration's ``location`` starts when its claim is not the paper's (the tutorial's)."""


def in_paper(section: Section) -> bool:
    """Whether ``section`` checks a claim of the paper: every declaration but those whose
    ``location`` starts with :data:`NOT_IN_PAPER` (the tutorial's example claim)."""
    return not section.location.startswith(NOT_IN_PAPER)


def claim_summary(
    section: Section, result: SectionResult | None
) -> list[dict[str, Any]]:
    """One summary row per claim of ``section`` (claims found in the evidence are added), with
    its verdict (:func:`fails_verdict`, :func:`shown`), ``strength`` (the weakest deciding
    row's, :mod:`verify.evidence.strength`), ``note`` (the power of an undecided test, or where
    a vacuous bound starts to say something) and ``seeds`` (seeds per regime, min–max, where a
    statistical row states them)."""
    evidence = result.evidence if result else []
    names = list(section.names)
    names.extend(e["claim"] for e in evidence if e["claim"] not in names)
    rows = []
    for name in names:
        evs = [e for e in evidence if e["claim"] == name]
        note = ""
        strength = Strength.NOT_TESTED.value
        if result is None:
            verdict = "not run"
        elif result.error:
            verdict = "error"
        elif not evs:
            verdict = "not run"
        else:
            verdict, strength, note = _judge(evs)
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
                "strength": strength,
                "note": note,
                "seeds": _seeds(evs),
                "worst": _worst([e for e in evs if inside_stated_assumptions(e)] or evs),
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
