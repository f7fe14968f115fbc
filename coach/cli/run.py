"""`coach run FLOW --role R --answers FILE`: play scripted user inputs through the engine."""

from __future__ import annotations

import argparse
import io
import sys
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING, Any

import yaml

from coach.cli.common import CliError, language, load_library, require_flow, service_errors, texts
from coach.engine.turns import BotTurn
from coach.literal import json_text, visible

if TYPE_CHECKING:
    from coach.cli.parser import CoachParser


def register(p: CoachParser) -> None:
    say, metavar = p.words.help, p.words.metavar
    p.add_argument("flow", metavar=metavar("flow"), help=say("run.flow"))
    p.add_argument("--role", choices=["mentee", "mentor"], help=say("run.role"))
    p.add_argument("--answers", type=Path, required=True, metavar=metavar("file"), help=say("run.answers"))
    p.add_argument("--transcript", type=Path, metavar=metavar("out"), help=say("run.transcript"))
    p.add_argument("--today", type=date.fromisoformat, metavar=metavar("date"), help=say("run.today"))
    p.set_defaults(func=run)


def read_script(path: Path, args: argparse.Namespace) -> dict[str, Any]:
    say = texts(args).say
    try:
        # BaseLoader keeps every scalar as the text typed: `yes` stays "yes", `4` stays "4".
        data = yaml.load(path.read_text(encoding="utf-8"), Loader=yaml.BaseLoader)
    except FileNotFoundError:
        raise CliError(say("run.no_file", path=path)) from None
    except (OSError, UnicodeDecodeError) as e:
        raise CliError(say("run.unreadable", path=path, reason=e)) from None
    except yaml.YAMLError as e:
        mark = getattr(e, "problem_mark", None)
        where = f"{path}:{mark.line + 1}:{mark.column + 1}" if mark else str(path)
        raise CliError(say("run.invalid_yaml", where=where, problem=getattr(e, "problem", e))) from None
    if isinstance(data, list):
        data = {"answers": data}
    if not isinstance(data, dict) or not isinstance(data.get("answers"), list):
        raise CliError(say("run.not_a_script", path=path))
    if not all(isinstance(a, str) for a in data["answers"]):
        raise CliError(say("run.not_text", path=path))
    return data


def tolerant_streams(stdin: object, stdout: object) -> None:
    """Standard streams that never fail on what passes through them: input that is not valid
    UTF-8 is read as it is (``surrogateescape``, stored losslessly), and a character the terminal's
    encoding lacks is written as an escape instead of raising."""
    if isinstance(stdin, io.TextIOWrapper):
        stdin.reconfigure(errors="surrogateescape")
    if isinstance(stdout, io.TextIOWrapper):
        stdout.reconfigure(errors="backslashreplace")


def print_turn(turn: BotTurn, out: Any = None) -> None:
    """The bot's messages, each line made :func:`visible` (they quote what the user typed)."""
    out = out or sys.stdout
    for m in turn.messages:
        lines = visible(m.text).splitlines() or [""]
        print(f"coach> {lines[0]}", file=out)
        for line in lines[1:]:
            print(f"       {line}", file=out)


def run(args: argparse.Namespace) -> int:
    tolerant_streams(None, sys.stdout)
    script = read_script(args.answers, args)
    say = texts(args).say
    lib = load_library(args)
    require_flow(lib, args.flow)
    role = args.role or script.get("role") or "mentee"
    today = args.today or script.get("today") or date.today()
    if isinstance(today, str):
        try:
            today = date.fromisoformat(today)
        except ValueError:
            raise CliError(say("run.bad_today", path=args.answers, value=repr(today))) from None
    from coach.app.memory import MemoryRepository
    from coach.app.service import CoachService

    repo = MemoryRepository()
    lang = language(args)
    service = CoachService(lib, repo, today=lambda: today, locale=lang.locale, locale_chosen=lang.chosen)
    context = {str(k): str(v) for k, v in (script.get("context") or {}).items()}
    with service_errors():
        chat = service.start(args.flow, role, context=context)
    turns: list[dict[str, Any]] = []

    def record(t: BotTurn) -> None:
        print_turn(t)
        for m in t.messages:
            turns.append({"who": "bot", "kind": m.kind, "key": m.key, "step": m.step, "text": m.text})

    record(chat.opening)
    unused = 0
    for i, text in enumerate(script["answers"]):
        if chat.done:
            unused = len(script["answers"]) - i
            break
        print(f"{say('plain.you')}{visible(text)}")
        turns.append({"who": "user", "text": text})
        record(service.answer(chat, text))
    conv = chat.conversation
    if args.transcript:
        doc = {
            "flow": args.flow,
            "role": role,
            "turns": turns,
            "slots": conv.slots,
            "answers": {k: v.model_dump(mode="json") for k, v in conv.answers.items()},
            "artifacts": [a.model_dump(mode="json") for a in repo.artifacts.values()],
            "commitments": [c.model_dump(mode="json") for c in repo.commitments.values()],
            "conversation": {"header": conv.header.model_dump(mode="json"),
                             "inputs": [e.model_dump(mode="json") for e in conv.entries]},
        }
        try:
            args.transcript.write_text(json_text(doc, indent=2, default=str), encoding="utf-8")
        except OSError as e:
            raise CliError(say("run.cannot_write", path=args.transcript, reason=e.strerror)) from None
    if unused:
        print(f"coach: {say('note', text=say('run.unused', count=unused))}", file=sys.stderr)
    if not conv.done:
        print(f"coach: {say('note', text=say('run.ran_out', step=repr(conv.step)))}", file=sys.stderr)
    return 0
