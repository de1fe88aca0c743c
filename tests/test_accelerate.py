"""verify.accelerate: the one-thread block restores the thread count, also after an error."""

from __future__ import annotations

import numba
import pytest

from verify.accelerate import one_thread


def test_one_thread__sets_one_thread_and_restores_the_count():
    before = numba.get_num_threads()
    with one_thread():
        assert numba.get_num_threads() == 1
    assert numba.get_num_threads() == before


def test_one_thread__restores_the_count_after_an_error():
    before = numba.get_num_threads()
    with pytest.raises(RuntimeError, match="boom"), one_thread():
        raise RuntimeError("boom")
    assert numba.get_num_threads() == before
