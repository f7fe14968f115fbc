"""Before the next meeting: what a relationship already holds, gathered on one page (`coach brief`).

Everything comes from local data: the newest documents of each stage (the agreement's rhythm, the
agenda, the last feedback note, the goals and plans), the open commitments of both sides, and
which stages were finished when. `gather` reads it into a `Brief` of plain values; `markdown`
words it in the person's language (prompts/<locale>/brief.yaml). The questions to open the
session with are chosen from what is open: an overdue commitment, a goal nothing was done on yet,
what was asked for in the last feedback. For a mentor they are coaching questions (open, no
advice); for a mentee, asks ("help your mentor help you").
"""

from __future__ import annotations

import dataclasses
import re
from dataclasses import dataclass, field
from datetime import date, timedelta
from typing import TYPE_CHECKING, Any

from coach.app.partnership import Texts
from coach.app.recall import remembered
from coach.engine.dates import meeting_on_or_after, regular_rhythm
from coach.engine.text import md_escape
from coach.models import Artifact, Commitment, CommitmentStatus, ConversationStatus, Relationship, Role, iso_date

if TYPE_CHECKING:
    from coach.app.service import CoachService

MEETINGS_WITHOUT_FEEDBACK = 3  # meetings on the agreed rhythm since the last feedback: time for one
READY_SCORE = 70  # the moving-on stage's readiness score from which moving on is suggested
QUESTIONS = (3, 5)  # at least, at most
COMMITMENTS_SHOWN = 8  # one page: the overdue ones and those due soonest; the rest are on the home screen
_WORD = re.compile(r"[^\W\d_]{5,}")


@dataclass(frozen=True)
class Suggestion:
    """The stage that fits now, and why: `reason` names a text (`brief.reason.<reason>`)."""

    stage: str
    reason: str
    values: dict[str, str] = field(default_factory=dict)


@dataclass(frozen=True)
class Goal:
    text: str
    done: list[str]  # commitments done that share its words
    open: list[str]  # open ones that do


@dataclass(frozen=True)
class Question:
    """A question to open with: `kind` names its text (`brief.question.<kind>`, worded per role)."""

    kind: str
    about: str = ""


@dataclass(frozen=True)
class Brief:
    relationship: Relationship
    role: Role
    today: date
    next_meeting: date | None
    meeting_time: str | None
    agenda: list[str]
    bring: list[str]
    commitments: list[Commitment]
    feedback_on: date | None
    asked: list[str]  # what the last feedback asked for
    working: str | None
    goals: list[Goal]
    questions: list[Question]
    suggestion: Suggestion

    def overdue(self, commitment: Commitment) -> bool:
        return commitment.due is not None and commitment.due < self.today


def _newest(documents: list[Artifact], kind: str) -> Artifact | None:
    mine = [a for a in documents if a.kind == kind and a.session_id is not None]
    return mine[-1] if mine else None


def _items(value: Any) -> list[str]:
    """A stored answer as a list of items, each starting with a capital, as the documents show them."""
    items = value if isinstance(value, list) else [value] if isinstance(value, str) else []
    return [text[:1].upper() + text[1:] for text in (str(v).strip() for v in items) if text]


def _words(text: str) -> set[str]:
    return {w.casefold() for w in _WORD.findall(text)}


def gather(service: CoachService, relationship: Relationship, role: Role | str) -> Brief:
    """What `relationship` holds now, for `role`'s side (from local data only)."""
    side = Role(role)
    today = service.today()
    documents = service.recent_documents(relationship.id)
    memory = remembered(documents, today)
    rhythm = regular_rhythm(memory.get("first_meeting"), memory.get("cadence"))
    next_meeting = iso_date(memory.get("next_meeting"))
    agenda_doc = _newest(documents, "meeting_agenda")
    agenda = _items(agenda_doc.data.get("agenda_topics")) if agenda_doc else []
    bring = _items(agenda_doc.data.get("agenda_prep")) if agenda_doc else []
    if next_meeting is None and agenda_doc is not None:
        next_meeting = iso_date(agenda_doc.data.get("first_meeting"))
        next_meeting = next_meeting if next_meeting is not None and next_meeting >= today else None
    commitments = sorted(service.open_commitments(relationship.id),
                         key=lambda c: (c.due is None, c.due or date.max, c.created_at))
    feedback = _newest(documents, "feedback_note")
    asked = []
    if feedback is not None:
        for key in ("need_more", "expectations", "request", "needs_from_mentee"):
            asked += _items(feedback.data.get(key))
    done = [c for c in service.repo.list_commitments(relationship.id) if c.status == CommitmentStatus.done]
    goals = []
    for text in _items(memory.get("goals")) or _items(memory.get("goal")):
        words = _words(text)
        goals.append(Goal(text, [c.text for c in done if words & _words(c.text)],
                          [c.text for c in commitments if words & _words(c.text)]))
    brief = Brief(relationship, side, today, next_meeting, _text(memory.get("meeting_time")),
                  agenda, bring, commitments,
                  feedback.created_at.date() if feedback else None, asked,
                  _text(feedback.data.get("working")) if feedback else None, goals, [],
                  suggest(service, relationship, side, memory, rhythm, today))
    return _with_questions(brief)


def _text(value: Any) -> str | None:
    return str(value).strip() if isinstance(value, str | int) and str(value).strip() else None


def _with_questions(brief: Brief) -> Brief:
    questions = [Question("overdue", c.text) for c in brief.commitments if brief.overdue(c)][:2]
    questions += [Question("goal", g.text) for g in brief.goals if not g.done][:2]
    questions += [Question("asked", a) for a in brief.asked][:1]
    for general in ("since", "want", "next"):
        if len(questions) >= QUESTIONS[0]:
            break
        questions.append(Question(general))
    return dataclasses.replace(brief, questions=questions[:QUESTIONS[1]])


def _finished(service: CoachService, relationship: Relationship) -> dict[str, date]:
    """By stage, when it was last finished (either side)."""
    out: dict[str, date] = {}
    for s in service.repo.summaries(relationship.id):
        if s.status == ConversationStatus.done:
            when = (s.finished_at or service.last_activity(s)).date()
            out[s.flow_id] = max(out.get(s.flow_id, when), when)
    return out


def meetings_between(rhythm: tuple[Any, str] | None, after: date, until: date) -> int:
    """How many meetings of the agreed rhythm fell after `after` and on or before `until`."""
    if rhythm is None:
        return 0
    first, cadence = rhythm
    count, day = 0, meeting_on_or_after(first, cadence, after + timedelta(days=1))
    while day <= until and count < 1000:
        count += 1
        day = meeting_on_or_after(first, cadence, day + timedelta(days=1))
    return count


def suggest(service: CoachService, relationship: Relationship, role: Role, memory: dict[str, Any],
            rhythm: tuple[Any, str] | None, today: date) -> Suggestion:
    """The stage that fits now, with the reason."""
    finished = _finished(service, relationship)
    installed = {f.id for f in service.stages(role)}
    for stage, reason in (("fit_check", "no_fit_check"), ("commitment", "no_agreement")):
        if stage in installed and stage not in finished:
            return Suggestion(stage, reason)
    score = memory.get("readiness_score")
    end = iso_date(memory.get("end_date"))
    if "moving_on" in installed and isinstance(score, int) and score >= READY_SCORE:
        return Suggestion("moving_on", "ready", {"score": str(score)})
    if "moving_on" in installed and end is not None and end <= today + timedelta(days=14):
        return Suggestion("moving_on", "ending", {"date": end.isoformat()})
    since = max(finished.get("feedback", date.min), finished.get("commitment", date.min))
    meetings = meetings_between(rhythm, since, today)
    if "feedback" in installed and meetings >= MEETINGS_WITHOUT_FEEDBACK:
        return Suggestion("feedback", "meetings_without_feedback", {"n": str(meetings)})
    if "empowerment" in installed and "empowerment" not in finished:
        return Suggestion("empowerment", "no_plan")
    if "gratitude" in installed and "gratitude" not in finished:
        return Suggestion("gratitude", "no_thanks")
    return Suggestion("feedback" if "feedback" in installed else sorted(installed)[0], "keep_talking")


def markdown(brief: Brief, texts: Texts, stage_title: str) -> str:
    """The brief as a Markdown page in `texts`' language; user text shown as typed."""
    t = texts.under("brief")
    role = brief.role.value
    other = md_escape(brief.relationship.other_name)
    lines = [f"# {t.say('title', other=other)}", ""]
    if brief.next_meeting is not None:
        when = t.say("meeting_at", date=texts.date(brief.next_meeting), time=md_escape(brief.meeting_time)) \
            if brief.meeting_time else texts.date(brief.next_meeting)
        lines.append(f"**{t.say('next_meeting')}:** {when}")
    else:
        lines.append(f"**{t.say('next_meeting')}:** {t.say('no_meeting')}")
    lines += ["", f"## {t.say('agenda')}", ""]
    lines += [f"- {md_escape(a)}" for a in brief.agenda] or [t.say("no_agenda")]
    if brief.bring:
        lines += ["", f"**{t.say('bring')}:**", ""] + [f"- {md_escape(b)}" for b in brief.bring]
    lines += ["", f"## {t.say('commitments')}", ""]
    for c in brief.commitments[:COMMITMENTS_SHOWN]:
        owner = t.say(f"owner.{c.owner}")
        due = t.say("overdue", date=texts.date(c.due)) if c.due and brief.overdue(c) else \
            t.say("due", date=texts.date(c.due)) if c.due else ""
        lines.append(f"- {md_escape(c.text)} ({owner}{', ' + due if due else ''})")
    if len(brief.commitments) > COMMITMENTS_SHOWN:
        lines.append(t.say("more_commitments", n=str(len(brief.commitments) - COMMITMENTS_SHOWN)))
    if not brief.commitments:
        lines.append(t.say("no_commitments"))
    lines += ["", f"## {t.say('feedback')}", ""]
    if brief.feedback_on is None:
        lines.append(t.say("no_feedback"))
    else:
        lines.append(t.say("feedback_on", date=texts.date(brief.feedback_on)))
        if brief.working:
            lines += ["", f"- {t.say('working')}: {md_escape(brief.working)}"]
        lines += [f"- {t.say('asked')}: {md_escape(a)}" for a in brief.asked]
    lines += ["", f"## {t.say('goals')}", ""]
    for g in brief.goals:
        state = t.say("goal_done", n=str(len(g.done))) if g.done else t.say("goal_open", n=str(len(g.open))) \
            if g.open else t.say("goal_nothing")
        lines.append(f"- {md_escape(g.text)}: {state}")
    if not brief.goals:
        lines.append(t.say("no_goals"))
    lines += ["", f"## {t.say('questions')}", ""]
    lines += [f"{i}. {t.say(f'question.{q.kind}', role, about=md_escape(q.about))}"
              for i, q in enumerate(brief.questions, 1)]
    s = brief.suggestion
    values = dict(s.values)
    if "date" in values:
        values["date"] = texts.date(date.fromisoformat(values["date"]))
    lines += ["", f"## {t.say('suggestion')}", "",
              t.say("suggest", stage=md_escape(stage_title), reason=t.say(f"reason.{s.reason}", **values)), ""]
    return "\n".join(lines)
