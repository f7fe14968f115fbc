"""`coach flows graph`: Mermaid text with kind/id node labels, readable condition labels, dashed calls."""

from __future__ import annotations

import re
from collections.abc import Callable
from pathlib import Path
from typing import Any

from coach.content.graph import condition_text, flow_edges, mermaid, reachable, strongly_connected, successors
from coach.content.library import FlowLibrary
from coach.content.loader import load_flow_file
from coach.content.schema import AnyCond, SlotCond

Cli = Callable[..., Any]


DEMO = Path(__file__).with_name("graph_flow.yaml")


def test_fit_check_graph(library: FlowLibrary) -> None:
    flow = library.flow("fit_check")
    text = mermaid(flow)
    lines = text.splitlines()
    assert lines[0] == "flowchart TD"
    assert '    intro["say: intro"]' in lines
    assert '    ask_goal("ask: ask_goal<br/>slot: goal")' in lines
    assert '    done(["end: done"])' in lines
    assert "    intro --> ask_goal" in lines
    assert "    summary --> done" in lines
    cadence = [ln.strip() for ln in lines if ln.strip().startswith("ask_cadence -->")]
    assert len(cadence) == 2
    assert re.fullmatch(r'ask_cadence -->\|"role = (mentee|mentor)"\| ask_\w+', cadence[0])
    assert re.fullmatch(r'ask_cadence -->\|"else"\| ask_\w+', cadence[1])
    # one node line per step, one edge line per edge
    assert sum(1 for ln in lines if re.match(r"    \w+[\[({]", ln)) == len(flow.steps)
    assert sum(1 for ln in lines if " --> " in ln or " -->|" in ln) == len(flow_edges(flow))


def test_demo_graph_snapshot() -> None:
    flow = load_flow_file(DEMO).flow
    assert mermaid(flow) == """\
flowchart TD
    %% graph_demo: Graph #quot;demo#quot; #lt;test#gt;
    ask_score("ask: ask_score<br/>slot: score")
    ask_mood("ask: ask_mood<br/>slot: mood")
    route{"branch: route"}
    sub[["call: sub<br/>flow: other_flow"]]
    ask_notes("ask: ask_notes<br/>slot: notes")
    end_(["end: end"])
    ask_score --> ask_mood
    ask_mood --> route
    route -->|"role = mentee"| sub
    route -->|"score ≤ 2 or mood = bad or ..."| ask_notes
    route -->|"not notes is set and ..."| end_
    route -->|"else"| end_
    flow__other_flow[["flow other_flow"]]
    sub -.->|"calls"| flow__other_flow
    sub --> end_
    ask_notes --> end_
"""


def test_full_conditions() -> None:
    flow = load_flow_file(DEMO).flow
    text = mermaid(flow, width=None)
    assert 'route -->|"score ≤ 2 or mood = bad or score in {3, 4}"| ask_notes' in text
    assert 'route -->|"not notes is set and visited ask_score"| end_' in text


def test_condition_text_shortens_at_a_part_boundary() -> None:
    cond = AnyCond(any=[SlotCond(slot="other_active", op="le", value=2),
                        SlotCond(slot="other_enthusiasm", op="le", value=2)])
    assert condition_text(cond) == "other_active ≤ 2 or other_enthusiasm ≤ 2"
    assert condition_text(cond, 32) == "other_active ≤ 2 or ..."
    assert condition_text(SlotCond(slot="recommendation", op="eq", value="Go ahead")) == 'recommendation = "Go ahead"'


def test_graph_helpers() -> None:
    flow = load_flow_file(DEMO).flow
    succ = successors(flow)
    assert reachable(flow.start, succ) == set(flow.step_ids())
    assert all(len(c) == 1 for c in strongly_connected(flow.step_ids(), succ))
    assert strongly_connected(["a", "b", "c"], {"a": ["b"], "b": ["a", "c"], "c": []}) == [["c"], ["a", "b"]]


def test_cli_graph_by_id_and_by_file(cli: Cli) -> None:
    r = cli("flows", "graph", "fit_check")
    assert r.returncode == 0, r.stderr
    assert r.stdout.startswith("flowchart TD\n")
    r = cli("flows", "graph", str(DEMO), "--full")
    assert r.returncode == 0, r.stderr
    assert "score in {3, 4}" in r.stdout
    r = cli("flows", "graph", "no_such_flow")
    assert r.returncode == 2 and r.stderr.startswith("coach: unknown flow 'no_such_flow'")
    assert "Traceback" not in r.stderr
