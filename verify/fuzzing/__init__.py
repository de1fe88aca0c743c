"""Fuzzing the paper's claims over its parameter regimes.

For every claim with a setting-level checker (``check(setting) -> Evidence``):

- **inside** its assumptions, Hypothesis searches for a violation while
  :func:`hypothesis.target` pushes toward the smallest slack; a violation found there is a
  finding, reported after shrinking;
- **outside**, for each named assumption alone violated
  (:func:`verify.fuzzing.strategies.violating`, the claim's other assumptions kept),
  Hypothesis searches for a setting where the conclusion fails: the assumption is then *needed*
  (with the shrunk counterexample), otherwise it *held in all N examples* (it may not be needed).

:func:`assumption_table` gives the rows of REPORT.md's Assumptions table; ``python -m
verify.fuzzing --claim NAME --setting JSON`` replays one row's counterexample. The searches are
deterministic for a given seed (``random.Random(seed)``, derandomised, no database).
"""

from __future__ import annotations

import importlib
import json
import os
import random
import sys
import tempfile
import warnings
import zlib
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import asdict, dataclass
from typing import Any

from hypothesis import HealthCheck, find, settings, target
from hypothesis import strategies as st
from hypothesis.errors import NoSuchExample, Unsatisfiable

from verify._cli import (
    CLAIM_FAILS,
    HOLDS,
    Parser,
    UsageError,
    match_name,
    run_main,
    stop_if_interrupted,
    unknown_name,
)
from verify.evidence import Evidence, Verdict
from verify.fuzzing.strategies import (
    settings_initialisation,
    settings_sample_size,
    settings_theorem_5_1,
    settings_vc,
    violating,
)
from verify.model.assumptions import evaluate, is_stated
from verify.model.setting import Setting

__all__ = [
    "REPLAY_DEFAULTS",
    "FuzzRow",
    "FuzzTarget",
    "assumption_table",
    "fuzz_inside",
    "fuzz_outside",
    "main",
    "replay_setting",
    "setting_memory",
    "targets",
]

TRIES = {"quick": 12, "standard": 60, "thorough": 400}


@dataclass(frozen=True)
class FuzzTarget:
    """A claim with a setting-level checker: ``module:function`` maps a Setting to Evidence."""

    claim: str
    module: str
    function: str
    assumptions: tuple[str, ...]
    base: Callable[[], st.SearchStrategy[Setting]] = settings_theorem_5_1
    depends_on: tuple[str, ...] | None = None
    """The setting's fields the claim depends on (``None``: all); a counterexample lists only
    these, its ``reproduce`` command keeps the whole setting."""

    def check(self, s: Setting) -> Evidence:
        return getattr(importlib.import_module(self.module), self.function)(s)

    def shown(self, s: Setting) -> str:
        """The counterexample as the Assumptions table and the Findings print it."""
        fields = s.as_dict()
        if self.depends_on is not None:
            fields = {k: v for k, v in fields.items() if k in self.depends_on}
        return json.dumps(fields)


@dataclass(frozen=True)
class FuzzRow:
    """One row of the Assumptions table (``assumption`` is ``"(all stated hold)"`` for the inside
    search)."""

    claim: str
    assumption: str
    status: str
    tries: int
    counterexample: str = ""
    smallest_slack: float | None = None
    reproduce: str = ""
    inside: bool = False

    def as_dict(self) -> dict[str, Any]:
        return asdict(self)


FIRST_LAYER = ("d", "l", "n", "k", "m", "eta1", "r", "T1", "seed")
"""The fields a run of LW_CNN's first layer reads (:func:`verify.claims.section_5.run_lw_cnn`
with ``second=False``: the data ``S_1`` (``d, l, n, m, seed``), the filters' initialisation
(``k, r``) and ``T1`` steps of size ``eta1``); not ``eta2`` or ``T2``."""
WHOLE_RUN = (*FIRST_LAYER, "eta2", "T2")
"""Every field: Algorithm 1 with its second layer (``T2`` steps of size ``eta2`` on ``S_2``)."""


def targets() -> list[FuzzTarget]:
    """Every claim the fuzzing covers, with the named assumptions its statement or proof uses
    and the setting's fields its checker reads (``depends_on``: the fields a counterexample
    lists)."""
    from verify.model.assumptions import THEOREM_5_1

    first = {"depends_on": FIRST_LAYER}
    return [
        # the exact multinomial counts of Lemma 5.2 depend on (d, l, k) alone
        FuzzTarget("Lemma 5.2", "verify.claims.lemma_5_2", "check_setting", ("l=d", "k>=8d^3"),
                   base=settings_initialisation, depends_on=("d", "l", "k")),
        FuzzTarget("Theorem 4.2", "verify.claims.theorem_4_2", "check_setting", ("d=2n", "l=d"),
                   base=settings_vc, depends_on=("n", "d", "l", "seed")),
        # Eq. 14's exact probability depends on m alone
        FuzzTarget("Eq. 14", "verify.claims.event_14", "check_setting", (),
                   base=settings_sample_size, depends_on=("m",)),
        FuzzTarget("Lemma C.1", "verify.claims.lemma_c1", "check_setting", ("r<=eta1",),
                   **first),
        FuzzTarget("Lemma C.2", "verify.claims.lemma_c2", "check_setting",
                   ("eta1<=1/(4k(T1+1))", "r<=eta1"), **first),
        FuzzTarget("First-layer drift", "verify.claims.first_layer_drift", "check_setting",
                   ("eta1<=1/(4k(T1+1))",), **first),
        FuzzTarget("Lemma 5.3", "verify.claims.lemma_5_3", "check_setting",
                   ("eta1<=1/(4k(T1+1))", "r<=eta1/200"), **first),
        FuzzTarget("Corollary 5.4", "verify.claims.lemma_5_3", "check_setting_corollary",
                   ("eta1<=1/(4k(T1+1))", "r<=eta1/200"), **first),
        FuzzTarget("Lemma 5.5", "verify.claims.lemma_5_5", "check_setting", ("r<=eta1",),
                   **first),
        FuzzTarget("Appendix E", "verify.claims.appendix_e", "check_setting", THEOREM_5_1,
                   depends_on=WHOLE_RUN),
        FuzzTarget("Theorem 5.1", "verify.claims.theorem_5_1", "check_setting", THEOREM_5_1,
                   depends_on=WHOLE_RUN),
    ]


def _settings(tries: int) -> settings:
    return settings(
        max_examples=tries,
        database=None,
        deadline=None,
        derandomize=False,
        suppress_health_check=list(HealthCheck),
    )


def _reproduce(t: FuzzTarget, s: Setting) -> str:
    return f"python -m verify.fuzzing --claim '{t.claim}' --setting '{json.dumps(s.as_dict())}'"


def _rng(seed: int, *keys: str) -> random.Random:
    return random.Random(zlib.crc32("/".join((str(seed), *keys)).encode()))


def _fails(t: FuzzTarget, s: Setting, slack: list[float]) -> bool:
    stop_if_interrupted()  # Ctrl-C that a checker's compiled code turned into another error
    ev = t.check(s)
    if ev.verdict in (Verdict.HOLDS, Verdict.BOUNDARY) and ev.slack == ev.slack:
        slack.append(float(ev.slack))
        target(-float(ev.slack), label="negative slack")
    return ev.verdict == Verdict.FAILS


def fuzz_inside(t: FuzzTarget, *, tries: int, seed: int) -> FuzzRow:
    """Search for a violation of ``t.claim`` with every one of its *stated* assumptions holding.

    Proof-only conditions (``l = d`` for Lemma 5.2: :func:`verify.model.assumptions.is_stated`) are
    not imposed: the report judges a claim as the paper states it, so a violation that needs one of
    them to fail is a finding here (and the outside search for that condition says "needed")."""
    slack: list[float] = []
    stated = [a for a in t.assumptions if is_stated(a)]
    strat = t.base().filter(lambda s: all(evaluate(s, stated).values()))
    try:
        s = find(strat, lambda s: _fails(t, s, slack), settings=_settings(tries),
                 random=_rng(seed, t.claim, "inside"))
    except (NoSuchExample, Unsatisfiable):
        return FuzzRow(t.claim, "(all stated hold)", f"no violation in {tries} tries", tries,
                       smallest_slack=min(slack) if slack else None, inside=True)
    return FuzzRow(t.claim, "(all stated hold)", "VIOLATED inside the assumptions", tries,
                   counterexample=t.shown(s), reproduce=_reproduce(t, s),
                   smallest_slack=min(slack) if slack else None, inside=True)


def fuzz_outside(t: FuzzTarget, assumption: str, *, tries: int, seed: int) -> FuzzRow:
    """Search for a failure of ``t.claim`` with ``assumption`` alone violated."""
    others = [a for a in t.assumptions if a != assumption]

    def alone(s: Setting) -> bool:
        held = evaluate(s, [assumption, *others])
        return not held[assumption] and all(held[a] for a in others)

    slack: list[float] = []
    strat = violating(t.base(), assumption).filter(alone)
    try:
        s = find(strat, lambda s: _fails(t, s, slack), settings=_settings(tries),
                 random=_rng(seed, t.claim, assumption))
    except Unsatisfiable:
        return FuzzRow(t.claim, assumption, "untested (could not violate it alone)", 0)
    except NoSuchExample:
        return FuzzRow(t.claim, assumption, f"not needed in {tries} tries", tries,
                       smallest_slack=min(slack) if slack else None)
    return FuzzRow(t.claim, assumption, "needed", tries, counterexample=t.shown(s),
                   reproduce=_reproduce(t, s))


def assumption_table(profile: str, seed: int) -> list[FuzzRow]:
    """The Assumptions table: for each target, the inside search and one outside search per
    named assumption."""
    if profile not in TRIES:
        raise ValueError(f"profile must be one of {sorted(TRIES)}, got {profile!r}")
    tries = TRIES[profile]
    rows = []
    with _hypothesis_storage():
        for t in targets():
            rows.append(fuzz_inside(t, tries=tries, seed=seed))
            rows.extend(fuzz_outside(t, a, tries=tries, seed=seed) for a in t.assumptions)
    return rows


@contextmanager
def _hypothesis_storage() -> Iterator[None]:
    """Hypothesis keeps caches (the constants of the source it reads) in ``.hypothesis/`` of
    the working directory even without an example database: the searches keep them in a
    temporary directory instead, removed afterwards, and leave nothing where the user runs the
    report.

    In a Dask worker, the worker's own threads use the global ``random`` module while a search
    draws an example; Hypothesis then takes the change of the global state for a strategy that
    uses ``random`` and warns. Our strategies do not (the searches have their own
    ``random.Random``), so that one warning is ignored here."""
    from hypothesis import configuration
    from hypothesis.errors import HypothesisDeprecationWarning

    previous = vars(configuration).get("__hypothesis_home_directory")
    with tempfile.TemporaryDirectory(prefix="verify-hypothesis-") as tmp, \
            warnings.catch_warnings():
        warnings.filterwarnings("ignore", message="Do not use the `random` module inside "
                                "strategies", category=HypothesisDeprecationWarning)
        configuration.set_hypothesis_home_dir(tmp)
        try:
            yield
        finally:
            configuration.set_hypothesis_home_dir(previous)


def setting_memory(s: Setting) -> int:
    """An estimate, in bytes, of the memory a checker needs on ``s``: float64 filters and their
    pattern coordinates (``k (d + l)``), the training inputs (``m n (d + 1)``), per-sample
    per-filter values (``m k``: features, argmax positions, gradients) and per-step values of
    every filter (``k (T1 + 1)``), twice for temporaries. It errs high: it is only used to
    refuse settings far beyond the machine before any allocation."""
    words = (s.k * (s.d + s.l) + s.m * s.n * (s.d + 1) + s.m * s.k + s.k * (s.T1 + 1)
             + s.l * s.d)
    return 2 * 8 * words


def _available_memory() -> int:
    """Memory available now (bytes, the kernel's MemAvailable through psutil, a dependency of
    ``distributed``); the physical memory if psutil is missing."""
    try:
        import psutil

        return int(psutil.virtual_memory().available)
    except ImportError:  # pragma: no cover
        return os.sysconf("SC_PHYS_PAGES") * os.sysconf("SC_PAGE_SIZE")


def _gib(n: int) -> str:
    return f"{n / 2**30:.3g} GiB"




REPLAY_DEFAULTS: dict[str, float | int] = {
    "d": 3, "l": 3, "n": 1, "k": 1, "m": 2, "eta1": 1.0, "eta2": 1.0, "r": 1.0, "T1": 0, "T2": 0,
    "seed": 0,
}
"""The values a replayed setting takes for the fields its claim does not depend on. They make a
valid setting (``l <= d``), and the claim's checker does not read them
(``tests/test_fuzzing_depends.py`` checks that changing those fields leaves every checker's
evidence unchanged)."""


def replay_setting(t: FuzzTarget, fields: Any) -> Setting:
    """The setting to replay ``t``'s checker on: ``fields`` (a mapping from the JSON of
    ``--setting``) must give every field in ``t.depends_on`` (all eleven when it is ``None``);
    the others may be left out and take :data:`REPLAY_DEFAULTS`. So the counterexample the
    Assumptions table prints (only the fields the claim depends on) replays as it is.

    Raises ValueError for a non-object, a missing field (naming it and the fields the claim
    depends on) or an invalid setting; TypeError for an unknown field."""
    if not isinstance(fields, dict):
        raise ValueError(f"must be a JSON object of Setting fields, got {fields!r}")
    needed = t.depends_on if t.depends_on is not None else tuple(REPLAY_DEFAULTS)
    missing = [f for f in needed if f not in fields]
    if missing:
        raise ValueError(f"missing {', '.join(missing)} ({t.claim} depends on "
                         f"{', '.join(needed)})")
    return Setting(**{**REPLAY_DEFAULTS, **fields})


def _replay(argv: list[str] | None) -> int:
    p = Parser(name="verify.fuzzing", prog="python -m verify.fuzzing",
               description="Replay one setting against one claim's checker and print its "
               "evidence (the Assumptions table's Reproduce commands).",
               epilog="A setting whose estimated memory exceeds the memory available is a usage "
               "error (2), refused before any allocation.")
    p.add_argument("--claim", required=True,
                   help="claim name, e.g. 'Lemma C.2' (case, spaces and punctuation ignored)")
    p.add_argument("--setting", required=True,
                   help="the setting as JSON: the Setting fields the claim depends on (as the "
                   "Assumptions table prints a counterexample); the others may be left out")
    args = p.parse_args(argv)
    by_claim = {t.claim: t for t in targets()}
    hits = match_name(args.claim, by_claim)
    if not hits:
        raise UsageError(f"--claim: {unknown_name(args.claim, by_claim)}")
    target_ = by_claim[hits[0]]
    try:
        s = replay_setting(target_, json.loads(args.setting))
    except (ValueError, TypeError) as exc:
        raise UsageError(f"--setting: {exc}") from None
    need, have = setting_memory(s), _available_memory()
    if need > have:
        raise UsageError(f"--setting: too large: about {_gib(need)} of memory needed, "
                         f"{_gib(have)} available")
    ev = target_.check(s)
    print(ev.summary())
    held = {**evaluate(s, target_.assumptions), **ev.assumptions}
    broken = sorted(name for name, ok in held.items() if is_stated(name) and not ok)
    if ev.verdict == Verdict.FAILS and broken:  # the table's statuses: a finding, not status 1
        print(f"verify.fuzzing: fails outside the stated assumptions ({', '.join(broken)} "
              "violated): a finding about them, not a failure of the claim", file=sys.stderr)
    return CLAIM_FAILS if ev.verdict == Verdict.FAILS and not broken else HOLDS


def main(argv: list[str] | None = None) -> int:
    """``python -m verify.fuzzing``: replay one setting against one claim's checker and print
    its evidence; returns the exit status (the table of :mod:`verify._cli`)."""
    return run_main("verify.fuzzing", lambda: _replay(argv))


if __name__ == "__main__":
    raise SystemExit(main())
