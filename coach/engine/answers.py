"""Turning what the user typed into a typed slot value, or a reason why it does not fit."""

from __future__ import annotations

import calendar
import re
from dataclasses import dataclass, field
from datetime import date, timedelta
from typing import Any

from coach.content import patterns
from coach.content.schema import Choice, Slot, SlotType

WORD_NUMBERS = {
    "zero": 0, "none": 0, "one": 1, "once": 1, "two": 2, "twice": 2, "three": 3, "four": 4, "five": 5,
    "six": 6, "seven": 7, "eight": 8, "nine": 9, "ten": 10, "eleven": 11, "twelve": 12,
    "fifteen": 15, "twenty": 20, "thirty": 30, "forty": 40, "fifty": 50, "hundred": 100,
}
YES = {"yes", "y", "yeah", "yep", "yup", "sure", "definitely", "of course", "ok", "okay", "absolutely",
       "true", "correct", "right", "indeed", "certainly", "looks good", "looks right", "confirm", "agreed"}
NO = {"no", "n", "nope", "nah", "not really", "false", "no way", "incorrect", "negative", "not at all"}
WEEKDAYS = {name.lower(): i for i, name in enumerate(calendar.day_name)}
MONTHS = {name.lower(): i for i, name in enumerate(calendar.month_name) if name}
MONTHS.update({name.lower(): i for i, name in enumerate(calendar.month_abbr) if name})
MONTHS["sept"] = 9


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
    return re.sub(r"\s+", " ", text.strip().casefold().strip(" .!?\"'"))


def _number(text: str) -> float | None:
    t = norm(text)
    nums = re.findall(r"(?<![\w.])-?\d+(?:[.,]\d+)?(?![\w])|-?\d+(?:[.,]\d+)?", t)
    if len(nums) == 1:
        return float(nums[0].replace(",", "."))
    if len(nums) > 1:
        return None
    words = [w for w in re.findall(r"[a-z]+", t) if w in WORD_NUMBERS]
    if len(words) == 1:
        return float(WORD_NUMBERS[words[0]])
    return None


def as_int_if_whole(x: float) -> int | float:
    return int(x) if x == int(x) else x


def match_choice(text: str, choices: list[Choice]) -> Choice | None:
    t = norm(text)
    if not t:
        return None
    if t.isascii() and t.isdigit() and 1 <= int(t) <= len(choices):
        return choices[int(t) - 1]
    for c in choices:
        if t in (norm(c.value), norm(c.label), *(norm(s) for s in c.synonyms)):
            return c
    for c in choices:  # the value with underscores read as spaces
        if t == c.value.replace("_", " "):
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


def parse_date(text: str, today: date) -> date | None:
    t = norm(text)
    if not t:
        return None
    try:
        return date.fromisoformat(t)
    except ValueError:
        pass
    if t in ("today", "now"):
        return today
    if t == "tomorrow":
        return today + timedelta(days=1)
    if t in ("next week", "in a week"):
        return today + timedelta(days=7)
    m = re.fullmatch(r"in (\d+|[a-z]+) (day|week|month)s?", t)
    if m:
        n = int(m.group(1)) if m.group(1).isdigit() else WORD_NUMBERS.get(m.group(1), -1)
        if n >= 0:
            unit = m.group(2)
            if unit == "day":
                return today + timedelta(days=n)
            if unit == "week":
                return today + timedelta(weeks=n)
            return _add_months(today, n)
    m = re.fullmatch(r"(?:next |this |on )?([a-z]+)", t)
    if m and m.group(1) in WEEKDAYS:
        ahead = (WEEKDAYS[m.group(1)] - today.weekday()) % 7 or 7
        return today + timedelta(days=ahead)
    m = re.fullmatch(r"(\d{1,2})(?:st|nd|rd|th)? ([a-z]+)\.?,? ?(\d{4})?", t) or None
    if m and m.group(2) in MONTHS:
        return _dated(int(m.group(1)), MONTHS[m.group(2)], m.group(3), today)
    m = re.fullmatch(r"([a-z]+)\.? (\d{1,2})(?:st|nd|rd|th)?,? ?(\d{4})?", t)
    if m and m.group(1) in MONTHS:
        return _dated(int(m.group(2)), MONTHS[m.group(1)], m.group(3), today)
    m = re.fullmatch(r"(\d{1,2})[/.](\d{1,2})[/.](\d{4})", t)
    if m:  # day/month/year, the form most of the world writes
        try:
            return date(int(m.group(3)), int(m.group(2)), int(m.group(1)))
        except ValueError:
            return None
    return None


def date_options(text: str, today: date) -> list[date]:
    """The dates `text` may mean: one, or two for "next <weekday>" when that weekday is still to
    come this week (some mean that day, others the one a week later); none if it is no date."""
    found = parse_date(text, today)
    if found is None:
        return []
    m = re.fullmatch(r"next ([a-z]+)", norm(text))
    if m and m.group(1) in WEEKDAYS and WEEKDAYS[m.group(1)] > today.weekday():
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


def parse(slot: Slot, text: str, today: date) -> Any:
    """The typed value for `text`, or raise Invalid (or Ambiguous, for a date that could be either
    of two)."""
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
        n = norm(text)
        if n in YES or n.split(" ")[0] in {"yes", "yeah", "yep", "sure"}:
            return True
        if n in NO or n.split(" ")[0] in {"no", "nope", "nah"}:
            return False
        raise Invalid("yes_no")
    if t in (SlotType.number, SlotType.scale):
        x = _number(text)
        if t == SlotType.scale:
            lo, hi = slot.scale_bounds
            m = re.fullmatch(r"\s*(\d+)\s*(?:/|out of)\s*(\d+)\s*", text.strip().casefold())
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
        c = match_choice(text, slot.choices)
        if c is None:
            raise Invalid("choice", {"choices": choices_text(slot.choices)})
        return c.value
    if t == SlotType.multichoice:
        parts = [p for p in re.split(r"\s*(?:,|;|/|\n|\band\b|&)\s*|\s+(?=\d+\b)", stripped) if p.strip()]
        picked: list[str] = []
        for p in parts:
            c = match_choice(p, slot.choices)
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
    if t == SlotType.date:
        options = date_options(text, today)
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


def display(slot: Slot | None, value: Any) -> str:
    """A slot value as plain text for templates and summaries."""
    if value is None:
        return "—"
    if slot is not None and slot.type == SlotType.choice:
        return next((c.label for c in slot.choices if c.value == value), str(value))
    if slot is not None and slot.type == SlotType.multichoice and isinstance(value, list):
        labels = {c.value: c.label for c in slot.choices}
        return ", ".join(labels.get(v, str(v)) for v in value)
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, list):
        return "; ".join(str(v) for v in value)
    if slot is not None and slot.type == SlotType.scale:
        return f"{value}/{slot.scale_bounds[1]}"
    return str(value)
