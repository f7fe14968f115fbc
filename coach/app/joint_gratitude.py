"""The thank-you exchange (`gratitude`): the mentee's thank-you and the mentor's reply, together.

Built from what each side shared: the mentee's `thank_you_message` and the mentor's
`thank_you_reply` (plain-text documents, quoted as written), the advice and the plan to put it to
work restated from the mentee's answers, and the follow-up date the mentor named. Texts in
`prompts/<locale>/joint_gratitude.yaml`.
"""

from __future__ import annotations

from coach.app.partnership import Pair, joint_id
from coach.engine.text import lines_joined, md_escape
from coach.models import Artifact, SharedStage

NAMESPACE = "joint_gratitude"
PLAN = ("key_advice", "what_done", "results", "next_steps")  # restated from the mentee's answers


def _document(side: SharedStage, kind: str) -> str | None:
    return next((d.markdown for d in side.documents if d.kind == kind), None)


def _quoted(pair: Pair, text: str | None, name: str) -> str:
    """A shared message as a Markdown quote, every line as written (escaped)."""
    t = pair.texts.under(NAMESPACE)
    if text is None or not text.strip():
        return t.say("message_none", name=md_escape(name))
    lines = [line.strip() for line in text.strip().splitlines()]
    quoted = []
    for n, line in enumerate(lines):
        if not line:
            quoted.append(t.say("quote_blank"))
            continue
        broken = n + 1 < len(lines) and lines[n + 1]  # a line break inside a paragraph stays one ("All the best,")
        quoted.append(t.say("quote_line_break" if broken else "quote_line", text=md_escape(line)))
    return "\n".join(quoted)


def thank_you_exchange(pair: Pair) -> Artifact:
    t = pair.texts.under(NAMESPACE)
    names = pair.names
    md_names = {k: md_escape(v) for k, v in names.items()}
    plan = [t.say("said_item", label=t.say(f"label.{slot}", **md_names), text=md_escape(lines_joined(shown)))
            for slot in PLAN if (shown := pair.shown(pair.mentee, slot))]
    follow = pair.shown(pair.mentor, "follow_up_date")
    follow_up = t.say("follow_up", **md_names, date=md_escape(follow)) if follow else t.say("follow_up_none")
    markdown = t.say(
        "document", **md_names,
        message=_quoted(pair, _document(pair.mentee, "thank_you_message"), names["mentee_name"]),
        reply=_quoted(pair, _document(pair.mentor, "thank_you_reply"), names["mentor_name"]),
        plan="\n".join(plan) if plan else t.say("none"), follow_up=follow_up)
    rel = pair.relationship
    values = pair.mentee.values()
    return Artifact(
        id=joint_id(rel.id, "gratitude"), relationship_id=rel.id, stage="gratitude", kind="thank_you_exchange",
        title=t.say("title"), markdown=markdown,
        data={"advice": values.get("key_advice"), "next_steps": values.get("next_steps"),
              "follow_up_date": pair.mentor.values().get("follow_up_date")},
        created_at=pair.now, names={"name": pair.profile.name, "other_name": rel.other_name, **names},
        timezone=pair.profile.timezone)
