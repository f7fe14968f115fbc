"""`coach flows list`: one row per flow with id, stage, roles, title, steps, questions and source."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from coach.cli.flows import flow_row, table
from coach.content.library import FlowLibrary

Cli = Callable[..., Any]



def test_flow_row_for_fit_check(library: FlowLibrary) -> None:
    lf = library.flows["fit_check"]
    row = flow_row(lf)
    asks = sum(1 for s in lf.flow.steps if s.kind == "ask")
    assert row[:3] == ("fit_check", "fit_check", "mentee,mentor")
    assert row[4:6] == (str(len(lf.flow.steps)), str(asks))
    assert row[6].endswith("fit_check.yaml")


def test_table_aligns_columns() -> None:
    assert table([("ID", "N"), ("a_long_id", "3")]) == "ID         N\na_long_id  3"


def test_cli_list(cli: Cli) -> None:
    r = cli("flows", "list")
    assert r.returncode == 0, r.stderr
    lines = r.stdout.splitlines()
    assert lines[0].split() == ["ID", "STAGE", "ROLES", "TITLE", "STEPS", "QUESTIONS", "SOURCE"]
    assert any(line.startswith("fit_check ") for line in lines[1:])
