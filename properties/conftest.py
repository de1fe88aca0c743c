"""Hypothesis profiles for the property tests of the paper's claims.

- ``ci`` (the default, and what CI runs): derandomised, so that CI never changes a verdict by
  chance; no example database; no deadline (the first call of a Numba kernel compiles it). It
  deliberately replaces Hypothesis' built-in ``ci`` profile, which Hypothesis would load when the
  ``CI`` variable is set: ours keeps ``pytest properties/`` under 10 minutes on 2 cores.
- ``thorough``: randomised, with the example database, many more examples: for long fuzzing,
  ``pytest properties/ --hypothesis-profile=thorough``.

Pick one with ``--hypothesis-profile NAME`` or ``HYPOTHESIS_PROFILE=NAME``.
"""

import os

from hypothesis import HealthCheck, settings

from verify.model.network import warm_up

_COMMON = {
    "deadline": None,
    "suppress_health_check": [HealthCheck.too_slow, HealthCheck.data_too_large],
    "print_blob": True,
}

settings.register_profile("ci", derandomize=True, database=None, max_examples=25, **_COMMON)
settings.register_profile("thorough", derandomize=False, max_examples=400, **_COMMON)
settings.load_profile(os.environ.get("HYPOTHESIS_PROFILE", "ci"))

warm_up()  # compile (or load) the kernels once per process, not once per example


def pytest_collection_modifyitems(items):
    """The long property tests are marked ``slow`` from the list in ``tests/slow.py``."""
    from tests.slow import mark_slow

    mark_slow(items)
