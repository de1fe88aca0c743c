"""The Dask engine: a ``LocalCluster`` of processes on this machine by default, or an existing
cluster by address (``dask scheduler`` / ``dask worker ADDRESS``).

Same name and signature as ``verify._dask.dask_client`` (the report's engine); one of the two
goes at merge.
"""

from __future__ import annotations

import contextlib
import logging
import signal
import socket
import threading
from collections.abc import Iterator
from urllib.parse import urlsplit

from distributed import Client, LocalCluster

__all__ = ["CONNECT_TIMEOUT", "dask_client"]

CONNECT_TIMEOUT = 10.0
"""Seconds to wait for a scheduler given by address."""


def _probe(address: str) -> None:
    """Fail fast (``OSError``) when nothing listens at a ``tcp://HOST:PORT`` address."""
    parts = urlsplit(address if "://" in address else f"tcp://{address}")
    if parts.scheme != "tcp" or parts.hostname is None or parts.port is None:
        return  # other protocols: left to distributed
    with socket.create_connection((parts.hostname, parts.port), timeout=CONNECT_TIMEOUT):
        pass


@contextlib.contextmanager
def dask_client(
    *, workers: int | None = None, scheduler: str | None = None, threads_per_worker: int = 1
) -> Iterator[Client]:
    """A ``distributed.Client``: connected to ``scheduler`` (``tcp://HOST:PORT``) if given, else
    to a new ``LocalCluster`` of ``workers`` processes (default: one per core) with
    ``threads_per_worker`` threads each, closed on exit.

    Raises ``ValueError`` for bad arguments and ``OSError`` when the scheduler cannot be reached
    (within :data:`CONNECT_TIMEOUT`).
    """
    if workers is not None and (isinstance(workers, bool) or not isinstance(workers, int)
                                or workers < 1):
        raise ValueError(f"workers must be a positive integer, got {workers!r}")
    if (isinstance(threads_per_worker, bool) or not isinstance(threads_per_worker, int)
            or threads_per_worker < 1):
        raise ValueError(f"threads_per_worker must be a positive integer, got "
                         f"{threads_per_worker!r}")
    if scheduler is not None:
        if workers is not None:
            raise ValueError("workers: give workers or scheduler, not both")
        try:
            _probe(scheduler)
            client = Client(scheduler, timeout=f"{CONNECT_TIMEOUT}s")
        except (OSError, TimeoutError, ValueError) as exc:
            raise OSError(f"cannot reach the Dask scheduler at {scheduler}: {exc}") from None
        try:
            yield client
        finally:
            client.close()
        return
    with _workers_ignore_sigint():
        cluster = LocalCluster(n_workers=workers, threads_per_worker=threads_per_worker,
                               processes=True, dashboard_address=":0",
                               silence_logs=logging.ERROR)
    with cluster, Client(cluster) as client:
        yield client


@contextlib.contextmanager
def _workers_ignore_sigint() -> Iterator[None]:
    """Start worker processes with SIGINT ignored (they inherit it): Ctrl-C reaches the whole
    process group, and only this process should act on it (it cancels the work and closes the
    cluster); otherwise every worker prints a traceback."""
    if threading.current_thread() is not threading.main_thread():
        yield
        return
    previous = signal.signal(signal.SIGINT, signal.SIG_IGN)
    try:
        yield
    finally:
        signal.signal(signal.SIGINT, previous)
