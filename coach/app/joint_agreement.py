"""The co-signed agreement (`commitment`): both people's commitments, the schedule, signatures.

The *agreed text* (`agreed_terms`) is built from what each side sent the other, with each
person's name as they spell it, so both sides build the same text; a signature is the hash of
that text (`coach.engine.seal.text_hash`, shown under the signatures; the text stands between
the document's "agreed text" markers). When either side shares a changed commitment the text changes,
and a signature made before is shown as one of an earlier version: the signatures reopen.
"""

from __future__ import annotations

from typing import Any

from coach.app.partnership import Pair, cell, joint_id
from coach.engine.seal import signature_status, text_hash
from coach.engine.text import md_escape
from coach.models import Artifact, Role, SharedStage, Signature

NAMESPACE = "joint_agreement"
TERMS = ("cadence", "channel", "first_meeting", "meeting_time", "meeting_minutes", "progress_updates",
         "duration_months", "confidentiality", "reschedule", "second_meeting", "review_date", "end_date")


def _same(a: str | None, b: str | None) -> bool:
    return a is not None and b is not None and " ".join(a.casefold().split()) == " ".join(b.casefold().split())


def _items(side: SharedStage, slot: str) -> list[str]:
    value = side.values().get(slot)
    return [str(v) for v in value if isinstance(v, str) and v.strip()] if isinstance(value, list) else []


def _label(pair: Pair, slot: str) -> str:
    found = next((a.label for side in (pair.mentee, pair.mentor) for a in side.answers if a.slot == slot), None)
    return found or slot.replace("_", " ")


def agreed_terms(pair: Pair) -> str:
    """The agreed text: the purpose, the goals, how the two meet, what each commits to, and where
    the two commitments differ; the same on both sides."""
    t = pair.texts.under(NAMESPACE)
    names = {k: md_escape(v) for k, v in pair.names.items()}
    none = t.say("none")

    def both(slot: str) -> str:
        a, b = pair.shown(pair.mentee, slot), pair.shown(pair.mentor, slot)
        if a is None and b is None:
            return none
        if _same(a, b) or b is None:
            return md_escape(a or "")
        if a is None:
            return md_escape(b)
        return t.say("two_views", **names, mentee=md_escape(a), mentor=md_escape(b))

    def bullets(items: list[str]) -> str:
        return "\n".join(t.say("bullet", text=md_escape(i)) for i in items) if items else t.say("bullet", text=none)

    rows, differ = [], []
    for slot in TERMS:
        a, b = pair.shown(pair.mentee, slot), pair.shown(pair.mentor, slot)
        if a is None and b is None:
            continue
        settled = _same(a, b)
        rows.append(t.say("row", label=md_escape(_label(pair, slot)), mentee=cell(a) if a else none,
                          mentor=cell(b) if b else none, settled=t.say("settled" if settled else "to_settle")))
        if not settled:
            differ.append(md_escape(_label(pair, slot)))
    mentee_goals, mentor_goals = _items(pair.mentee, "goals"), _items(pair.mentor, "goals")
    if not mentor_goals or [g.casefold() for g in mentee_goals] == [g.casefold() for g in mentor_goals]:
        goals = bullets(mentee_goals)
    elif not mentee_goals:
        goals = bullets(mentor_goals)
    else:
        goals = t.say("goals_two", **names, mentee=bullets(mentee_goals), mentor=bullets(mentor_goals))
    mentee_own, mentee_asked = _items(pair.mentee, "mentee_commitments"), _items(pair.mentor, "mentee_commitments")
    mentor_own, mentor_asked = _items(pair.mentor, "mentor_commitments"), _items(pair.mentee, "mentor_commitments")
    agenda = _merged(_items(pair.mentee, "agenda_topics"), _items(pair.mentor, "agenda_topics"))
    prep = _merged(_items(pair.mentee, "agenda_prep"), _items(pair.mentor, "agenda_prep"))
    return t.say(
        "terms", **names, purpose=both("purpose"), goals=goals, rows="\n".join(rows),
        mentee_commits=_commits(t, mentee_own, [i for i in mentee_asked if not _in(i, mentee_own)],
                                names["mentor_name"], none),
        mentor_commits=_commits(t, mentor_own, [i for i in mentor_asked if not _in(i, mentor_own)],
                                names["mentee_name"], none),
        agenda=bullets(agenda), prep=bullets(prep),
        differ=t.say("differ", items=", ".join(differ)) if differ else t.say("differ_none")).strip()


def _in(item: str, items: list[str]) -> bool:
    return any(_same(item, i) for i in items)


def _merged(first: list[str], second: list[str]) -> list[str]:
    return [*first, *(i for i in second if not _in(i, first))]


def _commits(t: Any, own: list[str], asked: list[str], asker: str, none: str) -> str:
    lines = [t.say("bullet", text=md_escape(i)) for i in own]
    lines += [t.say("asked_item", asker=asker, text=md_escape(i)) for i in asked]
    return "\n".join(lines) if lines else t.say("bullet", text=none)


def _signature_row(pair: Pair, role: Role, current: str) -> tuple[str, Signature | None]:
    t = pair.texts.under(NAMESPACE)
    status, signature = signature_status([s for s in pair.signatures.get(role, []) if s.role == role], current)
    name = pair.names["mentee_name" if role == Role.mentee else "mentor_name"]
    when = t.date(signature.signed_at.date()) if signature else ""
    return t.say("signature_row", role=t.say("role", role.value), name=md_escape(name),
                 status=t.say(f"status.{status}", date=when)), (signature if status == "signed" else None)


def agreement(pair: Pair) -> Artifact:
    t = pair.texts.under(NAMESPACE)
    names = {k: md_escape(v) for k, v in pair.names.items()}
    terms = agreed_terms(pair)
    current = text_hash(terms)
    mentee_row, mentee_signed = _signature_row(pair, Role.mentee, current)
    mentor_row, mentor_signed = _signature_row(pair, Role.mentor, current)
    both = mentee_signed is not None and mentor_signed is not None
    signed_on = max(mentee_signed.signed_at, mentor_signed.signed_at).date() if mentee_signed and mentor_signed \
        else None
    other = names["mentor_name"] if pair.profile.role == Role.mentee else names["mentee_name"]
    mine = mentee_signed if pair.profile.role == Role.mentee else mentor_signed
    state = t.say("both_signed", date=t.date(signed_on)) if both and signed_on else \
        t.say("you_signed", other_name=other) if mine else t.say("to_sign", other_name=other)
    markdown = t.say("document", **names, mentee_date=t.date(pair.mentee.finished_at.date()),
                     mentor_date=t.date(pair.mentor.finished_at.date()), terms=terms, hash=current,
                     signature_rows=f"{mentee_row}\n{mentor_row}", state=state)
    rel = pair.relationship
    data: dict[str, Any] = {
        "text_hash": current,
        "signatures": {"mentee": mentee_signed.model_dump(mode="json") if mentee_signed else None,
                       "mentor": mentor_signed.model_dump(mode="json") if mentor_signed else None},
        "goals": {"mentee": _items(pair.mentee, "goals"), "mentor": _items(pair.mentor, "goals")},
    }
    if signed_on is not None:
        data["signed_on"] = signed_on.isoformat()
    return Artifact(id=joint_id(rel.id, "commitment"), relationship_id=rel.id, stage="commitment",
                    kind="joint_agreement", title=t.say("title"), markdown=markdown, data=data, created_at=pair.now,
                    names={"name": pair.profile.name, "other_name": rel.other_name, **pair.names},
                    timezone=pair.profile.timezone)
