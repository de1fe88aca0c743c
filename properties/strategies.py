"""The property tests' strategies: they live in :mod:`verify.fuzzing.strategies` (the report's
fuzzing uses them too) and are re-exported here."""

from verify.fuzzing.strategies import *  # noqa: F403
from verify.fuzzing.strategies import __all__  # noqa: F401
