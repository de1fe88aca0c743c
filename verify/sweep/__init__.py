"""Sweeps at scale: every claim evaluated over grids of regimes and seeds on Dask, into a
resumable Parquet store, with success rates for the probabilistic claims.

- :mod:`verify.evidence.sweep_spec`: how a claim declares its grids (``SWEEP = SweepSpec(...)``);
- :mod:`verify.sweep.engine`: tasks, seeds, keys, batches and the run;
- :mod:`verify.sweep.store`: the Parquet store (``pandas.read_parquet(DIR)``);
- :mod:`verify.sweep.rates`: verdicts and success rates;
- :mod:`verify.sweep.adaptive`: adaptive rounds of seeds for the probabilistic claims;
- ``python -m verify.sweep``: the command line.
"""

from verify.evidence.sweep_spec import Grid, SweepSpec

__all__ = ["Grid", "SweepSpec"]
