"""Turning what the user typed into a typed slot value, or a reason why it does not fit."""

from __future__ import annotations

import calendar
import re
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date, timedelta
from typing import Any

from coach.content import patterns
from coach.content.lexicon import Lexicon, phrase_body
from coach.content.schema import Choice, Slot, SlotType
from coach.engine.dates import long_date

# The words are the lexicon's (`lexicon/<locale>/answers.yaml`); what is compiled from them is kept on it.


@dataclass(frozen=True)
class _Words:
    yes: frozenset[str]
    no: frozenset[str]
    yes_first: frozenset[str]
    no_first: frozenset[str]
    numbers: dict[str, int]
    number_word: re.Pattern[str]
    weekdays: dict[str, int]
    months: dict[str, int]
    days_from_today: dict[str, int]
    in_amount: list[re.Pattern[str]]
    units: dict[str, str]
    weekday: list[re.Pattern[str]]
    ambiguous_weekday: list[re.Pattern[str]]
    day_month: list[re.Pattern[str]]
    months_from_today: dict[str, int]
    end_of_month: re.Pattern[str]
    numeric_date: list[re.Pattern[str]]
    multichoice_split: re.Pattern[str]
    scale: re.Pattern[str]
    measure_units: dict[str, str]
    measure_after: dict[str, int]
    measure_before: dict[str, int]
    measure_unit_word: re.Pattern[str]
    measure_term: re.Pattern[str]
    measure_join: re.Pattern[str]
    time: _TimeWords


def _compile(lex: Lexicon) -> _Words:
    numbers = {k: int(v) for k, v in lex.table("answers.numbers").items()}

    def each(key: str) -> list[re.Pattern[str]]:
        return [re.compile(f) for f in lex.fragments(key)]

    return _Words(
        yes=frozenset(lex.words("answers.yes_words")), no=frozenset(lex.words("answers.no_words")),
        yes_first=frozenset(lex.words("answers.yes_first_words")),
        no_first=frozenset(lex.words("answers.no_first_words")),
        numbers=numbers,
        # a number word, not inside a longer word ("one" in "one's", not in "someone")
        number_word=re.compile(rf"(?<![^\W\d_])(?:{phrase_body(numbers)})(?![^\W\d_])"),
        weekdays={k: int(v) for k, v in lex.table("answers.weekdays").items()},
        months={k: int(v) for k, v in lex.table("answers.months").items()},
        days_from_today={k: int(v) for k, v in lex.table("answers.days_from_today").items()},
        in_amount=each("answers.in_amount_re"), units=lex.table("answers.units"),
        weekday=each("answers.weekday_re"), ambiguous_weekday=each("answers.ambiguous_weekday_re"),
        day_month=each("answers.day_month_re"),
        months_from_today={re.sub(r"\s+", " ", k): int(v) for k, v in lex.table("answers.months_from_today").items()},
        end_of_month=re.compile(lex.phrases("answers.end_of_month")),
        numeric_date=each("answers.numeric_date_re"),
        multichoice_split=re.compile(
            rf"\s*(?:,|;|/|\n|\b(?:{lex.phrases('answers.list_joins')})\b|&)\s*|\s+(?=\d+\b)"),
        scale=re.compile(rf"\s*(\d+)\s*(?:/|{lex.phrases('answers.out_of')})\s*(\d+)\s*"),
        **_measure_words(lex, numbers),
        time=_time_words(lex, numbers),
    )


@dataclass(frozen=True)
class _TimeWords:
    lead: re.Pattern[str]
    part: re.Pattern[str]
    parts: dict[str, str]
    named: dict[str, str]
    hours: dict[str, int]
    before: dict[str, int]
    after: dict[str, int]
    plus: frozenset[str]
    digital: re.Pattern[str]
    worded: re.Pattern[str]
    counted_before: re.Pattern[str]
    counted_after: re.Pattern[str]


def _time_words(lex: Lexicon, numbers: dict[str, int]) -> _TimeWords:
    def table(key: str) -> dict[str, Any]:
        return {re.sub(r"\s+", " ", k): v for k, v in lex.table(f"answers.{key}").items()}

    hours, before, after = table("time_hours"), table("time_before_hour"), table("time_after_hour")
    parts = table("time_parts")
    hour = rf"(?P<hour>\d{{1,2}}|{phrase_body(hours)})"
    n = rf"(?P<n>\d{{1,2}}|{phrase_body(numbers)})"
    plus_before, minus_before = lex.words("answers.time_plus_before"), lex.words("answers.time_minus_before")
    plus_after, minus_after = lex.words("answers.time_plus_after"), lex.words("answers.time_minus_after")
    return _TimeWords(
        lead=re.compile(rf"(?:{lex.phrases('answers.time_lead')})\s+"),
        part=re.compile(rf"\s*(?P<part>[ap]\.?\s?m\.?|(?<=\s)(?:{phrase_body(parts)}))$"),
        parts=parts, named=table("time_named"), hours={k: int(v) for k, v in hours.items()},
        before={k: int(v) for k, v in before.items()}, after={k: int(v) for k, v in after.items()},
        plus=frozenset(plus_before) | frozenset(plus_after),
        digital=re.compile(r"(?P<hour>\d{1,2})(?:(?:[:.]|h\s?)(?P<minute>\d{2}))?(?P<h>\s?(?:h|hs|hrs))?"),
        worded=re.compile(rf"(?:(?P<before>{phrase_body(before)})\s+)?{hour}(?:\s+(?P<after>{phrase_body(after)}))?"),
        counted_before=re.compile(rf"{n}(?:\s+minutes?)?\s+(?P<sign>{phrase_body((*plus_before, *minus_before))})"
                                  rf"\s+{hour}"),
        counted_after=re.compile(rf"{hour}\s+(?P<sign>{phrase_body((*plus_after, *minus_after))})\s+{n}"
                                 r"(?:\s+minutos?)?"),
    )


def _measure_words(lex: Lexicon, numbers: dict[str, int]) -> dict[str, Any]:
    """What reads an amount with its unit ("an hour and a half", "1h30", "un año y medio"): one term is a
    count (digits, a number word or an article) and a unit, with a fraction after it, or a fraction and a
    unit ("half an hour"); `measure_join` is what may stand between two terms."""
    units = {re.sub(r"\s+", " ", k): v for k, v in lex.table("answers.measure_units").items()}
    after = {k: int(v) for k, v in lex.table("answers.measure_after_quarters").items()}
    before = {k: int(v) for k, v in lex.table("answers.measure_before_quarters").items()}
    no_letter_before, no_letter_after = r"(?<![^\W\d_])", r"(?![^\W\d_])"
    unit = rf"{no_letter_before}(?:{phrase_body(units)}){no_letter_after}"
    count = (rf"(?<![\d.,])\d+(?:[.,]\d+)?|{no_letter_before}(?:{phrase_body(numbers)}|"
             rf"{lex.phrases('answers.measure_articles')}){no_letter_after}")
    fraction_after = rf"{no_letter_before}(?:{phrase_body(after)}){no_letter_after}"
    fraction_before = rf"{no_letter_before}(?:{phrase_body(before)}){no_letter_after}"
    term = (rf"(?P<before>{fraction_before})\s*(?P<u1>{unit})"
            rf"|(?P<n>{count})\s*(?P<after1>{fraction_after})\s*(?P<u2>{unit})"
            rf"|(?:(?P<n3>{count})\s*)?(?P<u3>{unit})(?:\s*(?P<after3>{fraction_after}))?")
    return {
        "measure_units": units, "measure_after": after, "measure_before": before,
        "measure_unit_word": re.compile(unit), "measure_term": re.compile(term),
        "measure_join": re.compile(rf"[\s,+]*(?:(?:{lex.phrases('answers.measure_joins')})[\s,]*)?"),
    }


def _words(lex: Lexicon | None) -> _Words:
    return (lex or Lexicon.load()).memo("answers", _compile)


@dataclass
class Ambiguous(Exception):
    """The answer could mean either of these dates ("next Thursday" said on a Tuesday)."""

    options: list[date]


@dataclass
class Invalid(Exception):
    """The answer does not fit the slot. `reason` is a prompt key suffix under common.invalid."""

    reason: str
    details: dict[str, str] = field(default_factory=dict)


def norm(text: str) -> str:
    return re.sub(r"\s+", " ", text.strip().casefold().strip(" .!?¿¡\"'"))


def _read(text: str, lex: Lexicon | None) -> str:
    """`text` as the lexicon's words are looked up in it: `norm`, folded where the language folds accents."""
    return (lex or Lexicon.load()).fold(norm(text))


def _number(text: str, lex: Lexicon | None = None) -> float | None:
    t = _read(text, lex)
    nums = re.findall(r"(?<![\w.])-?\d+(?:[.,]\d+)?(?![\w])|-?\d+(?:[.,]\d+)?", t)
    if len(nums) == 1:
        return float(nums[0].replace(",", "."))
    if len(nums) > 1:
        return None
    w = _words(lex)
    words = w.number_word.findall(t)
    if len(words) == 1:
        return float(w.numbers[re.sub(r"\s+", " ", words[0])])
    return None


# The units a number slot may be measured in (`unit:` in a flow), as the lexicon's units: a unit said in
# the answer is turned into the slot's when both measure the same kind of time (an hour is 60 minutes, a
# year 12 months); days and weeks are never turned into months, nor months into weeks (neither is a
# whole number of the other): such an answer is asked again, in the slot's unit.
SLOT_UNITS = {"minutes": "minute", "hours": "hour", "days": "day", "weeks": "week", "months": "month"}
_UNIT_SIZE = {"minute": ("clock", 1), "hour": ("clock", 60), "day": ("clock", 1440), "week": ("clock", 10080),
              "month": ("calendar", 1), "year": ("calendar", 12)}
_NEXT_SMALLER = {"hour": "minute", "year": "month"}  # "1h30", "1 año 6": the bare number after it


def measured(text: str, unit: str, lex: Lexicon | None = None) -> float | None:
    """The amount `text` says in `unit` (one of SLOT_UNITS): "1 hour" is 60 in minutes, "una hora y media"
    90, "1h30" 90, "un año y medio" 18 in months; a bare number is in `unit` already. None if it says no
    one amount; Invalid("number_unit.<unit>") for an amount in a unit that cannot be turned into `unit`."""
    t, w = _read(text, lex), _words(lex)
    if not w.measure_unit_word.search(t):
        return _number(text, lex)
    kind, size = _UNIT_SIZE[SLOT_UNITS[unit]]
    total, pos, last = 0.0, 0, ""
    for m in w.measure_term.finditer(t):
        gap = t[pos:m.start()]
        if pos == 0:
            if _has_number(gap, w):
                return None
        elif not w.measure_join.fullmatch(gap):
            return None
        said = re.sub(r"\s+", " ", m.group("u1") or m.group("u2") or m.group("u3"))
        name = w.measure_units[said]
        if m.group("before"):
            amount = w.measure_before[re.sub(r"\s+", " ", m.group("before"))] / 4
        else:
            n, after = m.group("n") or m.group("n3"), m.group("after1") or m.group("after3")
            if n is None and after is None:
                return None  # "hours" alone ("a few hours"): no amount
            amount = _count(n, w) + (w.measure_after[re.sub(r"\s+", " ", after)] / 4 if after else 0)
        its_kind, its_size = _UNIT_SIZE[name]
        if its_kind != kind:
            raise Invalid(f"number_unit.{unit}")
        total += amount * its_size / size
        pos, last = m.end(), name
    if pos == 0:
        return None
    tail = t[pos:]
    rest = re.fullmatch(r"\s*(\d{1,2})(?!\d)(.*)", tail, re.S) if last in _NEXT_SMALLER else None
    if rest:
        smaller = _NEXT_SMALLER[last]
        if int(rest.group(1)) * _UNIT_SIZE[smaller][1] >= _UNIT_SIZE[last][1]:
            return None  # "1h75"
        total += int(rest.group(1)) * _UNIT_SIZE[smaller][1] / size
        tail = rest.group(2)
    return None if _has_number(tail, w) else total


def _count(said: str | None, w: _Words) -> float:
    if said is None:
        return 1.0
    said = re.sub(r"\s+", " ", said)
    if said[0].isdigit():
        return float(said.replace(",", "."))
    return float(w.numbers.get(said, 1))  # an article: one


def _has_number(text: str, w: _Words) -> bool:
    return bool(re.search(r"\d", text) or w.number_word.search(text))


# A time said without its part of the day ("a las cinco", "at 5", "half past five") is taken within
# business hours, 08:00 to 19:59: 1 to 7 is in the afternoon, 8 to 12 as said. A time written with its
# minutes ("5:30", "17:30") is on the 24-hour clock, as it always was.
_AFTERNOON_UP_TO = 7


def parse_time(text: str, lex: Lexicon | None = None) -> str | None:
    """The time of day `text` names, as HH:MM (24-hour), read with the words of its language: "17:30",
    "5:30pm", "17h", "half past five", "noon", "a las cinco y media de la tarde", "las 18:00"; None if none."""
    tw = _words(lex).time
    t = _read(text, lex)
    led = tw.lead.match(t)
    if led:
        t = t[led.end():]
    if t in tw.named:
        return tw.named[t]
    part, am_pm = None, False  # am_pm: said as am or pm (not "13pm")
    m = tw.part.search(t)
    if m:
        said = re.sub(r"\s+", " ", m.group("part"))
        am_pm = said not in tw.parts
        part = tw.parts.get(said) or ("am" if said.startswith("a") else "pm")
        t = t[:m.start()].strip()
    offset, explicit = 0, False  # explicit: on the 24-hour clock as written ("17h", "5:30")
    d = tw.digital.fullmatch(t)
    if d:
        hour, minute = int(d.group("hour")), int(d.group("minute") or 0)
        explicit = d.group("minute") is not None or d.group("h") is not None
        if not explicit and part is None and not led:
            return None  # a bare number is not a time of day
        if minute > 59:
            return None
    else:
        hour_said, minute = None, 0
        for pattern in (tw.worded, tw.counted_before, tw.counted_after):
            w = pattern.fullmatch(t)
            if not w:
                continue
            hour_said = w.group("hour")
            groups = w.groupdict()
            if groups.get("before"):
                offset = tw.before[re.sub(r"\s+", " ", groups["before"])]
            if groups.get("after"):
                offset = tw.after[re.sub(r"\s+", " ", groups["after"])]
            if groups.get("n"):
                said = re.sub(r"\s+", " ", groups["n"])
                count = int(said) if said.isdigit() else _words(lex).numbers.get(said, -1)
                if not 0 < count < 60:
                    return None
                offset = count if re.sub(r"\s+", " ", groups["sign"]) in tw.plus else -count
            break
        if hour_said is None:
            return None
        hour = int(hour_said) if hour_said.isdigit() else tw.hours[re.sub(r"\s+", " ", hour_said)]
        if not led and part is None and hour_said.isdigit() and not offset and pattern is tw.worded \
                and not groups.get("after"):
            return None  # "5": a bare number
    if part is not None:
        if (hour > 12 and (part == "am" or am_pm)) or (hour == 0 and part == "pm"):
            return None
        if hour <= 12:
            hour = hour % 12 + (12 if part == "pm" else 0)
    elif not explicit and 1 <= hour <= _AFTERNOON_UP_TO:
        hour += 12
    if hour > 23:
        return None
    total = (hour * 60 + minute + offset) % (24 * 60)
    return f"{total // 60:02d}:{total % 60:02d}"


def as_int_if_whole(x: float) -> int | float:
    return int(x) if x == int(x) else x


def match_choice(text: str, choices: list[Choice], lex: Lexicon | None = None) -> Choice | None:
    """The choice `text` names: its number, value, label or a synonym (without accents where the language
    of `lex` folds them: "sesion" is "Sesión")."""

    def norm(s: str) -> str:
        return _read(s, lex)

    t = norm(text)
    if not t:
        return None
    if t.isascii() and t.isdigit() and 1 <= int(t) <= len(choices):
        return choices[int(t) - 1]
    for c in choices:
        if t in (norm(c.value), norm(c.label), *(norm(s) for s in c.synonyms)):
            return c
    for c in choices:  # the value with underscores read as spaces
        if t == norm(c.value.replace("_", " ")):
            return c
    hits = []
    for c in choices:
        words = (c.label, *c.synonyms, c.value.replace("_", " "))
        if any(re.search(rf"(?<!\w){re.escape(norm(w))}(?!\w)", t) for w in words if norm(w)):
            hits.append(c)
    return hits[0] if len(hits) == 1 else None


def choices_text(choices: list[Choice]) -> str:
    return ", ".join(f"{i}. {c.label}" for i, c in enumerate(choices, 1))


def split_items(text: str) -> list[str]:
    """Split a list answer: one item per line, or separated by ';', or by ',' on a single line."""
    raw = text.strip()
    if "\n" in raw:
        parts = raw.splitlines()
    elif ";" in raw:
        parts = raw.split(";")
    else:
        parts = raw.split(",")
    items = []
    for p in parts:
        p = re.sub(r"^\s*(?:[-*•]|\d+[.)])\s+", "", p).strip()
        if p:
            items.append(p)
    return items


def _weekday(w: _Words, patterns: list[re.Pattern[str]], t: str) -> int | None:
    for pattern in patterns:
        m = pattern.fullmatch(t)
        if m and m.group("day") in w.weekdays:
            return w.weekdays[m.group("day")]
    return None


def parse_date(text: str, today: date, lex: Lexicon | None = None) -> date | None:
    """The date `text` names (an ISO date, "tomorrow", "in two weeks", "next friday", "3 june", "3/6/2027"),
    read with the lexicon of its language (`None`: English); None if it names none."""
    t = _read(text, lex)
    if not t:
        return None
    try:
        return date.fromisoformat(t)
    except ValueError:
        pass
    w = _words(lex)
    if t in w.days_from_today:
        return today + timedelta(days=w.days_from_today[t])
    if t in w.months_from_today:  # "next month": the same day of the next month
        return _add_months(today, w.months_from_today[t])
    if w.end_of_month.fullmatch(t):
        return date(today.year, today.month, calendar.monthrange(today.year, today.month)[1])
    for pattern in w.numeric_date:  # "el 3/12": the 3rd of December (this year's, or next year's if past)
        m = pattern.fullmatch(t)
        if m and 1 <= int(m.group("month")) <= 12:
            return _dated(int(m.group("day")), int(m.group("month")), None, today)
    for pattern in w.in_amount:
        m = pattern.fullmatch(t)
        if m:
            said = re.sub(r"\s+", " ", m.group("n"))
            n = int(said) if said.isdigit() else w.numbers.get(said, -1)
            unit = w.units.get(m.group("unit"))
            if n >= 0 and unit is not None:
                if unit == "day":
                    return today + timedelta(days=n)
                if unit == "week":
                    return today + timedelta(weeks=n)
                return _add_months(today, n)
    day = _weekday(w, w.weekday, t)
    if day is not None:
        ahead = (day - today.weekday()) % 7 or 7
        return today + timedelta(days=ahead)
    for pattern in w.day_month:
        m = pattern.fullmatch(t)
        if m and m.group("month") in w.months:
            return _dated(int(m.group("day")), w.months[m.group("month")], m.group("year"), today)
    m = re.fullmatch(r"(\d{1,2})[/.](\d{1,2})[/.](\d{4})", t)
    if m:  # day/month/year, the form most of the world writes
        try:
            return date(int(m.group(3)), int(m.group(2)), int(m.group(1)))
        except ValueError:
            return None
    return None


def date_options(text: str, today: date, lex: Lexicon | None = None) -> list[date]:
    """The dates `text` may mean: one, or two for "next <weekday>" when that weekday is still to
    come this week (some mean that day, others the one a week later); none if it is no date."""
    found = parse_date(text, today, lex)
    if found is None:
        return []
    day = _weekday(_words(lex), _words(lex).ambiguous_weekday, _read(text, lex))
    if day is not None and day > today.weekday():
        return [found, found + timedelta(days=7)]
    return [found]


def _add_months(d: date, n: int) -> date:
    y, m = divmod(d.month - 1 + n, 12)
    year, month = d.year + y, m + 1
    return date(year, month, min(d.day, calendar.monthrange(year, month)[1]))


def _dated(day: int, month: int, year: str | None, today: date) -> date | None:
    try:
        d = date(int(year) if year else today.year, month, day)
    except ValueError:
        return None
    if not year and d < today:
        d = date(d.year + 1, month, day) if not (month == 2 and day == 29) else d
    return d


def parse(slot: Slot, text: str, today: date, lex: Lexicon | None = None) -> Any:
    """The typed value for `text`, or raise Invalid (or Ambiguous, for a date that could be either
    of two). Yes and no, numbers and dates are read with the lexicon of the answer's language (`None`:
    English)."""
    t = slot.type
    stripped = text.strip()
    if not stripped:
        raise Invalid("empty")
    if t == SlotType.text:
        words = len(stripped.split())
        if slot.min_words and words < slot.min_words:
            raise Invalid("too_short", {"min_words": str(slot.min_words), "words": str(words)})
        if slot.max_words and words > slot.max_words:
            raise Invalid("too_long", {"max_words": str(slot.max_words), "words": str(words)})
        if slot.pattern and not patterns.search(slot.pattern, stripped):  # linear time: no answer can hang it
            raise Invalid("pattern")
        return text
    if t == SlotType.yes_no:
        n, w = _read(text, lex), _words(lex)
        first = re.split(r"[\s,;:!]+", n)[0]  # "yes please", "sí, eso es"
        if n in w.yes or first in w.yes_first:
            return True
        if n in w.no or first in w.no_first:
            return False
        raise Invalid("yes_no")
    if t in (SlotType.number, SlotType.scale):
        x = measured(text, slot.unit, lex) if slot.unit else _number(text, lex)
        if t == SlotType.scale:
            lo, hi = slot.scale_bounds
            m = _words(lex).scale.fullmatch((lex or Lexicon.load()).fold(text.strip().casefold()))
            if m and int(m.group(2)) == hi:
                x = float(m.group(1))
            if x is None or x != int(x) or not lo <= x <= hi:
                raise Invalid("scale", {"min": str(lo), "max": str(hi)})
            return int(x)
        if x is None:
            raise Invalid("number")
        if slot.min is not None and x < slot.min:
            raise Invalid("number_min", {"min": f"{as_int_if_whole(slot.min)}"})
        if slot.max is not None and x > slot.max:
            raise Invalid("number_max", {"max": f"{as_int_if_whole(slot.max)}"})
        return as_int_if_whole(x)
    if t == SlotType.choice:
        c = match_choice(text, slot.choices, lex)
        if c is None:
            raise Invalid("choice", {"choices": choices_text(slot.choices)})
        return c.value
    if t == SlotType.multichoice:
        parts = [p for p in _words(lex).multichoice_split.split(stripped) if p.strip()]
        picked: list[str] = []
        for p in parts:
            c = match_choice(p, slot.choices, lex)
            if c is None:
                raise Invalid("multichoice", {"choices": choices_text(slot.choices), "item": p.strip()})
            if c.value not in picked:
                picked.append(c.value)
        check_items(slot, len(picked))
        return picked
    if t == SlotType.list:
        items = split_items(text)
        check_items(slot, len(items))
        return items
    if t == SlotType.time:
        clock = parse_time(text, lex)
        if clock is None:
            raise Invalid("time")
        return clock
    if t == SlotType.date:
        options = date_options(text, today, lex)
        example = (today + timedelta(days=7)).isoformat()
        if not options:
            raise Invalid("date", {"example": example})
        if len(options) > 1:
            raise Ambiguous(options)
        d = options[0]
        if slot.future and d < today:
            raise Invalid("date_past", {"date": d.isoformat(), "example": example})
        return d.isoformat()
    raise Invalid("empty")  # pragma: no cover - every type is handled above


def check_items(slot: Slot, n: int) -> None:
    if slot.min_items is not None and n < slot.min_items:
        raise Invalid("few_items", {"min_items": str(slot.min_items), "items": str(n)})
    if slot.max_items is not None and n > slot.max_items:
        raise Invalid("many_items", {"max_items": str(slot.max_items), "items": str(n)})


def display(slot: Slot | None, value: Any, word: Callable[[str], str] | None = None, *,
            locale: str | None = None) -> str:
    """A slot value as plain text for templates and summaries; `word(key)` names yes and no in the
    conversation's language (`engine.yes`, `engine.no`; without it, their codes), and with `locale` a
    date answer is written out in that language ("Friday 11 December 2026"; without it, ISO)."""
    if value is None:
        return "—"
    if locale is not None and slot is not None and slot.type == SlotType.date and isinstance(value, str):
        try:
            return long_date(date.fromisoformat(value), locale)
        except ValueError:  # a value from before dates were checked: as it is
            return value
    if slot is not None and slot.type == SlotType.choice:
        return next((c.label for c in slot.choices if c.value == value), str(value))
    if slot is not None and slot.type == SlotType.multichoice and isinstance(value, list):
        labels = {c.value: c.label for c in slot.choices}
        return ", ".join(labels.get(v, str(v)) for v in value)
    if isinstance(value, bool):
        code = "yes" if value else "no"
        return word(code) if word is not None else code
    if isinstance(value, list):
        return "; ".join(str(v) for v in value)
    if slot is not None and slot.type == SlotType.scale:
        return f"{value}/{slot.scale_bounds[1]}"
    return str(value)
