"""Section 7 of the paper: ConvPool (Eq. 1) against a one-hidden-layer MLP with as many
parameters and a hard-margin linear SVM, test error against training size (Fig. 3a without
noise, Fig. 3b with noise ``||v|| <= 1``) and against ``n`` (Fig. 4).

- :mod:`~verify.claims.section_7.data`: the data (D of Section 3 with ball noise), one stream per
  repeat; :mod:`~verify.claims.section_7.models`: the three models and their training (Adam,
  :mod:`~verify.claims.section_7.adam`; the MLP, :mod:`~verify.claims.section_7.mlp`);
- :mod:`~verify.claims.section_7.figures`: the figures' grids and :func:`run_figure`;
- :mod:`~verify.claims.section_7.verdicts`: the claims and their paired tests across repeats;
- :mod:`~verify.claims.section_7.output`: CSV, Markdown and plot; ``python -m verify.experiments``
  runs a figure from the command line.

:func:`report_checks` is the report's entry point (claim name ``Section 7``).
"""

from __future__ import annotations

from collections.abc import Sequence

from verify._validate import check_seed
from verify.claims._parts import SECTION_7_GROWTH, SECTION_7_LOWER, SECTION_7_TRAINING
from verify.claims.section_7.figures import FIGURES, FigureSpec, Record, figure_specs, run_figure
from verify.claims.section_7.models import TrainConfig
from verify.claims.section_7.svm_training import (
    CLAIM_SVM,
    SVM_PROBE,
    check_svm_training_error,
    svm_probe_records,
)
from verify.claims.section_7.verdicts import (
    check_growth_with_n,
    check_outperforms,
    check_training_error,
)
from verify.evidence import Evidence
from verify.evidence.claim import ClaimDeclaration
from verify.evidence.controls import Control, effect_raised, tightened

__all__ = [
    "DECLARATION","FIGURES", "check_figure", "report_checks", "reproduce_command", "run_figure"]


def reproduce_command(spec: FigureSpec, seed: int, *, profile: str = "standard") -> str:
    """The command line that reruns ``spec`` (``--quick`` for the quick grid, ``--repeats``
    when it differs from the figure's default).

    Examples
    --------
    >>> reproduce_command(FIGURES["fig4"], 3)
    'python -m verify.experiments fig4 --seed 3'
    """
    parts = ["python -m verify.experiments", spec.name, f"--seed {check_seed('seed', seed)}"]
    if profile == "quick":
        parts.append("--quick")
    default = figure_specs("quick" if profile == "quick" else "standard")[spec.name].repeats
    if spec.repeats != default:
        parts.append(f"--repeats {spec.repeats}")
    return " ".join(parts)


def check_figure(
    spec: FigureSpec,
    records: Sequence[Record],
    *,
    seed: int,
    config: TrainConfig | None = None,
    reproduce: str = "",
    svm_probe: Sequence[Record] = (),
) -> list[Evidence]:
    """The verdicts on ``spec``'s records (see :mod:`verify.claims.section_7.verdicts`): for Fig. 3
    that ConvPool beats both baselines and the training errors of the caption (on noisy data the
    SVM's half is judged on the records and the extra SVM-only ``svm_probe`` records,
    :mod:`verify.claims.section_7.svm_training`); for Fig. 4 (``n`` varies) that ConvPool's
    error grows less with ``n``."""
    if not isinstance(spec, FigureSpec):
        raise ValueError(f"spec must be a FigureSpec, got {type(spec).__name__}")
    seed = check_seed("seed", seed)
    rows = [r.as_dict() for r in records]
    params = {**spec.as_params(), "seed": seed,
              "train": (config or TrainConfig()).as_dict()}
    if spec.x_key == "n":
        return [check_growth_with_n(rows, figure=spec.name, params=params, reproduce=reproduce)]
    return [
        check_outperforms(rows, figure=spec.name, params=params, reproduce=reproduce),
        check_training_error(rows, figure=spec.name, svm_separable=spec.noise == 0,
                             dim=spec.ns[0] * spec.d, params=params, reproduce=reproduce),
    ] + ([] if spec.noise == 0 else [check_svm_training_error(
        rows + [r.as_dict() for r in svm_probe], figure=spec.name, dim=spec.ns[0] * spec.d,
        params={**params, "svm_probe_sizes": sorted({r.m for r in svm_probe})},
        reproduce=reproduce)])


def report_checks(profile: str, seed: int) -> list[Evidence]:
    """Section 7 for the report: every figure at the grids of ``profile``
    (:data:`verify.claims.section_7.figures.PROFILES`: ``quick`` a reduced grid with 5 repeats,
    ``standard`` the full grids, ``thorough`` the full grids with 10 repeats)."""
    seed = check_seed("seed", seed)
    out: list[Evidence] = []
    for spec in figure_specs(profile).values():
        records = run_figure(spec, seed)
        sizes, repeats = SVM_PROBE[profile] if spec.noise > 0 and spec.x_key == "m" else ((), 0)
        probe = svm_probe_records(spec, seed, sizes, repeats=repeats)
        out.extend(check_figure(spec, records, seed=seed, svm_probe=probe,
                                reproduce=reproduce_command(spec, seed, profile=profile)))
    return out


DECLARATION = ClaimDeclaration(
    key="section-7",
    title="Section 7 (experiments)",
    names=("Section 7", CLAIM_SVM),
    statement="ConvPool has lower test error than MLP and SVM, and degrades less as n grows.",
    location="Section 7, Figures 3 and 4",
    assumptions=(),
    checkers=(check_figure, check_svm_training_error),
    report_checks=report_checks,
    errata=None,
    parts=(SECTION_7_LOWER, SECTION_7_GROWTH, SECTION_7_TRAINING),
    controls=(
        Control("ConvPool's test error below each baseline's by at least 0.5 (half the 0-1 "
                "range); its slope flatter by 0.5 per doubling of n",
                effect_raised(0.5),
                why="the baselines' errors are far below 0.5 above the smallest size"),
        Control('the SVM misses zero training error in at least twice as many cases',
                tightened(2),
                claim='Section 7 (Fig. 3b: SVM training error)',
                why='it misses in one case of the quick profile'),
    ),
)
