"""The one place where Numba options are set (as sgkit's ``accelerate.py``).

Every kernel in ``verify.model._kernels`` (and the claims' ``_kernels``) is compiled through
:func:`jit` or :func:`pjit`:

- nopython mode (``numba.njit``), ``cache=True`` unless the environment variable
  ``VERIFY_NUMBA_CACHE=0`` switches on-disk caching off;
- ``error_model="numpy"`` (division by zero gives inf/nan as NumPy does, no exception);
- ``nogil=True`` so that Python threads can run kernels concurrently;
- never ``fastmath``: every quantity computed here is compared against a bound of the paper.

``pjit`` adds ``parallel=True``. Parallel kernels are written so that every output element is
owned by exactly one ``prange`` iteration and is summed in a fixed order: results are bit-for-bit
independent of the number of threads.
"""

from __future__ import annotations

import contextlib
import os
from collections.abc import Iterator

import numba

__all__ = ["CACHE", "jit", "one_thread", "pjit"]

CACHE: bool = os.environ.get("VERIFY_NUMBA_CACHE", "1") != "0"

_OPTIONS = {"cache": CACHE, "nogil": True, "error_model": "numpy"}


def jit(*args, **kwargs):
    """``numba.njit`` with the project's defaults (no ``parallel``)."""
    return numba.njit(*args, **{**_OPTIONS, **kwargs})


def pjit(*args, **kwargs):
    """``numba.njit`` with the project's defaults and ``parallel=True``."""
    return numba.njit(*args, **{**_OPTIONS, "parallel": True, **kwargs})


@contextlib.contextmanager
def one_thread() -> Iterator[None]:
    """Run :func:`pjit` kernels on one thread inside the block (for the calling thread only),
    then restore the thread count. For many small problems in a row the threads' start-up costs
    more than the work; results do not change (see above: independent of the thread count).
    Section 7's training calls the kernels on mini-batches of 32, and between calls OpenMP's idle
    worker spins: on the shared 2-core machine the quick Fig. 3a grid took 50.5 s with two
    threads and 10.1 s with one (load average ~3.5, same results bit for bit)."""
    previous = numba.get_num_threads()
    numba.set_num_threads(1)
    try:
        yield
    finally:
        numba.set_num_threads(previous)
