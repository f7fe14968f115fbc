"""Prompt catalog: role variants, several phrasings chosen deterministically, safe templating,
and per-key fallback to `en`."""

from __future__ import annotations

import itertools
from pathlib import Path

from coach.content.prompts import PromptCatalog, pick, placeholders, render


def _catalog(tmp_path: Path) -> PromptCatalog:
    (tmp_path / "prompts" / "en").mkdir(parents=True)
    (tmp_path / "prompts" / "fr").mkdir(parents=True)
    (tmp_path / "prompts" / "en" / "demo.yaml").write_text(
        "hello: Hello\n"
        "greet:\n  mentee: [Hi mentee, Hey mentee]\n  mentor: Hello mentor\n"
        "nested:\n  deeper:\n    key: Deep\n"
        "only_default:\n  default: For all\n",
        encoding="utf-8",
    )
    (tmp_path / "prompts" / "fr" / "demo.yaml").write_text("hello: Bonjour\n", encoding="utf-8")
    return PromptCatalog.load([tmp_path / "prompts"])


def test_keys_roles_and_nesting(tmp_path: Path) -> None:
    cat = _catalog(tmp_path)
    assert not cat.errors
    assert cat.keys("en") == {"demo.hello", "demo.greet", "demo.nested.deeper.key", "demo.only_default"}
    assert cat.entry("demo.greet").phrasings("mentee") == ["Hi mentee", "Hey mentee"]
    assert cat.entry("demo.greet").phrasings("mentor") == ["Hello mentor"]
    assert cat.entry("demo.only_default").phrasings("mentor") == ["For all"]


def test_fallback_to_english_per_key(tmp_path: Path) -> None:
    cat = _catalog(tmp_path)
    assert cat.entry("demo.hello", "fr").phrasings("mentee") == ["Bonjour"]
    assert cat.entry("demo.nested.deeper.key", "fr").phrasings("mentee") == ["Deep"]


def test_pick_is_deterministic_rotates_and_avoids_repeats() -> None:
    options = ["a", "b", "c"]
    first = [pick(options, "conv1:key", n) for n in range(6)]
    assert first == [pick(options, "conv1:key", n) for n in range(6)]
    assert all(x != y for x, y in itertools.pairwise(first))
    assert set(first) == set(options)
    assert pick(options, "conv1:key", 0, avoid=pick(options, "conv1:key", 0)) != pick(options, "conv1:key", 0)
    assert pick(["only"], "s", 3, avoid="only") == "only"


def test_templating_is_plain_substitution() -> None:
    values = {"goal": "lead a team", "name": "Ana"}
    assert render("You said “$goal”, ${name}.", values) == "You said “lead a team”, Ana."
    # no attribute or item access, no format specs: left as written
    template = "${goal.__class__} {goal} %(goal)s $missing $$"
    assert render(template, values) == "${goal.__class__} {goal} %(goal)s $missing $"
    # values are inserted literally, never re-expanded
    assert render("$goal", {"goal": "$name"}) == "$name"
    assert placeholders("a $x ${y} $$ ${z.w}") == {"x", "y"}


def test_bad_prompt_files_are_reported_with_positions(tmp_path: Path) -> None:
    (tmp_path / "prompts" / "en").mkdir(parents=True)
    (tmp_path / "prompts" / "en" / "bad.yaml").write_text("ok: fine\nempty: ''\nnum: [1, 2]\n", encoding="utf-8")
    cat = PromptCatalog.load([tmp_path / "prompts"])
    msgs = sorted(str(e) for e in cat.errors)
    assert len(msgs) == 2
    assert msgs[0].endswith(":2:8: bad.empty: expected text, a list of texts or role variants")
    assert ":3:6: bad.num" in msgs[1]


def test_shipped_english_prompts_cover_every_engine_key() -> None:
    import re

    from coach.content.library import FlowLibrary

    lib = FlowLibrary.load()
    engine_src = (Path(__file__).resolve().parents[2] / "coach/engine/conversation.py").read_text()
    used = set(re.findall(r'"(common\.[a-z_.]+)"', engine_src))
    used |= {f"common.invalid.{r}" for r in re.findall(r'Invalid\("([a-z_]+)"', (
        Path(__file__).resolve().parents[2] / "coach/engine/answers.py").read_text())}
    from coach.content.schema import SlotType

    used |= {f"common.help.{t.value}" for t in SlotType}
    used |= {f"common.probe.{k}" for k in ("few_words", "vague", "measurable")}
    missing = sorted(k for k in used if not lib.prompts.has(k) and not k.endswith("."))
    assert not missing, missing

