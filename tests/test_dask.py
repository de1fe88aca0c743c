""":func:`verify._dask.dask_client`: a quiet local cluster of processes that works
under the suite's ``filterwarnings = error``, and clear errors for bad arguments."""

from __future__ import annotations

import os
import time

import pytest

from verify._dask import dask_client, numba_threads


@pytest.mark.parametrize(
    "kwargs",
    [{"workers": 0}, {"workers": 1.5}, {"threads_per_worker": 0},
     {"workers": 2, "scheduler": "tcp://127.0.0.1:1"}],
)
def test_dask_client__bad_arguments_raise(kwargs):
    with pytest.raises(ValueError, match=r"worker|scheduler"), dask_client(**kwargs):
        pass


def test_dask_client__unreachable_scheduler_is_a_clear_error():
    start = time.monotonic()
    with pytest.raises(ValueError, match="cannot reach a Dask scheduler"), \
            dask_client(scheduler="tcp://127.0.0.1:9"):
        pass
    assert time.monotonic() - start < 600  # an error, not a hang (a ceiling, not a timing)


@pytest.mark.slow
def _numba_threads() -> int:
    import numba

    return numba.get_num_threads()


def test_numba_threads__share_the_cores_out():
    cores = os.cpu_count() or 1
    assert numba_threads(1) == cores
    assert numba_threads(cores) == 1
    assert numba_threads(10 * cores) == 1


def test_dask_client__runs_in_worker_processes_with_one_thread(capsys):
    with dask_client(workers=2) as client:
        info = client.scheduler_info()["workers"]
        pids = set(client.run(os.getpid).values())
        threads = set(client.run(_numba_threads).values())
        assert client.submit(sum, [1, 2, 3]).result() == 6
    assert threads == {numba_threads(2)}  # the workers' kernels do not oversubscribe the cores
    assert len(info) == 2
    assert all(w["nthreads"] == 1 for w in info.values())
    assert os.getpid() not in pids
    assert len(pids) == 2
    assert "dashboard" not in capsys.readouterr().err.lower()
