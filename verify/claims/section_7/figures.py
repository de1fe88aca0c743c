"""The figures of Section 7 as runnable specifications, and the loop that runs them.

The paper fixes ``d = 20``, ``n = 10``, 500 channels, the patterns (rows of a uniformly random
orthogonal matrix), a test set of 1,000 and 5 repeats; Fig. 3b and Fig. 4 add noise
``||v|| <= 1`` to every pattern. Its text does **not** give the training sizes of Fig. 3a/3b,
nor the values of ``n`` and the training size of Fig. 4 (they are only on the figures' axes,
which the text does not reproduce). The grids here are our choices, fixed before looking at
any result:

- Fig. 3a and 3b: ``m`` in ``10, 20, 50, 100, 200, 500, 1000, 2000`` (log-spaced). Section 6
  puts the sample complexity of ConvPool at ``O(d) = O(20)`` and of the MLP and SVM at
  ``O(n^2) = O(100)`` and above; the grid spans both scales and the regime where the noisy
  data stop being linearly separable (``m`` beyond ``~2 n d = 400``, Cover's bound).
- Fig. 4: ``n`` in ``5, 10, 20, 40`` at ``m = 500`` (the middle of the Fig. 3 grid), noise 1.

One *repeat* draws new patterns, a training pool and a test set (:func:`repeat_data`); every
model and every training size of the repeat sees the same data (the training sets are nested
prefixes of the pool), so differences between models within a repeat are paired.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import asdict, dataclass, replace
from typing import Any

from verify._validate import check_int, check_positive_float, check_seed
from verify.accelerate import one_thread
from verify.claims.section_7.data import repeat_data
from verify.claims.section_7.models import MODELS, TrainConfig, error_rate, train_model
from verify.rng import generator

__all__ = ["FIGURES", "PROFILES", "FigureSpec", "Record", "figure_specs", "run_figure"]


@dataclass(frozen=True)
class FigureSpec:
    """One figure: the data (``d``, noise radius, the values of ``n``), ConvPool's width ``k``,
    the training sizes ``sizes``, the test-set size and the number of repeats. The x-axis is
    ``m`` when a single ``n`` is given (Fig. 3), ``n`` when a single size is (Fig. 4)."""

    name: str
    title: str
    ns: tuple[int, ...]
    sizes: tuple[int, ...]
    noise: float
    d: int = 20
    k: int = 500
    m_test: int = 1000
    repeats: int = 5

    def __post_init__(self) -> None:
        if not self.name or not self.name.isidentifier():
            raise ValueError(f"name must be a non-empty identifier, got {self.name!r}")
        for label, values in (("ns", self.ns), ("sizes", self.sizes)):
            if not values or list(values) != sorted(set(values)):
                raise ValueError(f"{label} must be non-empty, increasing, without repeats, "
                                 f"got {values!r}")
            for v in values:
                check_int(label, v, low=1)
        if len(self.ns) > 1 and len(self.sizes) > 1:
            raise ValueError("vary either n (ns) or the training size (sizes), not both")
        check_positive_float("noise", self.noise, allow_zero=True)
        check_int("d", self.d, low=3)
        check_int("k", self.k, low=1)
        check_int("m_test", self.m_test, low=1)
        check_int("repeats", self.repeats, low=2)

    @property
    def x_key(self) -> str:
        """``"n"`` if the figure varies ``n``, else ``"m"``."""
        return "n" if len(self.ns) > 1 else "m"

    @property
    def xs(self) -> tuple[int, ...]:
        return self.ns if self.x_key == "n" else self.sizes

    def as_params(self) -> dict[str, Any]:
        out = asdict(self)
        out.pop("title")
        out["ns"], out["sizes"] = list(self.ns), list(self.sizes)
        return out


_SIZES = (10, 20, 50, 100, 200, 500, 1000, 2000)
FIGURES: dict[str, FigureSpec] = {
    "fig3a": FigureSpec("fig3a", "Fig. 3a: test error vs training size (no noise)",
                        ns=(10,), sizes=_SIZES, noise=0.0),
    "fig3b": FigureSpec("fig3b", "Fig. 3b: test error vs training size (noise ||v|| <= 1)",
                        ns=(10,), sizes=_SIZES, noise=1.0),
    "fig4": FigureSpec("fig4", "Fig. 4: test error vs n (m = 500, noise ||v|| <= 1)",
                       ns=(5, 10, 20, 40), sizes=(500,), noise=1.0),
}
"""The figures at our full grids (see the module docstring); ``standard`` runs these."""

_QUICK = {
    "fig3a": replace(FIGURES["fig3a"], sizes=(10, 50)),
    "fig3b": replace(FIGURES["fig3b"], sizes=(20, 100)),
    "fig4": replace(FIGURES["fig4"], ns=(5, 20), sizes=(100,),
                    title="Fig. 4: test error vs n (m = 100, noise ||v|| <= 1)"),
}

PROFILES: dict[str, dict[str, FigureSpec]] = {
    "quick": _QUICK,
    "standard": FIGURES,
    "thorough": {key: replace(spec, repeats=10) for key, spec in FIGURES.items()},
}
"""The figures each report profile runs: ``quick`` a reduced grid (still 5 repeats: fewer
cannot reach ``p < 0.05`` with the exact paired test), ``standard`` the full grids,
``thorough`` the full grids with 10 repeats."""


def figure_specs(profile: str = "standard") -> dict[str, FigureSpec]:
    """The :class:`FigureSpec` of each figure under ``profile`` (see :data:`PROFILES`).

    Examples
    --------
    >>> figure_specs("quick")["fig3a"].sizes
    (10, 50)
    """
    if profile not in PROFILES:
        raise ValueError(f"profile must be one of {tuple(PROFILES)}, got {profile!r}")
    return dict(PROFILES[profile])


@dataclass(frozen=True)
class Record:
    """One trained model of one repeat: its test and training error (and training loss,
    Adam steps and epochs, parameter count; for the SVM whether the training set was
    linearly separable)."""

    figure: str
    repeat: int
    n: int
    m: int
    model: str
    test_error: float
    train_error: float
    train_loss: float
    steps: int
    epochs: int
    n_params: int
    separable: bool | None

    def as_dict(self) -> dict[str, Any]:
        return asdict(self)


def _jobs(spec: FigureSpec) -> Iterator[tuple[int, int]]:
    for r in range(spec.repeats):
        for n in spec.ns:
            yield r, n


def run_figure(
    spec: FigureSpec,
    seed: int,
    *,
    config: TrainConfig | None = None,
    progress: Callable[[int], None] | None = None,
) -> list[Record]:
    """Train every model of :data:`verify.claims.section_7.models.MODELS` on every training size of
    every repeat of ``spec`` and measure its test error (Section 7).

    Repeat ``r`` uses the data of :func:`verify.claims.section_7.data.repeat_data` ``(seed,
    spec.name, r, ...)``; the model trained at ``(n, m)`` draws its initialisation and batch
    order from ``generator(seed, spec.name, r, "model", kind, n, m)``. ``progress(1)`` is called
    after each trained model. The same ``seed`` gives the same records, bit for bit. Numba's
    kernels run on one thread meanwhile (:func:`verify.accelerate.one_thread`)."""
    if not isinstance(spec, FigureSpec):
        raise ValueError(f"spec must be a FigureSpec, got {type(spec).__name__}")
    seed = check_seed("seed", seed)
    with one_thread():
        return _run(spec, seed, config, progress)


def _run(spec: FigureSpec, seed: int, config: TrainConfig | None,
         progress: Callable[[int], None] | None) -> list[Record]:
    out: list[Record] = []
    for r, n in _jobs(spec):
        _, pool, test = repeat_data(seed, spec.name, r, d=spec.d, n=n, m_train=max(spec.sizes),
                                    m_test=spec.m_test, noise=spec.noise)
        for m in spec.sizes:
            train = pool.head(m)
            for kind in MODELS:
                rng = generator(seed, spec.name, r, "model", kind, n, m)
                model = train_model(kind, train, k=spec.k, rng=rng, config=config)
                out.append(Record(spec.name, r, n, m, kind, error_rate(model, test),
                                  model.train_error, model.train_loss, model.steps,
                                  model.epochs, model.n_params,
                                  model.info["separable"] if kind == "SVM" else None))
                if progress is not None:
                    progress(1)
    return out
