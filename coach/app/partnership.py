"""Joint documents: what the two sides of a partnership shared, put together (`coach merge`).

Each stage that has a joint document registers a builder in `JOINT_DOCUMENTS`; it is given both
sides' shared stages (`coach.models.SharedStage`: the mentee's and the mentor's, whichever side this
person is) and returns the document, worded from `prompts/<locale>/partnership.yaml`. Both sides
build it from what each let the other see, so both get the same report.

To add one (the co-signed agreement for `commitment`, say): write a pure comparison in
`coach.engine` (as `coach.engine.joint.joint_fit`), its texts under a new key of
`partnership.yaml`, and a builder here registered under the stage's id.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any

from coach.content.prompts import PromptCatalog, render
from coach.engine.compute import joined
from coach.engine.dates import long_date
from coach.engine.joint import JointFit, Note, joint_fit
from coach.engine.seal import SealInfo
from coach.engine.text import md_escape
from coach.models import Artifact, Profile, Relationship, Role, SharedStage, Signature


class Texts:
    """The partnership texts of one locale: `say(key, **values)` fills a text in as it is given
    (values already made safe by the caller for Markdown where it goes into Markdown)."""

    def __init__(self, prompts: PromptCatalog, locale: str = "en", namespace: str = "partnership") -> None:
        self.prompts, self.locale, self.namespace = prompts, locale, namespace

    def under(self, namespace: str) -> Texts:
        """The texts of another namespace (`prompts/<locale>/<namespace>.yaml`), same locale."""
        return Texts(self.prompts, self.locale, namespace)

    def say(self, key: str, variant: str = "default", /, **values: object) -> str:
        entry = self.prompts.entry(f"{self.namespace}.{key}", self.locale)
        return render(entry.phrasings(variant)[0], {k: str(v) for k, v in values.items()})

    def date(self, d: date) -> str:
        """`d` written out in this locale ("Thursday 3 December 2026")."""
        return long_date(d, self.locale)

    def joined(self, items: list[str]) -> str:
        """'a, b and c' in this locale (CLDR's list pattern: 'a, b y c')."""
        return joined(items, self.locale)

    def when(self, moment: datetime) -> str:
        """The local date of `moment`, written out in this locale."""
        return long_date(moment.astimezone().date(), self.locale)

    def md(self, key: str, **values: object) -> str:
        """The text for Markdown, every value escaped (user text shows as typed)."""
        return self.say(key, **{k: md_escape(str(v)) for k, v in values.items()})


def cell(text: str) -> str:
    """User text for a Markdown table cell: escaped, on one line."""
    return md_escape(" / ".join(line.strip() for line in text.splitlines() if line.strip()))


_ISO_DATE = re.compile(r"\d{4}-\d{2}-\d{2}")


@dataclass(frozen=True)
class SignedAgreement:
    """The agreement both people signed (the same text): its goals as each wrote them, and when
    the second signature was made."""

    mentee_goals: list[str]
    mentor_goals: list[str]
    signed_on: date
    text_hash: str


@dataclass(frozen=True)
class Pair:
    """Both sides' shared stage, by role, and the people."""

    mentee: SharedStage
    mentor: SharedStage
    profile: Profile
    relationship: Relationship
    texts: Texts
    now: datetime
    signed: SignedAgreement | None = None  # the commitment both signed, if they have (for moving_on)
    spelled: tuple[str, str] | None = None  # the mentee's and the mentor's names as each spells their own
    signatures: dict[Role, list[Signature]] = field(default_factory=dict)  # each side's signatures
    seals: dict[Role, SealInfo] = field(default_factory=dict)  # each side's seal (sealed stages)

    def shown(self, side: SharedStage, slot: str) -> str | None:
        """The answer to `slot` as `side` shows it (a date as a long date), if shared."""
        shown = next((a.shown for a in side.answers if a.slot == slot), None)
        if shown is not None and _ISO_DATE.fullmatch(shown):
            try:
                return self.texts.date(date.fromisoformat(shown))
            except ValueError:
                return shown
        return shown

    @property
    def names(self) -> dict[str, str]:
        mentee, mentor = self.spelled or (self.relationship.mentee_name, self.relationship.mentor_name)
        return {"mentee_name": mentee, "mentor_name": mentor}


JointBuilder = Callable[[Pair], Artifact]


def joint_id(relationship_id: str, stage: str) -> str:
    """A joint document's id: one per relationship and stage, replaced by each newer merge."""
    return f"{relationship_id}.joint.{stage}"


# --- the joint fit report ------------------------------------------------------------------------

SAID = ("goal", "vision", "goals_match", "expectations", "expectations_agreed", "hours_per_month", "other_hours",
        "cadence", "other_active", "other_enthusiasm", "other_engaged", "mentor_growth", "growth_fit",
        "first_talk_date")


def joint_fit_report(pair: Pair) -> Artifact:
    t = pair.texts
    result = joint_fit(pair.mentee.values(), pair.mentor.values())
    names = pair.names
    md_names = {k: md_escape(v) for k, v in names.items()}

    def dims(items: Iterable[str]) -> str:
        labels = [t.say(f"fit.dimension.{d}").lower() for d in items]
        return t.joined(labels)

    def level(value: str | None) -> str:
        return t.say(f"fit.level.{value or 'none'}")

    def rec(value: Any) -> str:
        known = value if value in ("go", "talk_first", "not_a_fit") else "unknown"
        return t.say(f"fit.recommendation.{known}")

    def together(code: str) -> str:
        return t.say(f"fit.together.{code}", **md_names)

    rows = "\n".join(t.say("fit.dimension_row", dimension=t.say(f"fit.dimension.{v.dimension}"),
                           mentee=level(v.mentee), mentor=level(v.mentor), together=together(v.together))
                     for v in result.dimensions)
    said = []
    for slot in SAID:
        mine, theirs = pair.shown(pair.mentee, slot), pair.shown(pair.mentor, slot)
        if mine is None and theirs is None:
            continue
        none = t.say("fit.none")
        said.append(t.say("fit.said_row", label=t.say(f"fit.said.{slot}"), mentee=cell(mine) if mine else none,
                          mentor=cell(theirs) if theirs else none))

    def bullets(texts: list[str], empty: str) -> str:
        return "\n".join(t.say("fit.bullet", text=x) for x in texts) if texts else t.say(empty)

    reasons = [_reason(t, n, dims, rec, pair) for n in result.reasons]
    questions = [_question(t, n, pair) for n in result.questions]
    agree = [t.say(f"fit.dimension.{d}") for d in result.where("agree")]
    differ = [t.say("fit.differ_item", dimension=t.say(f"fit.dimension.{v.dimension}"), together=together(v.together))
              for v in result.dimensions if v.together in ("differ", "apart")]
    markdown = t.say(
        "fit.report", **md_names,
        mentee_date=t.date(pair.mentee.finished_at.date()), mentor_date=t.date(pair.mentor.finished_at.date()),
        recommendation=rec(result.recommendation), reasons=bullets(reasons, "fit.none"), dimension_rows=rows,
        said_rows="\n".join(said), agree=bullets(agree, "fit.agree_none"), differ=bullets(differ, "fit.differ_none"),
        questions=bullets(questions, "fit.none"))
    rel = pair.relationship
    return Artifact(
        id=joint_id(rel.id, "fit_check"), relationship_id=rel.id, stage="fit_check", kind="joint_fit_report",
        title=t.say("fit.title"), markdown=markdown, data=_data(result), created_at=pair.now,
        names={"name": pair.profile.name, "other_name": rel.other_name, **names}, timezone=pair.profile.timezone)


def _data(result: JointFit) -> dict[str, Any]:
    return {"recommendation": result.recommendation,
            "dimensions": {v.dimension: {"mentee": v.mentee, "mentor": v.mentor, "together": v.together,
                                         "level": v.level} for v in result.dimensions},
            "reasons": [n.code for n in result.reasons], "questions": [n.code for n in result.questions]}


def _reason(t: Texts, note: Note, dims: Callable[[Iterable[str]], str], rec: Callable[[Any], str], pair: Pair) -> str:
    names = {k: md_escape(v) for k, v in pair.names.items()}
    if note.code == "sides":
        return t.say("fit.reason.sides", **names, mentee_recommendation=rec(note.values[0]),
                     mentor_recommendation=rec(note.values[1]))
    if note.dimensions:
        return t.say(f"fit.reason.{note.code}", **names, dimensions=dims(note.dimensions))
    slot = {"goals_rating_differ": "goals_match", "cadence_differ": "cadence"}.get(note.code)
    first, second = _pair_values(pair, note, slot)
    return t.say(f"fit.reason.{note.code}", **names, first=first, second=second)


def _pair_values(pair: Pair, note: Note, slot: str | None) -> tuple[str, str]:
    """The two values a note is about, as shown (a choice by its label), for Markdown."""
    none = pair.texts.say("fit.none")
    if slot is not None:
        first, second = pair.shown(pair.mentee, slot), pair.shown(pair.mentor, slot)
    else:
        first, second = (None if v is None else _number(v) for v in note.values)
    return (md_escape(first) if first else none), (md_escape(second) if second else none)


def _number(value: Any) -> str:
    return f"{value:g}" if isinstance(value, float) else str(value)


def _question(t: Texts, note: Note, pair: Pair) -> str:
    names = {k: md_escape(v) for k, v in pair.names.items()}
    none = t.say("fit.none")

    def said(side: SharedStage, slot: str) -> str:
        shown = pair.shown(side, slot)
        return md_escape(shown) if shown else none

    values: dict[str, str] = {
        **names, "mentee_goal": said(pair.mentee, "goal"), "mentor_goal": said(pair.mentor, "goal"),
        "mentee_expectations": said(pair.mentee, "expectations"),
        "mentor_expectations": said(pair.mentor, "expectations"),
        "mentor_growth": said(pair.mentor, "mentor_growth"),
    }
    if note.code == "ask_cadence":
        values["first"], values["second"] = _pair_values(pair, note, "cadence")
    elif note.values:
        values["first"], values["second"] = _pair_values(pair, note, None)
    return t.say(f"fit.ask.{note.code}", **values)


JOINT_DOCUMENTS: dict[str, JointBuilder] = {
    "fit_check": joint_fit_report,
}
JOINT_TITLES: dict[str, str] = {  # the text key of each joint document's title
    "fit_check": "fit.name",
}

