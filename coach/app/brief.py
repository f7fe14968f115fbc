"""Before the next meeting: what a relationship already holds, gathered on one page (`coach brief`).

Everything comes from local data: the newest documents of each stage (the agreement's rhythm, the
agenda, the last feedback note, the goals and plans), the open commitments of both sides, and
which stages were finished when. `gather` reads it into a `Brief` of plain values; `markdown`
words it in the person's language (prompts/<locale>/brief.yaml). The questions to open the
session with are chosen from what is open: an overdue commitment, a goal nothing was done on yet,
what was asked for in the last feedback. For a mentor they are coaching questions (open, no
advice); for a mentee, asks ("help your mentor help you").

With a merged packet from the other person (`coach merge`), their side shows too: the agreement
they shared fills in what this side has not recorded (the rhythm, the meeting time, the goals),
the commitments they recorded that this side has not are listed as theirs, and their feedback
once the fair reveal allows it (both sealed and revealed, as for the joint document).
"""

from __future__ import annotations

import dataclasses
import re
from dataclasses import dataclass, field
from datetime import date, timedelta
from typing import TYPE_CHECKING, Any

from coach.app.exchange import SEALED, own_record, partner_seal
from coach.app.partnership import Texts
from coach.app.recall import remembered
from coach.content.schema import CommitmentSpec, EndStep, Flow
from coach.engine.dates import meeting_on_or_after, regular_rhythm
from coach.engine.runner import commitment_items
from coach.engine.seal import linked
from coach.engine.text import capitalise_lines, lines_joined, md_escape
from coach.models import (
    Artifact,
    Commitment,
    CommitmentStatus,
    ConversationStatus,
    PartnerStage,
    Relationship,
    Role,
    iso_date,
)

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
    theirs: bool = False  # only the other person wrote it down (in a packet they shared)


@dataclass(frozen=True)
class Said:
    """One answer the other person shared of their feedback: its label and the answer as shown."""

    label: str
    shown: str


@dataclass(frozen=True)
class Partner:
    """What the other person's merged packets add (see `partner_side`)."""

    name: str
    role: Role
    commitments: list[Commitment]  # the ones they recorded that this side has not
    feedback_on: date | None  # when they wrote the feedback they shared (once revealed)
    said: list[Said]
    agenda: list[str]  # their topics for the meeting, not already on this side's
    stages: frozenset[str]  # the stages they shared


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
    partner: Partner | None = None

    def overdue(self, commitment: Commitment) -> bool:
        return commitment.due is not None and commitment.due < self.today


def _newest(documents: list[Artifact], kind: str) -> Artifact | None:
    mine = [a for a in documents if a.kind == kind and a.session_id is not None]
    return mine[-1] if mine else None


def _items(value: Any) -> list[str]:
    """A stored answer as a list of items, each starting with a capital, as the documents show them."""
    items = value if isinstance(value, list) else [value] if isinstance(value, str) else []
    return [text[:1].upper() + text[1:] for text in (str(v).strip() for v in items if isinstance(v, str | int)) if text]


def _words(text: str) -> set[str]:
    return {w.casefold() for w in _WORD.findall(text)}


def _visible(service: CoachService, relationship: Relationship) -> list[PartnerStage]:
    """The other person's merged stages whose content this side may read, oldest first: a sealed
    stage only once both sides of one round are revealed."""
    out = []
    for p in sorted(service.repo.list_partner_stages(relationship.id), key=lambda p: p.created_at):
        if p.stage in SEALED and not linked(own_record(service, relationship.id, p.stage).seal, partner_seal(p)):
            continue
        out.append(p)
    return out


def _flow_of(service: CoachService, partner: PartnerStage) -> Flow | None:
    """The flow the other person's stage came from, or this side's flow of the same stage."""
    flows = service.library.flows
    if partner.shared.flow_id in flows:
        return service.library.flow(partner.shared.flow_id)
    return service.library.flow(partner.stage) if partner.stage in flows else None


def _specs(flow: Flow | None) -> list[CommitmentSpec]:
    """The commitment slots of `flow`'s ends (each slot once)."""
    specs: dict[str, CommitmentSpec] = {}
    for step in flow.steps if flow is not None else []:
        if isinstance(step, EndStep):
            for spec in step.commitments:
                specs.setdefault(spec.slot, spec)
    return list(specs.values())


def _their_commitments(p: PartnerStage, specs: list[CommitmentSpec], relationship: Relationship) -> list[Commitment]:
    """The commitments the other person's shared stage holds, as their coach recorded them."""
    values = p.shared.values()
    return [Commitment(id=f"{p.id}.{spec.slot}.{n}", relationship_id=relationship.id, stage=p.stage,
                       text=capitalise_lines(text.strip()), owner=owner, due=when,
                       created_at=p.created_at, updated_at=p.created_at)
            for spec in specs for n, text, owner, when in commitment_items(values, spec)
            if isinstance(text, str) and text.strip()]


def partner_side(service: CoachService, relationship: Relationship, mine: list[Commitment],
                 visible: list[PartnerStage], agenda: list[str]) -> Partner | None:
    """What the other person's merged packets add to the brief (None: nothing merged yet):
    their commitments not already among `mine` (same text, any status), their revealed feedback,
    their agenda topics (`agenda`)."""
    if not visible:
        return None
    known = {c.text.casefold() for c in mine}
    commitments: list[Commitment] = []
    feedback_on, said = None, []
    for p in visible:
        specs = _specs(_flow_of(service, p))
        for c in _their_commitments(p, specs, relationship):
            if c.text.casefold() not in known:
                known.add(c.text.casefold())
                commitments.append(c)
        if p.stage == "feedback":
            apart = {s.slot for s in specs} | {s.due_slot for s in specs if s.due_slot}
            feedback_on = p.created_at.date()
            said = [Said(a.label, a.shown) for a in p.shared.answers if a.slot not in apart and a.shown.strip()]
    newest = visible[-1]
    return Partner(newest.sender_name, newest.sender_role, _by_due(commitments), feedback_on, said, agenda,
                   frozenset(p.stage for p in visible))


def _their_agenda(visible: list[PartnerStage], mine: Artifact | None, agenda: list[str]) -> list[str]:
    """The topics of the other person's newest shared agenda that are not on this side's, when it
    is no older than this side's agenda (an older one was for a meeting before)."""
    carrying = [p for p in visible if _items(p.shared.values().get("agenda_topics"))]
    if not carrying or (mine is not None and carrying[-1].created_at < mine.created_at):
        return []
    known = {a.casefold() for a in agenda}
    return [a for a in _items(carrying[-1].shared.values().get("agenda_topics")) if a.casefold() not in known]


def _by_due(commitments: list[Commitment]) -> list[Commitment]:
    return sorted(commitments, key=lambda c: (c.due is None, c.due or date.max, c.created_at))


def _shared_memory(visible: list[PartnerStage]) -> dict[str, Any]:
    """The values the other person shared, newest last (what this side's own answers override)."""
    memory: dict[str, Any] = {}
    for p in visible:
        memory.update((k, v) for k, v in p.shared.values().items() if v is not None and v != "" and v != [])
    return memory


@dataclass(frozen=True)
class Known:
    """What both sides recorded of a relationship: this side's documents' values (`own`), the
    values the other person shared (`theirs`), the two together (this side's win), the agreed
    rhythm and the next meeting (not one that has passed)."""

    documents: list[Artifact]
    visible: list[PartnerStage]
    own: dict[str, Any]
    theirs: dict[str, Any]
    memory: dict[str, Any]
    rhythm: tuple[Any, str] | None
    next_meeting: date | None


def known(service: CoachService, relationship: Relationship, today: date,
          documents: list[Artifact] | None = None) -> Known:
    """What `relationship` holds on both sides as of `today` (from local data only); `documents`:
    this side's recent ones, when the caller has them already."""
    documents = service.recent_documents(relationship.id) if documents is None else documents
    visible = _visible(service, relationship)
    theirs = _shared_memory(visible)
    own = remembered(documents, today)
    memory = {**theirs, **own}
    own_rhythm = regular_rhythm(own.get("first_meeting"), own.get("cadence"))
    rhythm = own_rhythm or regular_rhythm(theirs.get("first_meeting"), theirs.get("cadence"))
    if own_rhythm is None and rhythm is not None:  # the rhythm only the other person recorded
        memory["next_meeting"] = meeting_on_or_after(*rhythm, today).isoformat()
    meeting = iso_date(memory.get("next_meeting"))
    return Known(documents, visible, own, theirs, memory, rhythm,
                 meeting if meeting is not None and meeting >= today else None)


def gather(service: CoachService, relationship: Relationship, role: Role | str) -> Brief:
    """What `relationship` holds now, for `role`'s side (from local data only)."""
    side = Role(role)
    today = service.today()
    k = known(service, relationship, today)
    documents, visible, own, theirs, memory, rhythm = k.documents, k.visible, k.own, k.theirs, k.memory, k.rhythm
    next_meeting = k.next_meeting
    agenda_doc = _newest(documents, "meeting_agenda")
    agenda = _items(agenda_doc.data.get("agenda_topics")) if agenda_doc else []
    bring = _items(agenda_doc.data.get("agenda_prep")) if agenda_doc else []
    if next_meeting is None and agenda_doc is not None:
        next_meeting = iso_date(agenda_doc.data.get("first_meeting"))
        next_meeting = next_meeting if next_meeting is not None and next_meeting >= today else None
    commitments = _by_due(service.open_commitments(relationship.id))
    feedback = _newest(documents, "feedback_note")
    asked = []
    if feedback is not None:
        for key in ("need_more", "expectations", "request", "needs_from_mentee"):
            asked += _items(feedback.data.get(key))
    recorded = service.repo.list_commitments(relationship.id)
    partner = partner_side(service, relationship, recorded, visible, _their_agenda(visible, agenda_doc, agenda))
    done = [c for c in recorded if c.status == CommitmentStatus.done]
    open_ = commitments + (partner.commitments if partner else [])
    goals = []
    own_goals = _items(own.get("goals")) or _items(own.get("goal"))
    their_goals = _items(theirs.get("goals")) or _items(theirs.get("goal_smart")) or _items(theirs.get("goal"))
    seen = {g.casefold() for g in own_goals}
    for text, only_theirs in [(g, False) for g in own_goals] + [(g, True) for g in their_goals
                                                                if g.casefold() not in seen]:
        words = _words(text)
        goals.append(Goal(text, [c.text for c in done if words & _words(c.text)],
                          [c.text for c in open_ if words & _words(c.text)], only_theirs))
        seen.add(text.casefold())
    brief = Brief(relationship, side, today, next_meeting, _text(memory.get("meeting_time")),
                  agenda, bring, commitments,
                  feedback.created_at.date() if feedback else None, asked,
                  _text(feedback.data.get("working")) if feedback else None, goals, [],
                  suggest(service, relationship, side, memory, rhythm, today, partner), partner)
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
            rhythm: tuple[Any, str] | None, today: date, partner: Partner | None = None) -> Suggestion:
    """The stage that fits now, with the reason (feedback the other person revealed counts as
    feedback exchanged)."""
    finished = _finished(service, relationship)
    installed = {f.id for f in service.stages(role)}
    for stage, reason in (("fit_check", "no_fit_check"), ("commitment", "no_agreement")):
        if stage in installed and stage not in finished:
            if partner is not None and stage in partner.stages:  # they did their side: now this one
                return Suggestion(stage, "their_side", {"other": partner.name})
            return Suggestion(stage, reason)
    score = memory.get("readiness_score")
    end = iso_date(memory.get("end_date"))
    if "moving_on" in installed and isinstance(score, int) and score >= READY_SCORE:
        return Suggestion("moving_on", "ready", {"score": str(score)})
    if "moving_on" in installed and end is not None and end <= today + timedelta(days=14):
        return Suggestion("moving_on", "ending", {"date": end.isoformat()})
    since = max(finished.get("feedback", date.min), finished.get("commitment", date.min),
                partner.feedback_on if partner and partner.feedback_on else date.min)
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
    partner = brief.partner
    their_agenda = partner.agenda if partner else []
    lines += ["", f"## {t.say('agenda')}", ""]
    lines += [f"- {md_escape(a)}" for a in brief.agenda] or ([] if their_agenda else [t.say("no_agenda")])
    if their_agenda:
        lines += ([""] if brief.agenda else []) + [f"**{t.say('their_topics', other=other)}:**", ""]
        lines += [f"- {md_escape(a)}" for a in their_agenda]
    if brief.bring:
        lines += ["", f"**{t.say('bring')}:**", ""] + [f"- {md_escape(b)}" for b in brief.bring]
    lines += ["", f"## {t.say('commitments')}", ""]
    lines += _commitment_lines(brief, texts, brief.commitments)
    if len(brief.commitments) > COMMITMENTS_SHOWN:
        lines.append(t.say("more_commitments", n=str(len(brief.commitments) - COMMITMENTS_SHOWN)))
    theirs = partner.commitments if partner else []
    if theirs:
        lines += ([""] if brief.commitments else []) + [f"**{t.say('their_commitments', other=other)}:**", ""]
        lines += _commitment_lines(brief, texts, theirs)
        if len(theirs) > COMMITMENTS_SHOWN:
            lines.append(t.say("more_theirs", n=str(len(theirs) - COMMITMENTS_SHOWN)))
    if not brief.commitments and not theirs:
        lines.append(t.say("no_commitments"))
    lines += ["", f"## {t.say('feedback')}", ""]
    said = partner.said if partner and partner.feedback_on else []
    if brief.feedback_on is None and not said:
        lines.append(t.say("no_feedback"))
    if brief.feedback_on is not None:
        lines.append(t.say("feedback_on", date=texts.date(brief.feedback_on)))
        if brief.working:
            lines += ["", f"- {t.say('working')}: {md_escape(brief.working)}"]
        lines += [f"- {t.say('asked')}: {md_escape(a)}" for a in brief.asked]
    if partner is not None and partner.feedback_on is not None and said:
        heading = t.say("their_feedback", other=other, date=texts.date(partner.feedback_on))
        lines += ([""] if brief.feedback_on else []) + [heading, ""]
        lines += [f"- {md_escape(x.label)}: {md_escape(lines_joined(x.shown))}" for x in said]
    lines += ["", f"## {t.say('goals')}", ""]
    for g in brief.goals:
        state = t.say("goal_done", n=str(len(g.done))) if g.done else t.say("goal_open", n=str(len(g.open))) \
            if g.open else t.say("goal_nothing")
        whose = f" ({t.say('theirs', other=other)})" if g.theirs else ""
        lines.append(f"- {md_escape(g.text)}{whose}: {state}")
    if not brief.goals:
        lines.append(t.say("no_goals"))
    lines += ["", f"## {t.say('questions')}", ""]
    lines += [f"{i}. {t.say(f'question.{q.kind}', role, about=md_escape(q.about))}"
              for i, q in enumerate(brief.questions, 1)]
    s = brief.suggestion
    values = dict(s.values)
    if "date" in values:
        values["date"] = texts.date(date.fromisoformat(values["date"]))
    if "other" in values:
        values["other"] = md_escape(values["other"])
    lines += ["", f"## {t.say('suggestion')}", "",
              t.say("suggest", stage=md_escape(stage_title), reason=t.say(f"reason.{s.reason}", **values)), ""]
    return "\n".join(lines)


def _commitment_lines(brief: Brief, texts: Texts, commitments: list[Commitment]) -> list[str]:
    t = texts.under("brief")
    lines = []
    for c in commitments[:COMMITMENTS_SHOWN]:
        owner = t.say(f"owner.{c.owner}")
        due = t.say("overdue", date=texts.date(c.due)) if c.due and brief.overdue(c) else \
            t.say("due", date=texts.date(c.due)) if c.due else ""
        lines.append(f"- {md_escape(c.text)} ({owner}{', ' + due if due else ''})")
    return lines
