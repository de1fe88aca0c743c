"""The kinds' own decisions in ``verify.certify`` on small hand-made inputs (fast, no claims
imported): Proposition 6.1's KKT figures, Lemma 5.2's per-filter probability, Theorem 4.2's
shattering margin and VC-dimension count, and the integer inputs they accept. Expected values are
the paper's closed forms (``q_l = (1 - 2^{1-l}) / (2(l-1))``, the KKT point ``w = o_1 - o_2`` per
position with ``lambda = (l-2)^{-(n-1)}``) or a direct evaluation of Eq. 1."""

from __future__ import annotations

import itertools
import random
from fractions import Fraction

import pytest

pytest.importorskip("flint", reason="needs the certify extra (python-flint)")

from verify import certify
from verify.certify import _kkt, _per_filter
from verify.certify import _theorem_4_2 as t42
from verify.certify._common import pos_int

F = Fraction

# ----------------------------------------------------------------------------- _common


def test_pos_int__python_and_numpy_integers_not_bools():
    np = pytest.importorskip("numpy")
    assert pos_int("n", np.int64(5), 1) == 5
    assert type(pos_int("n", np.int64(5), 1)) is int
    assert pos_int("n", 1, 1) == 1
    for bad, shown in ((0, "0"), (np.bool_(True), "np.True_"), (True, "True"), (1.0, "1.0"),
                       ("1", "'1'"), (np.float64(2.0), "np.float64(2.0)")):
        with pytest.raises(ValueError) as info:
            pos_int("n", bad, 1)
        assert str(info.value) == f"n must be an integer >= 1, got {shown}"


# ----------------------------------------------------------------------------- Proposition 6.1


def _kkt_point(n: int, l: int, d: int) -> tuple[list[Fraction], Fraction]:
    return ([F(1), F(-1)] + [F(0)] * (d - 2)) * n, F(1, (l - 2) ** (n - 1))


def test_support__every_point_of_supp_d():
    assert list(_kkt.support(2, 4)) == [
        (1, (0, 2)), (1, (0, 3)), (1, (2, 0)), (1, (3, 0)),
        (-1, (1, 2)), (-1, (1, 3)), (-1, (2, 1)), (-1, (3, 1))]
    assert list(_kkt.support(1, 3)) == [(1, (0,)), (-1, (1,))]
    assert len(list(_kkt.support(3, 5))) == 2 * 3 * 3**2


def test_check_kkt__the_closed_form_point():
    w, lam = _kkt_point(2, 4, 4)
    assert _kkt.check_kkt(2, 4, 4, w, lam) == {
        "support_size": 8, "min_margin": 1, "stationary": True, "dual_feasible": True,
        "value": 4, "sum_multipliers": 4}
    w, lam = _kkt_point(3, 5, 6)
    res = _kkt.check_kkt(3, 5, 6, w, lam)
    assert res == {"support_size": 54, "min_margin": 1, "stationary": True,
                   "dual_feasible": True, "value": 6, "sum_multipliers": 6}
    assert _kkt.kkt_ok(res, 3)


def test_check_kkt__each_condition_fails_alone():
    w, lam = _kkt_point(2, 4, 4)
    res = _kkt.check_kkt(2, 4, 4, [2 * v for v in w], lam)
    assert res == {"support_size": 8, "min_margin": 2, "stationary": False,
                   "dual_feasible": True, "value": 16, "sum_multipliers": 4}
    res = _kkt.check_kkt(2, 4, 4, w, -lam)
    assert (res["stationary"], res["dual_feasible"], res["sum_multipliers"]) == (False, False, -4)
    res = _kkt.check_kkt(2, 4, 4, [F(0)] * 8, F(0))
    assert res == {"support_size": 8, "min_margin": 0, "stationary": True,
                   "dual_feasible": True, "value": 0, "sum_multipliers": 0}
    # one position's weight lowered: the margin is the smallest over the support
    w2 = list(w)
    w2[4] = F(1, 2)
    assert _kkt.check_kkt(2, 4, 4, w2, lam)["min_margin"] == F(1, 2)
    w3 = list(w)
    w3[5] = F(-1, 3)
    assert _kkt.check_kkt(2, 4, 4, w3, lam)["min_margin"] == F(1, 3)


def test_check_kkt__sizes():
    with pytest.raises(ValueError) as info:
        _kkt.check_kkt(2, 4, 4, [F(0)] * 7, F(0))
    assert str(info.value) == "w must have n d = 8 entries, got 7"
    # 2 n (l-2)^(n-1) support points, at most 200,000: n = 2, l = 50,002 is exactly at the cap
    w, lam = _kkt_point(2, 50_002, 50_002)
    assert _kkt.check_kkt(2, 50_002, 50_002, w, lam) == {
        "support_size": 200_000, "min_margin": 1, "stationary": True, "dual_feasible": True,
        "value": 4, "sum_multipliers": 4}
    with pytest.raises(ValueError) as info:
        _kkt.check_kkt(2, 50_003, 4, [F(0)] * 8, F(0))
    assert str(info.value) == "n, l: the support has 200004 points, more than 200000"


@pytest.mark.parametrize("fail", ["margin", "none", "stationary", "dual", "gap", "value"])
def test_kkt_ok__each_condition(fail):
    res = {"min_margin": F(1), "stationary": True, "dual_feasible": True, "value": F(2),
           "sum_multipliers": F(2)}
    assert _kkt.kkt_ok(res, 2) is True  # margin exactly 1 and value exactly n: at the bounds
    change = {"margin": {"min_margin": F(99, 100)}, "none": {"min_margin": None},
              "stationary": {"stationary": False}, "dual": {"dual_feasible": False},
              "gap": {"sum_multipliers": F(3)},
              "value": {"value": F(19, 10), "sum_multipliers": F(19, 10)}}[fail]
    assert _kkt.kkt_ok({**res, **change}, 2) is False


def test_proposition_6_1_kkt__the_certificate():
    cert = certify.proposition_6_1_kkt(2, 4, 4, ["1", "-1", "0", "0"] * 2, "1/2")
    assert {k: v for k, v in cert.items() if k != "inequality"} == {
        "format": certify.FORMAT, "kind": "proposition_6_1_kkt", "claim": "Proposition 6.1",
        "inputs": {"n": 2, "l": 4, "d": 4},
        "witness": {"w": ["1", "-1", "0", "0", "1", "-1", "0", "0"], "multiplier": "1/2"},
        "enclosure": {"optimum": "4", "min_margin": "1"}, "verdict": "holds"}
    assert cert["inequality"].startswith("the min-norm w in R^{nd} with y w.x >= 1 on supp D")
    bad = certify.proposition_6_1_kkt(2, 4, 4, ["1", "-1", "0", "0"] * 2, "1/3")
    assert bad["verdict"] == "undecided"
    assert bad["enclosure"] == {"optimum": "4", "min_margin": "1"}
    odd = certify.proposition_6_1_kkt(1, 3, 5, [F(3, 2), "-3/2", 0, 0, 0], 0.5)
    assert odd["witness"] == {"w": ["3/2", "-3/2", "0", "0", "0"], "multiplier": "1/2"}
    assert odd["enclosure"] == {"optimum": "9/2", "min_margin": "3/2"}
    assert odd["verdict"] == "undecided"
    for args, why in (((0, 3, 3), "n must be an integer >= 1, got 0"),
                      ((1, 2, 3), "l must be an integer >= 3, got 2"),
                      ((1, 4, 3), "d must be an integer >= 4, got 3")):
        with pytest.raises(ValueError) as info:
            certify.proposition_6_1_kkt(*args, ["0"] * 4, "0")
        assert str(info.value) == why


# ----------------------------------------------------------------------------- Lemma 5.2 per filter


@pytest.mark.parametrize(("l", "q"), [(3, F(3, 16)), (4, F(7, 48)), (5, F(15, 128)),
                                      (8, F(127, 1792))])
def test_per_filter_probability__exact(l, q):
    assert _per_filter.per_filter_probability(l) == q
    assert q == (1 - F(1, 2 ** (l - 1))) / (2 * (l - 1))


def test_per_filter_probability__range():
    assert _per_filter.per_filter_probability(21) == (1 - F(1, 2**20)) / 40  # at the cap
    for bad, why in ((2, "l must be an integer >= 3, got 2"), (22, "l must be <= 21, got 22")):
        with pytest.raises(ValueError) as info:
            _per_filter.per_filter_probability(bad)
        assert str(info.value) == why


def test_paper_value__appendix_b():
    assert _per_filter.paper_value(3) == F(3, 16)
    assert _per_filter.paper_value(6) == F(31, 320)
    assert _per_filter.paper_value(10) == F(511, 9216)
    with pytest.raises(ValueError, match=r"^d must be an integer >= 3, got 2$"):
        _per_filter.paper_value(2)


def test_lemma_5_2_per_filter__the_certificate():
    cert = certify.lemma_5_2_per_filter(6, 3)
    assert {k: v for k, v in cert.items() if k != "inequality"} == {
        "format": certify.FORMAT, "kind": "lemma_5_2_per_filter",
        "claim": "Lemma 5.2 (per-filter probability)", "inputs": {"d": 6, "l": 3},
        "enclosure": {"q_l": "3/16", "paper": "31/320"}, "verdict": "fails"}
    assert cert["inequality"].startswith("P(i in W_0+ ∩ A+) = (1 - 2^{-d+1}) / (2(d-1))")
    same = certify.lemma_5_2_per_filter(4, 4)
    assert same["enclosure"] == {"q_l": "7/48", "paper": "7/48"}
    assert same["verdict"] == "holds"
    assert certify.lemma_5_2_per_filter(3, 3)["verdict"] == "holds"
    for args, why in (((4, 5), "l must be <= d = 4, got 5"),
                      ((2, 3), "d must be an integer >= 3, got 2"),
                      ((4, 2), "l must be an integer >= 3, got 2")):
        with pytest.raises(ValueError) as info:
            certify.lemma_5_2_per_filter(*args)
        assert str(info.value) == why


# ----------------------------------------------------------------------------- Theorem 4.2


def _eye(l: int, d: int) -> list[list[Fraction]]:
    return [[F(int(i == j)) for j in range(d)] for i in range(l)]


def _network() -> tuple[dict, dict]:
    """Two points of X (n = 2, l = d = 4, standard patterns) shattered by three channels:
    o_3 and o_4 with a = 1 (coefficient 2 when the point's label is +1, else 0) and o_1 with
    a = -1 (coefficient 1): y N(x) = 1 on every labelling."""
    inp = {"n": 2, "d": 4, "l": 4, "patterns": [[str(v) for v in r] for r in _eye(4, 4)],
           "points": [[0, 2], [0, 3]]}
    wit = {"directions": [["0", "0", "1", "0"], ["0", "0", "0", "1"], ["1", "0", "0", "0"]],
           "channel_direction": [0, 1, 2], "a": ["1", "1", "-1"],
           "coefficients": [[str(2 * (b & 1)), str(2 * (b >> 1 & 1)), "1"] for b in range(4)]}
    return inp, wit


def _margin(inp: dict, wit: dict) -> Fraction:
    """min over labellings b and points i of y_i N_b(x_i), with N by Eq. 1 (:func:`ncnn`)."""
    O = [[F(v) for v in r] for r in inp["patterns"]]
    dirs = [[F(v) for v in r] for r in wit["directions"]]
    a = [F(v) for v in wit["a"]]
    out = []
    for b, row in enumerate(wit["coefficients"]):
        filters = [[F(cf) * v for v in dirs[c]] for cf, c in zip(row, wit["channel_direction"],
                                                                   strict=True)]
        for i, x in enumerate(inp["points"]):
            y = 1 if b >> i & 1 else -1
            out.append(y * t42.ncnn(filters, a, O, x))
    return min(out)


def test_ncnn__eq_1_exactly():
    O = _eye(3, 3)
    filters = [[F(1), F(-2), F(0)], [F(0), F(1, 2), F(3)]]
    # channel 1: max(0, 1, -2) = 1; channel 2: max(0, 0, 1/2) = 1/2
    assert t42.ncnn(filters, [F(2), F(-4)], O, [0, 1]) == F(0)
    assert t42.ncnn(filters, [F(2), F(-4)], O, [1, 1]) == F(-2)
    assert t42.ncnn(filters, [F(2), F(3)], O, [2, 0]) == F(2 + 9)
    assert t42.ncnn([[F(-1), F(-1), F(-1)]], [F(5)], O, [0, 1, 2]) == F(0)
    with pytest.raises(ValueError):  # one second-layer weight per filter
        t42.ncnn(filters, [F(1)], O, [0, 1])


def test_check_shattering__a_shattered_pair_at_the_bound():
    inp, wit = _network()
    assert t42.check_shattering(inp, wit) == ([], F(1))
    cert = certify.theorem_4_2_shattering(2, 4, 4, inp["patterns"], inp["points"],
                                          wit["directions"], [0, 1, 2], wit["a"],
                                          wit["coefficients"])
    assert (cert["verdict"], cert["enclosure"], "problems" in cert) == \
        ("holds", {"min_margin": "1"}, False)
    assert cert["inputs"] == inp
    assert cert["witness"] == wit
    assert cert["claim"] == "Theorem 4.2"
    assert cert["inequality"].startswith("VCdim(H_CNN(X)) >= 2^(d/2-1): the points, in X, are "
                                         "shattered (for each labelling b, y_i N_CNN(x_i) > 0")
    assert certify.check(cert).ok


def test_check_shattering__the_margin_is_eq_1s_over_every_labelling():
    """Random small networks (negative coefficients included: the min over a point's
    positions then decides): the margin equals the direct evaluation of Eq. 1."""
    rng = random.Random(7)
    inp, _ = _network()
    inp = {**inp, "points": [[0, 2], [3, 1], [2, 0]], "d": 4}
    for _ in range(40):
        k = rng.randint(1, 3)
        wit = {"directions": [[str(rng.randint(-2, 2)) for _ in range(4)] for _ in range(3)],
               "channel_direction": [rng.randrange(3) for _ in range(k)],
               "a": [str(rng.randint(-2, 2)) for _ in range(k)],
               "coefficients": [[str(F(rng.randint(-3, 3), rng.randint(1, 2)))
                                 for _ in range(k)] for _ in range(8)]}
        problems, margin = t42.check_shattering(inp, wit)
        assert margin == _margin(inp, wit)
        assert (problems == []) == (margin > 0)
        if margin <= 0:
            assert problems == [f"some labelling is not realised (min y N(x) = {margin})"]


@pytest.mark.parametrize("case", ["shape", "orthonormal", "support", "length", "not list",
                                  "distinct", "few", "networks", "channels", "a", "unrealised"])
def test_check_shattering__each_problem(case):
    inp, wit = _network()
    expected_margin = F(0)
    if case == "shape":
        inp["patterns"] = inp["patterns"][:3]
        want = ["patterns must be 4 x 4"]
    elif case == "orthonormal":
        inp["patterns"][3] = ["0", "0", "0", "2"]
        want = ["the patterns are not exactly orthonormal"]
        expected_margin = F(1)
    elif case == "support":
        inp["points"][1] = [1, 0]
        want = ["a point is not in the support of D"]
    elif case == "length":
        inp["points"][1] = [0, 2, 2]
        want = ["a point is not in the support of D"]
    elif case == "not list":
        inp["points"][1] = "02"
        want = ["a point is not in the support of D"]
    elif case == "distinct":
        inp["points"][1] = [0, 2]
        want = ["the points are not distinct",
                "some labelling is not realised (min y N(x) = -1)"]
        expected_margin = F(-1)
    elif case == "few":
        inp = {**inp, "d": 5, "patterns": [[*r, "0"] for r in inp["patterns"]]}
        wit["directions"] = [[*r, "0"] for r in wit["directions"]]
        want = ["|B| = 2 < 2^(d/2-1) at d = 5"]
        expected_margin = F(1)
    elif case == "networks":
        wit["coefficients"] = wit["coefficients"][:3]
        want = ["need one network of 3 channels per labelling (2^2)"]
    elif case == "channels":
        wit["coefficients"][2] = wit["coefficients"][2][:2]
        want = ["need one network of 3 channels per labelling (2^2)"]
    elif case == "a":
        wit["a"] = ["1", "1"]
        want = ["need one network of 3 channels per labelling (2^2)"]
    else:
        wit["coefficients"][3][0] = "1"  # label +1 on point 0 now reaches 1 - 1 = 0
        want = ["some labelling is not realised (min y N(x) = 0)"]
    assert t42.check_shattering(inp, wit) == (want, expected_margin)


def test_check_shattering__at_most_eight_points():
    inp, wit = _network()
    inp["points"] = [[0, p] for p in (2, 3)] * 5
    with pytest.raises(ValueError) as info:
        t42.check_shattering(inp, wit)
    assert str(info.value) == "points: at most 8 points, got 10"
    # eight points (every point of X at n = 2, l = 4) are checked
    inp["points"] = [list(x) for _, x in _kkt.support(2, 4)]
    assert t42.check_shattering(inp, wit) == (
        ["need one network of 3 channels per labelling (2^8)"], F(0))


def test_check_shattering__the_bound_is_a_power_of_two():
    # |B|^2 >= 2^(d-2): three points reach it at d = 5 (9 >= 8), not at d = 6 (9 < 16)
    inp, wit = _network()
    inp["points"] = [[0, 2], [0, 3], [2, 1]]
    for d in (5, 6):
        pad = ["0"] * (d - 4)
        case = {**inp, "d": d, "patterns": [[*r, *pad] for r in inp["patterns"]]}
        problems, _ = t42.check_shattering(case, wit)
        assert problems == ([] if d == 5 else ["|B| = 3 < 2^(d/2-1) at d = 6"]) + \
            ["need one network of 3 channels per labelling (2^3)"]


def test_check_shattering__no_points():
    inp, wit = _network()
    inp["points"] = []
    wit["coefficients"] = [["0", "0", "0"]]
    assert t42.check_shattering(inp, wit) == (
        ["|B| = 0 < 2^(d/2-1) at d = 4", "some labelling is not realised (min y N(x) = None)"],
        F(0))


@pytest.mark.parametrize(("where", "field"), [("inp", "patterns"), ("wit", "directions"),
                                              ("wit", "coefficients")])
def test_check_shattering__names_a_field_that_is_not_a_matrix(where, field):
    inp, wit = _network()
    {"inp": inp, "wit": wit}[where][field] = ["1"]
    with pytest.raises(ValueError) as info:
        t42.check_shattering(inp, wit)
    assert str(info.value) == f"{field} must be a list of lists of rationals"


def test_rationals_dot_orthonormal_point_in_support():
    assert t42._rationals([["1/2", 3]], "x") == [[F(1, 2), F(3)]]
    for bad in ("1", ["1"], [["1"], "2"]):
        with pytest.raises(ValueError) as info:
            t42._rationals(bad, "patterns")
        assert str(info.value) == "patterns must be a list of lists of rationals"
    assert t42._dot([F(1), F(2)], [F(3), F(-1, 2)]) == F(2)
    assert t42._dot([], []) == 0
    with pytest.raises(ValueError):
        t42._dot([F(1)], [F(1), F(2)])
    assert t42.orthonormal(_eye(3, 3))
    assert t42.orthonormal([[F(3, 5), F(4, 5)], [F(-4, 5), F(3, 5)]])
    assert not t42.orthonormal([[F(3, 5), F(4, 5)], [F(4, 5), F(3, 5)]])
    assert not t42.orthonormal([[F(1), F(0)], [F(0), F(2)]])
    assert not t42.orthonormal([[F(2), F(0)], [F(0), F(1)]])
    assert t42.point_in_support([0, 2, 3], 4)
    assert t42.point_in_support([3, 1], 4)
    assert not t42.point_in_support([0, 1], 4)
    assert not t42.point_in_support([2, 3], 4)
    assert not t42.point_in_support([0, 4], 4)
    assert not t42.point_in_support([0, -1], 4)
    assert not t42.point_in_support([0, 2.0], 4)


def test_pattern_sets__and_their_order():
    assert t42.pattern_sets(2, 4) == {frozenset(s) for s in ([0, 2], [0, 3], [1, 2], [1, 3])}
    assert t42.pattern_sets(1, 3) == {frozenset([0]), frozenset([1])}
    sets = t42.pattern_sets(3, 4)
    assert sets == {frozenset(s) for s in ([0, 2], [0, 3], [0, 2, 3], [1, 2], [1, 3],
                                           [1, 2, 3])}
    assert t42.sorted_sets(sets) == [[0, 2], [0, 3], [1, 2], [1, 3], [0, 2, 3], [1, 2, 3]]
    with pytest.raises(ValueError) as info:
        t42.pattern_sets(2, 150_003)
    assert str(info.value) == "n, l: the support has 600004 points, more than 300000"
    with pytest.raises(ValueError) as info:  # 2 * 3 * 224^2
        t42.pattern_sets(3, 226)
    assert str(info.value) == "n, l: the support has 301056 points, more than 300000"


def test_inclusion_lower_bound__the_sorted_sets_are_shattered():
    for n, l in ((1, 3), (2, 4), (3, 4), (2, 6)):
        assert t42.inclusion_lower_bound(t42.sorted_sets(t42.pattern_sets(n, l)), n, l) == []


@pytest.mark.parametrize(("sets", "n", "want"), [
    ([[0, 2], [], [1, 3]], 2, ["set [] has no point with 2 positions"]),
    ([[0, 2], [0, 2, 3]], 2, ["set [0, 2, 3] has no point with 2 positions"]),
    ([[0, 2], [2, 3]], 2, ["set [2, 3] is not a pattern set of the support"]),
    ([[0, 1]], 2, ["set [0, 1] is not a pattern set of the support"]),
    ([[0, 2], [0, 2]], 2, ["the sets are not distinct",
                           "the inclusion matrix is not unitriangular at (1, 0)"]),
    # a subset after its superset: the matrix is not upper triangular
    ([[0, 2, 3], [0, 2]], 3, ["the inclusion matrix is not unitriangular at (1, 0)"]),
    ([[0, 2], [1, 3], [0, 2, 3]], 3, []),
    ([[0, 2, 3], [1, 2]], 3, []),
    ([[1, 3], [0, 2]], 2, []),
])
def test_inclusion_lower_bound__each_problem(sets, n, want):
    assert t42.inclusion_lower_bound(sets, n, 4) == want


def test_inclusion_lower_bound__at_most_400_sets():
    with pytest.raises(ValueError) as info:
        t42.inclusion_lower_bound([[0]] * 401, 1, 3)
    assert str(info.value) == "sets: at most 400, got 401"
    assert t42.inclusion_lower_bound([[0]] * 400, 1, 3)[0] == "the sets are not distinct"


@pytest.mark.parametrize(("m", "c", "d", "verdict"), [
    (2, 0, 5, "fails"), (2, 2, 5, "fails"), (2, 0, 4, "undecided"), (2, 2, 4, "holds"),
    (2, 1, 4, "undecided"), (None, 0, 4, "undecided"), (None, 2, 4, "holds"),
    (None, 3, 5, "holds"), (None, 2, 5, "undecided"), (6, 4, 6, "holds"), (3, 3, 6, "fails"),
    (None, 3, 6, "undecided"), (None, 4, 6, "holds"),
])
def test_vc_verdict__squares_against_2_to_the_d_minus_2(m, c, d, verdict):
    assert t42._vc_verdict(m, c, d) == verdict


def test_vc_parts():
    sets = t42.sorted_sets(t42.pattern_sets(2, 4))
    assert t42._vc_parts(2, 4, 4, sets) == ([], 4, 4)
    assert t42._vc_parts(2, 4, 4, None) == ([], 4, 0)
    assert t42._vc_parts(2, 4, 4, []) == ([], 4, 0)
    assert t42._vc_parts(2, 4, 4, [[0, 2], [0, 2]]) == (
        ["the sets are not distinct", "the inclusion matrix is not unitriangular at (1, 0)"],
        4, 0)
    assert t42._vc_parts(8, 10, 10, None) == ([], None, 0)
    # 2 n (l-2)^(n-1) = 4 * 75,000: exactly at the support cap, enumerated; one more: not
    assert t42._vc_parts(2, 75_002, 75_002, None) == ([], 150_000, 0)
    assert t42._vc_parts(2, 75_003, 75_003, None) == ([], None, 0)


@pytest.mark.parametrize(("n", "l", "d", "lower", "sets", "m", "c", "vc", "verdict"), [
    (1, 3, 3, True, [[0], [1]], 2, 2, 2, "holds"),
    (1, 3, 4, True, [[0], [1]], 2, 2, 2, "holds"),
    (1, 3, 5, True, [[0], [1]], 2, 2, 2, "fails"),
    (2, 4, 4, True, [[0, 2], [0, 3], [1, 2], [1, 3]], 4, 4, 4, "holds"),
    (2, 4, 4, False, [], 4, 0, None, "undecided"),
    (1, 3, 5, False, [], 2, 0, None, "fails"),
    (8, 10, 10, True, [], None, 0, None, "undecided"),
])
def test_theorem_4_2_vc_dimension__the_certificate(n, l, d, lower, sets, m, c, vc, verdict):
    cert = certify.theorem_4_2_vc_dimension(n, l, d, lower_bound=lower)
    assert {k: v for k, v in cert.items() if k != "inequality"} == {
        "format": certify.FORMAT, "kind": "theorem_4_2_vc_dimension", "claim": "Theorem 4.2",
        "inputs": {"n": n, "l": l, "d": d}, "witness": {"sets": sets},
        "enclosure": {"pattern_sets": m, "certified_shattered": c, "vc_dimension": vc,
                      "bound_squared": 2 ** (d - 2)}, "verdict": verdict}
    assert cert["inequality"].startswith("VCdim(H_CNN(X)) >= 2^(d/2-1). Upper bound: ")


def test_theorem_4_2_vc_dimension__the_lower_bound_by_default_and_the_caps():
    assert certify.theorem_4_2_vc_dimension(2, 4, 4)["witness"] == {
        "sets": [[0, 2], [0, 3], [1, 2], [1, 3]]}
    # n = 6, l = 9: 12 * 7^5 = 201,684 support points (under the cap of 300,000, while
    # 3 n (l-2)^(n-1) would not be) and 2 (7 + 21 + 35 + 35 + 21) = 238 pattern sets, all
    # certified shattered
    cert = certify.theorem_4_2_vc_dimension(6, 9, 9)
    assert len(cert["witness"]["sets"]) == 238
    assert cert["enclosure"] == {"pattern_sets": 238, "certified_shattered": 238,
                                 "vc_dimension": 238, "bound_squared": 128}
    assert cert["verdict"] == "holds"
    # above the support cap: nothing enumerated, nothing decided
    cert = certify.theorem_4_2_vc_dimension(2, 75_003, 75_003)
    assert cert["witness"] == {"sets": []}
    assert (cert["enclosure"]["pattern_sets"], cert["enclosure"]["certified_shattered"],
            cert["enclosure"]["vc_dimension"]) == (None, 0, None)
    assert cert["verdict"] == "undecided"


def test_theorem_4_2_vc_dimension__more_sets_than_the_lower_bound_checks():
    # n = 5, l = 12: 2 (10 + 45 + 120 + 210) = 770 pattern sets, more than 400
    cert = certify.theorem_4_2_vc_dimension(5, 12, 12)
    assert cert["witness"] == {"sets": []}
    assert cert["enclosure"] == {"pattern_sets": 770, "certified_shattered": 0,
                                 "vc_dimension": None, "bound_squared": 1024}
    assert cert["verdict"] == "undecided"


def test_theorem_4_2_builders__refuse_bad_integers():
    for args, why in (((0, 3, 3), "n must be an integer >= 1, got 0"),
                      ((1, 2, 3), "l must be an integer >= 3, got 2"),
                      ((1, 4, 3), "d must be an integer >= 4, got 3")):
        with pytest.raises(ValueError) as info:
            certify.theorem_4_2_vc_dimension(*args)
        assert str(info.value) == why
    inp, wit = _network()
    for (n, d, l), why in (((1, 4, 4), "n must be an integer >= 2, got 1"),
                           ((2, 2, 4), "d must be an integer >= 3, got 2"),
                           ((2, 4, 2), "l must be an integer >= 3, got 2")):
        with pytest.raises(ValueError) as info:
            certify.theorem_4_2_shattering(n, d, l, inp["patterns"], inp["points"],
                                           wit["directions"], [0, 1, 2], wit["a"],
                                           wit["coefficients"])
        assert str(info.value) == why


def test_theorem_4_2_shattering__problems_make_it_undecided():
    inp, wit = _network()
    wit["coefficients"][3][0] = "1"
    cert = certify.theorem_4_2_shattering(2, 4, 4, inp["patterns"], inp["points"],
                                          wit["directions"], [0, 1, 2], wit["a"],
                                          wit["coefficients"])
    assert cert["verdict"] == "undecided"
    assert cert["problems"] == ["some labelling is not realised (min y N(x) = 0)"]
    assert cert["enclosure"] == {"min_margin": "0"}
    # inputs written as canonical rational text and integer indices
    inp, wit = _network()
    cert = certify.theorem_4_2_shattering(2, 4, 4, [[F(v) for v in r] for r in inp["patterns"]],
                                          inp["points"], [[0.5 * 2 * F(v) for v in r]
                                                          for r in wit["directions"]],
                                          [0, 1, 2], [1, 1, -1], [[F(v) for v in r]
                                                                  for r in wit["coefficients"]])
    assert cert["inputs"]["patterns"][0] == ["1", "0", "0", "0"]
    assert cert["witness"]["directions"][0] == ["0", "0", "1", "0"]
    assert cert["witness"]["a"] == ["1", "1", "-1"]
    assert cert["verdict"] == "holds"


def test_support__equals_a_brute_force_enumeration():
    # the support of n = 2, l = 5 by brute force over all index vectors
    brute = [(y, x) for x in itertools.product(range(5), repeat=2)
             for y in (1, -1) if sum(p == (0 if y == 1 else 1) for p in x) == 1
             and all(p >= 2 for p in x if p != (0 if y == 1 else 1))]
    assert sorted(_kkt.support(2, 5)) == sorted(brute)
