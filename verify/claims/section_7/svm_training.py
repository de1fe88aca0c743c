"""Fig. 3b's caption: "the SVM does not reach zero training error in some cases" (noisy data).

At most ``dim + 1`` points in general position (noisy inputs are, with probability 1) are
linearly separable by an affine classifier in ``R^dim`` (``dim = n d``), so only training sets
larger than ``dim + 1`` can show the SVM's non-zero training error; on smaller ones the claim is
**not tested**, and :func:`check_svm_training_error` says so (verdict ``not applicable`` with
``details["tested"] = False``; the report's Summary shows "not tested").

The full grids of Fig. 3b (``m`` up to 2000 at ``dim = 200``) contain such sizes. The quick
grid's (``m = 20, 100``) do not, so the report's quick profile adds an SVM-only probe
(:data:`SVM_PROBE`): the SVM alone, trained on ``m = 1000`` points of the figure's first repeat
(its own data stream, :func:`svm_probe_records`), a few seconds.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

from verify._validate import check_int, check_seed
from verify.claims.section_7.data import repeat_data
from verify.claims.section_7.figures import FigureSpec, Record
from verify.claims.section_7.models import error_rate, train_model
from verify.evidence import Evidence, Verdict
from verify.rng import generator

__all__ = ["CLAIM_SVM", "SVM_PROBE", "check_svm_training_error", "svm_probe_records"]

CLAIM_SVM = "Section 7 (Fig. 3b: SVM training error)"
STATEMENT_SVM = "Fig. 3b: on noisy data the SVM does not reach zero training error in some cases"

SVM_PROBE: dict[str, tuple[tuple[int, ...], int]] = {
    "quick": ((1000,), 1),
    "standard": ((), 0),
    "thorough": ((), 0),
}
"""Per report profile: the extra SVM-only training sizes and how many repeats (none where the
figure's own grid already exceeds ``dim + 1``)."""


def svm_probe_records(spec: FigureSpec, seed: int, sizes: Iterable[int], *, repeats: int = 1
                      ) -> list[Record]:
    """The SVM alone at each of ``sizes`` on the first ``repeats`` repeats of ``spec``'s data
    (stream ``(seed, spec.name + "-svm-probe", r, ...)``, so the figure's own records are not
    changed). Records as :func:`verify.claims.section_7.figures.run_figure` makes them."""
    if not isinstance(spec, FigureSpec):
        raise ValueError(f"spec must be a FigureSpec, got {type(spec).__name__}")
    seed = check_seed("seed", seed)
    sizes = sorted({check_int("sizes", m, low=1) for m in sizes})
    repeats = check_int("repeats", repeats, low=0)
    out: list[Record] = []
    if not sizes:
        return out
    name = spec.name + "-svm-probe"
    for r in range(repeats):
        for n in spec.ns:
            _, pool, test = repeat_data(seed, name, r, d=spec.d, n=n, m_train=max(sizes),
                                        m_test=spec.m_test, noise=spec.noise)
            for m in sizes:
                model = train_model("SVM", pool.head(m), k=spec.k,
                                    rng=generator(seed, name, r, "model", "SVM", n, m))
                out.append(Record(spec.name, r, n, m, "SVM", error_rate(model, test),
                                  model.train_error,
                                  model.train_loss, model.steps, model.epochs, model.n_params,
                                  model.info["separable"]))
    return out


def check_svm_training_error(
    records: Iterable[Mapping[str, Any]],
    *,
    figure: str,
    dim: int,
    params: Mapping[str, Any] | None = None,
    reproduce: str = "",
) -> Evidence:
    """Fig. 3b: some SVM training error is non-zero, judged only on training sets of more than
    ``dim + 1`` points (the others are always separable).

    ``observed`` is the number of such training sets with a non-zero SVM training error,
    ``bound`` 1 (at least one), slack ``observed - 1``. Verdict: HOLDS if some case is
    non-zero, FAILS if every testable case is zero, NOT_APPLICABLE with ``details["tested"] =
    False`` (not tested) when no SVM training set exceeds ``dim + 1`` points."""
    dim = check_int("dim", dim, low=1)
    svm = [r for r in records if r["model"] == "SVM"]
    testable = [r for r in svm if int(r["m"]) > dim + 1]
    nonzero = [{"m": int(r["m"]), "repeat": int(r["repeat"]),
                "train_error": float(r["train_error"])}
               for r in testable if float(r["train_error"]) > 0]
    details = {"tested": bool(testable), "dim+1": dim + 1, "svm_cases": len(svm),
               "testable_cases": len(testable),
               "testable_sizes": sorted({int(r["m"]) for r in testable}),
               "nonzero_cases": nonzero,
               "separable_cases": sum(1 for r in testable if r.get("separable"))}
    if not testable:
        verdict = Verdict.NOT_APPLICABLE
        reason = (f"not tested: no SVM training set exceeds dim + 1 = {dim + 1} points, so "
                  "every one is linearly separable (zero training error is forced)")
    elif nonzero:
        verdict, reason = Verdict.HOLDS, ""
    else:
        verdict = Verdict.FAILS
        reason = (f"the SVM's training error is zero on all {len(testable)} training sets "
                  f"larger than dim + 1 = {dim + 1}")
    observed = float(len(nonzero)) if testable else float("nan")
    return Evidence(CLAIM_SVM, f"{figure}: {STATEMENT_SVM.split(': ', 1)[1]}", verdict,
                    observed, 1.0, observed - 1.0, "difference", 0.0, dict(params or {}), {},
                    reason, details, reproduce)
