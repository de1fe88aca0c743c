"""A synchronous stand-in for the parts of ``distributed.Client`` and ``distributed.as_completed``
that :func:`verify.sweep.engine.run_sweep` uses, so that the sweep (and the adaptive rounds on
top of it) runs in the test's own process, without a cluster.

``SyncClient.submit`` runs the function at once and returns a finished :class:`SyncFuture`;
:class:`SyncAsCompleted` yields the futures in the order they were added, including those added
while it is being iterated (as ``distributed.as_completed`` does). The client records what a
test may want to pin: the batches submitted, how many futures were in flight (submitted, not yet
released or cancelled) at each submit, and which futures were cancelled.

Use the ``sync_dask`` fixture of ``tests/test_sweep_inprocess.py`` (or
``monkeypatch.setattr(distributed, "as_completed", SyncAsCompleted)``): ``run_sweep`` imports
``as_completed`` from ``distributed`` when it is called.
"""

from __future__ import annotations

import itertools
from collections import deque
from collections.abc import Callable, Iterator
from typing import Any


class SyncFuture:
    """A finished future: its result, or the exception that ``result()`` raises."""

    _keys = itertools.count()

    def __init__(self, client: SyncClient, value: Any = None,
                 error: BaseException | None = None) -> None:
        self.key = f"sync-{next(self._keys)}"
        self._client = client
        self._value = value
        self._error = error
        self.released = False
        self.cancelled = False

    def result(self) -> Any:
        if self._error is not None:
            raise self._error
        return self._value

    def release(self) -> None:
        self.released = True
        self._client.live.discard(self.key)

    def cancel(self) -> None:
        self.cancelled = True
        self._client.cancelled.append(self.key)
        self._client.live.discard(self.key)


class SyncClient:
    """Runs each submitted call at once. ``nthreads`` (a dict, as a ``Client``'s
    ``nthreads()`` returns; ``None``: the client has no ``nthreads`` method) sets the sweep's
    window. ``fail(n, args)`` may return an exception for the ``n``-th submit (from 1): that
    future's ``result()`` raises it, as for a lost worker. ``status`` is what a ``Client``
    reports (a test may change it, e.g. from ``run_sweep``'s ``on_batch``)."""

    def __init__(self, nthreads: dict[str, int] | None = None,
                 fail: Callable[[int, tuple], BaseException | None] | None = None) -> None:
        self._nthreads = {"w": 1} if nthreads is None else nthreads
        self._fail = fail
        self.status = "running"
        self.submitted: list[tuple] = []  # the args of each submit
        self.kwargs: list[dict] = []
        self.live: set[str] = set()  # keys of futures neither released nor cancelled
        self.in_flight: list[int] = []  # len(live) after each submit
        self.cancelled: list[str] = []

    def nthreads(self) -> dict[str, int]:
        return dict(self._nthreads)

    def submit(self, fn: Callable[..., Any], *args: Any, **kwargs: Any) -> SyncFuture:
        self.submitted.append(args)
        self.kwargs.append(kwargs)
        n = len(self.submitted)
        error = self._fail(n, args) if self._fail is not None else None
        fut = (SyncFuture(self, error=error) if error is not None
               else SyncFuture(self, value=fn(*args)))
        self.live.add(fut.key)
        self.in_flight.append(len(self.live))
        return fut


class BareClient(SyncClient):
    """A client without ``nthreads`` and ``status`` (``run_sweep`` then assumes one thread and a
    running scheduler)."""

    def __getattribute__(self, name: str) -> Any:
        if name in ("nthreads", "status"):
            raise AttributeError(name)
        return super().__getattribute__(name)


class SyncAsCompleted:
    """``distributed.as_completed()`` for finished futures: first added, first yielded; futures
    added during the iteration are yielded too."""

    def __init__(self, futures: Any = None) -> None:
        self._queue: deque[SyncFuture] = deque(futures or ())

    def add(self, future: SyncFuture) -> None:
        self._queue.append(future)

    def __iter__(self) -> Iterator[SyncFuture]:
        while self._queue:
            yield self._queue.popleft()
