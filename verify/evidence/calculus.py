"""One calculus from a claim's evidence rows to its Summary verdict, strength and slack.

A claim's statement has *parts* (:class:`Part`): Theorem 5.1's are "L2 -> 0" and "test error <=
the explicit bound". Each evidence row tests one or more parts; the part *judges* the row
(:class:`Judgement`: an outcome, a strength, a slack). The rules, in order (the page
docs/explanation/verdict-calculus.md is their specification, ``tests/test_calculus.py`` their
table of cases):

1. A row's outcome (:func:`judge_row`): ``not applicable`` and ``not tested`` rows say so; a
   row carrying a *reading* fails; a statistical row is decided by its decision
   (``demonstrated`` holds, ``refuted`` fails, ``undecided``, ``vacuous``); a vacuous bound
   (:func:`verify.evidence.strength.is_vacuous`) holds vacuously unless it fails; any other row
   holds or fails by its verdict.
2. A part (:func:`judge_part`): it fails if a row inside the claim's assumptions fails (strength:
   the strongest failing row); else it holds if some row *could have failed* and held (a proved,
   computed or demonstrated row; strength: the weakest such row, and the count of regimes per
   strength, "proved at 37 regimes, computed at 4"); else it is undecided (an undecided test),
   vacuous (only bounds that cannot fail) or not tested.
3. A claim (:func:`judge_claim`): fails if a part fails (strength: the strongest failing row);
   "holds" only if *every* statement part holds; otherwise it names what was shown and what was
   not ("holds for L2 -> 0 (computed); error bound vacuous at the sizes run"), with the strength
   of its weakest part. Auxiliary parts (a sampler check beside an exact computation) fail the
   claim when they fail, and otherwise neither decide nor weaken it.
4. The negative control (:mod:`verify.evidence.controls`): the claim's false twin is re-judged on
   the same rows. If the claim holds (in whole or in part) and the twin is not caught, the claim
   could not have failed at the regimes run: the verdict says so and the strength is vacuous.
5. A claim *every* row of which lies outside its assumptions (a map beyond the paper's model,
   on purpose) is judged on all its rows (:func:`_outside_only`): it "fails outside the paper's
   assumptions" if a part fails there (strength: the strongest failing row), and "holds outside
   the paper's assumptions" if every statement part holds there (strength: the weakest part;
   rule 4 applies); every part undecided there reads "consistent: not refuted outside the
   paper's assumptions", every part vacuous "vacuous at the sizes run outside ..."; otherwise
   (a row not tested, parts with different outcomes) rules 2-4 judge it as any other claim.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from verify.evidence import Strength
from verify.evidence.strength import (
    ORDER,
    decision_status,
    is_vacuous,
    strength_of,
    strongest,
    weakest,
)

__all__ = [
    "BEYOND",
    "CANNOT_FAIL",
    "CONSISTENT",
    "FAILS_OUTSIDE",
    "HOLDS",
    "HOLDS_OUTSIDE",
    "NOT_CAUGHT",
    "OUTCOMES",
    "VACUOUS",
    "ClaimJudgement",
    "Judgement",
    "Part",
    "PartJudgement",
    "judge_claim",
    "judge_part",
    "judge_row",
    "parts_named",
    "row_slack",
    "row_verdict",
    "strength_text",
]

OUTCOMES = ("fails", "undecided", "holds", "vacuous", "not tested", "not applicable")
"""A row's or a part's outcome, the one closest to failing first."""

HOLDS = "holds"
CONSISTENT = "consistent: not refuted"
VACUOUS = "vacuous at the sizes run"
CANNOT_FAIL = "cannot fail at the regimes run (negative control not caught)"
NOT_CAUGHT = f"{HOLDS}; {CANNOT_FAIL}"
BEYOND = "outside the paper's assumptions"
HOLDS_OUTSIDE = f"{HOLDS} {BEYOND}"
FAILS_OUTSIDE = f"fails {BEYOND}"
_PART_TEXT = {"undecided": CONSISTENT, "vacuous": VACUOUS, "not tested": "not tested",
              "not applicable": "not tested"}
_STATUS_OUTCOME = {"demonstrated": "holds", "refuted": "fails", "undecided": "undecided",
                   "vacuous": "vacuous"}


def _num(x: Any) -> float:
    try:
        return float(x)
    except (TypeError, ValueError):
        return math.nan


def _details(ev: Mapping[str, Any]) -> dict[str, Any]:
    d = ev.get("details")
    return d if isinstance(d, dict) else {}


def _decision(ev: Mapping[str, Any]) -> dict[str, Any]:
    d = _details(ev).get("decision")
    return d if isinstance(d, dict) else {}


def reading(ev: Mapping[str, Any]) -> dict[str, str] | None:
    """The row's *reading* (``details["reading"] = {"fails": ..., "holds": ...}``): a failure
    of the claim in one reading that holds in another (footnote 5), or ``None``."""
    r = _details(ev).get("reading")
    return r if isinstance(r, dict) and r.get("fails") and r.get("holds") else None


@dataclass(frozen=True)
class Judgement:
    """One row judged against one part: ``outcome`` (one of :data:`OUTCOMES`), ``strength``,
    and the slack (:func:`row_slack`): ``slack`` (positive inside the statement, negative
    outside, in its units; ``None`` where there is none: a vacuous or untested row), ``kind``
    (``difference``, ``ratio``, ``effect``, ...), ``interval`` (of an effect)."""

    outcome: str
    strength: Strength
    slack: float | None = None
    kind: str = ""
    interval: tuple[float, float] | None = None

    def __post_init__(self) -> None:
        if self.outcome not in OUTCOMES:
            raise ValueError(f"outcome must be one of {OUTCOMES}, not {self.outcome!r}")


def row_slack(ev: Mapping[str, Any]) -> tuple[float | None, str, tuple[float, float] | None]:
    """``(slack, kind, interval)``: how far inside (positive) or outside (negative) the statement
    the row's observation lies, in the statement's units.

    - a statistical row with a decision's ``effect``: the observed success rate minus the claimed
      one, with the decision's ``effect_interval``;
    - a row stating ``details["effect"]`` (a number, and ``details["effect_interval"]``): that
      effect, positive inside (Section 7: the error gap of the claimed ordering);
    - a ``p-value`` row bounding a failure rate (``details["bound_on"] == "probability"``):
      the claimed failure rate minus the observed one (the same sign: observed success rate minus
      claimed);
    - else the row's own ``slack`` and ``slack_kind``.
    """
    decision = _decision(ev)
    if "effect" in decision and not math.isnan(_num(decision["effect"])):
        return _num(decision["effect"]), "effect", _interval(decision.get("effect_interval"))
    details = _details(ev)
    if "effect" in details and not math.isnan(_num(details["effect"])):
        return _num(details["effect"]), "effect", _interval(details.get("effect_interval"))
    kind = str(ev.get("slack_kind", ""))
    if kind == "p-value" and details.get("bound_on") == "probability":
        observed, bound = _num(ev.get("observed")), _num(ev.get("bound"))
        if not (math.isnan(observed) or math.isnan(bound)):
            return bound - observed, "effect", None
    return _num(ev.get("slack")), kind, None


def _interval(x: Any) -> tuple[float, float] | None:
    if isinstance(x, (list, tuple)) and len(x) == 2:
        return _num(x[0]), _num(x[1])
    return None


def judge_row(ev: Mapping[str, Any]) -> Judgement:
    """The row's own :class:`Judgement` (rule 1 of the module docstring)."""
    verdict = ev.get("verdict")
    strength = strength_of(ev)
    refuted = strength is Strength.STATISTICAL and decision_status(ev) == "refuted"
    if verdict in ("not applicable", "not tested") and not refuted:
        return Judgement(str(verdict), Strength.NOT_TESTED)
    slack, kind, interval = row_slack(ev)
    if reading(ev) is not None:
        outcome = "fails"
    elif strength is Strength.STATISTICAL:
        outcome = _STATUS_OUTCOME[decision_status(ev) or "undecided"]
        if outcome in ("holds", "undecided") and is_vacuous(ev):
            outcome = "vacuous"
    elif strength is Strength.VACUOUS or is_vacuous(ev):
        outcome = "fails" if verdict == "fails" else "vacuous"
    else:
        outcome = "fails" if verdict == "fails" else "holds"
    if outcome == "vacuous":
        return Judgement("vacuous", Strength.VACUOUS, None, "vacuous")
    return Judgement(outcome, strength, slack, kind, interval)


def row_verdict(ev: Mapping[str, Any]) -> str:
    """What a table prints as one row's verdict: its own verdict, except that a statistical row
    whose decision is undecided reads ``undecided`` (never "holds", nor "fails": a test that did
    not reject has refuted nothing), and a holding row whose bound cannot fail reads
    ``vacuous``."""
    verdict = str(ev.get("verdict", ""))
    if verdict not in ("holds", "boundary", "fails"):
        return verdict
    outcome = judge_row(ev).outcome
    if outcome == "undecided":
        return "undecided"
    if outcome == "vacuous" and verdict != "fails":
        return "vacuous"
    return verdict


@dataclass(frozen=True)
class Part:
    """A part of a claim's statement, and which rows test it.

    ``name`` says it in words ("L2 -> 0"); ``claim`` is the :attr:`Evidence.claim` it belongs to
    (``""``: the declaration's first name); ``select(row)`` says whether the row tests this
    part (default: rows whose ``details["part"]`` names this part or names none);
    ``judge(row)`` returns the selected row's :class:`Judgement` for this part, or ``None`` when
    it does not test it after all (default: the row's own judgement, :func:`judge_row`);
    ``auxiliary``: a check of the tools (a sampler beside an exact computation), not of the
    paper's statement: its failure fails the claim, its holding neither decides nor weakens it.
    """

    name: str
    claim: str = ""
    select: Callable[[Mapping[str, Any]], bool] | None = None
    judge: Callable[[Mapping[str, Any]], Judgement | None] | None = None
    auxiliary: bool = False

    def __post_init__(self) -> None:
        if not isinstance(self.name, str) or not self.name:
            raise ValueError("name must be a non-empty string")
        for name in ("select", "judge"):
            if getattr(self, name) is not None and not callable(getattr(self, name)):
                raise ValueError(f"{name} must be callable")

    def judgement(self, ev: Mapping[str, Any]) -> Judgement | None:
        """The row judged for this part, or ``None`` when the row does not test it."""
        if self.select is not None:
            if not self.select(ev):
                return None
        else:
            named = _details(ev).get("part")
            if named is not None and named != self.name:
                return None
        return self.judge(ev) if self.judge is not None else judge_row(ev)


@dataclass(frozen=True)
class PartJudgement:
    """A part judged on its rows: ``outcome``, ``strength`` (an enum value), ``counts`` (regimes
    per strength of the deciding rows, strongest first), ``rows`` (the deciding rows' indices
    into the claim's rows, with their judgements), ``note`` (the power of an undecided test, or
    where a vacuous bound starts to say something)."""

    part: Part
    outcome: str
    strength: Strength
    counts: tuple[tuple[Strength, int], ...] = ()
    rows: tuple[tuple[int, Judgement], ...] = ()
    note: str = ""

    @property
    def text(self) -> str:
        """The part in the Summary's words: "L2 -> 0 (computed)", "error bound vacuous at the
        sizes run"."""
        if self.outcome == "holds":
            return f"{self.part.name} ({strength_text(self.counts)})"
        return f"{self.part.name} {_PART_TEXT.get(self.outcome, self.outcome)}"

    def as_dict(self) -> dict[str, Any]:
        return {"part": self.part.name, "auxiliary": self.part.auxiliary,
                "outcome": self.outcome, "strength": self.strength.value,
                "strength_text": strength_text(self.counts) if self.counts else
                self.strength.value, "regimes": len(self.rows), "note": self.note}


def strength_text(counts: Sequence[tuple[Strength, int]]) -> str:
    """``"proved"`` when one strength decides every regime, else ``"proved at 37 regimes,
    computed at 4"`` (strongest first)."""
    if not counts:
        raise ValueError("counts must not be empty")
    if len(counts) == 1:
        return counts[0][0].value
    (first, n), rest = counts[0], counts[1:]
    head = f"{first.value} at {n} regime{'s' if n != 1 else ''}"
    return ", ".join([head, *(f"{s.value} at {k}" for s, k in rest)])


def _counts(strengths: Iterable[Strength]) -> tuple[tuple[Strength, int], ...]:
    got = list(strengths)
    return tuple((s, got.count(s)) for s in ORDER if s in got)


def _power_note(rows: Sequence[Mapping[str, Any]]) -> str:
    rates = [_num(_decision(e).get("detectable_failure_rate_99pct_power")) for e in rows]
    rates = [r for r in rates if not math.isnan(r)]
    if not rates:
        return "power not stated"
    return (f"power: a failure rate of {max(rates):.3g} or more would have been caught with "
            "probability 99%")


def _nonvacuous_note(rows: Sequence[Mapping[str, Any]]) -> str:
    sizes = [str(_details(e).get("nonvacuous_from", "")) for e in rows]
    sizes = [s for s in dict.fromkeys(sizes) if s]
    return "non-vacuous from " + "; ".join(sizes) if sizes else "no size stated"


def judge_part(part: Part, rows: Sequence[Mapping[str, Any]],
               inside: Callable[[Mapping[str, Any]], bool]) -> PartJudgement:
    """Rule 2 of the module docstring, on the rows inside the claim's assumptions."""
    judged = [(i, j) for i, e in enumerate(rows) if inside(e)
              for j in [part.judgement(e)] if j is not None]
    by: dict[str, list[tuple[int, Judgement]]] = {o: [] for o in OUTCOMES}
    for i, j in judged:
        by[j.outcome].append((i, j))
    if by["fails"]:
        return PartJudgement(part, "fails", strongest(j.strength for _, j in by["fails"]),
                             _counts(j.strength for _, j in by["fails"]), tuple(by["fails"]))
    if by["not tested"]:
        return PartJudgement(part, "not tested", Strength.NOT_TESTED)
    if by["holds"]:
        return PartJudgement(part, "holds", weakest(j.strength for _, j in by["holds"]),
                             _counts(j.strength for _, j in by["holds"]), tuple(by["holds"]))
    if by["undecided"]:
        return PartJudgement(part, "undecided", Strength.STATISTICAL, (), tuple(by["undecided"]),
                             _power_note([rows[i] for i, _ in by["undecided"]]))
    if by["vacuous"]:
        return PartJudgement(part, "vacuous", Strength.VACUOUS, (), tuple(by["vacuous"]),
                             _nonvacuous_note([rows[i] for i, _ in by["vacuous"]]))
    outcome = "not applicable" if by["not applicable"] else "not tested"
    return PartJudgement(part, outcome, Strength.NOT_TESTED)


@dataclass(frozen=True)
class ClaimJudgement:
    """A claim judged on its rows: ``verdict`` (the Summary's words), ``strength`` (an enum
    value: the weakest statement part's, or the strongest failing row's), ``strength_text``
    ("proved at 37 regimes, computed at 4"), ``note``, ``parts`` and ``control`` (the negative
    control's outcome, :meth:`verify.evidence.controls.Control.outcome`, or ``None``) and
    ``worst`` (the index of the row that gives the worst slack, and its judgement)."""

    verdict: str
    strength: Strength
    strength_text: str
    note: str = ""
    parts: tuple[PartJudgement, ...] = ()
    control: Mapping[str, Any] | None = None
    worst: tuple[int, Judgement] | None = None


def _tie_slack(slack: float, row: Mapping[str, Any]) -> float:
    """A slack as the worst-row rule compares it: 0 within the row's stated tolerance (the
    report prints it "0 ... within tolerance"), else rounded to 4 significant digits, so that
    rounding differences between machines do not pick another row (ties: the first row)."""
    try:
        tol = float(row.get("tolerance") or 0.0)
    except (TypeError, ValueError):
        tol = 0.0
    if tol > 0 and abs(slack) <= tol:
        return 0.0
    return float(f"{slack:.3e}") if math.isfinite(slack) else slack


def _worst(parts: Sequence[PartJudgement],
           rows: Sequence[Mapping[str, Any]]) -> tuple[int, Judgement] | None:
    """The deciding row of the part closest to failing: parts in :data:`OUTCOMES` order
    (failing first), then the smallest slack (:func:`_tie_slack`), then the first; an
    auxiliary part counts only when it fails."""
    candidates = [(OUTCOMES.index(p.outcome), _tie_slack(j.slack, rows[i]), i, j)
                  for p in parts for i, j in p.rows
                  if j.slack is not None and not math.isnan(j.slack)
                  and (not p.part.auxiliary or p.outcome == "fails")]
    if not candidates:
        return None
    best = min(candidates, key=lambda c: (c[0], c[1]))  # min is stable: the first of a tie
    return best[2], best[3]


def _partial(statement: Sequence[PartJudgement]) -> str:
    """The verdict of a claim some of whose statement parts are not shown."""
    shown = [p for p in statement if p.outcome == "holds"]
    rest = [p for p in statement if p.outcome != "holds"]
    if not shown:
        if len({p.outcome for p in rest}) == 1:
            return _PART_TEXT.get(rest[0].outcome, rest[0].outcome)
        return "; ".join(p.text for p in rest)
    return ("holds for " + " and ".join(p.text for p in shown) + "; "
            + "; ".join(p.text for p in rest))


def parts_named(rows: Sequence[Mapping[str, Any]]) -> tuple[Part, ...]:
    """The parts a claim's rows name (``details["part"]``, in order of first appearance), and
    "the statement" for rows that name none: the parts of a claim that declares none."""
    named = [_details(e).get("part") for e in rows]
    names = [str(n) for n in dict.fromkeys(named) if n is not None]
    unnamed = any(n is None for n in named) or not names
    return tuple(Part(n) for n in names) + ((Part("the statement"),) if unnamed else ())


def judge_claim(
    parts: Sequence[Part],
    rows: Sequence[Mapping[str, Any]],
    inside: Callable[[Mapping[str, Any]], bool],
    *,
    fails_verdict: Callable[[list[Mapping[str, Any]]], str],
    control: Mapping[str, Any] | None = None,
) -> ClaimJudgement:
    """Rules 2-5 of the module docstring. ``parts``: the claim's parts (at least one statement
    part); ``inside(row)``: whether the row's stated assumptions hold; ``fails_verdict(rows)``:
    the words for a failure shown by ``rows``; ``control``: the negative control's outcome
    (a mapping with ``"caught"``: ``True``, ``False`` or ``None`` when it could not run)."""
    statement = [p for p in parts if not p.auxiliary]
    if not statement:
        raise ValueError("parts must include a statement part (auxiliary=False)")
    judged = tuple(judge_part(p, rows, inside) for p in parts)
    if rows and not any(inside(e) for e in rows):
        everywhere = tuple(judge_part(p, rows, lambda e: True) for p in parts)
        worst = _worst(everywhere, rows)
        beyond = _outside_only(everywhere, rows, control, worst)
        if beyond is not None:
            return beyond
    else:
        worst = _worst(judged, rows)
    failing = [p for p in judged if p.outcome == "fails"]
    if failing:
        idx = sorted({i for p in failing for i, _ in p.rows})
        strength = strongest(j.strength for p in failing for _, j in p.rows)
        return ClaimJudgement(fails_verdict([rows[i] for i in idx]), strength, strength.value,
                              "", judged, control, worst)
    stated = [p for p in judged if not p.part.auxiliary]
    outside = [e for e in rows if not inside(e)]
    fails_outside = any(j is not None and j.outcome == "fails"
                        for e in outside for p in parts for j in [p.judgement(e)])
    if all(p.outcome in ("not applicable", "not tested") for p in stated) and all(
            e.get("verdict") == "not applicable" for e in rows) and rows:
        untested = all(_details(e).get("tested") is False for e in rows)
        what = "not tested" if untested else "not applicable"
        return ClaimJudgement(what, Strength.NOT_TESTED, Strength.NOT_TESTED.value, "", judged,
                              control, worst)
    strength = weakest(p.strength for p in stated)
    holds = [p for p in stated if p.outcome == "holds"]
    if any(e.get("verdict") == "not tested" for e in rows):
        # a claim partly tested is never "holds"
        verdict, strength, holds = "not tested", Strength.NOT_TESTED, []
        text = strength.value
    elif len(holds) == len(stated):
        verdict = HOLDS
        text = strength_text(_counts(j.strength for p in stated for _, j in p.rows))
    else:
        verdict = _partial(stated)
        text = strength.value
    note = _note(stated)
    if holds and control is not None and control.get("caught") is False:
        verdict = NOT_CAUGHT if verdict == HOLDS else f"{verdict}; {CANNOT_FAIL}"
        strength = weakest([strength, Strength.VACUOUS])
        text = strength.value
    if fails_outside:
        verdict = f"{verdict} where assumed; fails outside"
    return ClaimJudgement(verdict, strength, text, note, judged, control, worst)


def _note(stated: Sequence[PartJudgement]) -> str:
    """Each part's note once, in the parts' order (two undecided parts may both say "power not
    stated")."""
    return "; ".join(dict.fromkeys(p.note for p in stated if p.note and not (
        len(stated) > 1 and p.note == "no size stated")))


def _outside_only(judged: Sequence[PartJudgement], rows: Sequence[Mapping[str, Any]],
                  control: Mapping[str, Any] | None,
                  worst: tuple[int, Judgement] | None) -> ClaimJudgement | None:
    """Rule 5 of the module docstring: a claim every row of which lies outside its assumptions,
    with ``judged`` its parts judged on every row. :data:`FAILS_OUTSIDE` if a part fails (the
    strongest failing row's strength); else, when no row is not tested and every statement part
    has one outcome, that outcome followed by :data:`BEYOND`: :data:`HOLDS_OUTSIDE` (the weakest
    part's strength; a twin not caught makes it "cannot fail at the regimes run", vacuous),
    "consistent: not refuted ..." or "vacuous at the sizes run ..."; ``None`` otherwise (judged
    as any other claim)."""
    failing = [p for p in judged if p.outcome == "fails"]
    if failing:
        strength = strongest(j.strength for p in failing for _, j in p.rows)
        return ClaimJudgement(FAILS_OUTSIDE, strength, strength.value, "", tuple(judged),
                              control, worst)
    stated = [p for p in judged if not p.part.auxiliary]
    outcomes = {p.outcome for p in stated}
    if any(e.get("verdict") == "not tested" for e in rows) or len(outcomes) != 1 or not (
            outcomes <= {"holds", "undecided", "vacuous"}):
        return None
    strength = weakest(p.strength for p in stated)
    if "holds" not in outcomes:
        return ClaimJudgement(f"{_PART_TEXT[stated[0].outcome]} {BEYOND}", strength,
                              strength.value, _note(stated), tuple(judged), control, worst)
    if control is not None and control.get("caught") is False:
        return ClaimJudgement(f"{HOLDS_OUTSIDE}; {CANNOT_FAIL}", Strength.VACUOUS,
                              Strength.VACUOUS.value, "", tuple(judged), control, worst)
    return ClaimJudgement(HOLDS_OUTSIDE, strength,
                          strength_text(_counts(j.strength for p in stated for _, j in p.rows)),
                          "", tuple(judged), control, worst)
