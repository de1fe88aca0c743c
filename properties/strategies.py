"""The property tests' strategies: they live in :mod:`verify.strategies` (the report's fuzzing
uses them too) and are re-exported here."""

from verify.strategies import *  # noqa: F403
from verify.strategies import __all__  # noqa: F401
