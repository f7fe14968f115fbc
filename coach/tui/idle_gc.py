"""Full garbage collections, moved out of the way of typing.

With a few hundred thousand objects alive (a Textual widget tree, its render caches, the flow
library), one full collection takes 100-200 ms on a slow machine, and Python starts one every
few replies: a visible stall right when a reply is being drawn. So, once the app is up, the
objects alive at startup (modules, classes, flows) are frozen out of collection, automatic
full collections are turned off, and a full collection runs instead when nothing has happened
for a moment. Young-generation collections (cheap) run as usual.
"""

from __future__ import annotations

import gc
import time
from typing import Any

from textual.app import App

IDLE_AFTER = 1.5
"""Seconds without input before a pending full collection runs."""
CHECK_EVERY = 0.5


class IdleCollector:
    def __init__(self, app: App[Any]) -> None:
        self.app = app
        self._threshold = gc.get_threshold()
        self._last_activity = time.monotonic()
        self._dirty = False
        self._running = False

    def start(self) -> None:
        if self._running:
            return
        self._running = True
        gc.collect()
        gc.freeze()
        gen0, gen1, _ = self._threshold
        gc.set_threshold(gen0, gen1, 1_000_000)
        self.app.set_interval(CHECK_EVERY, self._tick, name="idle-gc")

    def touch(self) -> None:
        """Something happened (a key, a reply): postpone the collection."""
        self._last_activity = time.monotonic()
        self._dirty = True

    def _tick(self) -> None:
        if self._dirty and time.monotonic() - self._last_activity >= IDLE_AFTER:
            self._dirty = False
            gc.collect()

    def stop(self) -> None:
        if self._running:
            self._running = False
            gc.set_threshold(*self._threshold)
            gc.unfreeze()
