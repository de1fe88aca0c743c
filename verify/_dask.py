"""One way to get a ``dask.distributed`` client for the project's parallel runs (the report's
``--workers``; later the sweeps).

:func:`dask_client` starts a :class:`distributed.LocalCluster` of worker *processes* (one
thread each by default: the kernels are Numba code that holds the GIL or runs its own threads),
quiet (warnings and errors only), without a dashboard; or connects to a running scheduler.

- Workers die with their parent: ``distributed`` gives each worker process a pipe from the
  parent and exits it when the pipe closes, so ``kill -TERM`` or ``kill -KILL`` of the main
  process leaves no worker behind.
- Ctrl-C is the parent's business: the workers ignore SIGINT (a terminal sends it to the whole
  process group; a worker plugin sets it in each worker as it starts), and the parent, on
  :class:`KeyboardInterrupt`, closes the cluster, which ends them. The parent's own handler is
  never changed, so an interrupt while the cluster starts is not lost.
- No worker memory limit (a checker that needs much memory raises MemoryError, reported as an
  error, rather than being killed and retried).
"""

from __future__ import annotations

import logging
import os
import signal
import threading
import warnings
from collections.abc import Iterator
from contextlib import contextmanager, suppress
from typing import Any

__all__ = ["CONNECT_TIMEOUT", "WORKERS_HELP", "cap_workers", "dask_client", "numba_threads",
           "silence_shutdown"]

CONNECT_TIMEOUT = 5.0  # seconds to reach a scheduler given by address
WORKERS_HELP = ("local worker processes (default: one per core; more than the cores are capped "
                "at the cores, with one line saying so); results do not depend on it")
"""The ``--workers`` help of every command that starts a local cluster (one wording, one
default: :func:`cap_workers`)."""
_QUIET = ("distributed", "distributed.scheduler", "distributed.nanny", "distributed.worker",
          "distributed.core", "distributed.http.proxy", "distributed.comm",
          "distributed.batched", "distributed.utils_perf", "distributed.client")


def _ignore_sigint_plugin() -> Any:
    """A worker plugin that makes each worker ignore SIGINT (set in the worker's main thread, on
    every worker of the cluster, restarted ones too)."""
    from distributed import WorkerPlugin

    class IgnoreSigint(WorkerPlugin):
        name = "verify-ignore-sigint"

        def setup(self, worker: Any) -> None:
            if threading.current_thread() is threading.main_thread():
                signal.signal(signal.SIGINT, signal.SIG_IGN)

    return IgnoreSigint()


@contextmanager
def _quiet_logs() -> Iterator[None]:
    levels = {name: logging.getLogger(name).level for name in _QUIET}
    for name in _QUIET:
        logging.getLogger(name).setLevel(logging.ERROR)
    try:
        yield
    finally:
        for name, level in levels.items():
            logging.getLogger(name).setLevel(level)


@contextmanager
def _dask_warnings() -> Iterator[None]:
    """Dask's own resource warnings at shutdown (a port, a process or a socket still being
    closed when the cluster goes) are not the caller's: they are ignored here, narrowly, so that
    ``-W error`` (the test suite's ``filterwarnings = error``) does not turn them into errors."""
    with warnings.catch_warnings():
        warnings.filterwarnings("ignore", category=ResourceWarning)
        warnings.filterwarnings("ignore", category=DeprecationWarning, module=r"distributed\.")
        warnings.filterwarnings("ignore", message=r".*[Pp]ort .* is already in use",
                                category=UserWarning)
        warnings.filterwarnings("ignore", message=r".*Creating scratch directories",
                                category=UserWarning)
        yield


def cap_workers(workers: int | None, cores: int | None = None) -> tuple[int, str | None]:
    """``(n, note)``: the local worker processes to start for ``--workers workers`` (default
    ``None``: one per core), at most one per core of ``cores`` (default: this machine's), and a
    one-line note when the request was capped (else ``None``). More processes than cores only
    compete for them (and take minutes to start and stop)."""
    cores = cores if cores is not None else (os.cpu_count() or 1)
    if workers is None:
        return cores, None
    if isinstance(workers, bool) or not isinstance(workers, int) or workers < 1:
        raise ValueError(f"workers must be an integer >= 1, got {workers!r}")
    if workers > cores:
        return cores, (f"--workers {workers} is more than the {cores} core(s) of this machine; "
                       f"using {cores}")
    return workers, None


_SHUTDOWN_LOGGERS = ("distributed", "tornado", "asyncio")


def silence_shutdown() -> None:
    """Silence ``distributed``'s, tornado's and asyncio's loggers for the rest of the process:
    after Ctrl-C the cluster is torn down mid-flight, and the heartbeats, comms and callbacks
    it cuts short log tracebacks (``CommClosedError``, tornado's ``NameError``) that are not
    the user's business."""
    for name in _SHUTDOWN_LOGGERS:
        logger = logging.getLogger(name)
        logger.setLevel(logging.CRITICAL + 1)
        logger.propagate = False
    for name in list(logging.root.manager.loggerDict):
        if name.split(".")[0] in _SHUTDOWN_LOGGERS:
            logging.getLogger(name).setLevel(logging.CRITICAL + 1)


def _kill_workers(cluster: Any) -> None:
    """SIGKILL the worker processes of a local cluster: a worker busy in compiled code (a cold
    Numba compile holds the GIL for tens of seconds) cannot answer a polite close."""
    for nanny in list(getattr(cluster, "workers", {}).values()):
        with suppress(Exception):
            pid = nanny.process.process.pid
            if pid:
                os.kill(pid, signal.SIGKILL)


def numba_threads(workers: int) -> int:
    """Numba threads for each of ``workers`` local worker processes: the cores shared out, at
    least one, so that the workers' parallel kernels do not oversubscribe the machine (BLAS
    libraries get one thread each from ``distributed``'s own ``nanny.pre-spawn-environ``)."""
    return max(1, (os.cpu_count() or 1) // workers)


@contextmanager
def dask_client(
    *, workers: int | None = None, scheduler: str | None = None, threads_per_worker: int = 1
) -> Iterator[Any]:
    """A ``distributed.Client``: on a new local cluster of ``workers`` processes (default: one
    per core) with ``threads_per_worker`` threads each and :func:`numba_threads` Numba threads
    (``scheduler`` None), or on the scheduler at address
    ``scheduler`` (``workers`` must then be None). The cluster and client are closed on exit,
    also on Ctrl-C.

    Raises
    ------
    ValueError
        ``workers`` or ``threads_per_worker`` below 1; both ``workers`` and ``scheduler``; a
        scheduler that cannot be reached within :data:`CONNECT_TIMEOUT` seconds.
    """
    if workers is not None and (isinstance(workers, bool) or not isinstance(workers, int)
                                or workers < 1):
        raise ValueError(f"workers must be an integer >= 1, got {workers!r}")
    if isinstance(threads_per_worker, bool) or not isinstance(threads_per_worker, int) or \
            threads_per_worker < 1:
        raise ValueError(f"threads_per_worker must be an integer >= 1, got {threads_per_worker!r}")
    if scheduler is not None and workers is not None:
        raise ValueError("give workers (a local cluster) or scheduler (an address), not both")
    with _dask_warnings(), _quiet_logs():
        import dask
        from distributed import Client, LocalCluster

        if scheduler is not None:
            try:
                client = Client(scheduler, timeout=CONNECT_TIMEOUT)
            except (OSError, TimeoutError, ValueError) as exc:
                raise ValueError(f"scheduler: cannot reach a Dask scheduler at {scheduler!r} "
                                 f"within {CONNECT_TIMEOUT:g} s ({exc})") from None
            client_log = logging.getLogger("distributed.client")
            level = client_log.level
            client_log.setLevel(logging.CRITICAL)  # a lost scheduler: the caller says it once
            try:
                yield client
            except KeyboardInterrupt:
                silence_shutdown()
                raise
            finally:
                with suppress(BaseException):
                    client.close(timeout=10)
                client_log.setLevel(level)
            return
        config = {"distributed.worker.daemon": True, "distributed.admin.tick.limit": "1h",
                  "distributed.scheduler.allowed-failures": 0,
                  "distributed.worker.memory.terminate": False}
        n = workers or (os.cpu_count() or 1)
        with dask.config.set(config):
            cluster = LocalCluster(n_workers=n, threads_per_worker=threads_per_worker,
                                   processes=True, dashboard_address=None,
                                   silence_logs=logging.CRITICAL, memory_limit=0,
                                   env={"NUMBA_NUM_THREADS": str(numba_threads(n))})
        stopped = False
        try:
            client = Client(cluster)
            try:
                client.register_plugin(_ignore_sigint_plugin())
                yield client
            except KeyboardInterrupt:
                stopped = True
                silence_shutdown()
                _kill_workers(cluster)
                raise
            finally:
                with suppress(BaseException):
                    client.close(timeout=2 if stopped else 10)
        finally:
            with suppress(BaseException):
                cluster.close(timeout=2 if stopped else 10)
