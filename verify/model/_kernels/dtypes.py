"""Array types shared by the kernels and their NumPy twins."""

from __future__ import annotations

import numpy as np


def index_dtype(count: int) -> type:
    """The integer type of an index into ``count`` items with ``-1`` for none (``jstar``,
    ``top``): the smallest of ``int8``, ``int16``, ``int32`` that holds ``count - 1``. These are
    the largest arrays of a step; ``int8`` is a quarter of the memory traffic of ``int32``."""
    for dt in (np.int8, np.int16):
        if count - 1 <= np.iinfo(dt).max:
            return dt
    return np.int32
