"""`coach chat --plain`: the whole conversation on a plain terminal (stdin/stdout), for
terminals without TUI support, screen readers and pipes.  Answers go to the durable store as
they are given; quitting (Ctrl-D, Ctrl-C or /pause) keeps everything, and the next start
offers to continue exactly where you left off.  Every word it says is `prompts/<locale>/cli.yaml`'s
(`cli.plain.*`), in the service's language (which follows the profile's)."""

from __future__ import annotations

import argparse
import os
import shlex
import subprocess
import sys
import tempfile
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, TextIO, cast

from coach.app.errors import AppError
from coach.cli.common import language, load_library, require_flow, service_errors, texts
from coach.cli.run import print_turn, tolerant_streams
from coach.engine.dates import long_date
from coach.literal import VisibleStream, visible
from coach.models import DataError, Profile, Relationship, Role

if TYPE_CHECKING:
    from coach.app.service import CoachService
    from coach.app.views import Chat

Ask = Callable[[str], str]
Say = Callable[..., str]  # `say("plain.who")`: a text of cli.yaml in the service's language


class _Quit(Exception):
    """End of input (Ctrl-D) or Ctrl-C at a prompt: stop, keeping what was saved."""


def _reader(stdin: TextIO, stdout: TextIO) -> Ask:
    def ask(prompt: str) -> str:
        if stdin is sys.stdin and getattr(stdout, "stream", stdout) is sys.stdout:
            try:
                return input(visible(prompt))
            except (EOFError, KeyboardInterrupt):
                print(file=stdout)
                raise _Quit from None
        stdout.write(prompt)
        stdout.flush()
        line = stdin.readline()
        if not line:
            stdout.write("\n")
            raise _Quit
        return line.rstrip("\n")

    return ask


def _pick(ask: Ask, say: Say, out: TextIO, title: str, options: list[str], *, default: int | None = None) -> int:
    print(title, file=out)
    for i, opt in enumerate(options, 1):
        print(f"  {i}. {opt}", file=out)
    hint = say("plain.default_hint", n=default + 1) if default is not None else ""
    while True:
        raw = ask(say("plain.number", default=hint)).strip()
        if not raw and default is not None:
            return default
        if raw.isascii() and raw.isdigit() and 1 <= int(raw) <= len(options):
            return int(raw) - 1
        matches = [i for i, o in enumerate(options) if o.casefold().startswith(raw.casefold())] if raw else []
        if len(matches) == 1:
            return matches[0]
        print(say("plain.number_again", count=len(options)), file=out)


def _yes(ask: Ask, say: Say, question: str, default: bool = True) -> bool:
    raw = ask(say("plain.yes_default" if default else "plain.no_default", question=question)).strip().casefold()
    if not raw:
        return default
    return raw in say("plain.yes_words").casefold().split()


def _nonempty(ask: Ask, say: Say, out: TextIO, prompt: str) -> str:
    while True:
        value = ask(prompt).strip()
        if value:
            return value
        print(say("plain.name_again"), file=out)


def _profile(service: CoachService, ask: Ask, say: Say, out: TextIO, role_arg: str | None) -> Profile:
    profiles = service.profiles()
    if len(profiles) == 1:
        return profiles[0]
    if profiles:
        labels = [say("plain.profile", name=p.name, role=say("role", p.role.value)) for p in profiles]
        i = _pick(ask, say, out, say("plain.who"), [*labels, say("plain.someone_new")], default=0)
        if i < len(profiles):
            return profiles[i]
    name = _nonempty(ask, say, out, say("plain.your_name"))
    if role_arg:
        role = Role(role_arg)
    else:
        roles = [Role.mentee, Role.mentor]
        role = roles[_pick(ask, say, out, say("plain.your_role"), [say("role", r.value) for r in roles])]
    return service.add_profile(name, role)


def _relationship(service: CoachService, ask: Ask, say: Say, out: TextIO, profile: Profile) -> Relationship:
    other_role = "mentor" if profile.role == Role.mentee else "mentee"
    rels = service.relationships(profile.id)
    if rels:
        labels = [say("plain.with_other", other_name=r.other_name) for r in rels]
        i = _pick(ask, say, out, say("plain.which_relationship"), [*labels, say("plain.new_other", other_role)],
                  default=0)
        if i < len(rels):
            return rels[i]
    other = _nonempty(ask, say, out, say("plain.other_name", other_role))
    return service.add_relationship(profile, other)


def _stage(service: CoachService, ask: Ask, say: Say, out: TextIO, rel: Relationship, role: Role) -> str:
    flows = service.stages(role)
    status = {s.flow_id: s for s in service.stage_statuses(rel.id)}

    def label(flow_id: str) -> str:
        s = status.get(flow_id)
        if s is None or s.state == "not started":
            return say("plain.state.not_started")
        if s.state == "done":
            return say("plain.state.done", date=s.last.isoformat()) if s.last else say("plain.state.done_undated")
        return say(f"plain.state.{s.state.replace(' ', '_')}")

    def done(flow_id: str) -> bool:
        s = status.get(flow_id)
        return s is not None and s.state == "done"

    labels = [f"{f.title:<22} {label(f.id)}" for f in flows]
    first_open = next((i for i, f in enumerate(flows) if not done(f.id)), 0)
    return flows[_pick(ask, say, out, say("plain.which_stage"), labels, default=first_open)].id


def _converse(service: CoachService, chat: Chat, ask: Ask, say: Say, out: TextIO) -> None:
    turn = chat.opening
    if chat.note:
        print(f"coach> {chat.note}", file=out)
    print_turn(turn, out)
    while not chat.done:
        try:
            question = chat.question()
            if question and question.type == "draft":
                text = _draft(ask, say, out, question.default or "")
            else:
                text = ask(say("plain.you"))
        except _Quit:
            service.pause(chat)
            print(f"coach> {say('plain.paused')}", file=out)
            return
        turn = service.answer(chat, text)
        print_turn(turn, out)
        if turn.paused:
            return
    for art in turn.artifacts:
        print(f"\n----- {art.title} -----\n{art.markdown}\n", file=out)
    if turn.artifacts:
        print(f"coach> {say('plain.saved_documents')}", file=out)


def _draft(ask: Ask, say: Say, out: TextIO, text: str) -> str:
    """A document, edited: in $VISUAL/$EDITOR on a terminal, else typed line by line (ending with
    a line holding just a dot). Unchanged or empty: keep it as it was."""
    editor = os.environ.get("VISUAL") or os.environ.get("EDITOR")
    if editor and sys.stdin.isatty() and sys.stdout.isatty():
        fd, name = tempfile.mkstemp(prefix="coach-draft-", suffix=".md")
        try:
            with os.fdopen(fd, "w", encoding="utf-8") as f:
                f.write(text)
            try:
                subprocess.run([*shlex.split(editor), name], check=True)
            except (OSError, subprocess.CalledProcessError) as error:
                print(f"coach> {say('plain.editor_failed', error=error)}", file=out)
            else:
                edited = Path(name).read_text(encoding="utf-8")
                return "" if edited.strip() == text.strip() else edited
        finally:
            Path(name).unlink(missing_ok=True)
    print(f"coach> {say('plain.type_draft')}", file=out)
    lines: list[str] = []
    while (line := ask("")) != ".":
        lines.append(line)
    return "\n".join(lines)


def _open(service: CoachService, ask: Ask, say: Say, out: TextIO, profile: Profile, rel: Relationship,
          flow_id: str, role: Role) -> Chat:
    """Continue the unfinished session of this stage if the user wants to, else start one
    (saying so when the latest one was set aside or is missing its file)."""
    problems = service.problems(rel.id)
    for line in problems.values():
        print(f"coach: {say('note', text=line)}", file=out)
    saved = service.unfinished(rel.id, flow_id, role, problems)
    if saved is not None:
        when = service.last_activity(saved).astimezone()
        title = service.require_stage(flow_id).title.lower()
        day = long_date(when.date(), service.locale)
        question = say("plain.unfinished", title=title, date=day, time=f"{when:%H:%M}")
        if not _yes(ask, say, question):
            return service.start(flow_id, role, relationship=rel, profile=profile)
        try:
            return service.resume(saved.id)
        except AppError as e:
            print(f"coach: {say('plain.cannot_continue', error=e)}", file=out)
            return service.start(flow_id, role, relationship=rel, profile=profile)
        except DataError:
            pass  # damaged: opening the stage sets it aside and says so
    return service.open_stage(profile, rel, flow_id)


def run_plain(args: argparse.Namespace, stdin: TextIO | None = None, stdout: TextIO | None = None) -> int:
    from coach.app.setup import open_service

    # Whatever is typed is read and kept as it is (invalid UTF-8 as surrogateescape), and nothing
    # written can drive the terminal: every line out, echoes of what was typed included, goes
    # through coach.literal.visible.
    tolerant_streams(stdin or sys.stdin, stdout or sys.stdout)
    out = cast(TextIO, VisibleStream(stdout or sys.stdout))
    ask = _reader(stdin or sys.stdin, out)
    lib = load_library(args)
    flow_arg: str | None = getattr(args, "flow", None)
    if flow_arg:
        require_flow(lib, flow_arg)
    with service_errors():
        service = open_service(lib, getattr(args, "data_dir", None), language(args))

        def say(key: str, variant: str = "default", /, **values: object) -> str:  # the service's language
            return texts(args, service).say(key, variant, **values)

        try:
            profile = _profile(service, ask, say, out, getattr(args, "role", None))
            service.speak(profile)
            role = Role(getattr(args, "role", None) or profile.role)
            rel = _relationship(service, ask, say, out, profile)
            flow_id = flow_arg or _stage(service, ask, say, out, rel, role)
            chat = _open(service, ask, say, out, profile, rel, flow_id, role)
            _converse(service, chat, ask, say, out)
        except _Quit:
            print(f"coach> {say('plain.bye')}", file=out)
        finally:
            service.close()
    return 0
