"""What ``verify.certify`` says and where it writes (fast, hand-made data): the file name
recomputed from a certificate's kind and inputs, the one-line summary of a verified certificate,
the status each refusal maps to, the text written to disk, and the bounded strict read of a
file."""

from __future__ import annotations

import hashlib
import io
import json

import pytest

pytest.importorskip("flint", reason="needs the certify extra (python-flint)")

from verify import certify
from verify.certify import _strict
from verify.certify._common import Result


def _digest(inputs) -> str:
    return hashlib.sha256(json.dumps(inputs, sort_keys=True).encode()).hexdigest()[:12]


# ----------------------------------------------------------------------------- file_name


def test_file_name__inputs_sorted():
    assert certify.file_name({"kind": "lemma_5_2_failure_probability",
                              "inputs": {"l": 3, "d": 5, "k": 1000}}) == \
        "lemma_5_2_failure_probability-d5-k1000-l3.json"
    assert certify.file_name({"kind": "event_14_probability", "inputs": {"m": 50}}) == \
        "event_14_probability-m50.json"
    assert certify.file_name({"kind": "x", "inputs": {}}) == "x-.json"
    assert certify.file_name({"kind": "x"}) == "x-.json"
    assert certify.file_name({"inputs": {"m": 1}}) == "None-m1.json"


def test_file_name__an_algebra_step_by_its_id_else_a_hash():
    inputs = {"variables": ["x"], "assumptions": [], "goal": ["x", ">", "0"]}
    assert certify.file_name({"kind": "algebra_step", "id": "B.1", "inputs": inputs}) == \
        "algebra_step-B.1.json"
    assert certify.file_name({"kind": "algebra_step", "inputs": inputs}) == \
        f"algebra_step-{_digest(inputs)}.json"
    assert certify.file_name({"kind": "algebra_step", "id": "", "inputs": inputs}) == \
        f"algebra_step-{_digest(inputs)}.json"
    # characters other than letters, digits and ._- become _
    assert certify.file_name({"kind": "algebra_step", "id": "a/b c:d_e-f.g",
                              "inputs": inputs}) == "algebra_step-a_b_c_d_e-f.g.json"


def test_file_name__shattering_and_footnote_5_by_a_hash():
    inputs = {"n": 2, "d": 4, "l": 4, "patterns": [["1"]], "points": [[0, 2]]}
    assert certify.file_name({"kind": "theorem_4_2_shattering", "inputs": inputs}) == \
        f"theorem_4_2_shattering-d4-l4-n2-{_digest(inputs)}.json"
    assert certify.file_name({"kind": "theorem_4_2_shattering", "inputs": {"d": 4}}) == \
        f"theorem_4_2_shattering-d4-lNone-nNone-{_digest({'d': 4})}.json"
    inputs = {"d_values": [3, 4, 10], "ks": {"3": [1, 2]}, "tolerance": "1/20"}
    assert certify.file_name({"kind": "footnote_5_rate", "inputs": inputs}) == \
        f"footnote_5_rate-d3_4_10-{_digest(inputs)}.json"
    assert certify.file_name({"kind": "footnote_5_rate", "inputs": {}}) == \
        f"footnote_5_rate-d-{_digest({})}.json"


def test_file_name__of_the_builders():
    assert certify.file_name(certify.lemma_5_2_per_filter(6, 3)) == \
        "lemma_5_2_per_filter-d6-l3.json"
    assert certify.file_name(certify.theorem_4_2_vc_dimension(2, 4, 4)) == \
        "theorem_4_2_vc_dimension-d4-l4-n2.json"


# ----------------------------------------------------------------------------- summary


def test_summary__an_enclosure():
    cert = {"verdict": "holds", "kind": "k", "claim": "Eq. 14", "inputs": {"m": 50, "s": "x"},
            "enclosure": {"quantity": "[0.1 +/- 1e-9]", "bound": "[0.9 +/- 1e-9]", "bits": 64}}
    assert certify._summary(cert) == \
        "holds: [0.1 +/- 1e-9] <= [0.9 +/- 1e-9], proved at 64 bits (Eq. 14 at m = 50)"
    assert certify._summary({**cert, "verdict": "fails"}) == \
        "fails: [0.1 +/- 1e-9] > [0.9 +/- 1e-9], proved at 64 bits (Eq. 14 at m = 50)"


def test_summary__an_algebra_step():
    cert = {"verdict": "holds", "kind": "algebra_step", "claim": "c", "id": "B.4",
            "inputs": {"variables": ["x"]}, "enclosure": None}
    assert certify._summary(cert) == "holds: step B.4, the goal follows from the assumptions"
    cert = {**cert, "verdict": "fails", "witness": {"x": "-1"}}
    del cert["enclosure"]
    assert certify._summary(cert) == "fails: step B.4, exact counterexample {'x': '-1'}"


def test_summary__any_other_kind():
    cert = {"verdict": "fails", "kind": "lemma_5_2_per_filter", "claim": "Lemma 5.2 (x)",
            "inputs": {"d": 6, "l": 3, "name": "n", "flag": 2.5},
            "enclosure": {"q_l": "3/16"}}
    assert certify._summary(cert) == \
        "fails: Lemma 5.2 (x) at d = 6, l = 3, every field recomputed"
    assert certify._inputs_text({"a": 1, "b": [2], "c": 3}) == "a = 1, c = 3"
    assert certify._inputs_text({}) == ""


def test_check__the_summary_of_a_verified_certificate():
    res = certify.check(certify.lemma_5_2_per_filter(6, 3),
                        name="lemma_5_2_per_filter-d6-l3.json")
    assert res == Result(True, "fails: Lemma 5.2 (per-filter probability) at d = 6, l = 3, "
                               "every field recomputed", "verified")


# ----------------------------------------------------------------------------- check's statuses


@pytest.mark.parametrize(("exc", "result"), [
    (_strict.TooLarge("k = 10^12 > 10^9"),
     Result(False, "too large to re-check: k = 10^12 > 10^9", "too large to re-check")),
    (_strict.NotTheStatement("step B.1 is not the paper's"),
     Result(False, "step B.1 is not the paper's", "not verified")),
    (ValueError("input 'd' must be >= 3"),
     Result(False, "malformed: input 'd' must be >= 3", "malformed")),
    (_strict.Malformed("unknown field 'x'"),
     Result(False, "malformed: unknown field 'x'", "malformed")),
    (ZeroDivisionError("division by zero"),
     Result(False, "malformed: division by zero", "malformed")),
])
def test_check__each_refusal_and_its_status(monkeypatch, exc, result):
    def refuse(cert, name):
        raise exc

    monkeypatch.setattr(certify, "_check", refuse)
    assert certify.check({}) == result


def test_check__passes_the_name_on():
    seen = []
    cert = certify.lemma_5_2_per_filter(6, 3)
    res = certify.check(cert, name="other.json")
    assert res == Result(False, "file name 'other.json' is not the recomputed "
                                "'lemma_5_2_per_filter-d6-l3.json'", "not verified")
    assert certify.check(cert).ok
    seen.append(certify.check_text(certify.dumps(cert), name="other.json"))
    seen.append(certify.check_text(certify.dumps(cert)))
    assert seen == [res, certify.check(cert)]


def test_check_text__strict_parsing_first():
    text = certify.dumps(certify.lemma_5_2_per_filter(6, 3))
    dup = text.replace('"verdict": "fails"', '"verdict": "fails", "verdict": "fails"')
    assert certify.check_text(dup) == Result(False, "malformed: duplicate key 'verdict'",
                                             "malformed")
    assert certify.check_text("[]") == Result(
        False, "malformed: not a JSON object but a list", "malformed")
    too_large = text.replace('"d": 6', '"d": 100000000000')
    assert certify.check_text(too_large).status == "too large to re-check"


# ----------------------------------------------------------------------------- dumps, read


def test_dumps__sorted_indented_newline_terminated():
    assert certify.dumps({"b": [1], "a": "x"}) == '{\n "a": "x",\n "b": [\n  1\n ]\n}\n'


def test_read__the_size_cap_and_utf_8(tmp_path, monkeypatch):
    path = tmp_path / "c.json"
    path.write_text('{"a": 1}')
    monkeypatch.setattr(_strict, "MAX_FILE_BYTES", 8)
    assert _strict.read(path) == {"a": 1}
    monkeypatch.setattr(_strict, "MAX_FILE_BYTES", 7)
    with pytest.raises(_strict.Malformed) as info:
        _strict.read(path)
    assert str(info.value) == "larger than 7 bytes"
    monkeypatch.undo()
    path.write_bytes(b'{"a": "\xff"}')
    with pytest.raises(_strict.Malformed) as info:
        _strict.read(path)
    assert str(info.value) == "not UTF-8 text: invalid start byte at byte 7"
    with pytest.raises(OSError):
        _strict.read(tmp_path / "none.json")


def test_read__at_most_one_byte_past_the_cap(tmp_path, monkeypatch):
    asked = []

    class Endless(io.BytesIO):
        def read(self, size=-1):
            asked.append(size)
            return b" " * (size if isinstance(size, int) and size >= 0 else 10**4)

    monkeypatch.setattr(_strict, "MAX_FILE_BYTES", 100)
    monkeypatch.setattr(_strict, "open", lambda *a, **k: Endless(), raising=False)
    with pytest.raises(_strict.Malformed, match=r"^larger than 100 bytes$"):
        _strict.read(tmp_path / "c.json")
    assert asked == [101]


@pytest.mark.parametrize(("value", "name"), [
    ({}, "an object"), ([], "an array"), ("", "a string"), (0, "an integer"),
    (0.5, "a number"), (True, "a boolean"), (None, "null"), ((), "tuple")])
def test_type_name(value, name):
    assert _strict._type_name(value) == name
