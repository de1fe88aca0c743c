"""The sets of Eq. 6 on hand-made filters: ``W_t+``, ``W_t-`` and the lucky filters
``W_0+ ∩ A+``, ``W_0- ∩ A-`` (Section 5, Part 1)."""

from __future__ import annotations

import numpy as np
import pytest
from numpy.testing import assert_array_equal

from verify.model.lucky import lucky_filters, w_minus, w_plus

# columns: o_1 (positive), o_2 (negative), o_3, o_4 (spurious)
P = np.array(
    [
        [0.9, 0.1, 0.2, -0.3],  # 0: o_1 is the largest: W+
        [0.1, 0.8, 0.3, 0.0],  # 1: o_2 is the largest: W-
        [0.5, 0.9, 0.1, 0.2],  # 2: o_2 ignored for W+ (o_1 beats o_3, o_4); o_1 ignored for W-
        [0.5, 0.1, 0.6, 0.0],  # 3: a spurious pattern wins both
        [-0.1, -0.2, -0.3, -0.4],  # 4: o_1 is the argmax over O minus {o_2} but not positive
        [0.4, 0.4, 0.4, 0.1],  # 5: o_1 ties o_3 (and o_2 ties o_3): not counted
        [0.0, 0.0, -1.0, -1.0],  # 6: argmax o_1 / o_2 at 0: not positive
        [0.7, -5.0, 0.69, 0.69],  # 7: W+ by a margin of 0.01
    ]
)


def test_w_plus_and_w_minus__on_hand_made_filters():
    assert w_plus(P).tolist() == [True, False, True, False, False, False, False, True]
    assert w_minus(P).tolist() == [False, True, True, False, False, False, False, False]


def test_lucky_filters__intersect_with_the_signs_of_a0():
    a0 = np.array([1.0, -1.0, 1.0, 1.0, 1.0, 1.0, -1.0, -1.0])
    plus, minus = lucky_filters(P, a0)
    assert plus.tolist() == [True, False, True, False, False, False, False, False]
    assert minus.tolist() == [False, True, False, False, False, False, False, False]
    plus, minus = lucky_filters(P, -a0)
    assert plus.tolist() == [False] * 7 + [True]
    assert minus.tolist() == [False, False, True] + [False] * 5


def test_lucky_filters__three_patterns_and_docstring_case():
    P3 = np.array([[0.9, 0.1, 0.2], [0.1, 0.8, 0.3], [0.5, 0.1, 0.6]])
    plus, minus = lucky_filters(P3, np.array([1.0, -1.0, 1.0]))
    assert plus.tolist() == [True, False, False]
    assert minus.tolist() == [False, True, False]


def test_lucky_filters__accept_integer_arrays_and_return_boolean_masks():
    plus, minus = lucky_filters(np.array([[2, 0, 1]]), np.array([1]))
    assert plus.dtype == np.bool_
    assert minus.dtype == np.bool_
    assert_array_equal(plus, [True])
    assert_array_equal(minus, [False])


@pytest.mark.parametrize(
    ("name", "P0", "a0"),
    [
        ("P", np.ones(3), np.ones(1)),
        ("P", np.ones((2, 2)), np.ones(2)),  # l < 3
        ("P", np.full((2, 3), np.nan), np.ones(2)),
        ("a0", np.ones((2, 3)), np.ones(3)),
        ("a0", np.ones((2, 3)), np.ones((2, 1))),
    ],
)
def test_lucky_filters__rejects_bad_arguments(name, P0, a0):
    with pytest.raises(ValueError, match=rf"^{name}\b"):
        lucky_filters(P0, a0)


@pytest.mark.parametrize("function", [w_plus, w_minus])
def test_w_plus_w_minus__reject_bad_arguments(function):
    with pytest.raises(ValueError, match=r"^P\b"):
        function(np.ones((4, 2)))
