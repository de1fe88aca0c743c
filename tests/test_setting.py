"""The validated setting of Section 3 / Theorem 5.1 and Theorem 5.1's largest steps."""

from __future__ import annotations

import dataclasses
import math

import numpy as np
import pytest

from verify.model.assumptions import evaluate
from verify.model.setting import Setting, largest_allowed_steps

VALID = {
    "d": 4,
    "l": 3,
    "n": 5,
    "k": 513,
    "m": 9,
    "eta1": 1e-3,
    "eta2": 10.0,
    "r": 1e-6,
    "T1": 3,
    "T2": 7,
    "seed": 11,
}


def test_setting__holds_validated_values_and_derived_sizes():
    s = Setting(**VALID)
    assert s.as_dict() == VALID
    assert (s.m1, s.m2) == (5, 4)  # S_1 = first ceil(m/2) samples
    assert Setting(**(VALID | {"m": 2})).m1 == 1
    assert Setting(**(VALID | {"m": 10})).m2 == 5
    t = Setting(**(VALID | {"k": np.int64(600), "eta1": np.float32(0.5), "T1": np.int8(2)}))
    assert type(t.k) is int
    assert type(t.eta1) is float
    assert type(t.T1) is int
    assert Setting(d=3, l=3, n=1, k=1, m=2, eta1=1, eta2=1, r=1, T1=0, T2=0).seed == 0


def test_setting__replace_validates_again():
    s = Setting(**VALID)
    assert s.replace(k=1000).k == 1000
    assert s.k == 513
    with pytest.raises(ValueError, match=r"^k\b"):
        s.replace(k=0)


def test_setting__is_frozen():
    with pytest.raises(dataclasses.FrozenInstanceError):
        Setting(**VALID).k = 3


@pytest.mark.parametrize(
    ("name", "value"),
    [
        ("d", 2),
        ("d", 4.0),
        ("d", True),
        ("l", 2),
        ("l", 5),  # l > d
        ("n", 0),
        ("k", 0),
        ("k", "8"),
        ("m", 1),
        ("eta1", 0.0),
        ("eta1", -1e-3),
        ("eta1", math.inf),
        ("eta1", math.nan),
        ("eta1", "0.1"),
        ("eta2", 0),
        ("r", -1.0),
        ("r", False),
        ("T1", -1),
        ("T1", 1.5),
        ("T2", -3),
        ("seed", -1),
        ("seed", 0.5),
    ],
)
def test_setting__rejects_bad_fields(name, value):
    with pytest.raises(ValueError, match=rf"^{name}\b"):
        Setting(**(VALID | {name: value}))


def test_largest_allowed_steps__values_and_assumptions_at_equality():
    eta1, r = largest_allowed_steps(3, 217, 1)
    assert eta1 == 1.0 / (4.0 * 217 * 2)
    assert r == eta1 / 200.0
    for d, k, T1 in [(3, 217, 1), (10, 8001, 100), (20, 64001, 100), (5, 1, 0)]:
        eta1, r = largest_allowed_steps(d, k, T1)
        s = Setting(d=d, l=3, n=2, k=k, m=4, eta1=eta1, eta2=1.0, r=r, T1=T1, T2=0)
        assert evaluate(s, ["eta1<=1/(4k(T1+1))", "r<=eta1/200"]) == {
            "eta1<=1/(4k(T1+1))": True,
            "r<=eta1/200": True,
        }, (d, k, T1)
        bigger = s.replace(eta1=math.nextafter(eta1, 1.0), r=math.nextafter(r, 1.0))
        assert not evaluate(bigger, ["eta1<=1/(4k(T1+1))"])["eta1<=1/(4k(T1+1))"]


@pytest.mark.parametrize(
    ("name", "args"),
    [("d", (2, 10, 1)), ("k", (3, 0, 1)), ("k", (3, 2.0, 1)), ("T1", (3, 10, -1))],
)
def test_largest_allowed_steps__rejects_bad_arguments(name, args):
    with pytest.raises(ValueError, match=rf"^{name}\b"):
        largest_allowed_steps(*args)
