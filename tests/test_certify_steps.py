"""verify.certify's own table of the paper's proof-algebra steps (verify/certify/paper_steps.json):
a certificate whose id is a paper step must state exactly that step; any other step is named by
the hash of its statement and inputs."""

from __future__ import annotations

import json
from importlib import resources

import pytest

pytest.importorskip("flint", reason="needs the certify extra (python-flint)")
pytest.importorskip("z3", reason="needs the certify extra (z3-solver)")

from verify import certify
from verify.certify import _algebra, _steps, _strict
from verify.evidence import second_prover


def _table_text() -> str:
    return resources.files("verify.certify").joinpath("paper_steps.json").read_text("utf-8")


def _proof_algebra_certificates() -> dict[str, dict]:
    from verify.claims.proof_algebra import algebra_checks

    return {c.id: c.second["certificate"] for c in algebra_checks()
            if (c.second or {}).get("certificate")}


def test_table__is_strict_json_with_distinct_ids_and_no_trivial_goal():
    doc = _strict.loads(_table_text())  # duplicate ids would be refused here
    assert doc["format"] == _steps.STEPS_FORMAT
    steps = doc["steps"]
    assert len(steps) == 36
    for step_id, step in steps.items():
        assert set(step) == {"inequality", "inputs"}, step_id
        assert set(step["inputs"]) <= {"variables", "assumptions", "goal", "integers"}, step_id
        assert not _algebra.trivial(step["inputs"]["goal"]), step_id
        assert not _steps.OWN_ID.fullmatch(step_id), step_id


def test_table__is_exactly_what_the_proof_algebra_and_lemma_5_2_certify():
    """The table is verify.certify's restatement; the checkers must certify these very steps
    (same statement, same inputs), and every step of the table is certified by one of them."""
    from verify.claims.lemma_5_2.smallest_k import BERNSTEIN_STEP

    table = certify.paper_steps()
    certs = _proof_algebra_certificates()
    assert len(certs) == 35
    for step_id, cert in certs.items():
        assert step_id in table, step_id
        assert cert["inequality"] == table[step_id]["inequality"], step_id
        assert cert["inputs"] == table[step_id]["inputs"], step_id
    bern = table[BERNSTEIN_STEP["id"]]
    assert bern["inequality"] == BERNSTEIN_STEP["name"]
    assert bern["inputs"] == {k: BERNSTEIN_STEP[k] for k in ("variables", "assumptions", "goal")}
    assert set(table) == {*certs, BERNSTEIN_STEP["id"]}


def test_paper_step__builds_each_step_of_the_table_and_it_verifies():
    table = certify.paper_steps()
    verdicts = {}
    for step_id in table:
        cert = json.loads(certify.dumps(certify.paper_step(step_id)))
        assert certify.check(cert, name=f"algebra_step-{step_id}.json").ok, step_id
        verdicts[step_id] = cert["verdict"]
    assert sorted(i for i, v in verdicts.items() if v == "fails") == \
        ["B.4", "B.9", "C.6", "S.2"]
    assert set(verdicts.values()) == {"holds", "fails"}


def test_paper_step__refuses_an_unknown_id():
    with pytest.raises(ValueError, match=r"^step_id must be one of the paper's steps \(B\.1, "):
        certify.paper_step("B.99")


def test_algebra_step__with_a_paper_id_must_be_that_step():
    step = certify.paper_steps()["C.1"]
    inp = step["inputs"]
    assert certify.algebra_step(step["inequality"], inp["variables"], inp["assumptions"],
                                inp["goal"], step_id="C.1")["verdict"] == "holds"
    with pytest.raises(ValueError, match=r"^step_id: step B\.9 of the paper states "):
        certify.algebra_step(step["inequality"], inp["variables"], inp["assumptions"],
                             inp["goal"], step_id="B.9")
    b9 = certify.paper_steps()["B.9"]
    with pytest.raises(ValueError, match=r"^step_id: step B\.9 of the paper has inputs\."
                                         r"assumptions = "):
        certify.algebra_step(b9["inequality"], inp["variables"], inp["assumptions"],
                             inp["goal"], step_id="B.9")
    with pytest.raises(ValueError, match=r"^step_id: id 'Z' is neither a step of the paper"):
        certify.algebra_step("s", ["x"], [], ["x**2 + 1", ">", "0"], step_id="Z")


def test_mismatch__names_the_first_differing_input_and_missing_ones():
    b9 = certify.paper_steps()["B.9"]
    assert _steps.mismatch("B.9", b9["inequality"], b9["inputs"]) == ""
    goal = {**b9["inputs"], "goal": ["0", ">=", "1"]}
    assert _steps.mismatch("B.9", b9["inequality"], goal) == (
        'step B.9 of the paper has inputs.goal = ["16*v0_s*v1_u**2 + 96*v0_s*v1_u + 144*v0_s - '
        '4*v1_u - 12", ">=", "0"], this file ["0", ">=", "1"]')
    extra = {**b9["inputs"], "integers": ["v0_s"]}
    assert _steps.mismatch("B.9", b9["inequality"], extra) == \
        'step B.9 of the paper has inputs.integers = null, this file ["v0_s"]'
    c6 = certify.paper_steps()["C.6"]
    dropped = {k: v for k, v in c6["inputs"].items() if k != "integers"}
    assert _steps.mismatch("C.6", c6["inequality"], dropped) == \
        'step C.6 of the paper has inputs.integers = ["v0_m1"], this file null'


def test_own_steps__the_id_is_the_hash_of_statement_and_inputs():
    cert = json.loads(certify.dumps(certify.algebra_step("x^2 + 1 > 0", ["x"], [],
                                                         ["x**2 + 1", ">", "0"])))
    assert _steps.OWN_ID.fullmatch(cert["id"])
    assert cert["id"] == _steps.own_id("x^2 + 1 > 0", cert["inputs"])
    assert certify.check(cert).ok
    relabelled = {**cert, "inequality": "x^2 + 1 < 0 for every x"}
    res = certify.check(relabelled)
    assert (res.ok, res.status) == (False, "not verified")
    assert res.message == (f"id {cert['id']} is not the hash of this step's statement and "
                           f"inputs ({_steps.own_id(relabelled['inequality'], cert['inputs'])})")
    other = {**cert, "inputs": {**cert["inputs"], "goal": ["x**2 + 2", ">", "0"]}}
    assert not certify.check(other).ok
    assert "is not the hash of this step's statement and inputs" in certify.check(other).message
    assert _steps.own_id("a", {"goal": 1}) != _steps.own_id("b", {"goal": 1})
    assert _steps.own_id("a", {"goal": 1}) != _steps.own_id("a", {"goal": 2})


def test_step_certificate__a_paper_step_is_the_tables_even_from_other_inputs(monkeypatch):
    """The second prover's certificate names its row's step: relabelled when its inputs are
    the table's; decided again from the table when they are not (another SymPy printing), and
    dropped when that verdict differs; a step outside the table is named by its hash."""
    table = certify.paper_steps()
    c1 = table["C.1"]
    inp = c1["inputs"]
    mine = certify.algebra_step("step", inp["variables"], inp["assumptions"], inp["goal"])
    named = second_prover.step_certificate(mine, ("C.1", "the row's words"))
    assert (named["id"], named["claim"], named["inequality"]) == \
        ("C.1", "proof algebra C.1", c1["inequality"])
    assert certify.check(json.loads(certify.dumps(named))).ok
    printed = certify.algebra_step("step", ["x"], [["x", ">", "0"]], ["x**2 + x", ">=", "0"])
    again = second_prover.step_certificate(printed, ("C.1", "the row's words"))
    assert again == certify.paper_step("C.1")
    false = certify.algebra_step("step", ["x"], [], ["x", ">=", "0"])
    assert false["verdict"] == "fails"
    assert second_prover.step_certificate(false, ("C.1", "")) is None
    own = second_prover.step_certificate(mine, ("Q.7", "a step of one's own"))
    assert own["id"] == _steps.own_id("a step of one's own", mine["inputs"])
    assert certify.check(json.loads(certify.dumps(own))).ok
