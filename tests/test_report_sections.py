"""A claim's section of REPORT.md (:mod:`verify.report.sections`): compact tables of the varying
parameters, the rest folded away."""

from __future__ import annotations

from verify.report.sections import render_section, varying_params


def _ev(number: int, verdict: str = "holds", **params):
    return {"claim": "Claim A", "statement": "x <= 1", "verdict": verdict, "observed": 0.5,
            "bound": 1.0, "slack": 0.5, "slack_kind": "difference", "tolerance": 1e-12,
            "params": {"seed": 0, **params}, "assumptions": {"r<=eta1": number != 2},
            "reason": f"reason {number}", "details": {"per_step": list(range(20))},
            "reproduce": f"check({number})"}


def _section(evidence):
    return {"title": "Claim A (a test)", "statement": "x <= 1", "location": "Section 9",
            "module": "tests.fake_section", "seconds": 1.0, "error": "", "evidence": evidence}


def test_varying_params__splits_varying_from_shared():
    varying, fixed = varying_params([{"d": 3, "seed": 0}, {"d": 4, "seed": 0}, {"d": 4}])
    assert varying == ["d", "seed"]
    assert fixed == {}
    varying, fixed = varying_params([{"d": 3, "seed": 0}, {"d": 4, "seed": 0}])
    assert varying == ["d"]
    assert fixed == {"seed": 0}


def test_render_section__one_row_per_regime_with_reproduce_and_folded_details():
    lines = render_section(_section([_ev(1, d=3), _ev(2, "fails", d=4)]), {1: "f/p.png"})
    text = "\n".join(lines)
    assert "*Section 9.* x <= 1" in text
    assert "Every row: seed=0." in text
    assert "| # | d | observed | bound | slack | verdict | reproduce | details |" in text
    row = next(line for line in lines if line.startswith("| 2 | 4 |"))
    assert row.startswith("| 2 | 4 | 0.5 | 1 | 0.5 (difference) | ❌ fails | `check(2)` | ")
    assert "![Claim A #2](f/p.png)" in text
    folded = row[row.index("<details>"):row.index("</details>")]
    assert "reason 2" in folded
    assert "r&lt;=eta1 ✗" in folded  # HTML-escaped inside the cell
    assert "… (20 values)" in folded


def test_render_section__a_table_per_claim_name():
    second = {**_ev(3, d=5), "claim": "Claim B"}
    text = "\n".join(render_section(_section([_ev(1, d=3), second]), {}))
    assert "### Claim A" in text
    assert "### Claim B" in text
    assert text.count("| # | d | observed |") + text.count("| # | observed |") == 2
    assert text.count("<details>") == 2  # one folded cell per row


def test_findings__a_fuzzing_counterexample_names_the_missing_assumption():
    from verify.report.markdown import _findings

    doc = {"sections": [], "summary": [
        {"claim": "Lemma X", "verdict": "fails as stated; holds under l = d"},
        {"claim": "Lemma Y", "verdict": "fails"}],
        "assumptions": [
            {"claim": c, "counterexample": '{"d": 5}', "inside": True, "reproduce": "r"}
            for c in ("Lemma X", "Lemma Y")]}
    text = "\n".join(_findings(doc))
    assert "(found by the fuzzing; a missing assumption: the claim holds under l = d)" in text
    assert "**Lemma Y** fails inside its stated assumptions at {\"d\": 5} (found by the fuzzing)" \
        in text
