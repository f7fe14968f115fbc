"""Sample personas for `coach demo`: who they are and what they answer, as YAML data.

A persona file (``flows/personas/NAME.yaml``, or ``personas/`` inside a ``--flows`` folder; a
language's own version beside it, ``personas/es/NAME.yaml``, plays when the demo speaks it)::

    name: priya                  # what `coach demo --persona` takes (defaults to the file name)
    display_name: Priya
    role: mentee                 # mentee | mentor
    flow: fit_check              # the stage flow the persona plays
    other_name: Sam              # the other side of the relationship
    bio: A data analyst who wants to lead a team.
    typing: {speed: 1.0, think: 1.2}   # x --speed, and seconds of "thinking" before each answer
    answers:
      - get better at stuff                         # a plain line, typed as it is
      - {text: /back, note: undo the last answer}   # or with a note shown while it is typed
      - {text: "4", pause: 2.5}                     # and its own thinking time

Answers are read as text, exactly as written (``yes`` stays "yes", ``4`` stays "4").
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml
from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator, model_validator

from coach.content.library import data_root
from coach.content.yamlsource import SourceError, YamlDoc, read_yaml
from coach.models import Role

NAME_PATTERN = r"^[a-z][a-z0-9_-]*$"


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class Typing(_Strict):
    """How the persona types: a factor on the demo's --speed, and a pause before each answer."""

    speed: float = Field(default=1.0, gt=0, le=10, description="multiplies --speed (chars per second)")
    think: float = Field(default=1.2, ge=0, le=30, description="seconds before the persona starts typing")


class PersonaAnswer(_Strict):
    text: str = Field(min_length=1)
    note: str = ""
    pause: float | None = Field(default=None, ge=0, le=30, description="overrides typing.think for this answer")


class Persona(_Strict):
    name: str = Field(pattern=NAME_PATTERN, max_length=40)
    display_name: str = Field(min_length=1, max_length=60)
    role: Role
    flow: str = Field(pattern=r"^[a-z][a-z0-9_]*$")
    other_name: str = Field(min_length=1, max_length=60)
    bio: str = Field(min_length=1)
    typing: Typing = Field(default_factory=Typing)
    answers: list[PersonaAnswer] = Field(min_length=1)

    @field_validator("answers", mode="before")
    @classmethod
    def _plain_lines(cls, value: Any) -> Any:
        if isinstance(value, list):
            return [{"text": a} if isinstance(a, str) else a for a in value]
        return value

    @model_validator(mode="before")
    @classmethod
    def _is_mapping(cls, value: Any) -> Any:
        if not isinstance(value, dict):
            raise ValueError(_say("not_a_mapping"))
        return value

    def think(self, index: int) -> float:
        """Seconds to wait before typing answer `index`."""
        pause = self.answers[index].pause
        return self.typing.think if pause is None else pause

    def summary(self) -> str:
        return f"{self.name} ({self.role.value}, {self.flow}): {' '.join(self.bio.split())}"


class PersonaError(Exception):
    """Persona files that cannot be used; str() is one located line per problem."""

    def __init__(self, errors: list[SourceError]) -> None:
        super().__init__("\n".join(map(str, errors)))
        self.errors = errors


class UnknownPersona(LookupError):
    """No persona of that name; the message lists the known ones."""

    def __str__(self) -> str:
        return str(self.args[0])


_WORDS = {  # pydantic's error type -> tui.personas.<key>
    "missing": "missing",
    "extra_forbidden": "unknown_field",
    "string_type": "expected_text",
    "list_type": "expected_list",
    "float_parsing": "expected_number",
    "float_type": "expected_number",
    "enum": "expected_role",
    "model_type": "expected_mapping",
    "dict_type": "expected_mapping",
    "string_pattern_mismatch": "name_pattern",
}


def _say(key: str, **values: object) -> str:
    """A text of tui.personas (English: the persona files' author reads these in `coach demo`)."""
    from coach.tui.i18n import ui_texts

    return ui_texts().t(f"personas.{key}", **values)


def _where(loc: tuple[Any, ...]) -> str:
    if len(loc) >= 2 and loc[0] == "answers" and isinstance(loc[1], int):
        return " ".join([_say("answer", n=loc[1] + 1), *map(str, loc[2:])])
    return ".".join(map(str, loc)) or _say("persona")


def _message(err: Any) -> str:
    loc = _where(tuple(err["loc"]))
    word = _WORDS.get(err["type"])
    msg = _say(word) if word else str(err["msg"]).removeprefix("Value error, ")
    return f"{loc}: {msg}"


def _raw(path: Path, doc: YamlDoc) -> Any:
    """The data with every scalar kept as the text written (like `coach run` reads answers)."""
    try:
        return yaml.load(path.read_text(encoding="utf-8"), Loader=yaml.BaseLoader)
    except yaml.YAMLError:  # read_yaml already parsed it; this cannot differ, but stay safe
        return doc.data


def _display(path: Path) -> str:
    try:
        return str(path.resolve().relative_to(Path.cwd().resolve()))
    except ValueError:
        return str(path)


def load_persona(path: Path) -> Persona:
    """One persona file, validated. Raises PersonaError with file:line:col messages."""
    try:
        doc = read_yaml(path, _display(path))
    except SourceError as error:
        raise PersonaError([error]) from None
    data = _raw(path, doc)
    if isinstance(data, dict):
        data.setdefault("name", path.stem)
    try:
        return Persona.model_validate(data)
    except ValidationError as exc:
        errors = []
        for err in exc.errors(include_url=False):
            loc = tuple(p for p in err["loc"] if not (isinstance(p, str) and p.startswith("function-")))
            at_key = err["type"] == "extra_forbidden"
            errors.append(doc.error(loc, _message({**err, "loc": loc}), at_key=at_key))
        raise PersonaError(sorted(errors, key=lambda e: (e.line, e.col))) from None


def persona_language(locale: str | None) -> str:
    """The folder a locale's personas live in: its language ("es_MX" -> "es"); "" for English or none."""
    lang = (locale or "").replace("-", "_").split("_")[0].casefold()
    return "" if lang in ("", "en") else lang


def persona_dirs(flow_dirs: list[Path] | None = None, locale: str | None = None) -> list[Path]:
    """The shipped personas, then a `personas/` folder in each extra flows folder; for a locale,
    each folder is followed by its language's subfolder (`personas/es/`), whose personas replace
    the English ones of the same name (a persona it lacks stays English)."""
    bases = [data_root("flows") / "personas"]
    for d in flow_dirs or []:
        bases.append((d.parent if d.is_file() else d) / "personas")
    lang = persona_language(locale)
    return [d for base in bases for d in ([base, base / lang] if lang else [base])]


@dataclass
class PersonaSet:
    personas: dict[str, Persona] = field(default_factory=dict)
    errors: list[SourceError] = field(default_factory=list)

    @classmethod
    def load(cls, flow_dirs: list[Path] | None = None, locale: str | None = None) -> PersonaSet:
        """Every persona found, in `locale`'s language where it has one (see persona_dirs); later
        folders override by name. Broken files are reported in `errors` and left out, so one bad
        file does not hide the others."""
        out = cls()
        for d in persona_dirs(flow_dirs, locale):
            for path in sorted(d.glob("*.yaml")) if d.is_dir() else []:
                try:
                    persona = load_persona(path)
                except PersonaError as e:
                    out.errors.extend(e.errors)
                    continue
                out.personas[persona.name] = persona
        return out

    def names(self) -> list[str]:
        return sorted(self.personas)

    def get(self, name: str) -> Persona:
        """The persona called `name`; UnknownPersona (naming the known ones) otherwise."""
        try:
            return self.personas[name]
        except KeyError:
            known = ", ".join(self.names()) or _say("none")
            raise UnknownPersona(_say("unknown", name=repr(name), known=known)) from None
