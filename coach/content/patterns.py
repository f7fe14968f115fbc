"""Regular expressions from flows (`pattern:` of a text slot, op `matches` of a condition).

They run on RE2 (google-re2), whose matching time grows linearly with the answer, so that no
pattern, however written, can hang a conversation.  RE2 has no lookarounds and no
backreferences, and its `\\w`, `\\d` and `\\b` are ASCII (use `\\pL` for any letter).

`superlinear` also names the patterns a backtracking engine (Python's `re`, most editors' search,
other tools a facilitator may paste the pattern into) would take exponential time on: a repeated
group that itself repeats, like `(a+)+$` or `(\\w+\\s?)+$`.  The lint reports those as errors.
"""

from __future__ import annotations

import functools
import importlib
from typing import Any

import re2

_RE2_HINT = ("patterns run on RE2, which has no lookarounds ((?=...), (?!...), (?<=...)), no backreferences "
             "(\\1) and no repeat counts over 1000")


class PatternError(ValueError):
    """A pattern that cannot be used, with the reason in words."""


def _options(ignore_case: bool) -> Any:
    options = re2.Options()
    options.log_errors = False
    options.case_sensitive = not ignore_case
    options.max_mem = 8 << 20
    return options


@functools.lru_cache(maxsize=256)
def compiled(pattern: str, ignore_case: bool = False) -> Any:
    """The compiled pattern; PatternError when RE2 cannot use it."""
    try:
        return re2.compile(pattern, _options(ignore_case))
    except re2.error as e:
        reason = e.args[0].decode("utf-8", "replace") if e.args and isinstance(e.args[0], bytes) else str(e)
        raise PatternError(f"{reason}; {_RE2_HINT}") from None
    except (TypeError, ValueError, UnicodeError) as e:
        raise PatternError(str(e)) from None


def _matchable(text: str) -> str:
    """`text` as RE2 can take it: a lone surrogate (which UTF-8 cannot carry) becomes U+FFFD."""
    try:
        text.encode("utf-8")
    except UnicodeEncodeError:
        return text.encode("utf-8", "surrogatepass").decode("utf-8", "replace")
    return text


def search(pattern: str, text: str, *, ignore_case: bool = False) -> bool:
    """Whether `pattern` matches somewhere in `text`, in time linear in len(text)."""
    return compiled(pattern, ignore_case).search(_matchable(text)) is not None


def check(pattern: str) -> str | None:
    """Why `pattern` cannot be used in a flow (not RE2, or super-linear), or None."""
    try:
        compiled(pattern)
    except PatternError as e:
        return f"not a usable regular expression: {e}"
    nested = superlinear(pattern)
    if nested:
        return (f"'{pattern}' repeats a group that itself repeats ({nested}), which a backtracking matcher "
                "takes exponential time on; repeat one thing once (e.g. '[\\w\\s]+' for '(\\w+\\s?)+', 'a+' "
                "for '(a+)+')")
    return None


_sre: Any = None


def _parser() -> Any:
    global _sre
    if _sre is None:
        _sre = importlib.import_module("re._parser")
    return _sre


def superlinear(pattern: str) -> str | None:
    """How a repetition is nested in a repetition (e.g. `'+' inside '(...)+'`), or None.

    Star height over one, the cause of catastrophic backtracking in practice: a repeat without a
    small bound whose body holds another repeat that can match more than once."""
    sre = _parser()
    try:
        tree = sre.parse(pattern)
    except Exception:  # not Python syntax, though RE2 compiles it: nothing more to say
        return None
    repeats = {sre.MAX_REPEAT, sre.MIN_REPEAT, getattr(sre, "POSSESSIVE_REPEAT", sre.MAX_REPEAT)}

    def bodies(op: Any, av: Any) -> list[Any]:
        if op in repeats:
            return [av[2]]
        if op == sre.SUBPATTERN:
            return [av[3]]
        if op == sre.BRANCH:
            return list(av[1])
        if op in (sre.ASSERT, sre.ASSERT_NOT):
            return [av[1]]
        if op == getattr(sre, "ATOMIC_GROUP", None):
            return [av]
        if op == sre.GROUPREF_EXISTS:
            return [b for b in av[1:] if b is not None]
        return []

    def inner(sub: Any) -> tuple[int, int] | None:
        for op, av in sub:
            if op in repeats and av[1] > 1 and _matches_text(av[2]):
                return av[0], av[1]
            for b in bodies(op, av):
                found = inner(b)
                if found is not None:
                    return found
        return None

    def walk(sub: Any) -> str | None:
        for op, av in sub:
            if op in repeats and av[1] > 16:
                found = inner(av[2])
                if found is not None:
                    outer = _quantifier(av[0], av[1], sre.MAXREPEAT)
                    return f"{_quantifier(*found, sre.MAXREPEAT)!r} inside '(...){outer}'"
            for b in bodies(op, av):
                hit = walk(b)
                if hit:
                    return hit
        return None

    return walk(tree)


def _matches_text(sub: Any) -> bool:
    """Whether `sub` can match at least one character (not only the empty string)."""
    try:
        return bool(sub.getwidth()[1] > 0)
    except Exception:
        return True


def _quantifier(lo: int, hi: int, unbounded: int) -> str:
    if hi == unbounded:
        return {0: "*", 1: "+"}.get(lo, f"{{{lo},}}")
    return "?" if (lo, hi) == (0, 1) else f"{{{lo},{hi}}}"
