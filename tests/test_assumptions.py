"""The paper's assumptions as named predicates, each checked on both sides of its boundary."""

from __future__ import annotations

import math

import pytest

from verify.model.assumptions import ASSUMPTIONS, THEOREM_5_1, Assumption, evaluate, holds_all
from verify.model.setting import Setting

# d = 3: 8 d^3 = 216; T1 = 1, k = 217: eta1 <= 1/(4 * 217 * 2) = 1/1736
BASE = Setting(
    d=3, l=3, n=2, k=217, m=4, eta1=1 / 1736, eta2=1.0, r=1 / 1736 / 200, T1=1, T2=0, seed=0
)
UP = math.inf  # direction for math.nextafter


def _just_above(x: float) -> float:
    return math.nextafter(x, UP)


# (name, changes where it holds, changes where it fails): each pair straddles the boundary
BOUNDARIES = [
    ("T1>0", {"T1": 1, "eta1": 1 / 1736}, {"T1": 0}),
    ("eta1<=1/(4k(T1+1))", {"eta1": 1 / 1736}, {"eta1": _just_above(1 / 1736)}),
    ("eta2<8k", {"eta2": math.nextafter(8 * 217, 0.0)}, {"eta2": 8.0 * 217}),
    ("r<=eta1/200", {"r": 1 / 1736 / 200}, {"r": _just_above(1 / 1736 / 200)}),
    ("k>8d^3", {"k": 217}, {"k": 216}),
    ("k>=8d^3", {"k": 216}, {"k": 215}),
    ("l=d", {"l": 3}, {"d": 4, "l": 3}),
    ("r<=eta1", {"r": 1 / 1736}, {"r": _just_above(1 / 1736)}),
    ("d=2n", {"d": 4, "n": 2}, {"d": 4, "n": 3}),
    ("d=2n", {"d": 4, "n": 2}, {"d": 3, "n": 1}),  # 2n = d needs n >= 2 too; d = 2 is not valid
]


@pytest.mark.parametrize(("name", "holds", "fails"), BOUNDARIES)
def test_assumption__holds_on_one_side_of_its_boundary_only(name, holds, fails):
    assert ASSUMPTIONS[name](BASE.replace(**holds)) is True
    assert ASSUMPTIONS[name](BASE.replace(**fails)) is False


def test_assumptions__stable_names_exist_and_each_has_a_source():
    # the names evidence records refer to; an assumption added later needs a BOUNDARIES row
    assert {name for name, _, _ in BOUNDARIES} <= set(ASSUMPTIONS)
    for name, a in ASSUMPTIONS.items():
        assert isinstance(a, Assumption)
        assert a.name == name
        assert a.statement
        assert a.source


def test_theorem_5_1__names_its_five_assumptions():
    assert THEOREM_5_1 == ("T1>0", "eta1<=1/(4k(T1+1))", "eta2<8k", "r<=eta1/200", "k>8d^3")
    assert holds_all(BASE, THEOREM_5_1)
    assert not holds_all(BASE.replace(k=216), THEOREM_5_1)


def test_evaluate__returns_each_named_verdict():
    got = evaluate(BASE.replace(k=216), ["k>8d^3", "k>=8d^3", "l=d"])
    assert got == {"k>8d^3": False, "k>=8d^3": True, "l=d": True}
    assert evaluate(BASE, []) == {}


def test_evaluate__rejects_unknown_names():
    with pytest.raises(ValueError, match=r"^names\b.*'k>8d\^2'"):
        evaluate(BASE, ["k>8d^2"])
    with pytest.raises(ValueError, match=r"^names\b"):
        holds_all(BASE, ["T1>0", "nope"])
