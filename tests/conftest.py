"""Unit tests use the Hypothesis profiles registered once in ``properties/conftest.py``."""

from properties import conftest as _profiles  # noqa: F401  (registers and loads the profile)


def pytest_collection_modifyitems(items):
    from tests.slow import mark_slow

    mark_slow(items)
