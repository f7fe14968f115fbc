"""Named pure functions a flow's `compute` step may run over the slots (scores, recommendations).

Flows are data and cannot carry code; a compute step names one of the functions registered
here.  Each takes the slots (read-only) and the role and returns new slot values."""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping
from typing import Any

from coach.engine import openness, probes
from coach.engine.refine import clean, join
from coach.models import iso_date

ComputeFn = Callable[[Mapping[str, Any], str], dict[str, Any]]

REGISTRY: dict[str, ComputeFn] = {}


def register(name: str) -> Callable[[ComputeFn], ComputeFn]:
    def deco(fn: ComputeFn) -> ComputeFn:
        REGISTRY[name] = fn
        return fn

    return deco


def names() -> list[str]:
    return sorted(REGISTRY)


def run(name: str, slots: Mapping[str, Any], role: str) -> dict[str, Any]:
    fn = REGISTRY.get(name)
    if fn is None:
        raise KeyError(f"no compute function named {name!r} (known: {', '.join(names()) or 'none'})")
    return fn(slots, role)


# --- fit_check, commitment, feedback ---------------------------------------------------------
# The sentences these functions write into slots (reasons, questions, schedules) are English;
# they end up in the artifacts of the fit_check, commitment and feedback stages.

_FIT_STRONG, _FIT_PARTIAL, _FIT_WEAK = "strong", "partial", "weak"


def _num_text(x: Any) -> str:
    if isinstance(x, float) and x.is_integer():
        return str(int(x))
    return str(x)


def _is_num(x: Any) -> bool:
    return isinstance(x, int | float) and not isinstance(x, bool)


def _joined(items: list[str]) -> str:
    """'a', 'a and b', 'a, b and c'."""
    if len(items) <= 1:
        return "".join(items)
    return f"{', '.join(items[:-1])} and {items[-1]}"


def _scale_fit(value: Any, what: str) -> tuple[str, str]:
    """A 1-5 rating as (level, note)."""
    if not _is_num(value):
        return _FIT_PARTIAL, f"Not rated yet — find out about {what}."
    level = _FIT_STRONG if value >= 4 else _FIT_PARTIAL if value >= 3 else _FIT_WEAK
    return level, f"You rated this {_num_text(value)}/5."


def _as_float(x: Any) -> float | None:
    return float(x) if _is_num(x) else None


def _fit_commitment(slots: Mapping[str, Any]) -> tuple[str, str]:
    hours, other = _as_float(slots.get("hours_per_month")), _as_float(slots.get("other_hours"))
    cadence = slots.get("cadence")
    if hours is None:
        return _FIT_PARTIAL, "Your own time budget is still open."
    if other is None:
        level, note = _FIT_PARTIAL, f"You can give {_num_text(hours)} h a month; you don't know yet what they can give."
    else:
        high = max(hours, other)
        ratio = min(hours, other) / high if high else 0.0
        level = _FIT_STRONG if ratio >= 0.75 else _FIT_PARTIAL if ratio >= 0.5 else _FIT_WEAK
        note = f"You can give {_num_text(hours)} h a month; you think they can give {_num_text(other)} h."
    if hours < 1:
        note += " Under an hour a month leaves little room for regular contact."
        level = _FIT_WEAK if level == _FIT_WEAK else _FIT_PARTIAL
    if cadence == "ad_hoc":
        note += " There is no regular rhythm yet (you said: as needed)."
        level = _FIT_WEAK if level == _FIT_WEAK else _FIT_PARTIAL
    return level, note


_FIT_EXPECTATIONS = {
    "agreed": (_FIT_STRONG, "You've talked your expectations through and you agree."),
    "mostly": (_FIT_PARTIAL, "You mostly agree, with a few open points."),
    "not_discussed": (_FIT_PARTIAL, "You haven't talked your expectations through yet."),
    "differ": (_FIT_WEAK, "You see some of your expectations differently."),
}

# dimension -> (label in reasons, question for the mentee to raise, question for the mentor to raise)
_FIT_QUESTIONS: dict[str, tuple[str, str, str]] = {
    "goals": (
        "goals and vision",
        "What would you like this mentorship to achieve — and can it help me with “{goal}”?",
        "What do you most want to get out of this? I understood it as “{goal}” — is that right?",
    ),
    "expectations": (
        "expectations",
        "Here is what I hope for from you: {expectations}. What do you expect from me, and where do we differ?",
        "Here is what I hope for from you: {expectations}. What do you expect from me, and where do we differ?",
    ),
    "commitment": (
        "commitment level",
        "How many hours a month can each of us really give, and how often should we meet?",
        "How many hours a month can each of us really give, and how often should we meet?",
    ),
    "standing": (
        "mentor's standing in the field",
        "What are you working on in the field right now, and how do you stay close to it?",
        "",
    ),
    "enthusiasm": (
        "mentor's enthusiasm",
        "What do you enjoy about mentoring, and what made you open to working with me?",
        "",
    ),
    "engagement": (
        "mentee's engagement",
        "",
        "What will you do between our meetings, and how will you keep me posted on your progress?",
    ),
    "growth": (
        "room for your own growth",
        "",
        "I'd like to grow my {growth} skills through mentoring you — how can we make room for that?",
    ),
}


# the expectations question when the user named what is still open (by how far they have agreed)
_FIT_OPEN_POINT = {
    "mostly": "We agree on most of what we expect from each other. Still open: {open}. "
              "How would you like that to work?",
    "differ": "We see some of it differently: {open}. What matters most to you there, and what could work for us both?",
    "not_discussed": "Here is what I hope for from you: {expectations}. Could we start with this one: {open}. "
                     "What do you expect there, and what can I offer?",
}


@register("fit_score")
def fit_score(slots: Mapping[str, Any], role: str) -> dict[str, Any]:
    """Alignment per dimension (strong / partial / weak) with a note on what drove it, then a
    recommendation (go / talk_first / not_a_fit), the reasons for it and questions for the first talk.

    go: no weak dimension and at most one partial; not_a_fit: two or more weak; otherwise talk_first."""
    goals_level, goals_note = _scale_fit(slots.get("goals_match"), "how well your goals match")
    exp_level, exp_note = _FIT_EXPECTATIONS.get(
        str(slots.get("expectations_agreed")), (_FIT_PARTIAL, "Your shared expectations are still open.")
    )
    dims: dict[str, tuple[str, str]] = {
        "goals": (goals_level, goals_note),
        "expectations": (exp_level, exp_note),
        "commitment": _fit_commitment(slots),
    }
    if role == "mentor":
        dims["engagement"] = _scale_fit(slots.get("other_engaged"), "your mentee's engagement")
        dims["growth"] = _scale_fit(slots.get("growth_fit"), "the room this gives your own growth")
        if dims["engagement"][0] == _FIT_WEAK and dims["growth"][0] == _FIT_STRONG:
            dims["growth"] = (_FIT_PARTIAL, dims["growth"][1] + " But a disengaged mentee leaves little room to grow.")
    else:
        dims["standing"] = _scale_fit(slots.get("other_active"), "how active and respected your mentor is")
        dims["enthusiasm"] = _scale_fit(slots.get("other_enthusiasm"), "your mentor's enthusiasm for developing people")

    weak = [d for d, (level, _) in dims.items() if level == _FIT_WEAK]
    partial = [d for d, (level, _) in dims.items() if level == _FIT_PARTIAL]
    strong = [d for d, (level, _) in dims.items() if level == _FIT_STRONG]

    def label(d: str) -> str:
        return _FIT_QUESTIONS[d][0]

    if len(weak) >= 2:
        recommendation = "not_a_fit"
        headline = f"{len(weak)} dimensions look weak: {_joined([label(d) for d in weak])}."
    elif weak or len(partial) >= 2:
        recommendation = "talk_first"
        if weak:
            headline = f"One dimension looks weak ({label(weak[0])}): talk it through before you commit."
        else:
            headline = f"Several dimensions are only partly aligned: {_joined([label(d) for d in partial])}."
    else:
        recommendation = "go"
        headline = f"Strong on {_joined([label(d) for d in strong])}."
        if partial:
            headline += f" One point to settle early: {label(partial[0])}."
    reasons = [headline] + [
        f"{label(d).capitalize()} ({dims[d][0]}): {dims[d][1][:1].lower()}{dims[d][1][1:]}" for d in weak + partial
    ]

    expectations = slots.get("expectations")
    fill = {
        "goal": str(slots.get("goal") or "my goal").strip(),
        "expectations": "; ".join(str(e) for e in expectations[:3]) if isinstance(expectations, list) else "—",
        "growth": _joined([str(g).replace("_", " ") for g in slots.get("mentor_growth") or []]) or "mentoring",
    }
    questions: list[str] = []
    open_point = clean(str(slots.get("expectations_open") or "")).rstrip(" .!?")
    for d in weak + partial:
        template = _FIT_QUESTIONS[d][2 if role == "mentor" else 1]
        if d == "expectations" and open_point:  # what the user said is still open, asked about
            template = _FIT_OPEN_POINT.get(str(slots.get("expectations_agreed")), template)
            fill["open"] = open_point
        if template:
            questions.append(template.format(**fill))
    concerns = slots.get("concerns")
    if isinstance(concerns, str) and concerns.strip():  # the worry itself stays in the user's own notes
        questions.append("There's something I'd like us to be able to talk about openly from the start. "
                         "How would you like us to raise worries when we have them?")
    if len(questions) < 2:
        questions.append("What would make this mentorship a success for each of us six months from now?")

    out: dict[str, Any] = {"recommendation": recommendation, "fit_reasons": reasons,
                           "first_talk_questions": questions}
    first_talk = iso_date(slots.get("first_talk_date"))
    if first_talk is not None:
        out["first_talk_long"] = long_date(first_talk)
    for d, (level, note) in dims.items():
        out[f"fit_{d}"] = level
        out[f"fit_{d}_note"] = note
    return out


# --- empowerment: SMART goal check, options ------------------------------------------------------

_MONTHS = (r"jan(?:uary)?|feb(?:ruary)?|mar(?:ch)?|apr(?:il)?|june?|july?|aug(?:ust)?|sep(?:t(?:ember)?)?|"
           r"oct(?:ober)?|nov(?:ember)?|dec(?:ember)?")
_PERIODS = r"days?|weeks?|months?|quarters?|years?|terms?|semesters?|sprints?"
_SEASONS = r"summer|winter|spring|autumn|fall|christmas|new year"
_COUNTS = (r"\d+|a|an|one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|a few|a couple of|"
           r"couple of|few")
_TIME_BOUND = re.compile(
    "|".join([
        rf"\b(?:{_MONTHS})\b",
        r"\b(?:by|in|before|until|till|end of|mid|early|late)\s+may\b",  # "may" alone is usually the verb
        r"\bmay\s+\d{4}\b|\b\d{1,2}(?:st|nd|rd|th)?\s+may\b",
        r"\b(?:19|20)\d{2}\b",
        r"\b\d{1,2}[/.]\d{1,2}(?:[/.]\d{2,4})?\b",
        r"\b(?:monday|tuesday|wednesday|thursday|friday|saturday|sunday|tomorrow|today|tonight)\b",
        rf"\b(?:next|this|coming|following)\s+(?:{_PERIODS}|{_SEASONS})\b",
        rf"\b(?:within|in|after|for|over)\s+(?:the\s+)?(?:next\s+)?(?:{_COUNTS})\s+(?:{_PERIODS})\b",
        rf"\b\d+\s*(?:{_PERIODS})\b",
        rf"\b(?:by|before|until|till)\s+(?:the\s+)?(?:end|{_SEASONS})\b",
        r"\bend of\b|\b(?:eoy|eom|eow|deadline|due)\b|\bq[1-4]\b|\bh[12]\b",
    ]),
    re.IGNORECASE,
)
_MEASURABLE = re.compile(
    "|".join([
        r"\d", r"%",
        r"\b(?:one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|fifteen|twenty|thirty|fifty|"
        r"hundred|thousand|once|twice|half|dozen|double|triple|couple)\b",
        r"\b(?:percent|per cent|rate|score|rating|target|kpi|metric|at least|at most|number of|per|every|times)\b",
        # an observable, done-or-not-done outcome
        r"\b(?:launch(?:ed)?|publish(?:ed)?|ship(?:ped)?|pass(?:ed)?|complet(?:e|ed)|finish(?:ed)?|"
        r"submit(?:ted)?|deliver(?:ed)?|release(?:d)?|win|won|earn(?:ed)?|hired?|promot(?:ed|ion)|"
        r"certifi(?:ed|cation)|certificate|graduat(?:e|ed)|sign(?:ed)? off|get (?:the|a|an) (?:job|offer|role)|"
        r"(?:my|a|the|our) first)\b",
    ]),
    re.IGNORECASE,
)
_SPECIFIC_MIN_WORDS = 4


def goal_is_specific(text: str) -> bool:
    """The goal names a concrete thing: at least four words, and nothing vague unless it comes
    with a count."""
    return probes.word_count(text) >= _SPECIFIC_MIN_WORDS and (not probes.is_vague(text) or _has_count(text))


def _has_count(text: str) -> bool:
    """A number that is not part of a date ("3 more clients" is concrete despite the word "more")."""
    return re.search(r"\d", _TIME_BOUND.sub(" ", text)) is not None


def goal_is_time_bound(text: str) -> bool:
    """A date, a deadline or a duration: "by June", "in 3 months", "2027-03-31", "next quarter"."""
    return _TIME_BOUND.search(text) is not None


def goal_is_measurable(text: str) -> bool:
    """A number, a metric word or an observable outcome, not counting the numbers of a date."""
    return _MEASURABLE.search(_TIME_BOUND.sub(" ", text)) is not None


@register("empowerment_smart_goal")
def empowerment_smart_goal(slots: Mapping[str, Any], role: str) -> dict[str, Any]:
    """Checks S, M and T of `goal` in order, each after the follow-up for the one before, and puts
    the goal and the follow-ups that were needed together as one sentence, `goal_smart`.

    A follow-up answer only counts while the part it was asked for is still missing, so an answer kept
    from an earlier version of the goal does not leak into a goal that no longer needs it. A vague
    goal ("get better at stuff") gives way to the follow-up that says what it means."""
    parts = [p for p in (str(slots.get("goal") or "").strip(),) if p]
    specific = goal_is_specific(" ".join(parts))
    if not specific and slots.get("goal_detail"):
        parts.append(str(slots["goal_detail"]))
    measurable = goal_is_measurable(" ".join(parts))
    if not measurable and slots.get("goal_measure"):
        parts.append(str(slots["goal_measure"]))
    time_bound = goal_is_time_bound(" ".join(parts))
    if not time_bound and slots.get("goal_deadline"):
        parts.append(str(slots["goal_deadline"]))
    clear = _clearest(parts)
    return {
        "goal_specific": specific,
        "goal_measurable": measurable,
        "goal_time_bound": time_bound,
        "goal_smart": join(*clear) if clear else "",
    }


def _clearest(parts: list[str]) -> list[str]:
    """The parts without the short, vague ones that carry no number or date (all, if none is left)."""
    def unclear(part: str) -> bool:
        return (probes.is_vague(part) and probes.word_count(part) < 5
                and not goal_is_measurable(part) and not goal_is_time_bound(part))

    return [part for part in parts if not unclear(part)] or parts


_OWNERS = {"mentee": "me", "mentor": "my mentor", "both": "both of us"}


def _plan_step(actions: list[Any], index: int) -> dict[str, Any]:
    return {"plan_index": index, "plan_left": max(0, len(actions) - index),
            "plan_action": str(actions[index]) if index < len(actions) else ""}


@register("action_plan_start")
def action_plan_start(slots: Mapping[str, Any], role: str) -> dict[str, Any]:
    """The loop over the chosen steps begins: the first one is asked about (who, by when)."""
    actions = slots.get("actions") or []
    return {**_plan_step(list(actions), 0), "action_plan": [], "action_plan_lines": []}


@register("action_plan_add")
def action_plan_add(slots: Mapping[str, Any], role: str) -> dict[str, Any]:
    """The step just asked about goes into the plan with its owner and due date; on to the next."""
    actions = list(slots.get("actions") or [])
    index = int(slots.get("plan_index") or 0)
    plan = list(slots.get("action_plan") or [])
    if index < len(actions):
        owner = str(slots.get("action_owner") or "mentee")
        plan.append({"text": str(actions[index]), "owner": owner, "due": slots.get("action_due")})
    lines = [f"{p['text']} ({_OWNERS.get(p['owner'], p['owner'])}, by {long_date(iso_date(p['due']))})"
             if iso_date(p["due"]) else f"{p['text']} ({_OWNERS.get(p['owner'], p['owner'])})" for p in plan]
    return {**_plan_step(actions, index + 1), "action_plan": plan, "action_plan_lines": lines}


@register("empowerment_options")
def empowerment_options(slots: Mapping[str, Any], role: str) -> dict[str, Any]:
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
def reframe_kind(slots: Mapping[str, Any], role: str) -> dict[str, Any]:
    """What kind of question the mentor's `reframe` is (open, closed, leading, advice, not_a_question; see
    coach.engine.openness), so the flow can answer a closed or leading question with the right nudge."""
    return {"reframe_kind": openness.classify(str(slots.get("reframe") or ""))}


# --- gratitude -------------------------------------------------------------------------------------


@register("gratitude_message")
def gratitude_message(slots: Mapping[str, Any], role: str) -> dict[str, Any]:
    """The optional request near the end of the thank-you message, as its own paragraph: the user's
    words and a blank line, or nothing at all (a skipped question would otherwise show as a dash
    inside the message). Templates place `${ask_back_paragraph}` directly before the next paragraph."""
    ask = str(slots.get("ask_back") or "").strip()
    return {"ask_back_paragraph": f"{ask}\n\n" if ask else ""}



@register("gratitude_reply")
def gratitude_reply(slots: Mapping[str, Any], role: str) -> dict[str, Any]:
    """The mentor's follow-up date written out for the reply to the thank-you ("Friday 11 December 2026")."""
    when = iso_date(slots.get("follow_up_date"))
    return {"follow_up_date_long": long_date(when) if when is not None else ""}

# --- moving on: readiness signals --------------------------------------------------------------------

READINESS_SIGNALS = ("goals_met", "own_solutions", "sessions_thin", "skills_close")
_STRONG = 4  # on the 1-5 scales


@register("moving_on_readiness")
def moving_on_readiness(slots: Mapping[str, Any], role: str) -> dict[str, Any]:
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


_WEEKDAY_NAMES = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday")
_NTH = {1: "first", 2: "second", 3: "third", 4: "fourth", -1: "last"}


# How a date is written out, per language (CLDR pattern letters; a locale without one here uses
# its CLDR "full" date format). Names of days and months come from CLDR through Babel.
DATE_PATTERNS = {"en": "EEEE d MMMM y", "es": "EEEE d 'de' MMMM 'de' y"}


def long_date(d: Any, locale: str = "en") -> str:
    """'Thursday 3 December 2026' (`locale`'s names and order, whatever the process locale)."""
    from babel.dates import format_date

    language = locale.replace("-", "_").split("_")[0]
    return format_date(d, DATE_PATTERNS.get(locale) or DATE_PATTERNS.get(language) or "full", locale=locale)


def clock_time(text: Any) -> str | None:
    """'17:30', '5:30pm', '9 am', '9.15', '17h30' -> 'HH:MM' (24-hour), else None."""
    import re

    if not isinstance(text, str):
        return None
    m = re.fullmatch(r"\s*(\d{1,2})(?:[:.h](\d{2}))?\s*(?:([ap])\.?\s*m\.?)?\s*", text.casefold())
    if not m:
        return None
    hour, minute, half = int(m.group(1)), int(m.group(2) or 0), m.group(3)
    if half:
        if not 1 <= hour <= 12:
            return None
        hour = hour % 12 + (12 if half == "p" else 0)
    elif m.group(2) is None:
        return None  # a bare number is not a time of day
    if hour > 23 or minute > 59:
        return None
    return f"{hour:02d}:{minute:02d}"


def nth_weekday(d: Any) -> int:
    """Which occurrence of its weekday `d` is in its month: 1-4, or -1 for a fifth (the last)."""
    n = (d.day - 1) // 7 + 1
    return -1 if n == 5 else n


def _nth_weekday_of(year: int, month: int, weekday: int, n: int) -> Any:
    import calendar

    days = [day for day in calendar.Calendar().itermonthdates(year, month)
            if day.month == month and day.weekday() == weekday]
    return days[n - 1] if n > 0 else days[-1]


def _plus_months(d: Any, n: int) -> Any:
    import calendar
    from datetime import date

    y, m = divmod(d.month - 1 + n, 12)
    year, month = d.year + y, m + 1
    return date(year, month, min(d.day, calendar.monthrange(year, month)[1]))


def rhythm_words(first: Any, cadence: Any) -> str:
    """The rhythm that starts at `first`: "Every two weeks on Thursdays"."""
    weekday = _WEEKDAY_NAMES[first.weekday()]
    return {
        "weekly": f"Every week on {weekday}s",
        "fortnightly": f"Every two weeks on {weekday}s",
        "monthly": f"Every month on the {_NTH[nth_weekday(first)]} {weekday}",
    }.get(str(cadence), f"On {weekday}")


def regular_rhythm(first_meeting: Any, cadence: Any) -> tuple[Any, str] | None:
    """(first meeting, cadence) of an agreed rhythm that repeats (weekly, fortnightly, monthly),
    from stored values; None for none, or one that does not repeat ("as needed")."""
    first = iso_date(first_meeting)
    if first is None or cadence not in ("weekly", "fortnightly", "monthly"):
        return None
    return first, str(cadence)


def nearest_on_rhythm(first: Any, cadence: Any, target: Any, not_before: Any) -> Any:
    """The meeting of a regular rhythm (see `regular_rhythm`) nearest to `target`, not before
    `not_before`. A later one wins a tie."""
    from datetime import timedelta

    period = {"weekly": 7, "fortnightly": 14}.get(cadence, 35)
    later = meeting_on_or_after(first, cadence, target)
    earlier = meeting_on_or_after(first, cadence, max(target - timedelta(days=period), not_before, first))
    earlier = earlier if earlier <= target else later
    return earlier if (target - earlier) < (later - target) else later


def next_meeting_after(first: Any, cadence: Any) -> Any:
    """The meeting after `first` for a weekly / fortnightly / monthly (same nth weekday) rhythm."""
    from datetime import timedelta

    if cadence == "weekly":
        return first + timedelta(weeks=1)
    if cadence == "fortnightly":
        return first + timedelta(weeks=2)
    nxt = _plus_months(first, 1)
    return _nth_weekday_of(nxt.year, nxt.month, first.weekday(), nth_weekday(first))


def meeting_on_or_after(first: Any, cadence: Any, target: Any) -> Any:
    """The first meeting of the rhythm that starts at `first` falling on or after `target`
    (monthly meetings keep the first meeting's nth weekday, or the last one)."""
    from datetime import timedelta

    if target <= first:
        return first
    if cadence in ("weekly", "fortnightly"):
        step = 7 if cadence == "weekly" else 14
        periods = -(-(target - first).days // step)
        return first + timedelta(days=periods * step)
    n, k = nth_weekday(first), 1
    while True:
        month = _plus_months(first.replace(day=1), k)
        d = _nth_weekday_of(month.year, month.month, first.weekday(), n)
        if d >= target:
            return d
        k += 1


def _agenda_item(text: str) -> str:
    import re

    parts = re.split(r"\s*(?:->|→|=>|:|—|–|\s-\s)\s*", text.strip(), maxsplit=1)
    topic = parts[0].strip()
    outcome = parts[1].strip() if len(parts) > 1 and parts[1].strip() else ""
    if not outcome:
        return f"{topic} — desired outcome: to agree at the start"
    return f"{topic} — desired outcome: {outcome}"


@register("commitment_plan")
def commitment_plan(slots: Mapping[str, Any], role: str) -> dict[str, Any]:
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
        rhythm = rhythm_words(first, cadence)
        at = f" at {clock}" if clock else ""
        out["meeting_schedule"] = f"{rhythm}{at}, for {out['meeting_length']} minutes"
        second = next_meeting_after(first, cadence)
        review = meeting_on_or_after(first, cadence, first + timedelta(days=max(14, months * 365 // 24)))
        end = _plus_months(first, months)
        for name, d in (("first_meeting", first), ("second_meeting", second), ("review_date", review),
                        ("end_date", end)):
            if name != "first_meeting":
                out[name] = d.isoformat()
            out[f"{name}_long"] = long_date(d)
    topics = slots.get("agenda_topics")
    if isinstance(topics, list):
        out["agenda_plan"] = [_agenda_item(str(t)) for t in topics]
    return out


@register("feedback_note")
def feedback_note(slots: Mapping[str, Any], role: str) -> dict[str, Any]:
    """The behaviour to put in the note (the observable version, when the first answer was a
    judgement and the user described what they saw), and the next meeting as a long date."""
    out: dict[str, Any] = {}
    observed = slots.get("behaviour_observed")
    behaviour = observed if isinstance(observed, str) and observed.strip() else slots.get("behaviour")
    if isinstance(behaviour, str):
        out["sbi_behaviour"] = behaviour
    nxt = iso_date(slots.get("next_meeting"))
    if nxt is not None:
        out["next_meeting_long"] = long_date(nxt)
    return out
