"""`coach flows new NAME`: scaffold a small, working flow to adapt (flow, texts, scripted answers,
a demo persona) into a folder that `--flows DIR` loads."""

from __future__ import annotations

import argparse
import re
from pathlib import Path
from string import Template

from coach.cli.common import CliError
from coach.content.library import data_root
from coach.content.schema import ID_PATTERN

DEFAULT_DIR = Path("my-flows")

FLOW = Template("""\
# $title: a short check-in before a mentoring session. A starting point: change it freely.
# The bot's texts live in prompts/en/$name.yaml, under the keys $name.<key>.
#   check it:  coach flows lint $dir
#   draw it:   coach flows graph $name --flows $dir
#   run it:    coach run $name --flows $dir --answers $dir/answers/$name.yaml
#   chat:      coach chat --flows $dir --flow $name
schema_version: 1
id: $name
stage: $name
title: $title
description: A short check-in before a mentoring session.
roles: [mentee, mentor]

slots:
  topic:
    type: text
    label: On your mind
    min_words: 3
    probe: {vague: true, max: 1}  # one follow-up question if the answer is vague
  mood:
    type: scale  # 1-5 unless min/max say otherwise
    label: How it's going
  support:
    type: text
    label: What would help
  want:
    type: choice
    label: What you want from the session
    choices:
      - {value: ideas, label: Ideas and advice, synonyms: [advice]}
      - {value: listen, label: Someone to think out loud with, synonyms: [think out loud, listen]}
      - {value: plan, label: A plan for the next weeks, synonyms: [plan, a plan]}
  next_date:
    type: date
    label: Next session

steps:
  - {id: intro, kind: say, prompt: $name.intro, next: ask_topic}
  - id: ask_topic
    kind: ask
    slot: topic
    prompt: $name.ask_topic
    help: $name.help_topic  # what /help shows
    why: $name.why_topic  # what /why shows
    next: ask_mood
  - id: ask_mood
    kind: ask
    slot: mood
    prompt: $name.ask_mood
    next:  # a branch: conditions are data, checked in order
      - when: {slot: mood, op: le, value: 2}
        goto: ask_support
      - else: ask_want
  - {id: ask_support, kind: ask, slot: support, prompt: $name.ask_support, skippable: true, next: ask_want}
  - {id: ask_want, kind: ask, slot: want, prompt: $name.ask_want, next: ask_next_date}
  - {id: ask_next_date, kind: ask, slot: next_date, prompt: $name.ask_next_date, skippable: true, next: summary}
  - id: summary
    kind: summary  # shows what was said and asks to confirm (or change an answer)
    prompt: $name.summary
    edit_slots: [topic, mood, support, want, next_date]
    next: done
  - id: done
    kind: end
    prompt: $name.done
    artifacts:  # the document the user leaves with
      - {kind: note, title: $name.note_title, template: $name.note}
""")

PROMPTS = Template("""\
# Texts for $name.yaml: each key is used as $name.<key>. A text can have mentee/mentor variants
# and several phrasings (a list: one is picked). $$slot inserts what the user answered.
intro:
  mentee: "Hi! Let's take two minutes to get ready for your next session with your mentor."
  mentor: "Hi! Let's take two minutes to get ready for your next session with your mentee, from your side."

ask_topic:
  - "What's on your mind for the next session?"
  - "What would you most like to talk about next time?"
help_topic: "One or two sentences are plenty: a situation, a decision, a question you keep coming back to."
why_topic: "Naming the topic beforehand lets both of you prepare, so the session goes deeper."

ask_mood: "You want to talk about “$$topic”. How is that going at the moment, from 1 (badly) to 5 (very well)?"
ask_support: "That sounds hard. What would help you most right now? (/skip if you'd rather not say)"
ask_want: |-
  What do you want from the session?

  1. Ideas and advice
  2. Someone to think out loud with
  3. A plan for the next weeks
ask_next_date: "When is the session? A date is fine, or /skip."

summary: |-
  Here's your check-in:

  - On your mind: $$topic
  - How it's going: $$mood
  - What would help: $$support
  - What you want: $$want
  - Next session: $$next_date
done: "Your check-in note is ready. Bring it to the session."

note_title: "Check-in note"
note: |-
  # Check-in: $$topic

  - How it's going: $$mood
  - What would help: $$support
  - What I want from the session: $$want
  - Session: $$next_date
""")

ANSWERS = Template("""\
# Scripted answers: coach run $name --flows $dir --answers $dir/answers/$name.yaml
# Every line is typed as it is ("yes" stays yes, "4" stays 4). Commands work too: /back, /skip.
role: mentee
today: 2026-11-27              # relative dates ("next Friday") are read against this day
answers:
  - things at work             # vague: the coach asks one follow-up question
  - My first month as a team lead and a hard conversation I keep putting off
  - "2"                        # 2 or less: the coach asks what would help
  - a script for the conversation
  - a plan
  - next Friday
  - "yes"                      # confirms the summary; the check-in note is shown as a draft
  - keep                       # keeps the draft as it is (or: edit, then the whole new text)
""")

PERSONA = Template("""\
# A demo persona for this flow: coach demo --flows $dir --persona $persona
name: $persona
display_name: Ana
role: mentee
flow: $name
other_name: Sam
bio: A new team lead getting ready for a session with her mentor.
typing: {speed: 1.0, think: 1.2}
answers:
  - {text: things at work, note: "vague: the coach asks one follow-up question"}
  - My first month as a team lead and a hard conversation I keep putting off
  - "2"
  - a script for the conversation
  - {text: /back, note: "/back: Ana answers that again"}
  - a script for the conversation, and courage
  - a plan
  - next Friday
  - "yes"
  - {text: keep, note: "keeps the draft of the check-in note as it is"}
""")


def add_new(p: argparse.ArgumentParser) -> None:
    p.description = (
        "Write a small working flow to adapt: DIR/NAME.yaml (the flow), DIR/prompts/en/NAME.yaml (its texts), "
        "DIR/answers/NAME.yaml (scripted answers for `coach run`) and DIR/personas/NAME.yaml (for `coach demo`). "
        "Load them with `coach --flows DIR ...`. Existing files are never overwritten."
    )
    p.add_argument("name", metavar="NAME", help="the flow id: lowercase letters, digits and _, e.g. checkin")
    p.add_argument("--dir", dest="target", type=Path, default=DEFAULT_DIR, metavar="DIR",
                   help=f"where to write the files (default: ./{DEFAULT_DIR}/)")
    p.set_defaults(func=run_new)


def scaffold(name: str, target: Path) -> list[Path]:
    """Write the files for flow `name` under `target`; returns their paths. Refuses (CliError) if
    the name is not a valid flow id, is a shipped flow, or any of the files exists."""
    if not re.fullmatch(ID_PATTERN, name) or len(name) > 64:
        raise CliError(f"{name!r} is not a flow id: use lowercase letters, digits and _, starting with a letter")
    shipped = data_root("flows") / f"{name}.yaml"
    if shipped.is_file():
        raise CliError(f"{name!r} is a shipped flow: to adapt it, copy {shipped} and its prompts file into your "
                       "folder (see docs/authoring.md), or pick another NAME")
    if target.exists() and not target.is_dir():
        raise CliError(f"{target} exists and is not a folder")
    shown = str(target)
    values = {"name": name, "title": name.replace("_", " ").capitalize(), "dir": shown,
              "persona": name.replace("_", "-")}
    files = {
        target / f"{name}.yaml": FLOW,
        target / "prompts" / "en" / f"{name}.yaml": PROMPTS,
        target / "answers" / f"{name}.yaml": ANSWERS,
        target / "personas" / f"{name.replace('_', '-')}.yaml": PERSONA,
    }
    existing = [p for p in files if p.exists()]
    if existing:
        raise CliError(f"{existing[0]} already exists; not overwriting anything (pick another NAME or --dir)")
    try:
        for path, template in files.items():
            path.parent.mkdir(parents=True, exist_ok=True)
            with path.open("x", encoding="utf-8") as f:
                f.write(template.substitute(values))
    except OSError as e:
        raise CliError(f"cannot write {e.filename or target}: {e.strerror}") from None
    return list(files)


def run_new(args: argparse.Namespace) -> int:
    paths = scaffold(args.name, args.target)
    d = args.target
    print("Created:")
    for p in paths:
        print(f"  {p}")
    print(f"""
Next:
  coach flows lint {d}
  coach flows graph {args.name} --flows {d}
  coach run {args.name} --flows {d} --answers {d}/answers/{args.name}.yaml
  coach chat --flows {d} --flow {args.name}
  coach demo --flows {d} --persona {args.name.replace('_', '-')}""")
    return 0
