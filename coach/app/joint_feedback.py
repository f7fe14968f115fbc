"""Two-way feedback (`feedback`): what each said to the other, revealed only once both sealed.

Built only when both sides of one round are revealed (`coach.app.exchange`): each side's shared
answers under their name (generic over the slots the flow shares), what each will do next, and
the next meeting, with when each sealed: neither could read the other's before sealing their own.
"""

from __future__ import annotations

from datetime import datetime

from coach.app.partnership import Pair, joint_id
from coach.engine.text import lines_joined, md_escape
from coach.models import Artifact, Role, SharedStage

NAMESPACE = "joint_feedback"
ACTIONS = {Role.mentee: "mentee_actions", Role.mentor: "mentor_actions"}
APART = ("mentee_actions", "mentor_actions", "next_meeting")  # shown in their own sections


def _said(pair: Pair, side: SharedStage) -> str:
    t = pair.texts.under(NAMESPACE)
    lines = [t.say("said_item", label=md_escape(a.label), text=md_escape(lines_joined(a.shown)))
             for a in side.answers if a.slot not in APART]
    return "\n".join(lines) if lines else t.say("said_none")


def _actions(pair: Pair, side: SharedStage, role: Role) -> str:
    t = pair.texts.under(NAMESPACE)
    value = side.values().get(ACTIONS[role])
    items = [str(v) for v in value if isinstance(v, str) and v.strip()] if isinstance(value, list) else []
    return "\n".join(t.say("bullet", text=md_escape(i)) for i in items) if items else t.say("actions_none")


def _sealed(pair: Pair, role: Role) -> str:
    t = pair.texts.under(NAMESPACE)
    seal = pair.seals.get(role)
    if seal is None:
        return t.say("none")
    return t.date(datetime.fromisoformat(seal.sealed_at).date())


def two_way_feedback(pair: Pair) -> Artifact:
    t = pair.texts.under(NAMESPACE)
    names = {k: md_escape(v) for k, v in pair.names.items()}
    mentee_next, mentor_next = pair.shown(pair.mentee, "next_meeting"), pair.shown(pair.mentor, "next_meeting")
    if mentee_next and mentor_next and mentee_next != mentor_next:
        next_meeting = t.say("next_differ", **names, mentee=md_escape(mentee_next), mentor=md_escape(mentor_next))
    elif mentee_next or mentor_next:
        next_meeting = t.say("next_agreed", date=md_escape(mentee_next or mentor_next or ""))
    else:
        next_meeting = t.say("next_none")
    markdown = t.say("document", **names, mentee_sealed=_sealed(pair, Role.mentee),
                     mentor_sealed=_sealed(pair, Role.mentor), mentee_said=_said(pair, pair.mentee),
                     mentor_said=_said(pair, pair.mentor), mentee_actions=_actions(pair, pair.mentee, Role.mentee),
                     mentor_actions=_actions(pair, pair.mentor, Role.mentor), next_meeting=next_meeting)
    rel = pair.relationship
    return Artifact(id=joint_id(rel.id, "feedback"), relationship_id=rel.id, stage="feedback",
                    kind="two_way_feedback", title=t.say("title"), markdown=markdown,
                    data={"sealed": {r.value: s.hash for r, s in pair.seals.items()}}, created_at=pair.now,
                    names={"name": pair.profile.name, "other_name": rel.other_name, **pair.names},
                    timezone=pair.profile.timezone)
