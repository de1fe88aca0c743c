"""Tests of ``python -m verify.certify`` (:mod:`verify.certify.__main__`): the exit-status
contract, one file at a time, strict parsing, and the caps of every kind (each input at its
cap passes the gate, just above it and at an absurd size is refused at once)."""

from __future__ import annotations

import json
import sys

import numpy as np
import pytest

pytest.importorskip("flint", reason="needs the certify extra (python-flint)")
pytest.importorskip("z3", reason="needs the certify extra (z3-solver)")

from verify import certify
from verify.certify import _algebra, _kinds, _strict
from verify.certify.__main__ import main
from verify.certify._steps import own_id


def _good(tmp_path):
    cert = certify.event_14_probability(100)
    path = tmp_path / certify.file_name(cert)
    path.write_text(certify.dumps(cert))
    return path


@pytest.mark.parametrize("argv", [[], ["check"], ["nope", "x.json"], ["check", "missing.json"],
                                  ["check", "--report", "r.json", "x.json"],
                                  ["check", "--report", "missing.json"], ["check", "--bogus"]])
def test_main__usage_error_is_one_line_exit_2(argv, capsys):
    assert main(argv) == 2
    out = capsys.readouterr()
    assert out.out == ""
    assert len(out.err.strip().splitlines()) == 1, out.err
    assert out.err.startswith("verify.certify: error: ")


def test_main__each_file_on_its_own(tmp_path, capsys):
    good = _good(tmp_path)
    bad = tmp_path / "bad.json"
    bad.write_text('{"format": 1, "format": 2}')
    assert main(["check", str(bad), str(good)]) == 1
    out = capsys.readouterr().out.splitlines()
    assert out == [f"{bad}: malformed: duplicate key 'format'", out[1]]
    assert out[1].startswith(f"{good}: verified: holds")
    assert main(["check", str(good)]) == 0


def test_main__a_crash_is_exit_3_naming_the_file_and_the_others_are_checked(
        tmp_path, capsys, monkeypatch):
    good = _good(tmp_path)
    calls = []

    def boom(cert, *, name=None):
        calls.append(name)
        if len(calls) == 1:
            raise TypeError("a bug")
        return certify.Result(True, "fine")

    monkeypatch.setattr(certify, "check", boom)
    assert main(["check", str(good), str(good)]) == 3
    out = capsys.readouterr()
    assert out.err == f"verify.certify: failed: {good}: TypeError: a bug\n"
    assert out.out == f"{good}: verified: fine\n"


def test_main__ctrl_c_is_one_line_exit_130(tmp_path, capsys, monkeypatch):
    good = _good(tmp_path)

    def interrupt(cert, *, name=None):
        raise KeyboardInterrupt

    monkeypatch.setattr(certify, "check", interrupt)
    assert main(["check", str(good)]) == 130
    assert capsys.readouterr().err == "verify.certify: interrupted\n"


def test_builders__accept_numpy_integers():
    i = np.int64
    assert certify.lemma_5_2_failure_probability(i(5), i(3), i(1000)) == \
        certify.lemma_5_2_failure_probability(5, 3, 1000)
    assert certify.event_14_probability(np.int32(100)) == certify.event_14_probability(100)
    assert certify.lemma_5_2_per_filter(i(6), i(3))["inputs"] == {"d": 6, "l": 3}
    with pytest.raises(ValueError, match="d must be an integer"):
        certify.lemma_5_2_failure_probability(np.bool_(True), 3, 10)


# ----------------------------------------------------------------------------- strict parsing

@pytest.mark.parametrize(("text", "why"), [
    ('{"a": 1, "a": 2}', "duplicate key 'a'"),
    ('{"a": NaN}', "NaN is not a number"),
    ('{"a": -Infinity}', "-Infinity is not a number"),
    ("[1]", "not a JSON object but a list"),
    ('{"a": ' + "1" * 10**6 + "}", "an integer of 1000000 digits"),
    ("[" * 10**5 + "]" * 10**5, "nested more than 16 levels"),
    ("{nope", "not JSON"),
])
def test_loads__refuses_in_one_line(text, why):
    res = certify.check_text(text)
    assert res.status == "malformed", res
    assert why in res.message, res


def test_read__refuses_a_file_above_the_size_cap(tmp_path):
    path = tmp_path / "big.json"
    path.write_bytes(b" " * (_strict.MAX_FILE_BYTES + 1))
    with pytest.raises(_strict.Malformed, match="larger than"):
        _strict.read(path)
    path.write_bytes(b"\xff{}")
    with pytest.raises(_strict.Malformed, match="not UTF-8"):
        _strict.read(path)


def test_shape_problem__names_the_first_difference():
    want = {"a": {"b": 1}, "c": [1, 2]}
    assert _strict.shape_problem({"a": {"b": 2}, "c": [3, 4]}, want) == ""
    assert _strict.shape_problem({"a": {"b": 1}, "c": [1]}, want) == \
        "field 'c' has 1 entries, recomputed 2"
    assert _strict.shape_problem({"a": {"b": "x"}, "c": [1, 2]}, want) == \
        "field 'a.b' must be an integer, got a string"
    assert _strict.shape_problem({"a": {}, "c": [1, 2]}, want) == "missing field 'a.b'"
    assert _strict.shape_problem({"a": {"b": 1, "z": 0}, "c": [1, 2]}, want) == \
        "unknown field 'a.z'"


# ----------------------------------------------------------------------------- caps

INTEGER_CAPS = [(kind.name, key, cap) for kind in _kinds.KINDS.values()
                for key, cap in kind.caps.items()]


def _inputs_at(kind: _kinds.Kind, key: str, value: int) -> dict[str, int]:
    inputs = dict(kind.inputs)
    inputs[key] = value
    return inputs


@pytest.mark.parametrize(("name", "key", "cap"), INTEGER_CAPS)
def test_caps__at_the_cap_pass_just_above_and_absurd_are_refused(name, key, cap):
    kind = _kinds.KINDS[name]
    assert _kinds.integer_inputs(kind, _inputs_at(kind, key, cap))[key] == cap
    for value in (cap + 1, 10**30):
        with pytest.raises(_strict.TooLarge, match=f"^{key} = "):
            _kinds.integer_inputs(kind, _inputs_at(kind, key, value))
        cert = {"format": certify.FORMAT, "kind": name, "inputs": _inputs_at(kind, key, value),
                "verdict": "holds"}
        res = certify.check(cert)
        assert res.status == "too large to re-check", res
        assert res.message.startswith(f"too large to re-check: {key} = ")


def test_caps__the_thorough_profiles_certificates_are_inside():
    from verify.claims.lemma_5_2 import _PROFILES
    from verify.claims.lemma_5_2.smallest_k import bernstein_horizon

    cfg = _PROFILES["thorough"]
    caps = {k.name: k.caps for k in _kinds.KINDS.values()}
    assert 8 * cfg["d_max"] ** 3 * max(cfg["factors"]) <= \
        caps["lemma_5_2_failure_probability"]["k"]
    # the thorough Atlas sweep's exact cells (d up to 30, k = 100 * 8d^3 + 1), every one
    from verify.claims.lemma_5_2.sweep import SWEEP

    exact = next(spec for spec in SWEEP if spec.claim.endswith("(exact)"))
    cells = exact.grids["thorough"].regimes
    assert max(c["k"] for c in cells) == 100 * 8 * 30**3 + 1
    for c in cells:
        _kinds.integer_inputs(_kinds.KINDS["lemma_5_2_failure_probability"], c)
    assert bernstein_horizon(cfg["smallest_k_d_max"], cfg["smallest_k_d_max"]) <= \
        caps["smallest_k"]["horizon"]
    from verify.claims.lemma_5_2.smallest_k import smallest_k

    for d in range(3, cfg["smallest_k_d_max"] + 1):
        h, k_star = bernstein_horizon(d, d), smallest_k(d, d)["k_star"]
        assert (h * h - k_star * k_star) // (2 * d) <= _kinds.SMALLEST_K_WORK
    from verify.claims.event_14 import _PROFILES as E14

    assert E14["thorough"]["m_max"] <= caps["event_14_probability"]["m"]


def test_caps__structured_kinds_refuse_at_once():
    shatter = {"format": certify.FORMAT, "kind": "theorem_4_2_shattering", "verdict": "holds",
               "inputs": {"n": 2, "d": 64, "l": 3, "points": [],
                          "patterns": [["0"] * 1000] * 1000}}
    assert certify.check(shatter).message == "too large to re-check: len(inputs.patterns) " \
                                             "= 1000 > 3"
    fn5 = certify.footnote_5_rate([3], {"3": [436, 527, 636, 769]})
    fn5["inputs"]["ks"]["3"][0] = 2 * 10**6
    res = certify.check(fn5)
    assert res.message == "too large to re-check: k (d = 3) = 2*10^6 > 6000", res


@pytest.mark.parametrize(("goal", "why"), [
    (["((x**64)**64)**64", ">=", "0"], "degree more than 256"),
    (["x**65", ">=", "0"], "only integer powers 0..64"),
    (["+".join(["x"] * 10**5), ">=", "0"], "characters (at most"),
    (["-" * 1000 + "x", ">=", "0"], "nested"),
    (["x + 1", "==", "x + 1"], "trivially true"),
    (["x", "=>", "1"], "is not [lhs, relation, rhs]"),
])
def test_algebra_step__oversized_or_trivial_goals_are_malformed(goal, why):
    cert = {"format": certify.FORMAT, "kind": "algebra_step", "id": "X.1",
            "claim": "proof algebra X.1", "inequality": "x", "verdict": "holds",
            "inputs": {"variables": ["x"], "assumptions": [], "goal": goal}}
    res = certify.check(cert)
    assert res.status == "malformed", res
    assert why in res.message, res


def test_algebra_step__expansion_beyond_the_work_cap_is_too_large():
    sides = "(a + b + c + d + e + f + g + h)**12"
    inputs = {"variables": list("abcdefgh"), "assumptions": [],
              "goal": [sides, "==", sides + " + 0"]}
    step_id = own_id("x", inputs)
    cert = {"format": certify.FORMAT, "kind": "algebra_step", "id": step_id,
            "claim": f"proof algebra {step_id}", "inequality": "x", "verdict": "holds",
            "inputs": inputs}
    assert certify.check(cert).status == "too large to re-check"


def test_z3_isolated__a_hard_goal_is_stopped_and_undecided():
    goal = ["(x*y - z*w)**8*(x + y + z + w)**6 + x**3*y**5 - 7*z**2*w", ">=",
            "-(x**2 + y**2)**4"]
    status, witness = _algebra.z3_isolated(["x", "y", "z", "w"],
                                           [["x", ">", "0"], ["y", "<", "z"]], goal, seconds=1)
    assert (status, witness) == ("unknown", None)
    assert _algebra.z3_isolated(["x"], [["x", ">", "0"]], ["x**2 + 1", ">", "0"]) == \
        ("proved", None)
    assert _algebra.z3_isolated(["x"], [], ["x", ">", "0"]) == ("false", {"x": "0"})
    with pytest.raises(ValueError, match="unknown variable 'y'"):
        _algebra.z3_isolated(["x"], [], ["y", ">", "0"])


def _isolated_in_daemon(conn, memory):
    conn.send(_algebra.z3_isolated(["x"], [["x", ">", "0"]], ["x**2 + 1", ">", "0"],
                                   memory=memory))
    conn.close()


@pytest.mark.parametrize(("memory", "expected"), [(_algebra.Z3_MEMORY, ("proved", None)),
                                                  (40 * 2**20, ("unknown", None))])
def test_z3_isolated__a_daemonic_process_runs_z3_in_a_capped_child(memory, expected):
    """A report's worker is daemonic: Z3 still runs in a child, under the memory cap (40 MB is
    too little to load Z3, so that child fails and the step is undecided)."""
    import multiprocessing

    ctx = multiprocessing.get_context("fork")
    recv, send = ctx.Pipe(duplex=False)
    worker = ctx.Process(target=_isolated_in_daemon, args=(send, memory), daemon=True)
    worker.start()
    send.close()
    try:
        assert recv.poll(60)
        assert tuple(recv.recv()) == expected
    finally:
        worker.join(10)
        if worker.is_alive():
            worker.kill()


def _state(pid):
    """The process state letter from /proc (``"gone"`` once it is reaped)."""
    try:
        with open(f"/proc/{pid}/stat") as fh:
            return fh.read().rsplit(")", 1)[1].split()[0]
    except FileNotFoundError:
        return "gone"


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="prctl and /proc: Linux")
def test_z3_isolated__the_child_dies_with_its_parent():
    import signal
    import subprocess
    import time

    hard = ("(x*y - z*w)**8*(x + y + z + w)**6 + x**3*y**5 - 7*z**2*w", ">=",
            "-(x**2 + y**2)**4")
    code = ("from verify.certify import _algebra; _algebra.z3_isolated(['x', 'y', 'z', 'w'], "
            f"[['x', '>', '0'], ['y', '<', 'z']], {list(hard)!r}, seconds=300)")
    parent = subprocess.Popen([sys.executable, "-c", code])
    try:
        children = f"/proc/{parent.pid}/task/{parent.pid}/children"
        deadline = time.monotonic() + 60
        child = ""
        while not child and time.monotonic() < deadline:
            with open(children) as fh:
                child = fh.read().strip()
            time.sleep(0.05)
        assert child, "the solver's child process did not start"
        parent.send_signal(signal.SIGKILL)
        parent.wait()
        deadline = time.monotonic() + 10
        while _state(child) not in ("gone", "Z") and time.monotonic() < deadline:
            time.sleep(0.05)
        assert _state(child) in ("gone", "Z"), f"child {child} outlived its parent"
    finally:
        if parent.poll() is None:
            parent.kill()
            parent.wait()


# ----------------------------------------------------------------------------- the algebra

def test_algebra_certificates__none_is_trivially_true_and_the_identities_keep_their_form():
    from verify.claims.proof_algebra import algebra_checks

    certs = {c.id: c.second["certificate"] for c in algebra_checks()
             if (c.second or {}).get("certificate")}
    assert len(certs) == 35
    for cert in certs.values():
        assert not _algebra.trivial(cert["inputs"]["goal"]), cert["id"]
    paper = {"B.1", "B.2", "C.10", "E.1", "E.5", "E.6", "E.7", "T.1"}
    for i in paper:
        lhs, rel, rhs = certs[i]["inputs"]["goal"]
        assert rel == "==", i
        assert lhs.replace(" ", "") != rhs.replace(" ", ""), i
        assert certify.check(json.loads(json.dumps(certs[i]))).ok, i
    assert certs["E.1"]["inputs"]["goal"][0].startswith("(80*d/(k*eta1*T1))*(k/(4*d))")
    assert ["J**2", "==", "N*J"] in certs["T.1"]["inputs"]["assumptions"]


def test_exact_identity__decides_from_the_papers_form():
    assert _algebra.exact_identity(["d"], ["(1/2)*(1 - 2**(-d + 1))/(d - 1)", "==",
                                           "(1 - 2**(-d + 1))/(2*(d - 1))"])
    assert _algebra.exact_identity(["k", "d"], ["2*exp(-2*k*(1/(4*d))**2)", "==",
                                                "2*exp(-k/(8*d**2))"])
    assert not _algebra.exact_identity(["k", "d"], ["exp(k)", "==", "exp(d)"])
    assert not _algebra.exact_identity(["x"], ["x**2", "==", "x"])
    # the algebra J^2 = N J is an assumption, so Z3 decides T.1
    assert not _algebra.exact_identity(["J", "N"], ["(J - 1)*(J/(N - 1) - 1)", "==", "1"])


def test_paper_forms__equal_the_steps_sympy_decides():
    """Each identity's paper form (``verify.claims.proof_algebra_forms``) is the step SymPy
    decides: ``(paper lhs - paper rhs) - (lhs - rhs)`` simplifies to 0 (T.1 modulo J^2 = N J)."""
    import sympy as sp

    from verify.claims.proof_algebra import algebra_checks
    from verify.claims.proof_algebra_forms import PAPER

    problems = {c.id: c.outcome.problem for c in algebra_checks() if c.id in PAPER}
    assert set(problems) == set(PAPER)
    for i, form in PAPER.items():
        p = problems[i]
        names = {s.name: s for k in ("lhs", "rhs") for s in sp.sympify(p[k]).free_symbols}
        names.update({n: sp.Symbol(n) for n in ("d", "k", "J", "N") if n not in names})
        paper = sp.sympify(form["lhs"], locals=names) - sp.sympify(form["rhs"], locals=names)
        diff = sp.simplify(paper - (p["lhs"] - p["rhs"]))
        if i == "T.1":
            J, N = names["J"], names["N"]
            diff = sp.rem(sp.numer(sp.together(diff)), J**2 - N * J, J)
        assert diff == 0, (i, diff)
