"""The stand-ins texts use for names no relationship gives."""

from __future__ import annotations

from coach.content.prompts import PromptCatalog


def default_names(prompts: PromptCatalog, locale: str) -> dict[str, str]:
    """The stand-ins for names no relationship gives: "you", "your mentor", "your mentee" in `locale`."""
    return {who: prompts.entry(f"engine.default_name.{who}", locale).phrasings("default")[0]
            for who in ("self", "mentor", "mentee")}
