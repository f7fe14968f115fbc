"""What earlier stages of a relationship already hold, for a new stage to offer back.

A new conversation gets it in its header (`ConversationHeader.memory`), so it replays the same
way whatever happens later; a question whose step names one of these keys (`recall:` in the
flow) offers the value back ("Last time: every two weeks. Say yes to keep it...") instead of
asking from scratch.

Keys: every slot of every document the relationship's earlier stages left (the newest wins; not
the joint documents built with the other person's packets, whose data is both sides'),
and `next_meeting`: the next meeting from today on, by the agreed rhythm (the commitment
stage's first meeting and cadence).
"""

from __future__ import annotations

from datetime import date
from typing import Any

from coach.engine.dates import meeting_on_or_after, regular_rhythm
from coach.models import Artifact


def remembered(documents: list[Artifact], today: date) -> dict[str, Any]:
    """What `documents` (oldest first) hold, as of `today`."""
    memory: dict[str, Any] = {}
    for doc in documents:
        if doc.session_id is None:  # a joint document (coach merge): both sides' data, not this side's answers
            continue
        memory.update((k, v) for k, v in doc.data.items() if v is not None and v != "" and v != [])
    rhythm = regular_rhythm(memory.get("first_meeting"), memory.get("cadence"))
    if rhythm is not None:
        memory["next_meeting"] = meeting_on_or_after(*rhythm, today).isoformat()
    return memory
