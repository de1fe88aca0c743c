"""The paper's assumptions as named predicates on a :class:`~verify.model.setting.Setting`.

Theorem 5.1 assumes ``T1 > 0``, ``eta1 <= 1/(4k(T1+1))``, ``eta2 < 8k``, ``r <= eta1/200`` and
``k > 8d^3``. The lemmas use subsets of these (and the proofs use some that the statements omit,
such as ``l = d`` in the proof of Lemma 5.2). Each is an :class:`Assumption` with a stable name, so
that evidence can record exactly which ones held for a run, and the fuzzing can violate one at a
time.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass

from verify.model.setting import Setting

__all__ = [
    "ASSUMPTIONS",
    "THEOREM_5_1",
    "Assumption",
    "evaluate",
    "holds_all",
    "is_stated",
]


@dataclass(frozen=True)
class Assumption:
    """A named condition on a setting, with the text of the paper that states it.

    ``stated`` is False for a condition that only a proof uses and that the paper's setting
    does not grant (``l = d``: Section 3 allows ``3 <= l <= d``). A claim's verdict is judged
    where its *stated* assumptions hold, so a failure where only a proof-only condition fails
    counts as a failure of the claim as stated.
    """

    name: str
    statement: str
    source: str
    predicate: Callable[[Setting], bool]
    stated: bool = True

    def __call__(self, s: Setting) -> bool:
        return bool(self.predicate(s))


def _a(
    name: str,
    statement: str,
    source: str,
    predicate: Callable[[Setting], bool],
    *,
    stated: bool = True,
) -> Assumption:
    return Assumption(name, statement, source, predicate, stated)


ASSUMPTIONS: dict[str, Assumption] = {
    a.name: a
    for a in (
        _a("T1>0", "T1 > 0", "Theorem 5.1", lambda s: s.T1 > 0),
        _a(
            "eta1<=1/(4k(T1+1))",
            "eta1 <= 1/(4k(T1+1))",
            "Theorem 5.1",
            lambda s: s.eta1 <= 1.0 / (4.0 * s.k * (s.T1 + 1)),
        ),
        _a("eta2<8k", "eta2 < 8k", "Theorem 5.1", lambda s: s.eta2 < 8.0 * s.k),
        _a("r<=eta1/200", "r <= eta1/200", "Theorem 5.1", lambda s: s.r <= s.eta1 / 200.0),
        _a("k>8d^3", "k > 8 d^3", "Theorem 5.1", lambda s: s.k > 8 * s.d**3),
        _a(
            "k>=8d^3",
            "k >= 8 d^3 (used by the proof of Lemma 5.2, Eq. 13; not in the lemma's statement)",
            "Appendix B",
            lambda s: s.k >= 8 * s.d**3,
        ),
        _a(
            "l=d",
            "l = d (the proof of Lemma 5.2 takes |O minus {o_2}| = d - 1; Section 3 allows l <= d)",
            "Appendix B",
            lambda s: s.l == s.d,
            stated=False,
        ),
        _a(
            "r<=eta1",
            "r <= eta1 (Lemma C.1's last step; implied by r <= eta1/200)",
            "Appendix C",
            lambda s: s.r <= s.eta1,
        ),
        _a(
            "d=2n",
            "d = 2n and n >= 2 (Theorem 4.2)",
            "Theorem 4.2",
            lambda s: s.d == 2 * s.n and s.n >= 2,
        ),
    )
}

THEOREM_5_1: tuple[str, ...] = ("T1>0", "eta1<=1/(4k(T1+1))", "eta2<8k", "r<=eta1/200", "k>8d^3")


def evaluate(s: Setting, names: Iterable[str]) -> dict[str, bool]:
    """Evaluate the named assumptions on ``s``: ``{name: holds}``."""
    out = {}
    for name in names:
        if name not in ASSUMPTIONS:
            raise ValueError(f"names: unknown assumption {name!r}; known: {sorted(ASSUMPTIONS)}")
        out[name] = ASSUMPTIONS[name](s)
    return out


def holds_all(s: Setting, names: Iterable[str]) -> bool:
    """Whether every named assumption holds on ``s``."""
    return all(evaluate(s, names).values())


def is_stated(name: str) -> bool:
    """Whether the named assumption is granted by the paper's statements (unknown names are
    taken as stated, so that a checker's own conditions count)."""
    a = ASSUMPTIONS.get(name)
    return True if a is None else a.stated
