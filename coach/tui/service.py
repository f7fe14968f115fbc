"""Runs every data call (store reads and writes, engine turns that save) off the UI thread.

One background thread serialises all calls, so the store and the conversation are never used by
two threads at once, and the UI thread never waits on the disk.
"""

from __future__ import annotations

import asyncio
import functools
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from typing import TYPE_CHECKING, ParamSpec, TypeVar

if TYPE_CHECKING:
    from coach.tui.data import Backend

P = ParamSpec("P")
R = TypeVar("R")


class DataService:
    def __init__(self, factory: Callable[[], Backend]) -> None:
        self._factory = factory
        self._executor = ThreadPoolExecutor(max_workers=1, thread_name_prefix="coach-data")
        self._backend: Backend | None = None
        self._opening: asyncio.Future[Backend] | None = None

    @property
    def backend(self) -> Backend:
        if self._backend is None:
            raise RuntimeError("the data service is not open yet")
        return self._backend

    @property
    def ready(self) -> bool:
        return self._backend is not None

    async def open(self) -> Backend:
        """Create the backend (load flows, open the store) on the data thread, once."""
        if self._backend is not None:
            return self._backend
        if self._opening is None:
            loop = asyncio.get_running_loop()
            self._opening = asyncio.ensure_future(loop.run_in_executor(self._executor, self._factory))
        try:
            self._backend = await asyncio.shield(self._opening)
        except BaseException:
            self._opening = None
            raise
        return self._backend

    async def call(self, fn: Callable[P, R], *args: P.args, **kwargs: P.kwargs) -> R:
        """Run `fn(*args, **kwargs)` on the data thread and return its result."""
        loop = asyncio.get_running_loop()
        return await loop.run_in_executor(self._executor, functools.partial(fn, *args, **kwargs))

    def close(self, *, wait: bool = True) -> None:
        """Close the backend on the data thread, after the calls already queued (which finish
        even with wait=False: the interpreter joins the thread before exiting)."""
        backend, self._backend = self._backend, None
        if backend is not None:
            self._executor.submit(backend.close)
        self._executor.shutdown(wait=wait)
