"""Messy answers, clean documents: every stage, for every role its flow supports, played with the
answers people really type (lowercase, typos, "idk", "like i said", "same as above really", vague
first answers that get follow-up probes, doubled spaces, trailing punctuation) — the transcripts
are tests/conversations/messy_*.yaml — and the documents they leave checked:

* both people's names in every document written to be sent (`audience: partner`);
* follow-ups folded into the answer, never glued on with " — ", and no aside left in;
* no Markdown escapes in `format: text` documents; Markdown ones render cleanly, with no
  placeholder or "None" left;
* an owner and a due date for every commitment that has one to give;
* no sensitive slot (`sensitive: true`, e.g. the fit check's worries) in a partner document, also
  when a relationship's earlier stages are offered back to later ones;
* dates that fit: nothing before the conversation's `today`, and each date after the one its slot
  says it comes after;

plus a snapshot of each document. Which documents are partner-facing, their format and which slots
are sensitive come from the loaded flows, so a new stage or document is checked the same way.
"""

from __future__ import annotations

import html
import itertools
import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import date
from typing import Any

import pytest
from content_helpers import CONVERSATIONS, MarkdownSnapshot, Played, load_case, play_case
from markdown_it import MarkdownIt
from syrupy.assertion import SnapshotAssertion
from test_conversations import Produced

from coach.app.recall import remembered
from coach.content.library import FlowLibrary
from coach.content.schema import ArtifactSpec, CallStep, CommitmentSpec, EndStep, Flow, SlotType
from coach.engine.conversation import Engine
from coach.engine.dates import long_date
from coach.models import STAGES, Artifact, Commitment, iso_date

CASES = sorted(p.stem for p in CONVERSATIONS.glob("messy_*.yaml"))

# What people type around an answer that a document must not carry: pointers elsewhere, don't-knows,
# chat noise, and asking the coach to decide.
ASIDES = re.compile(
    r"(?<![\w'])(?:same as (?:above|before|last time)|see above|as above|like i (?:said|mentioned)|"
    r"as i (?:said|mentioned)|just tell me|you tell me|idk|idek|dunno|lol|haha|tbh)(?![\w'])",
    re.IGNORECASE)
# The same noise at the edge of an answer as the documents use it ("really, run her own team").
EDGE_ASIDES = re.compile(
    r"^(?:um+|uh+|erm+|hmm+|really|so|well|ok(?:ay)?|honestly|basically|anyway|i mean|i guess|i think|"
    r"maybe|yeah)\s*,|[\s,;-](?:i guess|i think|really|i suppose|or something)[\s.!]*$",
    re.IGNORECASE)
_WORDS = re.compile(r"[\w']+")
_ISO = re.compile(r"\b(\d{4})-(\d{2})-(\d{2})\b")
_MONTHS = "January|February|March|April|May|June|July|August|September|October|November|December"
_LONG = re.compile(rf"\b(Monday|Tuesday|Wednesday|Thursday|Friday|Saturday|Sunday) (\d{{1,2}}) ({_MONTHS}) (\d{{4}})\b")
_MD = MarkdownIt("commonmark").enable("table")


# --- playing the transcripts ------------------------------------------------------------------------


@dataclass
class Doc:
    artifact: Artifact
    spec: ArtifactSpec  # as the flow declares it


@dataclass
class Case:
    name: str
    played: Played
    flows: list[Flow]  # the stage's flow and the sub-flows it calls
    docs: list[Doc]
    today: date

    @property
    def conversation(self) -> Any:
        return self.played.conversation

    @property
    def partner_docs(self) -> list[Doc]:
        return [d for d in self.docs if d.spec.audience == "partner"]


_PLAYED: dict[str, Case] = {}


def _flows(library: FlowLibrary, flow_id: str) -> list[Flow]:
    flow = library.flow(flow_id)
    called = [library.flow(s.flow) for s in flow.steps if isinstance(s, CallStep) and s.flow in library.flows]
    return [flow, *called]


def _spec(library: FlowLibrary, conv_id: str, artifact: Artifact) -> ArtifactSpec:
    """The artifact spec an artifact was made from: its id is `<conversation>.<flow>.<end step>.<n>`."""
    flow_id, step_id, n = artifact.id.removeprefix(f"{conv_id}.").split(".")
    step = library.flow(flow_id).step(step_id)
    assert isinstance(step, EndStep)
    return step.artifacts[int(n)]


def _case(library: FlowLibrary, name: str) -> Case:
    if name not in _PLAYED:
        raw = load_case(name)
        played = play_case(library, name)
        conv_id = played.conversation.header.id
        docs = [Doc(a, _spec(library, conv_id, a)) for a in played.produced.artifacts.values()]
        _PLAYED[name] = Case(name, played, _flows(library, str(raw["flow"])), docs,
                             date.fromisoformat(str(raw.get("today", "2026-11-27"))))
    return _PLAYED[name]


# --- helpers ------------------------------------------------------------------------------------------


def _plain(markdown: str) -> str:
    """What a reader sees of a Markdown document: rendered, tags dropped, entities decoded."""
    return html.unescape(re.sub(r"<[^>]+>", "", _MD.render(markdown)))


def _visible(doc: Doc) -> str:
    """The document's text as its reader sees it."""
    return doc.artifact.markdown if doc.spec.format == "text" else _plain(doc.artifact.markdown)


def _fragments(case: Case) -> list[tuple[str, list[str]]]:
    """Each answered slot with what the user typed for it, in order: the answer, then its follow-ups."""
    return [(slot, [a.raw, *(p.answer for p in a.probes if p.answer)])
            for slot, a in case.conversation.answers.items() if not a.skipped and not a.gave_up]


def _text_values(case: Case) -> Iterator[tuple[str, str]]:
    """The answered text and list slots' values, as the documents use them."""
    slots = {name: s for flow in case.flows for name, s in flow.slots.items()}
    for name, answer in case.conversation.answers.items():
        slot = slots.get(name)
        if slot is None or slot.type not in (SlotType.text, SlotType.list) or answer.skipped:
            continue
        value = case.conversation.slots.get(name)
        for item in value if isinstance(value, list) else [value]:
            if isinstance(item, str) and item:
                yield name, item


def _excerpt(text: str, start: int, end: int) -> str:
    line_start = text.rfind("\n", 0, start) + 1
    line_end = text.find("\n", end)
    return text[line_start:line_end if line_end >= 0 else None].strip()


def _names(case: Case) -> list[str]:
    ctx = case.conversation.header.context
    return [ctx["name"], ctx["other_name"]]


def _phrase(words: list[str]) -> str:
    return r"\W+".join(map(re.escape, words))


# --- the checks: each returns the problems it finds, one line each ------------------------------------


def names_missing(case: Case) -> list[str]:
    """Both people are named (full or first name, as written in the context) in every partner document."""
    problems = []
    for doc in case.partner_docs:
        text = _visible(doc)
        for full in _names(case):
            forms = {full, full.split()[0]}
            if not any(re.search(rf"(?<!\w){re.escape(f)}(?!\w)", text) for f in forms):
                problems.append(f"{doc.artifact.kind}: {full!r} is not named")
    return problems


def glued_follow_ups(case: Case) -> list[str]:
    """No answer fragments joined with a dash: neither an answer and its follow-up, nor two answers in a
    row, appear as "... — ..." in a document, and no answered slot holds a dash the user never typed."""
    problems = []
    frags = [f for _, fs in _fragments(case) for f in fs]
    pairs = [(a, b) for _, fs in _fragments(case) for a, b in itertools.pairwise(fs)]
    pairs += list(itertools.pairwise(frags))
    for doc in case.docs:
        text = _visible(doc)
        for a, b in pairs:
            tail, head = _WORDS.findall(a)[-2:], _WORDS.findall(b)[:2]
            if not tail or not head:
                continue
            m = re.search(rf"(?<!\w){_phrase(tail)}\W*\s+[—–]\s+\W*{_phrase(head)}(?!\w)", text, re.IGNORECASE)
            if m:
                problems.append(f"{doc.artifact.kind}: {a!r} and {b!r} glued: {_excerpt(text, *m.span())!r}")
    typed = "\n".join(frags)
    for slot, value in _text_values(case):
        if re.search(r"\s[—–]\s", value) and not re.search(r"\s[—–]\s", typed):
            problems.append(f"slot {slot}: {value!r} joins its parts with a dash")
    return problems


def asides_left(case: Case) -> list[str]:
    """No aside ("same as above", "like i said", "idk", "just tell me", "lol" ...) in any document or
    commitment, and none at the edge of an answer the documents use."""
    problems = []
    for doc in case.docs:
        for text in (doc.artifact.title, _visible(doc)):
            problems += [f"{doc.artifact.kind}: {m.group(0)!r} in {_excerpt(text, *m.span())!r}"
                         for m in ASIDES.finditer(text)]
    for c in case.played.produced.commitments.values():
        if ASIDES.search(c.text):
            problems.append(f"commitment {c.text!r}")
    for slot, value in _text_values(case):
        m = EDGE_ASIDES.search(value)
        if m and not ASIDES.search(value) and any(value in _visible(d) for d in case.docs):
            problems.append(f"slot {slot}: {value!r} keeps the aside {m.group(0).strip(' ,')!r}")
    return problems


def markup_problems(case: Case) -> list[str]:
    """Plain-text documents carry no Markdown escapes; Markdown ones render cleanly; none has a
    placeholder or a "None" left in it."""
    problems = []
    for doc in case.docs:
        art, kind = doc.artifact, doc.artifact.kind
        if art.format != doc.spec.format or art.audience != doc.spec.audience:
            problems.append(f"{kind}: made as {art.format}/{art.audience}, "
                            f"declared {doc.spec.format}/{doc.spec.audience}")
        for where, text in (("title", art.title), ("text", art.markdown)):
            for m in re.finditer(r"\$\{?[A-Za-z_]\w*|(?<!\w)None(?!\w)", text):
                problems.append(f"{kind} {where}: {m.group(0)!r} left in {_excerpt(text, *m.span())!r}")
        if doc.spec.format == "text":
            for m in re.finditer(r"\\(?=[!-/:-@\[-`{-~])", art.markdown):
                problems.append(f"{kind}: a Markdown escape in plain text: {_excerpt(art.markdown, *m.span())!r}")
        else:
            shown = _plain(art.markdown)
            for m in re.finditer(r"\\|\*\*", shown):
                problems.append(f"{kind}: {m.group(0)!r} shows after rendering: {_excerpt(shown, *m.span())!r}")
            if "\n\n\n" in art.markdown or art.markdown != art.markdown.strip():
                problems.append(f"{kind}: stray blank lines")
    return problems


def _private_texts(case: Case, library: FlowLibrary, memory: dict[str, Any]) -> list[tuple[str, str]]:
    """What the user said for a sensitive slot, here or in a stage the conversation remembers."""
    sensitive = {name for flow in library.flows.values() for name, s in flow.flow.slots.items() if s.declared_private}
    texts = [(slot, f) for slot, fs in _fragments(case) if slot in sensitive for f in fs]
    texts += [(slot, str(case.conversation.slots[slot])) for slot in sensitive if case.conversation.slots.get(slot)]
    texts += [(f"{slot} (remembered)", str(v)) for slot, v in memory.items() if slot in sensitive and v]
    return texts


def private_in_partner_docs(case: Case, library: FlowLibrary, memory: dict[str, Any] | None = None) -> list[str]:
    """No sensitive answer — whole, or any four words of it in a row — in a partner document (its
    title, text or data)."""
    problems = []
    for doc in case.partner_docs:
        art = doc.artifact
        haystack = " ".join(_WORDS.findall(f"{art.title}\n{art.markdown}\n{art.data}")).casefold()
        for slot, text in _private_texts(case, library, memory or {}):
            words = [w.casefold() for w in _WORDS.findall(text)]
            for window in {" ".join(words[i:i + 4]) for i in range(max(1, len(words) - 3))}:
                if window and window in haystack:
                    problems.append(f"{art.kind}: the private {slot} ({text!r}) shows: {window!r}")
                    break
    return problems


def _commitment_source(library: FlowLibrary, conv_id: str, c: Commitment) -> tuple[CommitmentSpec, int]:
    """The commitment spec a commitment came from: its id is `<conversation>.<flow>.<step>.<slot>.<n>`."""
    flow_id, step_id, slot, n = c.id.removeprefix(f"{conv_id}.").split(".")
    step = library.flow(flow_id).step(step_id)
    assert isinstance(step, EndStep)
    (spec,) = [s for s in step.commitments if s.slot == slot]
    return spec, int(n)


def commitment_problems(case: Case, library: FlowLibrary) -> list[str]:
    """Every commitment has an owner and, where its stage gives one, a due date (a plan step its own);
    nothing is due before today; each is written in the stage's documents with its due date."""
    problems = []
    conv = case.conversation
    shown = "\n".join(_visible(d) for d in case.docs)
    for c in case.played.produced.commitments.values():
        spec, n = _commitment_source(library, conv.header.id, c)
        items = conv.slots.get(spec.slot) or []
        item = items[n] if isinstance(items, list) and n < len(items) else None
        if isinstance(item, dict):
            owner, due = item.get("owner"), iso_date(item.get("due"))
        else:
            owner, due = spec.owner, iso_date(conv.slots.get(spec.due_slot)) if spec.due_slot else None
        if c.owner not in ("mentee", "mentor", "both") or c.owner != owner:
            problems.append(f"{c.text!r}: owner {c.owner!r}, the conversation gave {owner!r}")
        if c.due != due:
            problems.append(f"{c.text!r}: due {c.due}, the conversation gave {due}")
        if isinstance(item, dict) and c.due is None:
            problems.append(f"{c.text!r}: a plan step with no due date")
        if c.due is not None and c.due < case.today:
            problems.append(f"{c.text!r}: due {c.due}, before today ({case.today})")
        if c.text not in shown:
            problems.append(f"{c.text!r} is not in the documents")
        if c.due is not None and long_date(c.due) not in shown and c.due.isoformat() not in shown:
            problems.append(f"{c.text!r}: its due date {long_date(c.due)} is not in the documents")
    return problems


def date_problems(case: Case) -> list[str]:
    """No date before the conversation's today, in a date slot or a document; each date slot after
    the one it is declared to follow; every written date's weekday right."""
    problems = []
    conv = case.conversation
    slots = {name: s for flow in case.flows for name, s in flow.slots.items()}
    for name, slot in slots.items():
        value = iso_date(conv.slots.get(name))
        if slot.type != SlotType.date or value is None:
            continue
        if value < case.today:
            problems.append(f"slot {name} = {value}, before today ({case.today})")
        other = iso_date(conv.slots.get(slot.after)) if slot.after else None
        if other is not None and value <= other:
            problems.append(f"slot {name} = {value} is not after {slot.after} = {other}")
    for doc in case.docs:
        text = _visible(doc)
        for m in _ISO.finditer(text):
            d = iso_date(m.group(0))
            if d is None or d < case.today:
                problems.append(f"{doc.artifact.kind}: {m.group(0)} is before today: {_excerpt(text, *m.span())!r}")
        for m in _LONG.finditer(text):
            try:
                d = date(int(m.group(4)), _MONTHS.split("|").index(m.group(3)) + 1, int(m.group(2)))
            except ValueError:
                problems.append(f"{doc.artifact.kind}: {m.group(0)!r} is no date")
                continue
            if long_date(d) != m.group(0):
                problems.append(f"{doc.artifact.kind}: {m.group(0)!r} is a {d:%A}")
            if d < case.today:
                problems.append(f"{doc.artifact.kind}: {m.group(0)!r} is before today: {_excerpt(text, *m.span())!r}")
    return problems


def doubled_spaces(case: Case) -> list[str]:
    """The answers' extra spaces do not reach the documents: no run of spaces inside a line."""
    return [f"{doc.artifact.kind}: {line.strip()!r}" for doc in case.docs
            for line in doc.artifact.markdown.splitlines() if re.search(r"(?<=\S) {2,}(?=\S)", line)]


def spaced_punctuation(case: Case) -> list[str]:
    """Nor does a space typed before a comma or a full stop ("by june , a team", "now .")."""
    return [f"{doc.artifact.kind}: {m.group(0)!r} in {line.strip()!r}" for doc in case.docs
            for line in doc.artifact.markdown.splitlines() for m in re.finditer(r" +[,;.!?](?=\s|$)", line)]


CHECKS: dict[str, Callable[..., list[str]]] = {
    "names": names_missing,
    "glued": glued_follow_ups,
    "asides": asides_left,
    "markup": markup_problems,
    "private": private_in_partner_docs,
    "commitments": commitment_problems,
    "dates": date_problems,
    "spaces": doubled_spaces,
    "punctuation": spaced_punctuation,
}
_NEEDS_LIBRARY = {"private", "commitments"}


def _report(case: Case, check: str, problems: list[str]) -> str:
    answers = [str(t["user"]) for t in load_case(case.name)["turns"] if "user" in t]
    flow = case.flows[0]
    return (f"{check}: {len(problems)} problem(s) in {case.name} ({flow.id}, {case.conversation.header.role.value})\n  "
            + "\n  ".join(problems) + f"\nanswers: {answers}")


# --- the tests ----------------------------------------------------------------------------------------


def test_every_stage_and_role_has_a_messy_transcript(library: FlowLibrary) -> None:
    have = {(str(c["flow"]), str(c["role"])) for c in map(load_case, CASES)}
    want = {(flow.id, role) for flow in library.stages() if flow.offer == "stage" for role in flow.roles}
    assert want <= have, f"no messy transcript for {sorted(want - have)}"


@pytest.mark.parametrize("name", CASES)
def test_the_transcript_is_messy_and_leaves_documents(library: FlowLibrary, name: str) -> None:
    """Each transcript has follow-ups to vague answers and asides to trim, and ends with documents."""
    case = _case(library, name)
    assert case.docs, f"{name} leaves no document"
    assert any(a.probes and any(p.answer for p in a.probes) for a in case.conversation.answers.values()), \
        f"{name}: no follow-up was asked and answered"
    typed = [f for _, fs in _fragments(case) for f in fs]
    assert any(ASIDES.search(t) or EDGE_ASIDES.search(t) for t in typed), f"{name}: no aside typed"
    assert any(t != t.strip() or "  " in t or re.search(r"[!.?]\s*$", t) for t in typed), \
        f"{name}: no stray space or trailing punctuation typed"


@pytest.mark.parametrize("check", list(CHECKS))
@pytest.mark.parametrize("name", CASES)
def test_documents(library: FlowLibrary, name: str, check: str) -> None:
    case = _case(library, name)
    fn = CHECKS[check]
    problems = fn(case, library) if check in _NEEDS_LIBRARY else fn(case)
    assert not problems, _report(case, check, problems)


@pytest.mark.parametrize("name", CASES)
def test_document_snapshots(library: FlowLibrary, snapshot: SnapshotAssertion, name: str) -> None:
    case = _case(library, name)
    for doc in sorted(case.docs, key=lambda d: d.artifact.kind):
        art = doc.artifact
        assert f"<!-- title: {art.title} -->\n{art.markdown}\n" == snapshot(extension_class=MarkdownSnapshot,
                                                                            name=art.kind)


# --- a relationship's stages in a row: what earlier stages hold is offered back ------------------------


def _chain(library: FlowLibrary, role: str) -> list[tuple[Case, dict[str, Any]]]:
    """The messy transcripts of one role played stage after stage, each conversation given what the
    documents before it hold (as the app does), with what it was given."""
    by_flow = {str(c["flow"]): n for n, c in ((n, load_case(n)) for n in CASES) if c["role"] == role}
    documents: list[Artifact] = []
    played = []
    for flow in sorted(library.stages(), key=lambda f: STAGES.index(f.stage) if f.stage in STAGES else len(STAGES)):
        name = by_flow.get(flow.id)
        if name is None:
            continue
        raw = load_case(name)
        today = date.fromisoformat(str(raw.get("today", "2026-11-27")))
        memory = remembered(documents, today)
        conv = Engine(library, today=lambda today=today: today).new(
            flow.id, role, conversation_id=f"chain-{name}", context=raw.get("context"), memory=memory)
        produced = Produced()
        messages = list(conv.start().messages)
        for turn in raw["turns"]:
            if "user" in turn:
                reply = conv.reply(str(turn["user"]))
                produced.add(reply)
                messages += reply.messages
                if reply.messages and reply.messages[-1].key == "common.which_date_rhythm":
                    reply = conv.reply("1")  # off the remembered rhythm: the user keeps the date as said
                    produced.add(reply)
                    messages += reply.messages
        assert conv.done, f"{name} does not finish when earlier stages are remembered"
        docs = [Doc(a, _spec(library, conv.header.id, a)) for a in produced.artifacts.values()]
        played.append((Case(name, Played(produced, messages, conv), _flows(library, flow.id), docs, today), memory))
        documents += produced.artifacts.values()
    return played


@pytest.mark.parametrize("role", ["mentee", "mentor"])
def test_private_worries_stay_private_when_earlier_stages_are_remembered(library: FlowLibrary, role: str) -> None:
    chain = _chain(library, role)
    assert any(_private_texts(case, library, memory) for case, memory in chain), "no private answer to keep"
    problems = [p for case, memory in chain for p in private_in_partner_docs(case, library, memory)]
    assert not problems, "\n".join(problems)


# --- the checks catch what they look for: each run on a document spoiled the way it guards against -----


def _spoilt(case: Case, kind: str, spoil: Callable[[str], str]) -> Case:
    docs = [Doc(d.artifact.model_copy(update={"markdown": spoil(d.artifact.markdown)}), d.spec)
            if d.artifact.kind == kind else d for d in case.docs]
    assert docs != case.docs, f"{case.name}: no {kind}, or nothing to spoil in it"
    return Case(case.name, case.played, case.flows, docs, case.today)


def _glue_the_goal(library: FlowLibrary) -> Case:
    case = _case(library, "messy_fit_check_mentee")
    goal = case.conversation.answers["goal"]
    assert goal.probes, "the goal was meant to be followed up"
    refined = re.compile(re.escape(str(case.conversation.slots["goal"])), re.IGNORECASE)  # as written: capitalised
    return _spoilt(case, "fit_report", lambda md: refined.sub(lambda _: goal.text, md))


def _undue(library: FlowLibrary) -> Case:
    case = _case(library, "messy_empowerment_mentee")
    produced = Produced()
    produced.artifacts = case.played.produced.artifacts
    produced.commitments = {k: c.model_copy(update={"due": None}) for k, c in case.played.produced.commitments.items()}
    return Case(case.name, Played(produced, case.played.messages, case.conversation), case.flows, case.docs,
                case.today)


# (check, transcript, document, text, spoilt text)
REPLACED: dict[str, tuple[str, str, str, str, str]] = {
    "an aside": ("asides", "messy_feedback_mentee", "feedback_note", "please:** start", "please:** like i said, start"),
    "an escape in plain text": ("markup", "messy_gratitude_mentee", "thank_you_message", "review!", "review\\!"),
    "a backslash shown": ("markup", "messy_commitment_mentee", "mentoring_agreement", "## Goals", "## Goals `1\\:1`"),
    "a placeholder": ("markup", "messy_moving_on_mentee", "transition_plan", "## Keeping", "$next_focus\n\n## Keeping"),
    "a name left out": ("names", "messy_gratitude_mentee", "thank_you_message", "Hi Sam,", "Hi there,"),
    "a wrong weekday": ("dates", "messy_commitment_mentee", "meeting_agenda", "Thursday 3 Dec", "Friday 3 Dec"),
    "a past date": ("dates", "messy_moving_on_mentee", "transition_plan", "Saturday 27 February 2027",
                   "Friday 27 February 2026"),
    "doubled spaces": ("spaces", "messy_moving_on_mentee", "transition_plan", "a team of four", "a team  of four"),
}
SPOILT: dict[str, tuple[str, Callable[[FlowLibrary], Case]]] = {
    "glued follow-ups": ("glued", _glue_the_goal),
    "no due date": ("commitments", _undue),
    **{what: (check, lambda lib, name=name, kind=kind, old=old, new=new: _spoilt(
        _case(lib, name), kind, lambda md: md.replace(old, new)))
       for what, (check, name, kind, old, new) in REPLACED.items()},
}


@pytest.mark.parametrize("spoilt", list(SPOILT))
def test_the_checks_catch_what_they_guard_against(library: FlowLibrary, spoilt: str) -> None:
    check, make = SPOILT[spoilt]
    case = make(library)
    fn = CHECKS[check]
    assert fn(case, library) if check in _NEEDS_LIBRARY else fn(case), f"{check} did not notice {spoilt}"


def test_the_private_check_catches_a_remembered_worry(library: FlowLibrary) -> None:
    worry = "i worry she's too senior and i'll waste her time"
    case = _spoilt(_case(library, "messy_commitment_mentee"), "mentoring_agreement",
                   lambda md: md.replace("## Goals", f"## Goals\n\n{worry.capitalize()}."))
    assert not private_in_partner_docs(case, library)
    assert private_in_partner_docs(case, library, {"concerns": worry})
