"""A flow of many free-text questions, for long conversations (two windows; the store benchmark)."""

from __future__ import annotations

from pathlib import Path


def write_long_flow(folder: Path, questions: int) -> None:
    """`long.yaml` (questions q0..q{n-1}, then the end) and its prompts, in `folder`."""
    slots = "\n".join(f"  a{n}: {{type: text, label: Answer {n}}}" for n in range(questions))
    steps = "\n".join(f"  - {{id: q{n}, kind: ask, slot: a{n}, prompt: long.q, next: q{n + 1}}}"
                      for n in range(questions))
    (folder / "long.yaml").write_text(
        f"schema_version: 1\nid: long\nstage: long\ntitle: Long\nroles: [mentee]\nslots:\n{slots}\nsteps:\n{steps}\n"
        f"  - {{id: q{questions}, kind: end, prompt: long.done}}\n", encoding="utf-8")
    (folder / "prompts" / "en").mkdir(parents=True)
    (folder / "prompts" / "en" / "long.yaml").write_text('q: "And then?"\ndone: "Done."\n', encoding="utf-8")
