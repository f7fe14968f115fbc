"""`coach demo`: a sample persona plays a stage in the chat, typing its answers at a readable pace.

For facilitators showing the coach to a room. Personas are data: flows/personas/*.yaml, plus a
`personas/` folder in any `--flows DIR`; a demo in Spanish plays flows/personas/es/ where it has the
persona. Textual is imported only when the demo starts.
"""

from __future__ import annotations

import argparse
import functools
import os
import sys
from typing import TYPE_CHECKING

from coach.cli.common import CliError, flow_dirs, language, load_library, texts
from coach.content.library import FlowLibrary, data_root
from coach.models import STAGES

if TYPE_CHECKING:
    from coach.cli.parser import CoachParser, HelpTexts
    from coach.tui.demo.personas import Persona, PersonaSet



def _shipped_names() -> list[str]:
    folder = data_root("flows") / "personas"
    return sorted(p.stem for p in folder.glob("*.yaml")) if folder.is_dir() else []


def register(p: CoachParser) -> None:
    say, metavar = p.words.help, p.words.metavar
    names = ", ".join(_shipped_names()) or p.words.say("demo.no_names")
    p.keep_line_breaks()
    p.epilog = say("demo.epilog", names=names) + "\n\n" + say("demo.keys")
    p.add_argument("--persona", metavar=metavar("name"), help=say("demo.persona"))
    p.add_argument("--speed", type=functools.partial(_speed, p.words), default=None, metavar=metavar("speed"),
                   help=say("demo.speed"))
    p.add_argument("--list", action="store_true", help=say("demo.list"))
    p.add_argument("--theme", choices=["light", "dark"], default="dark", help=say("theme"))
    p.set_defaults(func=run)


def _speed(words: HelpTexts, text: str) -> float:
    try:
        value = float(text)
    except ValueError:
        raise argparse.ArgumentTypeError(words.say("demo.not_a_number", value=repr(text))) from None
    if not 0 < value <= 1_000_000:
        raise argparse.ArgumentTypeError(words.say("demo.not_positive"))
    return value


def run(args: argparse.Namespace) -> int:
    from coach.tui.demo.personas import PersonaSet, UnknownPersona

    personas = PersonaSet.load(flow_dirs(args), locale=language(args).locale)
    say = texts(args).say
    for error in personas.errors:
        print(f"coach: {say('warning', text=error)}", file=sys.stderr)
    if args.list:
        return list_personas(personas, load_library(args, strict=False), args)
    if not personas.personas:
        raise CliError(say("demo.no_personas"))
    library = load_library(args)
    try:
        persona = personas.get(args.persona) if args.persona else default_persona(personas, library)
    except UnknownPersona as e:
        raise CliError(str(e)) from None
    if persona.flow not in library.flows:
        raise CliError(say("demo.flow_missing", persona=repr(persona.name), flow=repr(persona.flow)))
    if persona.role.value not in library.flow(persona.flow).roles:
        roles = ", ".join(say("role", r) for r in library.flow(persona.flow).roles)
        raise CliError(say("demo.wrong_role", persona=repr(persona.name), role=say("role", persona.role.value),
                           flow=repr(persona.flow), roles=roles))
    if not (os.environ.get("TEXTUAL_DRIVER") or (sys.stdin.isatty() and sys.stdout.isatty())):
        raise CliError(say("demo.needs_terminal"))
    if getattr(args, "data_dir", None):
        print(f"coach: {say('note', text=say('demo.no_data_dir', path=args.data_dir))}", file=sys.stderr)
    from coach.tui.demo.app import DemoApp
    from coach.tui.demo.typist import DEFAULT_SPEED

    app = DemoApp(persona, library, speed=args.speed or DEFAULT_SPEED, theme=args.theme,
                  locale=language(args).locale)
    app.run()
    return app.return_code or 0


def in_stage_order(personas: PersonaSet, library: FlowLibrary) -> list[Persona]:
    """By stage (fit_check first; flows that are not one of the six stages last), a mentee before
    a mentor, then by name."""

    def order(p: Persona) -> tuple[int, bool, str]:
        stage = library.flow(p.flow).stage if p.flow in library.flows else ""
        return (STAGES.index(stage) if stage in STAGES else len(STAGES), p.role.value != "mentee", p.name)

    return sorted(personas.personas.values(), key=order)


def default_persona(personas: PersonaSet, library: FlowLibrary) -> Persona:
    """The persona of the earliest stage, a mentee before a mentor."""
    return in_stage_order(personas, library)[0]


def list_personas(personas: PersonaSet, library: FlowLibrary, args: argparse.Namespace) -> int:
    say = texts(args).say
    if not personas.personas:
        print(say("demo.none_listed"))
        return 0
    for p in in_stage_order(personas, library):
        about = say("demo.persona", display_name=p.display_name, other_name=p.other_name, count=len(p.answers))
        print(f"{p.name:<10} {say('role', p.role.value):<7} {p.flow:<14} {about}")
        print(f"{'':<10} {' '.join(p.bio.split())}")
    return 0

