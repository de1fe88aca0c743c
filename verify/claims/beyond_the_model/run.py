"""One run of LW_CNN (Algorithm 1) in the relaxed model (:mod:`verify.model.relaxed`), judged by
the Section 5 checkers' own recorders and decision rules, and the test errors of the trained
CNN and of Section 7's SVM at the same ``m``.

Nothing here re-implements a lemma: :class:`~verify.claims.lemma_5_3.LuckyRecorder`,
:class:`~verify.claims.lemma_5_5.ResponseRecorder` and
:class:`~verify.claims.lemma_c2.OutputRecorder` watch the first layer and their
``check_recorder`` functions give the evidence each outcome is read from. The draws use the
streams of :func:`verify.claims.section_5.run_lw_cnn` (``"patterns"``, ``"init"``, ``"train"``),
so that at ``mu = sigma = 0`` the run *is* that run: it takes the pattern fast path and its
evidence is the existing checkers' evidence, bit for bit. Anywhere else the dense path serves
(:func:`verify.model.relaxed.first_layer_relaxed`); the noise comes from its own streams
(``"relaxed-noise", ...``) so that it never shifts the exact draws.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from typing import Any

import numpy as np

from verify._validate import check_int
from verify.accelerate import one_thread
from verify.claims import lemma_5_3, lemma_5_5, lemma_c2
from verify.claims.section_5 import fresh_samples, run_lw_cnn
from verify.claims.section_7.data import Dataset
from verify.claims.section_7.mlp import MLPParams, mlp_forward
from verify.claims.section_7.models import mlp_units_for, separators_fit, train_mlp
from verify.evidence import Evidence, Verdict
from verify.model import network
from verify.model.distribution import balanced_event, sample
from verify.model.initialisation import initialise
from verify.model.lw_cnn import FirstLayerState, second_layer
from verify.model.patterns import haar_patterns
from verify.model.relaxed import (
    RelaxedModel,
    check_path,
    coherent_patterns,
    first_layer_relaxed,
    noisy_inputs,
)
from verify.model.separators import min_norm_separator
from verify.model.setting import Setting
from verify.rng import generator

__all__ = ["CONCLUSIONS", "ITEM_2", "NoisyResponseRecorder", "Outcome", "evaluate_point"]

CONCLUSIONS: dict[str, str] = {
    "alignment": "Lemma 5.3 / Cor. 5.4 item 1: o_own.w_i^(t) >= t eta1/9 for the lucky filters",
    "off_pattern": "Lemma 5.3 / Cor. 5.4 item 2: o_j.w_i^(t) <= r (j != own) for the lucky "
                   "filters",
    "argmax": "Lemma 5.3 / Cor. 5.4 item 3: p_i^(t)(x) = o_own for every x of S1 with o_own",
    "response": "Lemma 5.5: x[j].w_i^(t) <= 2 eta1 t (support patterns, S1 and fresh inputs)",
    "output": "Lemma C.2: |N[(W^(t), a^(0))](x)| <= 1/2 on S1",
    "separable": "Appendix E: the features z(x) of S2 are linearly separable (no bias)",
    "cnn_beats_svm": "LW_CNN's test error < the SVM's (Section 7's linear SVM, same m)",
}
"""The conclusions mapped over ``(mu, sigma)``, by key, in words."""

TEST_POINTS = 2000
"""Fresh points for the Monte Carlo test errors."""

_OK = (Verdict.HOLDS.value, Verdict.BOUNDARY.value)
ITEM_2 = "o_j.w_i^(t) <= r (j != own)"
"""The name of Lemma 5.3's (and Corollary 5.4's) item 2 among
:func:`verify.claims.lemma_5_3.check_recorder`'s parts."""


class NoisyResponseRecorder(lemma_5_5.ResponseRecorder):
    """Lemma 5.5's recorder (the maximum over the support's patterns, exactly) that also takes,
    at every step, the largest ``x[j] . w_i^(t)`` over the dense noisy inputs ``X`` (the run's
    ``S_1`` and fresh draws): with noise the support is unbounded, so the check is over these
    draws. Without noise (``X = None``) it is
    :class:`~verify.claims.lemma_5_5.ResponseRecorder` itself."""

    def __init__(self, n: int, l: int, X: np.ndarray | None = None) -> None:
        super().__init__(n, l)
        self.X = X

    def on_step(self, state: FirstLayerState) -> None:
        super().on_step(state)
        if self.X is None:
            return
        z, _ = network.features(state.dense_W(), self.X)
        s, i = np.unravel_index(int(np.argmax(z)), z.shape)
        if z[s, i] > self.best.value[-1]:
            self.best.value[-1] = float(z[s, i])
            self.best.where[-1] = ["noisy input", int(s), "filter", int(i)]


@dataclass(frozen=True)
class Outcome:
    """One seed at one ``(mu, sigma)``: each conclusion's outcome (``None`` where its
    conditioning event fails: Eq. 14 or no lucky filter), the test errors, and the evidence
    of the Section 5 checkers it was read from."""

    holds: dict[str, bool | None]
    cnn_error: float
    svm_error: float
    evidence: dict[str, Evidence] = field(repr=False)
    path: str = "dense"
    mlp_error: float = math.nan

    def as_dict(self) -> dict[str, Any]:
        return {"holds": dict(self.holds), "cnn_error": self.cnn_error,
                "svm_error": self.svm_error, "mlp_error": self.mlp_error, "path": self.path}


def _patterns(setting: Setting, model: RelaxedModel) -> np.ndarray:
    O = haar_patterns(setting.d, setting.l, generator(setting.seed, "patterns"))
    return coherent_patterns(O, model.mu)


def _part_ok(ev: Evidence, name: str) -> bool:
    return ev.details["parts"][name]["verdict"] in _OK


def _lucky_outcomes(evs: list[Evidence], balanced: bool) -> dict[str, bool | None]:
    if not balanced or any(not ev.details["parts"] for ev in evs):
        return {"alignment": None, "off_pattern": None, "argmax": None}
    align = all(_part_ok(ev, f"{o}.w_i^(t) >= t eta1/9") for ev, o in zip(evs, ("o1", "o2"),
                                                                         strict=True))
    off_pattern = all(_part_ok(ev, ITEM_2) for ev in evs)
    argmax = all(part.get("mismatched_pairs_total", 0) == 0
                 for ev in evs for name, part in ev.details["parts"].items()
                 if name.startswith("p_i^(t)(x)"))
    return {"alignment": align, "off_pattern": off_pattern, "argmax": argmax}


def _separable(Z2: np.ndarray, y2: np.ndarray) -> bool:
    status = min_norm_separator(Z2, y2, bias=False).status
    if status not in ("optimal", "infeasible"):
        raise RuntimeError(f"separability of S2's features: solver stopped with {status!r}")
    return status == "optimal"


def evaluate_point(setting: Setting, model: RelaxedModel, *, fresh: int = 50,
                   test_points: int = TEST_POINTS, path: str | None = None,
                   mlp: bool = False) -> Outcome:
    """Run LW_CNN for ``setting`` on data of the relaxed ``model`` and read every conclusion of
    :data:`CONCLUSIONS` off the Section 5 checkers' evidence.

    ``path`` is ``"pattern"`` (only for ``mu = sigma = 0``; the default there) or ``"dense"``
    (the default otherwise). ``fresh`` noisy draws join ``S_1`` in Lemma 5.5's maximum when
    ``sigma > 0``; ``test_points`` fresh draws give the test errors of the trained CNN and of the
    SVM (:func:`verify.claims.section_7.models.separators_fit`) trained on the same ``S``, and,
    with ``mlp``, of Section 7's MLP (:func:`verify.claims.section_7.models.train_mlp`, hidden
    units matched to the CNN's parameter count, Adam from the stream ``"relaxed-mlp"``). The
    kernels run on one thread (:func:`verify.accelerate.one_thread`): the problems are
    small and many.
    """
    with one_thread():
        return _evaluate(setting, model, fresh, test_points, path, mlp)


def _evaluate(setting: Setting, model: RelaxedModel, fresh: int, test_points: int,
              path: str | None, mlp: bool) -> Outcome:
    if not isinstance(setting, Setting):
        raise ValueError(f"setting must be a Setting, got {type(setting).__name__}")
    path = check_path("pattern" if path is None and model.exact else path or "dense", model)
    fresh = check_int("fresh", fresh, low=1)
    test_points = check_int("test_points", test_points, low=1)
    s = setting
    O = _patterns(s, model)
    idx, y = sample(s.n, s.l, s.m, generator(s.seed, "train"))
    X = noisy_inputs(idx, O, model.sigma, generator(s.seed, "relaxed-noise", "train"))
    m1 = s.m1
    X_extra = None
    if model.sigma > 0:
        fidx, _ = fresh_samples(s, fresh, "lemma-5.5")
        Xf = noisy_inputs(fidx, O, model.sigma, generator(s.seed, "relaxed-noise", "fresh"))
        X_extra = np.concatenate([X[:m1], Xf])
    lucky = [lemma_5_3.LuckyRecorder(1), lemma_5_3.LuckyRecorder(-1)]
    response = NoisyResponseRecorder(s.n, s.l, X_extra)
    output = lemma_c2.OutputRecorder()
    recs = [*lucky, response, output]
    if path == "pattern":
        run = run_lw_cnn(s, recorders=recs)
        W, a = run.first.W, run.second.a
        Z2 = run.features(run.idx2)
    else:
        W0, a0 = initialise(s.k, s.d, s.r, generator(s.seed, "init"))
        first = first_layer_relaxed(W0, a0, O, X[:m1], idx[:m1], y[:m1], eta1=s.eta1, T1=s.T1,
                                    recorders=recs)
        W = first.W
        Z2 = network.features(W, X[m1:])[0]
        a = second_layer(Z2, y[m1:], a0, eta2=s.eta2, T2=s.T2).a
    balanced = balanced_event(y[:m1])
    evidence = {
        "lemma_5_3": lemma_5_3.check_recorder(lucky[0], eta1=s.eta1, r=s.r, balanced=balanced),
        "corollary_5_4": lemma_5_3.check_recorder(lucky[1], eta1=s.eta1, r=s.r,
                                                  balanced=balanced),
        "lemma_5_5": lemma_5_5.check_recorder(response, eta1=s.eta1),
        "lemma_c2": lemma_c2.check_recorder(output, k=s.k, eta1=s.eta1),
    }
    holds = _lucky_outcomes([evidence["lemma_5_3"], evidence["corollary_5_4"]], balanced)
    holds["response"] = evidence["lemma_5_5"].verdict.value in _OK
    holds["output"] = _part_ok(evidence["lemma_c2"], "|N(x)| <= 1/2")
    holds["separable"] = _separable(Z2, y[m1:])
    tidx, ty = fresh_samples(s, test_points, "beyond-the-model", "test")
    Xt = noisy_inputs(tidx, O, model.sigma, generator(s.seed, "relaxed-noise", "test"))
    cnn_error = float(np.mean(network.classify(network.forward(W, a, Xt)) != ty))
    sep, _ = separators_fit(X.reshape(s.m, -1), y)
    svm_out = Xt.reshape(test_points, -1) @ sep.v + sep.b
    svm_error = float(np.mean(network.classify(svm_out) != ty))
    holds["cnn_beats_svm"] = cnn_error < svm_error
    mlp_error = math.nan
    if mlp:
        net = train_mlp(Dataset(X, y, idx), h=mlp_units_for(s.n, s.d, s.k),
                        rng=generator(s.seed, "relaxed-mlp"))
        out = network.classify(mlp_forward(MLPParams(*net.params), Xt.reshape(test_points, -1)))
        mlp_error = float(np.mean(out != ty))
    return Outcome(holds, cnn_error, svm_error, evidence, path, mlp_error)
