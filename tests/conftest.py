"""Unit tests use the Hypothesis profiles registered once in ``properties/conftest.py``."""

from properties import conftest as _profiles  # noqa: F401  (registers and loads the profile)
