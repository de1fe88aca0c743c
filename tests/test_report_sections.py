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


def test_render_section__one_row_per_regime_then_reproduce_lines_then_folded_details():
    lines = render_section(_section([_ev(1, d=3), _ev(2, "fails", d=4)]), {1: "f/p.png"})
    text = "\n".join(lines)
    assert "*Section 9.* x <= 1" in text
    assert "Every row: seed=0." in text
    assert "| # | d | observed | bound | slack | verdict |" in text
    row = next(line for line in lines if line.startswith("| 2 | 4 |"))
    assert row == "| 2 | 4 | 0.5 | 1 | 0.5 (difference) | ❌ fails |"
    assert "![Claim A #2](f/p.png)" in text
    assert '- #2: `python -c "check(2)"`' in lines  # a shell command, on its own line
    folded = text[text.index("<details>"):text.index("</details>")]
    assert "Every row: statement: x <= 1; tolerance 1.000e-12." in folded  # shared: said once
    assert folded.count("x <= 1") == 1
    own = folded[folded.index("- **#2**"):]
    assert "  - reason: reason 2" in own
    assert "  - assumptions: r<=eta1 ✗" in own
    assert "Every row's details:\n\n- per_step: [0, 1, 2, 3, … (20 values)]" in folded  # shared
    assert "per_step" not in own
    assert text.index("![Claim A #2]") < text.index("Reproduce:") < text.index("<details>")


def test_render_section__rows_that_share_a_command_are_listed_together():
    evs = [{**_ev(i, d=i), "reproduce": "python -m verify.experiments fig3a"} for i in (1, 2, 3)]
    evs.append({**_ev(4, d=4), "reproduce": "from verify import x; print(x)"})
    lines = render_section(_section(evs), {})
    assert "- #1–#3: `python -m verify.experiments fig3a`" in lines
    assert '- #4: `python -c "from verify import x; print(x)"`' in lines


def test_render_section__long_text_is_wrapped_and_long_decimals_rounded():
    ev = _ev(1, d=3)
    ev["reason"] = " ".join(["observed 2.10114 vs bound 0.096875"] * 30)
    lines = render_section(_section([ev]), {})
    assert max(map(len, lines)) <= 100
    text = "\n".join(lines)
    assert "2.10114" not in text
    assert "observed 2.101 vs bound 0.09688" in text


def test_render_section__a_table_per_claim_name():
    second = {**_ev(3, d=5), "claim": "Claim B"}
    text = "\n".join(render_section(_section([_ev(1, d=3), second]), {}))
    assert "### Claim A" in text
    assert "### Claim B" in text
    assert text.count("| # | d | observed |") + text.count("| # | observed |") == 2
    assert text.count("<details>") == 2  # one folded block per table


def test_findings__a_fuzzing_counterexample_names_the_missing_assumption():
    from verify.report.markdown import _findings

    doc = {"sections": [], "summary": [
        {"claim": "Lemma X", "verdict": "fails as stated; holds under l = d"},
        {"claim": "Lemma Y", "verdict": "fails"}],
        "assumptions": [
            {"claim": c, "counterexample": '{"d": 5}', "inside": True, "reproduce": "r"}
            for c in ("Lemma X", "Lemma Y")]}
    text = " ".join(line.strip() for line in _findings(doc))  # prose is wrapped
    assert "(found by the fuzzing; a missing assumption: the claim holds under l = d)" in text
    assert "**Lemma Y** fails inside its stated assumptions at {\"d\": 5} (found by the fuzzing)" \
        in text


def test_render_section__details_at_three_digits_noise_as_approximately_zero():
    evs = [_ev(i, d=i) for i in (1, 2)]
    for i, ev in enumerate(evs):
        ev["details"] = {"gap": 2.2e-16 * (i + 1), "fit": -1.0764 - 2e-4 * i,
                         "parts": {"p": {"tolerance": 1e-12, "slack": -1e-18 * (i + 1)}},
                         "qp_multipliers_range": [0.1 + i, 0.2]}
    text = "\n".join(render_section(_section(evs), {}))
    assert text.count("  - gap: ≈0") == 2  # within the row's tolerance 1e-12: rounding
    assert text.count("  - fit: -1.08") == 2  # 3 significant digits in the details
    assert "tolerance: 1.00e-12, slack: ≈0" in text  # a tolerance is printed as it is
    assert "multipliers_range:" not in text
    assert text.count("in report.json only: qp_multipliers_range") == 2
