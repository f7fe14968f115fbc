"""`coach chat --plain`: the whole conversation on a plain terminal (stdin/stdout), for
terminals without TUI support, screen readers and pipes.  Answers go to the durable store as
they are given; quitting (Ctrl-D, Ctrl-C or /pause) keeps everything, and the next start
offers to continue exactly where you left off."""

from __future__ import annotations

import argparse
import sys
from collections.abc import Callable
from typing import TextIO

from coach.cli.common import CliError, load_library, require_flow
from coach.cli.run import print_turn
from coach.content.library import FlowLibrary
from coach.engine.conversation import Conversation, Engine, EngineError
from coach.engine.turns import BotTurn
from coach.models import STAGES, ConversationStatus, Profile, Relationship, Role

Ask = Callable[[str], str]


class _Quit(Exception):
    """End of input (Ctrl-D) or Ctrl-C at a prompt: stop, keeping what was saved."""


def _reader(stdin: TextIO, stdout: TextIO) -> Ask:
    def ask(prompt: str) -> str:
        if stdin is sys.stdin and stdout is sys.stdout:
            try:
                return input(prompt)
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


def _pick(ask: Ask, out: TextIO, title: str, options: list[str], *, default: int | None = None) -> int:
    print(title, file=out)
    for i, opt in enumerate(options, 1):
        print(f"  {i}. {opt}", file=out)
    hint = f" [{default + 1}]" if default is not None else ""
    while True:
        raw = ask(f"number{hint}> ").strip()
        if not raw and default is not None:
            return default
        if raw.isascii() and raw.isdigit() and 1 <= int(raw) <= len(options):
            return int(raw) - 1
        matches = [i for i, o in enumerate(options) if o.casefold().startswith(raw.casefold())] if raw else []
        if len(matches) == 1:
            return matches[0]
        print(f"Please type a number from 1 to {len(options)}.", file=out)


def _yes(ask: Ask, prompt: str, default: bool = True) -> bool:
    raw = ask(prompt + (" [Y/n] " if default else " [y/N] ")).strip().casefold()
    if not raw:
        return default
    return raw in ("y", "yes", "yeah", "yep", "sure", "ok", "continue")


def _nonempty(ask: Ask, out: TextIO, prompt: str) -> str:
    while True:
        value = ask(prompt).strip()
        if value:
            return value
        print("Please type a name (or press Ctrl-D to stop).", file=out)


def _profile(store: object, ask: Ask, out: TextIO, role_arg: str | None) -> Profile:
    from coach.store import Store

    assert isinstance(store, Store)
    profiles = store.profiles.list()
    if len(profiles) == 1:
        return profiles[0]
    if profiles:
        labels = [f"{p.name} ({p.role.value})" for p in profiles] + ["someone new"]
        i = _pick(ask, out, "Who are you?", labels, default=0)
        if i < len(profiles):
            return profiles[i]
    name = _nonempty(ask, out, "What's your name? ")
    if role_arg:
        role = Role(role_arg)
    else:
        role = [Role.mentee, Role.mentor][_pick(ask, out, "Are you the mentee or the mentor?", ["mentee", "mentor"])]
    return store.profiles.add(Profile(name=name, role=role))


def _relationship(store: object, ask: Ask, out: TextIO, profile: Profile) -> Relationship:
    from coach.store import Store

    assert isinstance(store, Store)
    other_role = "mentor" if profile.role == Role.mentee else "mentee"
    rels = store.relationships.list_for_profile(profile.id)
    if rels:
        labels = [f"with {r.other_name}" for r in rels] + [f"a new {other_role}"]
        i = _pick(ask, out, "Which mentoring relationship?", labels, default=0)
        if i < len(rels):
            return rels[i]
    other = _nonempty(ask, out, f"What's your {other_role}'s name (or the person you're considering)? ")
    mentee, mentor = (profile.name, other) if profile.role == Role.mentee else (other, profile.name)
    return store.relationships.add(
        Relationship(profile_id=profile.id, other_name=other, mentee_name=mentee, mentor_name=mentor)
    )


def _stage(lib: FlowLibrary, store: object, ask: Ask, out: TextIO, rel: Relationship, role: Role) -> str:
    from coach.store import Store

    assert isinstance(store, Store)
    flows = {f.id: f for f in lib.stages() if role.value in f.roles}
    order = [s for s in STAGES if s in flows] + sorted(set(flows) - set(STAGES))
    status: dict[str, str] = {}
    for s in store.sessions.summaries(rel.id):
        if s.status == ConversationStatus.done:
            status[s.flow_id] = f"done {s.started_at:%Y-%m-%d}"
        else:
            status.setdefault(s.flow_id, "in progress")
    labels = [f"{flows[f].title:<22} {status.get(f, 'not started')}" for f in order]
    first_open = next((i for i, f in enumerate(order) if not status.get(f, "").startswith("done")), 0)
    return order[_pick(ask, out, "Which stage?", labels, default=first_open)]


def _converse(conv: Conversation, turn: BotTurn, ask: Ask, out: TextIO) -> None:
    print_turn(turn, out)
    while not conv.done:
        try:
            text = ask("you>   ")
        except _Quit:
            conv.pause()
            print("coach> Saved. Run `coach chat --plain` again to continue where you left off.", file=out)
            return
        turn = conv.reply(text)
        print_turn(turn, out)
        if turn.paused:
            return
    for art in turn.artifacts:
        print(f"\n----- {art.title} -----\n{art.markdown}\n", file=out)
    if turn.artifacts:
        print("coach> Saved. `coach export` writes it to a file.", file=out)


def run_plain(args: argparse.Namespace, stdin: TextIO | None = None, stdout: TextIO | None = None) -> int:
    from coach.store import Store, StoreError, resolve_data_dir

    out = stdout or sys.stdout
    ask = _reader(stdin or sys.stdin, out)
    lib = load_library(args)
    flow_arg: str | None = getattr(args, "flow", None)
    if flow_arg:
        require_flow(lib, flow_arg)
    try:
        data_dir = resolve_data_dir(str(args.data_dir) if getattr(args, "data_dir", None) else None)
        store = Store(data_dir)
    except StoreError as e:
        raise CliError(str(e)) from None
    try:
        with store:
            profile = _profile(store, ask, out, getattr(args, "role", None))
            role = Role(getattr(args, "role", None) or profile.role)
            rel = _relationship(store, ask, out, profile)
            flow_id = flow_arg or _stage(lib, store, ask, out, rel, role)
            engine = Engine(lib, store)
            context = {"name": profile.name, "other_name": rel.other_name,
                       "mentee_name": rel.mentee_name, "mentor_name": rel.mentor_name}
            saved = store.sessions.latest_in_progress(rel.id, flow_id)
            if saved is not None and saved.role == role and _yes(
                ask, f"You have an unfinished {lib.flow(flow_id).title.lower()} from "
                     f"{saved.updated_at:%Y-%m-%d %H:%M}. Continue where you left off?"
            ):
                try:
                    conv = engine.resume(saved)
                except EngineError as e:
                    print(f"coach: cannot continue that one: {e}", file=out)
                else:
                    _converse(conv, conv.current(), ask, out)
                    return 0
            review = store.commitments.list_open(rel.id)
            try:
                conv, turn = engine.start(flow_id, role, relationship_id=rel.id, context=context, review=review)
            except EngineError as e:
                raise CliError(str(e)) from None
            _converse(conv, turn, ask, out)
    except _Quit:
        print("coach> Bye for now.", file=out)
    except StoreError as e:
        raise CliError(str(e)) from None
    return 0
