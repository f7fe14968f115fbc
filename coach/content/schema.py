"""The flow schema: what a flow file in flows/ may say, checked by pydantic at load time.

A flow is data: typed slots, steps with stable ids, and `next` edges that are either a step id or
an ordered list of `{when: <condition>, goto: <step>}` ending with `{else: <step>}`.  Conditions are
structured data (all/any/not over `{slot, op, value}` leaves, plus visited/attempts/role facts);
nothing is ever evaluated as code.
"""

from __future__ import annotations

import math
import re
from enum import StrEnum
from functools import cached_property
from typing import Annotated, Any, Literal, Self

from pydantic import BaseModel, ConfigDict, Field, field_validator, model_validator

from coach.content import patterns

SCHEMA_VERSION = 1
BOUND_LIMIT = 1e12  # the largest min/max a number or scale slot may name
SCALE_POINTS = 101  # the most points a scale may have (0..100)
ID_PATTERN = r"^[a-z][a-z0-9_]*$"
KEY_PATTERN = r"^[a-z][a-z0-9_]*(\.[a-z0-9_]+)+$"

Id = Annotated[str, Field(pattern=ID_PATTERN, max_length=64)]
# What a number slot's bare number counts (`unit:`); coach.engine.answers converts other units to it.
SlotUnit = Literal["minutes", "hours", "days", "weeks", "months"]
PromptKey = Annotated[str, Field(pattern=KEY_PATTERN, max_length=128)]


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class At(ValueError):
    """A model validator's problem that belongs to one field (or an item of it): `path` is relative
    to the model, so that the lint can point at the offending `min:` or synonym, not the model."""

    def __init__(self, path: tuple[str | int, ...], message: str) -> None:
        super().__init__(message)
        self.path = path


def choice_word(text: str) -> str:
    """A choice's word as the engine reads an answer (coach.engine.answers.norm)."""
    return re.sub(r"\s+", " ", text.strip().casefold().strip(" .!?\"'"))


# --- slots -----------------------------------------------------------------------------------


class SlotType(StrEnum):
    text = "text"
    choice = "choice"
    multichoice = "multichoice"
    scale = "scale"
    yes_no = "yes_no"
    number = "number"
    date = "date"
    time = "time"
    list = "list"


class Choice(_Strict):
    value: Id
    label: str
    synonyms: list[str] = Field(default_factory=list)
    names: list[Id] = Field(default_factory=list, description=(
        "context names (e.g. mentor_name) whose value, whole or its first word, also picks this choice: "
        "typing the mentor's name picks 'my mentor'"))


class ProbeSpec(_Strict):
    """Soft checks on a free-text answer: each failing check asks one follow-up question."""

    few_words: int | None = Field(default=None, ge=1, description="probe when the answer has fewer words")
    vague: bool = False
    needs_number_or_date: bool = False
    max: int = Field(default=2, ge=1, le=3)


class Slot(_Strict):
    type: SlotType
    label: str | None = None
    choices: list[Choice] = Field(default_factory=list)
    min: float | None = None
    max: float | None = None
    min_words: int | None = Field(default=None, ge=1)
    max_words: int | None = Field(default=None, ge=1)
    min_items: int | None = Field(default=None, ge=0)
    max_items: int | None = Field(default=None, ge=1)
    pattern: str | None = None
    unit: SlotUnit | None = Field(default=None, description=(
        "a number slot: what a bare number counts; an answer in another unit of the same kind is converted "
        "(\"an hour and a half\" is 90 minutes, \"a year\" 12 months; weeks and days are not months)"))
    future: bool = Field(default=False, description="a date slot: today or later")
    after: Id | None = Field(default=None, description="a date slot: later than the answer to this other date slot")
    on_rhythm: bool = Field(default=False, description=(
        "a date slot: a meeting on the rhythm agreed in the commitment stage (its first meeting and cadence, "
        "remembered); a date off it is confirmed, with the date on the rhythm offered"))
    probe: ProbeSpec | None = None
    sensitive: bool = Field(default=False, description="the older spelling of visibility: private")
    visibility: Literal["private", "partner"] | None = Field(default=None, description=(
        "who may see the answer: private (only the user) or partner (may go into a packet for the other person, "
        "coach share); undeclared: partner if a document written to be sent (audience: partner) uses the slot, "
        "else private"))

    @field_validator("pattern")
    @classmethod
    def _pattern_usable(cls, v: str | None) -> str | None:
        if v is not None:
            problem = patterns.check(v)
            if problem:
                raise ValueError(problem)
        return v

    @field_validator("min", "max")
    @classmethod
    def _finite(cls, v: float | None) -> float | None:
        if v is not None and not math.isfinite(v):
            raise ValueError(f"expected a finite number, not {v}; leave it out for no bound")
        if v is not None and abs(v) > BOUND_LIMIT:
            raise ValueError(f"{v:g} is too large for a bound (at most {BOUND_LIMIT:g} either way)")
        return v

    @model_validator(mode="after")
    def _constraints_fit_type(self) -> Self:
        t = self.type
        has_choices = bool(self.choices)
        if t in (SlotType.choice, SlotType.multichoice) and not has_choices:
            raise ValueError(f"a {t.value} slot needs at least one choice")
        if t not in (SlotType.choice, SlotType.multichoice) and has_choices:
            raise ValueError(f"choices only apply to choice and multichoice slots, not {t.value}")
        if (self.min_words or self.max_words) and t not in (SlotType.text,):
            raise ValueError(f"min_words/max_words only apply to text slots, not {t.value}")
        if self.unit and t != SlotType.number:
            raise ValueError(f"unit only applies to number slots, not {t.value}")
        if self.future and t != SlotType.date:
            raise ValueError(f"future only applies to date slots, not {t.value}")
        if self.after and t != SlotType.date:
            raise ValueError(f"after only applies to date slots, not {t.value}")
        if self.pattern and t not in (SlotType.text,):
            raise ValueError(f"pattern only applies to text slots, not {t.value}")
        if (self.min_items is not None or self.max_items is not None) and t not in (
            SlotType.list,
            SlotType.multichoice,
        ):
            raise ValueError(f"min_items/max_items only apply to list and multichoice slots, not {t.value}")
        if (self.min is not None or self.max is not None) and t not in (SlotType.number, SlotType.scale):
            raise ValueError(f"min/max only apply to number and scale slots, not {t.value}")
        if self.probe and t != SlotType.text:
            raise ValueError(f"probes only apply to text slots, not {t.value}")
        if self.sensitive and self.visibility == "partner":
            raise At(("visibility",), "sensitive: true means private, so the slot cannot also be visibility: partner; "
                     "keep one (visibility: private is the newer spelling of sensitive: true)")
        self._bounds_can_be_met()
        self._choice_words_unique()
        return self

    def _bounds_can_be_met(self) -> None:
        """Every answer would be refused if the bounds leave no room."""
        if self.type == SlotType.scale:
            self._scale_fits()
        elif self.min is not None and self.max is not None and self.min > self.max:
            raise At(("min",), f"{self.min:g} is more than max ({self.max:g}), so no answer can fit; "
                     "swap them or lower min")
        if self.min_words and self.max_words and self.min_words > self.max_words:
            raise At(("min_words",), f"{self.min_words} is more than max_words ({self.max_words}), so no "
                     "answer can fit; lower min_words or raise max_words")
        if self.min_items is not None and self.max_items is not None and self.min_items > self.max_items:
            raise At(("min_items",), f"{self.min_items} is more than max_items ({self.max_items}), so no "
                     "answer can fit; lower min_items or raise max_items")
        n = len(self.choices)
        if self.type == SlotType.multichoice and self.min_items is not None and self.min_items > n:
            raise At(("min_items",), f"{self.min_items} is more than the {n} choice"
                     f"{'' if n == 1 else 's'}, so no answer can fit; lower min_items to {n} at most, or add choices")

    def _scale_fits(self) -> None:
        for name in ("min", "max"):
            v = getattr(self, name)
            if v is not None and v != int(v):
                raise At((name,), f"a scale's bounds are whole numbers, not {v:g}")
        lo, hi = self.scale_bounds
        if lo >= hi:
            if self.max is None:
                raise At(("min",), f"{lo} is not below the default max of 5, so the scale has no room; give "
                         f"max too (e.g. max: {lo + 4})")
            if self.min is None:
                raise At(("max",), f"{hi} is not above the default min of 1, so the scale has no room; give "
                         f"min too (e.g. min: {hi - 4})")
            raise At(("min",), f"{lo} is not below max ({hi}): a scale needs at least two points; swap them or "
                     "lower min")
        if hi - lo + 1 > SCALE_POINTS:
            raise At(("max",), f"a scale from {lo} to {hi} has {hi - lo + 1} points, too many to pick from (at most "
                     f"{SCALE_POINTS}); use type: number with min and max")

    def _choice_words_unique(self) -> None:
        """Each word the user may type names one choice; a digit is read as an option number first."""
        n = len(self.choices)
        seen: dict[str, tuple[str, str]] = {}
        for i, c in enumerate(self.choices):
            words: list[tuple[tuple[str | int, ...], str, str]] = [
                (("value",), "value", c.value), (("label",), "label", c.label),
                *((("synonyms", j), "synonym", w) for j, w in enumerate(c.synonyms))]
            mine: set[str] = set()
            for path, kind, raw in words:
                word = choice_word(raw)
                at = ("choices", i, *path)
                if word.isascii() and word.isdigit() and 1 <= int(word) <= n and int(word) != i + 1:
                    other = self.choices[int(word) - 1]
                    raise At(at, f"{kind} {raw!r} of choice {c.value!r} is never read as this choice: typing "
                             f"{word} picks option {word} ({other.value!r}); remove it (typing {i + 1} picks "
                             f"{c.value!r})")
                if word in seen and word not in mine:
                    owner, its = seen[word]
                    raise At(at, f"{kind} {raw!r} of choice {c.value!r} already names choice {owner!r} (its "
                             f"{its}), so typing it always picks {owner!r}; each word must pick one choice: remove "
                             "it here or there")
                mine.add(word)
            for word in mine:
                seen.setdefault(word, (c.value, next(k for _, k, r in words if choice_word(r) == word)))

    @property
    def declared_private(self) -> bool:
        """Declared private: visibility: private, or sensitive: true (its older spelling)."""
        return self.sensitive or self.visibility == "private"

    @property
    def scale_bounds(self) -> tuple[int, int]:
        lo = int(self.min) if self.min is not None else 1
        hi = int(self.max) if self.max is not None else 5
        return lo, hi


# --- conditions ------------------------------------------------------------------------------


class Op(StrEnum):
    eq = "eq"
    ne = "ne"
    lt = "lt"
    le = "le"
    gt = "gt"
    ge = "ge"
    in_ = "in"
    contains = "contains"
    is_set = "is_set"
    word_count_lt = "word_count_lt"
    matches = "matches"


class SlotCond(_Strict):
    slot: Id
    op: Op
    value: Any = None

    @model_validator(mode="after")
    def _value_fits_op(self) -> Self:
        if self.op == Op.is_set:
            if self.value is not None and not isinstance(self.value, bool):
                raise ValueError("is_set takes no value, or true/false")
        elif self.value is None:
            raise ValueError(f"op {self.op.value!r} needs a value")
        if self.op == Op.in_ and not isinstance(self.value, list):
            raise ValueError("op 'in' needs a list value")
        if self.op in (Op.lt, Op.le, Op.gt, Op.ge, Op.word_count_lt) and (
            isinstance(self.value, bool) or not isinstance(self.value, int | float | str)
        ):
            raise ValueError(f"op {self.op.value!r} needs a number (or a date string) value")
        if self.op == Op.word_count_lt and not isinstance(self.value, int):
            raise ValueError("op 'word_count_lt' needs an integer value")
        if self.op == Op.matches:
            if not isinstance(self.value, str):
                raise ValueError("op 'matches' needs a regular expression string")
            problem = patterns.check(self.value)
            if problem:
                raise At(("value",), problem)
        return self


class VisitedCond(_Strict):
    visited: Id


class AttemptsCond(_Strict):
    attempts: Id
    op: Literal["eq", "ne", "lt", "le", "gt", "ge"]
    value: int


class RoleCond(_Strict):
    role: Literal["mentee", "mentor"]


class AllCond(_Strict):
    all: list[Condition] = Field(min_length=1)


class AnyCond(_Strict):
    any: list[Condition] = Field(min_length=1)


class NotCond(_Strict):
    not_: Condition = Field(alias="not")
    model_config = ConfigDict(extra="forbid", frozen=True, populate_by_name=True)


Condition = AllCond | AnyCond | NotCond | SlotCond | VisitedCond | AttemptsCond | RoleCond

AllCond.model_rebuild()
AnyCond.model_rebuild()
NotCond.model_rebuild()


class When(_Strict):
    when: Condition
    goto: Id


class Else(_Strict):
    else_: Id = Field(alias="else")
    model_config = ConfigDict(extra="forbid", frozen=True, populate_by_name=True)


Next = Id | list[When | Else]


def next_targets(nxt: Next | None) -> list[str]:
    if nxt is None:
        return []
    if isinstance(nxt, str):
        return [nxt]
    return [e.goto if isinstance(e, When) else e.else_ for e in nxt]


# --- steps -----------------------------------------------------------------------------------


class _Step(_Strict):
    id: Id
    prompt: PromptKey | None = None

    def targets(self) -> list[str]:
        return next_targets(getattr(self, "next", None))


class _Edged(_Step):
    """A step with a `next`; a conditional next must end in exactly one `else`."""

    @field_validator("next", check_fields=False)
    @classmethod
    def _check_next(cls, nxt: Next) -> Next:
        return _check_next(nxt)


def _check_next(nxt: Next) -> Next:
    if isinstance(nxt, list):
        if not nxt:
            raise ValueError("next must not be an empty list")
        if not isinstance(nxt[-1], Else):
            raise ValueError("a conditional next must end with an `else` entry")
        if any(isinstance(e, Else) for e in nxt[:-1]):
            raise ValueError("`else` must be the last entry of next, and only one")
    return nxt


class SayStep(_Edged):
    kind: Literal["say"]
    prompt: PromptKey
    next: Next


class AskStep(_Edged):
    kind: Literal["ask"]
    slot: Id
    prompt: PromptKey
    help: PromptKey | None = None
    why: PromptKey | None = None
    skippable: bool = False
    max_attempts: int = Field(default=3, ge=1, le=6)
    acknowledge: bool = Field(
        default=True, description="thank the user for the answer that led here (off for a follow-up re-ask)"
    )
    recall: Id | None = Field(
        default=None, description="offer back what the coach already knows under this name (an earlier stage's "
        "answer, or a name) instead of asking from scratch")
    tone: Literal["warm", "plan"] | None = Field(
        default=None, description="the thanks that fits what this question draws out: 'warm' for a worry or a "
        "feeling, 'plan' for a step the user commits to (without it, a worry heard in the answer gets warmth)")
    no_advice: bool = Field(
        default=False, description="an answer asking to be told what to do ('just tell me') gets why the coach "
        "asks instead, and the question again")
    next: Next


class BranchStep(_Edged):
    kind: Literal["branch"]
    next: list[When | Else]


class SetStep(_Edged):
    kind: Literal["set"]
    values: dict[Id, Any] = Field(min_length=1)
    next: Next


class CallStep(_Edged):
    kind: Literal["call"]
    flow: Id
    next: Next


class ComputeStep(_Edged):
    """Runs a named, registered pure function over the slots (e.g. scoring); never code from data."""

    kind: Literal["compute"]
    function: Id
    next: Next


class SummaryStep(_Edged):
    """Shows what was gathered (the prompt, rendered with the slots) and asks the user to confirm."""

    kind: Literal["summary"]
    prompt: PromptKey
    confirm: bool = True
    edit_slots: list[Id] = Field(default_factory=list, description="slots the user may change from here")
    next: Next


class ArtifactSpec(_Strict):
    """A document the stage leaves the user with: a prompt template rendered with the slots."""

    kind: Id
    title: PromptKey
    template: PromptKey
    format: Literal["markdown", "text"] = Field(
        default="markdown", description="text: a message to paste (the user's words exactly, no Markdown)")
    audience: Literal["self", "partner"] = Field(
        default="self", description="partner: written to be sent to the other person (no sensitive slot in it)")


class CommitmentSpec(_Strict):
    """Turns a list slot into commitments (action items) kept for the next session."""

    slot: Id
    owner: Literal["mentee", "mentor", "both"] = "mentee"
    due_slot: Id | None = None


class EndStep(_Step):
    kind: Literal["end"]
    artifacts: list[ArtifactSpec] = Field(default_factory=list)
    commitments: list[CommitmentSpec] = Field(default_factory=list)


Step = Annotated[
    SayStep | AskStep | BranchStep | SetStep | CallStep | ComputeStep | SummaryStep | EndStep,
    Field(discriminator="kind"),
]


# --- the flow --------------------------------------------------------------------------------


class Flow(_Strict):
    schema_version: Literal[1]
    id: Id
    stage: Id
    title: str
    description: str = ""
    roles: list[Literal["mentee", "mentor"]] = Field(min_length=1)
    subflow: bool = Field(default=False, description="only reachable through a call step")
    offer: Literal["stage", "before_meeting"] = Field(default="stage", description=(
        "where the home screen offers it: `stage`, a row of the stage table; `before_meeting`, only "
        "when a meeting is due within the next few days (a short check-in, not a stage)"))
    slots: dict[Id, Slot] = Field(default_factory=dict)
    steps: list[Step] = Field(min_length=1)

    @model_validator(mode="after")
    def _ids_unique(self) -> Self:
        seen: set[str] = set()
        for s in self.steps:
            if s.id in seen:
                raise ValueError(f"duplicate step id {s.id!r}")
            seen.add(s.id)
        return self

    @property
    def start(self) -> str:
        return self.steps[0].id

    @cached_property
    def _by_id(self) -> dict[str, Step]:
        return {s.id: s for s in self.steps}

    def step(self, step_id: str) -> Step:
        return self._by_id[step_id]

    def step_ids(self) -> list[str]:
        return list(self._by_id)
