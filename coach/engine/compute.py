"""Named pure functions a flow's `compute` step may run over the slots (scores, recommendations).

Flows are data and cannot carry code; a compute step names one of the functions registered
here.  Each takes the slots (read-only) and a `ComputeContext` (the role, the conversation's
locale and its texts) and returns new slot values: codes, numbers and ISO dates, and the sentences
a document shows, worded from `prompts/<locale>/reports.yaml` (no words of any language here).
Numbers and lists are formatted for the locale by Babel (CLDR)."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Any

from coach.engine import openness, smart
from coach.engine.dates import (
    babel_locale,
    clock_time,
    long_date,
    meeting_on_or_after,
    next_meeting_after,
    nth_weekday,
    plus_months,
)
from coach.engine.refine import clean, join
from coach.models import iso_date

NAMESPACE = "reports"


def _no_texts(key: str, **values: Any) -> str:
    return key


@dataclass(frozen=True)
class ComputeContext:
    """What a compute function may know besides the slots: who is speaking, in which language,
    and the words for it. `say(key, **values)` is the text of `reports.<key>` for the role and
    locale, filled in with plain values."""

    role: str
    locale: str = "en"
    say: Callable[..., str] = field(default=_no_texts, repr=False)
    lexicon: Any = None
    has: Callable[[str], bool] = field(default=lambda key: False, repr=False)

    def word(self, key: str, default: str) -> str:
        """The text of `reports.<key>`, or `default` where the locale and English have none."""
        return self.say(key) if self.has(key) else default


def context(prompts: Any, role: str, locale: str = "en", lexicon: Any = None) -> ComputeContext:
    """A context whose texts come from the prompt catalog `prompts` (a PromptCatalog)."""
    from coach.content.prompts import render

    def say(key: str, **values: Any) -> str:
        entry = prompts.entry(f"{NAMESPACE}.{key}", locale)
        return render(entry.phrasings(role)[0], {k: str(v) for k, v in values.items()})

    if lexicon is None:  # the words of the conversation's language (coach.content.lexicon)
        from coach.content.lexicon import Lexicon

        lexicon = Lexicon.load(locale)
    return ComputeContext(role=role, locale=locale, say=say, lexicon=lexicon,
                          has=lambda key: bool(prompts.has(f"{NAMESPACE}.{key}", locale)))


ComputeFn = Callable[[Mapping[str, Any], ComputeContext], dict[str, Any]]

REGISTRY: dict[str, ComputeFn] = {}


def register(name: str) -> Callable[[ComputeFn], ComputeFn]:
    def deco(fn: ComputeFn) -> ComputeFn:
        REGISTRY[name] = fn
        return fn

    return deco


def names() -> list[str]:
    return sorted(REGISTRY)


def run(name: str, slots: Mapping[str, Any], ctx: ComputeContext) -> dict[str, Any]:
    fn = REGISTRY.get(name)
    if fn is None:
        raise KeyError(f"no compute function named {name!r} (known: {', '.join(names()) or 'none'})")
    return fn(slots, ctx)


# --- numbers and lists, for the locale -------------------------------------------------------------


def number_text(x: Any, locale: str = "en") -> str:
    """2 -> '2', 2.5 -> '2.5' (en) / '2,5' (es)."""
    from babel.numbers import format_decimal

    if isinstance(x, float) and x.is_integer():
        x = int(x)
    return str(format_decimal(x, locale=babel_locale(locale)))


def joined(items: list[str], locale: str = "en") -> str:
    """'a', 'a and b', 'a, b and c' (en); 'a, b y c' (es): CLDR's list pattern."""
    from babel.lists import format_list

    if len(items) <= 1:
        return "".join(items)
    return str(format_list(items, locale=babel_locale(locale)))


def plural_form(n: int, ctx: ComputeContext, key: str = "schedule.at") -> str:
    """CLDR's plural category of `n` in the locale ('one', 'few', 'other' …), where `reports.<key>`
    has a text for it, else 'other'."""
    from babel import Locale

    form = str(Locale.parse(babel_locale(ctx.locale)).plural_form(n))
    return form if ctx.has(f"{key}.{form}") else "other"




# --- fit_check ---------------------------------------------------------------------------------

_FIT_STRONG, _FIT_PARTIAL, _FIT_WEAK = "strong", "partial", "weak"
_FIT_EXPECTATIONS = {"agreed": _FIT_STRONG, "mostly": _FIT_PARTIAL, "not_discussed": _FIT_PARTIAL,
                     "differ": _FIT_WEAK}
# the dimensions each side rates, in report order (the first three are the same for both)
_FIT_DIMENSIONS = {"mentee": ("goals", "expectations", "commitment", "standing", "enthusiasm"),
                   "mentor": ("goals", "expectations", "commitment", "engagement", "growth")}
# the 1-5 rating behind each rated dimension
_FIT_RATINGS = {"goals": "goals_match", "standing": "other_active", "enthusiasm": "other_enthusiasm",
                "engagement": "other_engaged", "growth": "growth_fit"}


def _is_num(x: Any) -> bool:
    return isinstance(x, int | float) and not isinstance(x, bool)


def _as_float(x: Any) -> float | None:
    return float(x) if _is_num(x) else None


def _scale_fit(value: Any, dim: str, ctx: ComputeContext) -> tuple[str, str]:
    """A 1-5 rating as (level, note)."""
    if not _is_num(value):
        return _FIT_PARTIAL, ctx.say("fit.note.not_rated", what=ctx.say(f"fit.about.{dim}"))
    level = _FIT_STRONG if value >= 4 else _FIT_PARTIAL if value >= 3 else _FIT_WEAK
    return level, ctx.say("fit.note.rated", value=number_text(value, ctx.locale))


def _fit_commitment(slots: Mapping[str, Any], ctx: ComputeContext) -> tuple[str, str]:
    hours, other = _as_float(slots.get("hours_per_month")), _as_float(slots.get("other_hours"))
    if hours is None:
        return _FIT_PARTIAL, ctx.say("fit.note.budget_open")
    mine = number_text(hours, ctx.locale)
    if other is None:
        level, notes = _FIT_PARTIAL, [ctx.say("fit.note.hours_theirs_unknown", hours=mine)]
    else:
        high = max(hours, other)
        ratio = min(hours, other) / high if high else 0.0
        level = _FIT_STRONG if ratio >= 0.75 else _FIT_PARTIAL if ratio >= 0.5 else _FIT_WEAK
        notes = [ctx.say("fit.note.hours_both", hours=mine, other=number_text(other, ctx.locale))]
    if hours < 1:
        notes.append(ctx.say("fit.note.under_an_hour"))
        level = _FIT_WEAK if level == _FIT_WEAK else _FIT_PARTIAL
    if slots.get("cadence") == "ad_hoc":
        notes.append(ctx.say("fit.note.no_rhythm"))
        level = _FIT_WEAK if level == _FIT_WEAK else _FIT_PARTIAL
    return level, " ".join(notes)


def _fit_dimensions(slots: Mapping[str, Any], ctx: ComputeContext) -> dict[str, tuple[str, str]]:
    """(level, note) per dimension the side rates."""
    role = "mentor" if ctx.role == "mentor" else "mentee"
    agreed = str(slots.get("expectations_agreed"))
    dims: dict[str, tuple[str, str]] = {}
    for d in _FIT_DIMENSIONS[role]:
        if d == "expectations":
            known = agreed in _FIT_EXPECTATIONS
            dims[d] = (_FIT_EXPECTATIONS.get(agreed, _FIT_PARTIAL),
                       ctx.say(f"fit.note.expectations.{agreed if known else 'open'}"))
        elif d == "commitment":
            dims[d] = _fit_commitment(slots, ctx)
        else:
            dims[d] = _scale_fit(slots.get(_FIT_RATINGS[d]), d, ctx)
    if role == "mentor" and dims["engagement"][0] == _FIT_WEAK and dims["growth"][0] == _FIT_STRONG:
        dims["growth"] = (_FIT_PARTIAL, f"{dims['growth'][1]} {ctx.say('fit.note.disengaged')}")
    return dims


def _lower_first(text: str) -> str:
    return text[:1].lower() + text[1:]


def _upper_first(text: str) -> str:
    return text[:1].upper() + text[1:]


@register("fit_score")
def fit_score(slots: Mapping[str, Any], ctx: ComputeContext) -> dict[str, Any]:
    """Alignment per dimension (strong / partial / weak) with a note on what drove it, then a
    recommendation (go / talk_first / not_a_fit), the reasons for it and questions for the first talk.

    go: no weak dimension and at most one partial; not_a_fit: two or more weak; otherwise talk_first."""
    dims = _fit_dimensions(slots, ctx)
    weak = [d for d, (level, _) in dims.items() if level == _FIT_WEAK]
    partial = [d for d, (level, _) in dims.items() if level == _FIT_PARTIAL]
    strong = [d for d, (level, _) in dims.items() if level == _FIT_STRONG]

    def label(d: str) -> str:
        return ctx.say(f"fit.label.{d}")

    def labels(ds: list[str]) -> str:
        return joined([label(d) for d in ds], ctx.locale)

    if len(weak) >= 2:
        recommendation = "not_a_fit"
        headline = ctx.say("fit.headline.not_a_fit", count=number_text(len(weak), ctx.locale), labels=labels(weak))
    elif weak or len(partial) >= 2:
        recommendation = "talk_first"
        headline = (ctx.say("fit.headline.one_weak", label=label(weak[0])) if weak
                    else ctx.say("fit.headline.partly", labels=labels(partial)))
    else:
        recommendation = "go"
        headline = ctx.say("fit.headline.go", labels=labels(strong))
        if partial:
            headline = f"{headline} {ctx.say('fit.headline.settle_early', label=label(partial[0]))}"
    reasons = [headline] + [
        ctx.say("fit.reason", label=_upper_first(label(d)), level=ctx.say(f"fit.level.{dims[d][0]}"),
                note=_lower_first(dims[d][1]))
        for d in weak + partial
    ]
    out: dict[str, Any] = {"recommendation": recommendation, "fit_reasons": reasons,
                           "first_talk_questions": _first_talk_questions(slots, weak + partial, ctx)}
    first_talk = iso_date(slots.get("first_talk_date"))
    if first_talk is not None:
        out["first_talk_long"] = long_date(first_talk, ctx.locale)
    for d, (level, note) in dims.items():
        out[f"fit_{d}"] = level
        out[f"fit_{d}_note"] = note
    return out


def _first_talk_questions(slots: Mapping[str, Any], open_dims: list[str], ctx: ComputeContext) -> list[str]:
    """A question to raise for each dimension that is not strong (the point the user said is still
    open, asked about), one about raising worries if they named one, and one about success."""
    expectations = slots.get("expectations")
    agreed = str(slots.get("expectations_agreed"))
    growth = [ctx.word(f"fit.growth.{g}", str(g).replace("_", " ")) for g in slots.get("mentor_growth") or []]
    fill = {
        "goal": str(slots.get("goal") or "").strip() or ctx.say("fit.default.goal"),
        "expectations": "; ".join(str(e) for e in expectations[:3]) if isinstance(expectations, list) else "—",
        "growth": joined(growth, ctx.locale) or ctx.say("fit.default.growth"),
    }
    questions: list[str] = []
    open_point = clean(str(slots.get("expectations_open") or ""), ctx.lexicon).rstrip(" .!?")
    for d in open_dims:
        key = f"fit.question.{d}"
        if d == "expectations" and open_point and agreed in ("mostly", "differ", "not_discussed"):
            key = f"fit.question.open_point.{agreed}"
            fill["open"] = open_point
        questions.append(ctx.say(key, **fill))
    concerns = slots.get("concerns")
    if isinstance(concerns, str) and concerns.strip():  # the worry itself stays in the user's own notes
        questions.append(ctx.say("fit.question.worries"))
    if len(questions) < 2:
        questions.append(ctx.say("fit.question.success"))
    return questions


# --- empowerment: SMART goal check, plan, options ------------------------------------------------


@register("empowerment_smart_goal")
def empowerment_smart_goal(slots: Mapping[str, Any], ctx: ComputeContext) -> dict[str, Any]:
    """Checks S, M and T of `goal` in order, each after the follow-up for the one before, and puts
    the goal and the follow-ups that were needed together as one sentence, `goal_smart`.

    A follow-up answer only counts while the part it was asked for is still missing, so an answer kept
    from an earlier version of the goal does not leak into a goal that no longer needs it. A vague
    goal ("get better at stuff") gives way to the follow-up that says what it means."""
    parts = [p for p in (str(slots.get("goal") or "").strip(),) if p]
    specific = smart.goal_is_specific(" ".join(parts), ctx.lexicon)
    if not specific and slots.get("goal_detail"):
        parts.append(str(slots["goal_detail"]))
    measurable = smart.goal_is_measurable(" ".join(parts), ctx.lexicon)
    if not measurable and slots.get("goal_measure"):
        parts.append(str(slots["goal_measure"]))
    time_bound = smart.goal_is_time_bound(" ".join(parts), ctx.lexicon)
    if not time_bound and slots.get("goal_deadline"):
        parts.append(str(slots["goal_deadline"]))
    clear = smart.clearest(parts, ctx.lexicon)
    return {
        "goal_specific": specific,
        "goal_measurable": measurable,
        "goal_time_bound": time_bound,
        "goal_smart": join(*clear) if clear else "",
    }


def _plan_step(actions: list[Any], index: int) -> dict[str, Any]:
    return {"plan_index": index, "plan_left": max(0, len(actions) - index),
            "plan_action": str(actions[index]) if index < len(actions) else ""}


@register("action_plan_start")
def action_plan_start(slots: Mapping[str, Any], ctx: ComputeContext) -> dict[str, Any]:
    """The loop over the chosen steps begins: the first one is asked about (who, by when)."""
    actions = slots.get("actions") or []
    return {**_plan_step(list(actions), 0), "action_plan": [], "action_plan_lines": []}


def _plan_line(step: Mapping[str, Any], ctx: ComputeContext) -> str:
    owner = str(step["owner"])
    who = ctx.say(f"plan.owner.{owner}") if owner in ("mentee", "mentor", "both") else owner
    due = iso_date(step["due"])
    if due is None:
        return ctx.say("plan.line", step=step["text"], owner=who)
    return ctx.say("plan.line_due", step=step["text"], owner=who, due=long_date(due, ctx.locale))


@register("action_plan_add")
def action_plan_add(slots: Mapping[str, Any], ctx: ComputeContext) -> dict[str, Any]:
    """The step just asked about goes into the plan with its owner and due date; on to the next."""
    actions = list(slots.get("actions") or [])
    index = int(slots.get("plan_index") or 0)
    plan = list(slots.get("action_plan") or [])
    if index < len(actions):
        owner = str(slots.get("action_owner") or "mentee")
        plan.append({"text": str(actions[index]), "owner": owner, "due": slots.get("action_due")})
    lines = [_plan_line(p, ctx) for p in plan]
    return {**_plan_step(actions, index + 1), "action_plan": plan, "action_plan_lines": lines}


@register("empowerment_options")
def empowerment_options(slots: Mapping[str, Any], ctx: ComputeContext) -> dict[str, Any]:
    """`options` and `more_options` as one list without repeats (compared ignoring case and spacing)."""
    merged: list[str] = []
    seen: set[str] = set()
    for name in ("options", "more_options"):
        items = slots.get(name) or []
        for item in items if isinstance(items, list) else [items]:
            text = str(item).strip()
            key = " ".join(text.casefold().split())
            if text and key not in seen:
                seen.add(key)
                merged.append(text)
    return {"all_options": merged}


@register("reframe_kind")
def reframe_kind(slots: Mapping[str, Any], ctx: ComputeContext) -> dict[str, Any]:
    """What kind of question the mentor's `reframe` is (open, closed, leading, advice, not_a_question; see
    coach.engine.openness), so the flow can answer a closed or leading question with the right nudge."""
    return {"reframe_kind": openness.classify(str(slots.get("reframe") or ""), ctx.lexicon)}


# --- gratitude -------------------------------------------------------------------------------------


@register("gratitude_message")
def gratitude_message(slots: Mapping[str, Any], ctx: ComputeContext) -> dict[str, Any]:
    """The optional request near the end of the thank-you message, as its own paragraph: the user's
    words and a blank line, or nothing at all (a skipped question would otherwise show as a dash
    inside the message). Templates place `${ask_back_paragraph}` directly before the next paragraph."""
    ask = str(slots.get("ask_back") or "").strip()
    return {"ask_back_paragraph": f"{ask}\n\n" if ask else ""}


@register("gratitude_reply")
def gratitude_reply(slots: Mapping[str, Any], ctx: ComputeContext) -> dict[str, Any]:
    """The mentor's follow-up date written out for the reply to the thank-you ("Friday 11 December 2026")."""
    when = iso_date(slots.get("follow_up_date"))
    return {"follow_up_date_long": long_date(when, ctx.locale) if when is not None else ""}


# --- moving on: readiness signals --------------------------------------------------------------------

READINESS_SIGNALS = ("goals_met", "own_solutions", "sessions_thin", "skills_close")
_STRONG = 4  # on the 1-5 scales


@register("moving_on_readiness")
def moving_on_readiness(slots: Mapping[str, Any], ctx: ComputeContext) -> dict[str, Any]:
    """Scores the four readiness signals (each 1-5) and suggests, never imposes, a decision.

    - `readiness_score`: 0-100, the mean of the signals rescaled;
    - `readiness_signals`: the signals rated 4 or 5;
    - `suggested_decision`: `close` when the goals are met and the mentee's skills or self-reliance are
      near the mentor's; `change_format` when sessions are thin or the overall score is middling (the
      relationship has value but the current rhythm does not fit); otherwise `continue`."""
    values = {name: _scale(slots.get(name)) for name in READINESS_SIGNALS}
    rated = [v for v in values.values() if v is not None]
    score = round(sum((v - 1) / 4 for v in rated) / len(rated) * 100) if rated else 0
    strong = [name for name, v in values.items() if v is not None and v >= _STRONG]
    goals, solutions, thin, skills = (values[n] or 0 for n in READINESS_SIGNALS)
    if goals >= _STRONG and (skills >= _STRONG or solutions >= _STRONG):
        suggestion = "close"
    elif thin >= _STRONG or score >= 50:
        suggestion = "change_format"
    else:
        suggestion = "continue"
    return {"readiness_score": score, "readiness_signals": strong, "suggested_decision": suggestion}


def _scale(value: Any) -> int | None:
    if isinstance(value, bool) or not isinstance(value, int | float):
        return None
    return int(value)


# --- commitment, feedback ----------------------------------------------------------------------------


def weekday_name(d: Any, locale: str = "en") -> str:
    """The name of `d`'s day of the week in `locale`, as it stands inside a sentence (CLDR)."""
    from babel.dates import format_date

    return str(format_date(d, "EEEE", locale=babel_locale(locale)))


def rhythm_text(first: Any, cadence: Any, ctx: ComputeContext) -> str:
    """The rhythm that starts at `first`, in words: "Every two weeks on Thursdays"."""
    weekday = weekday_name(first, ctx.locale)
    values = {"weekday": weekday, "weekdays": ctx.say(f"rhythm.weekdays.{first.weekday()}", weekday=weekday)}
    if cadence == "monthly":
        return ctx.say("rhythm.monthly", nth=ctx.say(f"rhythm.nth.{nth_weekday(first)}"), **values)
    if cadence in ("weekly", "fortnightly"):
        return ctx.say(f"rhythm.{cadence}", **values)
    return ctx.say("rhythm.once", **values)


def _agenda_item(text: str, ctx: ComputeContext) -> str:
    import re

    parts = re.split(r"\s*(?:->|→|=>|:|—|–|\s-\s)\s*", text.strip(), maxsplit=1)
    topic = parts[0].strip()
    outcome = parts[1].strip() if len(parts) > 1 and parts[1].strip() else ""
    if not outcome:
        return ctx.say("agenda.item_open", topic=topic)
    return ctx.say("agenda.item", topic=topic, outcome=outcome)


@register("commitment_plan")
def commitment_plan(slots: Mapping[str, Any], ctx: ComputeContext) -> dict[str, Any]:
    """The meeting rhythm in words, the dates that follow from it (the second meeting, a review at
    the first meeting past the halfway point, the end of the commitment), and the agenda topics
    paired with their desired outcomes."""
    from datetime import timedelta

    out: dict[str, Any] = {}
    minutes = _as_float(slots.get("meeting_minutes"))
    out["meeting_length"] = int(minutes) if minutes is not None else 60
    clock = clock_time(slots.get("meeting_time"))
    if clock:
        out["meeting_clock"] = clock
    duration = _as_float(slots.get("duration_months"))
    months = int(duration) if duration is not None else 6
    first = iso_date(slots.get("first_meeting"))
    cadence = slots.get("cadence")
    if first is not None:
        rhythm = rhythm_text(first, cadence, ctx)
        length = number_text(out["meeting_length"], ctx.locale)
        out["meeting_schedule"] = (ctx.say(f"schedule.at.{plural_form(int(clock[:2]), ctx)}", rhythm=rhythm,
                                           clock=clock, minutes=length) if clock
                                   else ctx.say("schedule.plain", rhythm=rhythm, minutes=length))
        second = next_meeting_after(first, cadence)
        review = meeting_on_or_after(first, cadence, first + timedelta(days=max(14, months * 365 // 24)))
        end = plus_months(first, months)
        for name, d in (("first_meeting", first), ("second_meeting", second), ("review_date", review),
                        ("end_date", end)):
            if name != "first_meeting":
                out[name] = d.isoformat()
            out[f"{name}_long"] = long_date(d, ctx.locale)
    topics = slots.get("agenda_topics")
    if isinstance(topics, list):
        out["agenda_plan"] = [_agenda_item(str(t), ctx) for t in topics]
    return out


@register("feedback_note")
def feedback_note(slots: Mapping[str, Any], ctx: ComputeContext) -> dict[str, Any]:
    """The behaviour to put in the note (the observable version, when the first answer was a
    judgement and the user described what they saw), and the next meeting as a long date."""
    out: dict[str, Any] = {}
    observed = slots.get("behaviour_observed")
    behaviour = observed if isinstance(observed, str) and observed.strip() else slots.get("behaviour")
    if isinstance(behaviour, str):
        out["sbi_behaviour"] = behaviour
    nxt = iso_date(slots.get("next_meeting"))
    if nxt is not None:
        out["next_meeting_long"] = long_date(nxt, ctx.locale)
    return out
