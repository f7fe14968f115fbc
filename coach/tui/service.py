"""Runs every call of the application service (store reads and writes, turns that save) off
the UI thread.

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
    from coach.app.service import CoachService

P = ParamSpec("P")
R = TypeVar("R")


class DataService:
    def __init__(self, factory: Callable[[], CoachService]) -> None:
        self._factory = factory
        self._executor = ThreadPoolExecutor(max_workers=1, thread_name_prefix="coach-data")
        self._service: CoachService | None = None
        self._opening: asyncio.Future[CoachService] | None = None

    @property
    def service(self) -> CoachService:
        if self._service is None:
            raise RuntimeError("the data service is not open yet")
        return self._service

    @property
    def ready(self) -> bool:
        return self._service is not None

    async def open(self) -> CoachService:
        """Create the service (load flows, open the store) on the data thread, once."""
        if self._service is not None:
            return self._service
        if self._opening is None:
            loop = asyncio.get_running_loop()
            self._opening = asyncio.ensure_future(loop.run_in_executor(self._executor, self._factory))
        try:
            self._service = await asyncio.shield(self._opening)
        except BaseException:
            self._opening = None
            raise
        return self._service

    async def call(self, fn: Callable[P, R], *args: P.args, **kwargs: P.kwargs) -> R:
        """Run `fn(*args, **kwargs)` on the data thread and return its result."""
        loop = asyncio.get_running_loop()
        return await loop.run_in_executor(self._executor, functools.partial(fn, *args, **kwargs))

    def submit(self, fn: Callable[P, object], *args: P.args, **kwargs: P.kwargs) -> None:
        """Run `fn(*args, **kwargs)` on the data thread, after the calls already queued, without
        waiting for it (nothing to return, nothing it raises is told: for what may fail quietly)."""
        self._executor.submit(fn, *args, **kwargs)

    def close(self, *, wait: bool = True) -> None:
        """Close the service on the data thread, after the calls already queued (which finish
        even with wait=False: the interpreter joins the thread before exiting)."""
        service, self._service = self._service, None
        if service is not None:
            self._executor.submit(service.close)
        self._executor.shutdown(wait=wait)
