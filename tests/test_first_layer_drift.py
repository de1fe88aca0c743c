"""The tutorial's claim (verify.claims.first_layer_drift): its rules on hand-made recorders, its
bound's constant just inside and just outside, and one real run inside and outside its
assumption."""

from __future__ import annotations

from types import SimpleNamespace

import numpy as np
import pytest

from verify.claims import CLAIM_MODULES, first_layer_drift
from verify.claims.first_layer_drift import DriftRecorder, check_recorder, check_setting
from verify.claims.section_5 import regimes
from verify.evidence import Strength, Verdict


def _recorder(outputs: list[list[float]]) -> DriftRecorder:
    rec = DriftRecorder()
    for t, N in enumerate(outputs):
        rec.on_step(SimpleNamespace(t=t, step=SimpleNamespace(N=np.array(N))))
    return rec


def test_recorder__keeps_the_largest_drift_since_start_and_of_each_step():
    rec = _recorder([[0.0, 1.0], [0.1, 0.8], [0.15, 0.95]])
    assert rec.since_start.value == pytest.approx([0.0, 0.2, 0.15])
    assert rec.since_start.where == [0, 1, 0]
    assert rec.per_step.t == [1, 2]
    assert rec.per_step.value == pytest.approx([0.2, 0.15])


@pytest.mark.parametrize(("step", "verdict"), [(0.0999, Verdict.HOLDS), (0.1001, Verdict.FAILS)])
def test_check_recorder__per_step_bound_is_k_eta1(step, verdict):
    # k = 10, eta1 = 0.01: k eta1 = 0.1 per step, k eta1 T1 = 0.2 <= 1/4
    rec = _recorder([[0.0], [step], [step]])
    ev = check_recorder(rec, k=10, eta1=0.01)
    assert ev.verdict == verdict
    assert ev.strength == Strength.COMPUTED


@pytest.mark.parametrize(("second", "verdict"), [(0.1999, Verdict.HOLDS), (0.2001, Verdict.FAILS)])
def test_check_recorder__drift_since_start_bound_is_k_eta1_t(second, verdict):
    rec = _recorder([[0.0], [0.05], [second]])
    ev = check_recorder(rec, k=10, eta1=0.01)
    part = ev.details["parts"]["|N^(t)(x) - N^(0)(x)| <= k eta1 t"]
    assert (part["slack"] >= 0) == (verdict == Verdict.HOLDS)


@pytest.mark.parametrize(("eta1", "verdict"), [(0.0249, Verdict.HOLDS), (0.0251, Verdict.FAILS)])
def test_check_recorder__k_eta1_T1_is_at_most_a_quarter(eta1, verdict):
    rec = _recorder([[0.0], [0.0]])  # T1 = 1, k = 10: k eta1 T1 <= 1/4 iff eta1 <= 0.025
    assert check_recorder(rec, k=10, eta1=eta1).verdict == verdict


def test_check_recorder__rejects_bad_arguments():
    with pytest.raises(ValueError, match="rec"):
        check_recorder(object(), k=1, eta1=0.1)
    with pytest.raises(ValueError, match="no step"):
        check_recorder(_recorder([[0.0]]), k=1, eta1=0.1)
    with pytest.raises(ValueError, match="k"):
        check_recorder(_recorder([[0.0], [0.0]]), k=0, eta1=0.1)
    with pytest.raises(ValueError, match="eta1"):
        check_recorder(_recorder([[0.0], [0.0]]), k=1, eta1=-1.0)
    with pytest.raises(ValueError, match="setting"):
        check_setting("not a setting")


def test_check_setting__holds_inside_and_names_the_assumption_outside():
    s = regimes("quick", 0)[0]
    inside = check_setting(s)
    assert inside.verdict == Verdict.HOLDS
    assert inside.assumptions == {"eta1<=1/(4k(T1+1))": True}
    assert 0 < inside.details["largest_step_drift_over_k_eta1"] <= 1
    outside = check_setting(s.replace(eta1=400 * s.eta1))
    assert outside.assumptions == {"eta1<=1/(4k(T1+1))": False}
    assert outside.verdict == Verdict.FAILS
    assert "eta1<=1/(4k(T1+1))" in outside.reason
    assert check_setting(s) == inside  # same seed, same evidence


def test_claim__is_registered_everywhere():
    from verify.fuzzing import targets
    from verify.report.atlas import ATLAS
    from verify.sweep.registry import specs

    assert "verify.claims.first_layer_drift" in CLAIM_MODULES
    assert first_layer_drift.CLAIM in {t.claim for t in targets()}
    assert first_layer_drift.CLAIM in {a.claim for a in ATLAS}
    assert first_layer_drift.CLAIM in specs()
