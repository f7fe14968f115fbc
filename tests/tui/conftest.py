"""The TUI tests' fixtures (from tui_helpers) and a runner for `async def` tests (no asyncio plugin)."""

from __future__ import annotations

import asyncio
import inspect
from typing import Any

import pytest
from tui_helpers import app_factory, backend, library

__all__ = ["app_factory", "backend", "library"]


@pytest.hookimpl(tryfirst=True)
def pytest_pyfunc_call(pyfuncitem: pytest.Function) -> bool | None:
    if not inspect.iscoroutinefunction(pyfuncitem.obj):
        return None
    names = pyfuncitem._fixtureinfo.argnames
    kwargs: dict[str, Any] = {name: pyfuncitem.funcargs[name] for name in names}
    asyncio.run(pyfuncitem.obj(**kwargs))
    return True
