"""The joint decision on moving on (`moving_on`): both sides' decisions, the pair's, the plan,
keeping in touch, and a look back at the goals both signed.

Built from what each side shared (`coach.engine.joint_moving_on` compares them): each side's
decision and plan side by side; the decision for the pair (agreed, or "talk it through first" with
what each proposed and questions to ask each other); the plan of the agreed decision; how the two
stay in touch (always, whatever they decide); and, when both signed their commitment
(`Pair.signed`), those goals with each side's view of where things stand. Texts in
`prompts/<locale>/joint_moving_on.yaml`.
"""

from __future__ import annotations

from typing import Any

from coach.app.partnership import Pair, cell, joint_id
from coach.engine.joint_moving_on import JointMovingOn, KeepInTouch, joint_moving_on
from coach.engine.text import lines_joined, md_escape
from coach.models import Artifact

NAMESPACE = "joint_moving_on"
SAID = ("decision", "next_focus", "review_date", "new_format", "progress", "learned", "carry_forward", "thanks",
        "closing_date", "keep_in_touch_how", "keep_in_touch_often", "first_check_in")
PLAN = {"continue": ("next_focus", "review_date"),
        "change_format": ("new_format", "closing_date", "first_check_in"),
        "close": ("closing_date", "first_check_in")}


class _Words:
    def __init__(self, pair: Pair) -> None:
        self.pair = pair
        self.t = pair.texts.under(NAMESPACE)
        self.names = {k: md_escape(v) for k, v in pair.names.items()}

    def decision(self, code: str | None) -> str:
        return self.t.say(f"decision.{code or 'none'}")

    def listed(self, items: list[str]) -> str:
        if not items:
            return self.t.say("touch.unset")
        return self.t.joined(items)

    def how(self, ways: tuple[str, ...]) -> str:
        return self.listed([self.t.say(f"how.{w}") for w in ways if self.pair.texts.prompts.has(
            f"{NAMESPACE}.how.{w}", self.pair.texts.locale)])

    def often(self, code: str | None) -> str:
        known = code is not None and self.pair.texts.prompts.has(f"{NAMESPACE}.often.{code}", self.pair.texts.locale)
        return self.t.say(f"often.{code}") if known else self.t.say("touch.unset")

    def shown(self, role: str, slot: str) -> str | None:
        return self.pair.shown(self.pair.mentee if role == "mentee" else self.pair.mentor, slot)

    def both(self, slot: str) -> str:
        """One value when both said the same (or only one said it), else both, by name."""
        a, b = self.shown("mentee", slot), self.shown("mentor", slot)
        if a is None and b is None:
            return self.t.say("none")
        if a is None or b is None or " ".join(a.casefold().split()) == " ".join(b.casefold().split()):
            return md_escape(lines_joined(a or b or ""))
        return self.t.say("two_views", **self.names, mentee=md_escape(lines_joined(a)),
                          mentor=md_escape(lines_joined(b)))


def _rows(w: _Words) -> str:
    rows = []
    for slot in SAID:
        a, b = w.shown("mentee", slot), w.shown("mentor", slot)
        if a is None and b is None:
            continue
        none = w.t.say("none")
        rows.append(w.t.say("row", label=w.t.say(f"said.{slot}"), mentee=cell(a) if a else none,
                            mentor=cell(b) if b else none))
    return "\n".join(rows)


def _decision(w: _Words, result: JointMovingOn) -> str:
    if result.decision is not None:
        return w.t.say("agreed", decision=w.decision(result.decision))
    return w.t.say(f"together.{result.together}", **w.names, mentee=w.decision(result.mentee),
                   mentor=w.decision(result.mentor))


def _questions(w: _Words, result: JointMovingOn) -> str:
    values = {**w.names, "mentee": w.decision(result.mentee), "mentor": w.decision(result.mentor)}
    return "\n".join(w.t.say("bullet", text=w.t.say(f"ask.{code}", **values)) for code in result.questions)


def _plan(w: _Words, result: JointMovingOn) -> str:
    if result.decision is None:
        return w.t.say("plan_pending")
    return "\n".join(w.t.say("item", label=w.t.say(f"plan.{slot}"), text=w.both(slot))
                     for slot in PLAN[result.decision])


def _touch(w: _Words, touch: KeepInTouch) -> str:
    lines = [w.t.say("touch.intro"), "",
             w.t.say("item", label=w.t.say("touch.how"), text=w.how(touch.how)),
             w.t.say("item", label=w.t.say("touch.often"), text=w.often(touch.often))]
    if not touch.agree and (touch.mentee_how or touch.mentor_how):
        lines += ["", w.t.say("touch.differ", **w.names,
                              mentee=f"{w.how(touch.mentee_how)} ({w.often(touch.mentee_often)})",
                              mentor=f"{w.how(touch.mentor_how)} ({w.often(touch.mentor_often)})")]
    return "\n".join(lines)


def _goals(w: _Words) -> tuple[str, str]:
    """The heading and the text of the look back at the goals both signed."""
    signed = w.pair.signed
    if signed is None:
        return w.t.say("goals.review"), w.t.say("goals.none")

    def bullets(goals: list[str]) -> str:
        return "\n".join(w.t.say("bullet", text=md_escape(lines_joined(g))) for g in goals if g.strip()) \
            or w.t.say("bullet", text=w.t.say("none"))

    a, b = signed.mentee_goals, signed.mentor_goals
    same = [" ".join(g.casefold().split()) for g in a] == [" ".join(g.casefold().split()) for g in b]
    if same or not b:
        parts = [bullets(a)]
    elif not a:
        parts = [bullets(b)]
    else:
        parts = [w.t.say("goals.wrote", name=w.names["mentee_name"]), "", bullets(a), "",
                 w.t.say("goals.wrote", name=w.names["mentor_name"]), "", bullets(b)]
    progress = [w.t.say("item", label=w.names[f"{role}_name"],
                        text=md_escape(lines_joined(shown)) if (shown := w.shown(role, "progress"))
                        else w.t.say("none"))
                for role in ("mentee", "mentor")]
    parts += ["", w.t.say("goals.progress"), "", *progress]
    return w.t.say("goals.heading", date=w.t.date(signed.signed_on)), "\n".join(parts)


def joint_decision(pair: Pair) -> Artifact:
    w = _Words(pair)
    result = joint_moving_on(pair.mentee.values(), pair.mentor.values())
    goals_heading, goals = _goals(w)
    markdown = w.t.say("document", **w.names, rows=_rows(w), decision=_decision(w, result),
                       questions=_questions(w, result), plan=_plan(w, result),
                       touch=_touch(w, result.keep_in_touch), goals_heading=goals_heading, goals=goals)
    rel = pair.relationship
    return Artifact(
        id=joint_id(rel.id, "moving_on"), relationship_id=rel.id, stage="moving_on", kind="joint_moving_on",
        title=w.t.say("title"), markdown=markdown, data=_data(result, pair), created_at=pair.now,
        names={"name": pair.profile.name, "other_name": rel.other_name, **pair.names},
        timezone=pair.profile.timezone)


def _data(result: JointMovingOn, pair: Pair) -> dict[str, Any]:
    touch = result.keep_in_touch
    return {"mentee": result.mentee, "mentor": result.mentor, "together": result.together,
            "decision": result.decision, "questions": list(result.questions),
            "keep_in_touch": {"how": list(touch.how), "often": touch.often, "agree": touch.agree},
            "signed_on": pair.signed.signed_on.isoformat() if pair.signed else None}
