"""Is a regular expression read in one pass? A check of its shape, not of its speed.

Python's ``re`` is a backtracking engine: when a match fails, it goes back and tries
every other way the pattern could have matched so far. That costs nothing more when
there is no other way, and it can cost a quadratic or exponential number of steps
when two parts of a pattern can take the same characters: ``[0-9]+\\.?[0-9]*`` on
``111...1x`` tries every split of the digits between its two runs (15 s for 16,000
characters), ``(a|a)*`` tries 2^n ways.

``ambiguities(pattern)`` lists the places where that can happen, in the pattern as
``re`` itself parses it:

- a repetition (``*``, ``+``, ``{m,n}`` with n > 1) whose first characters could also
  begin what follows it (the rest of the pattern, through optional parts): then
  where the repetition stops is not decided by the next character. Inside a
  repetition the same holds for an optional part (``?``), whose choice would be
  made again on every round;
- inside a repetition, a choice (``a|b``) whose alternatives can begin with the same
  character, or can both be empty (``re`` factors ``(a|a)`` into ``a(|)``), or that
  can be empty while an alternative can take what follows it.

A pattern with neither is deterministic: at each character the next step is decided,
so a failed match gives back each character at most once, each time failing at the
next one at once: a number of steps proportional to the text. This is a sufficient
condition, stated for the constructs the library's patterns use; any other construct
is reported as unknown rather than passed.
"""

import re
from typing import FrozenSet, List, Tuple

try:  # Python 3.11 moved the parser; sre_parse remains, deprecated
    from re import _parser as sre_parse  # type: ignore[attr-defined]
except ImportError:  # pragma: no cover (3.8 to 3.10)
    import sre_parse  # type: ignore[no-redef]

ALPHABET = frozenset(map(chr, range(0x300)))  # ASCII, Latin-1 and more: enough to tell sets apart
REPEATS = ("MAX_REPEAT", "MIN_REPEAT", "POSSESSIVE_REPEAT")
CATEGORIES = {
    "CATEGORY_DIGIT": str.isdigit, "CATEGORY_NOT_DIGIT": lambda c: not c.isdigit(),
    "CATEGORY_SPACE": str.isspace, "CATEGORY_NOT_SPACE": lambda c: not c.isspace(),
    "CATEGORY_WORD": lambda c: c.isalnum() or c == "_", "CATEGORY_NOT_WORD": lambda c: not (c.isalnum() or c == "_"),
}


class UnknownConstruct(ValueError):
    """The pattern uses something this checker does not model: teach it, do not pass it."""


def _name(op) -> str:
    return getattr(op, "name", str(op))


def _literal(code: int, flags: int) -> FrozenSet[str]:
    c = chr(code)
    return frozenset({c, c.lower(), c.upper()}) if flags & re.IGNORECASE else frozenset({c})


def _class(items, flags: int) -> FrozenSet[str]:
    """The characters a ``[...]`` class matches."""
    chars, negate = set(), False
    for op, av in items:
        name = _name(op)
        if name == "NEGATE":
            negate = True
        elif name == "LITERAL":
            chars |= _literal(av, flags)
        elif name == "RANGE":
            for code in range(av[0], av[1] + 1):
                chars |= _literal(code, flags)
        elif name == "CATEGORY" and _name(av) in CATEGORIES:
            chars |= {c for c in ALPHABET if CATEGORIES[_name(av)](c)}
        else:
            raise UnknownConstruct(f"class item {name} {av!r}")
    return ALPHABET - chars if negate else frozenset(chars)


def first(sequence, flags: int) -> Tuple[FrozenSet[str], bool]:
    """The characters a sequence of items can begin with, and whether it can be empty."""
    chars: FrozenSet[str] = frozenset()
    for item in sequence:
        item_chars, empty = _first_of_item(item, flags)
        chars |= item_chars
        if not empty:
            return chars, False
    return chars, True


def _first_of_item(item, flags: int) -> Tuple[FrozenSet[str], bool]:
    op, av = item
    name = _name(op)
    if name == "LITERAL":
        return _literal(av, flags), False
    if name == "NOT_LITERAL":
        return ALPHABET - _literal(av, flags), False
    if name == "ANY":
        return (ALPHABET if flags & re.DOTALL else ALPHABET - {"\n"}), False
    if name == "IN":
        return _class(av, flags), False
    if name == "AT":
        return frozenset(), True
    if name == "SUBPATTERN":
        return first(av[-1], flags)
    if name == "BRANCH":
        parts = [first(alternative, flags) for alternative in av[1]]
        return frozenset().union(*(p[0] for p in parts)), any(p[1] for p in parts)
    if name in REPEATS:
        chars, empty = first(av[2], flags)
        return chars, empty or av[0] == 0
    raise UnknownConstruct(f"{name} {av!r}")


def _problems(sequence, follow: FrozenSet[str], flags: int, repeated: bool) -> List[str]:
    """The ambiguities in ``sequence``, where ``follow`` are the characters that can come
    right after it; ``repeated``: the sequence is inside a repetition."""
    found = []
    for i, (op, av) in enumerate(sequence):
        rest, rest_empty = first(sequence[i + 1:], flags)
        after = rest | follow if rest_empty else rest
        name = _name(op)
        if name in REPEATS:
            body_first, _ = first(av[2], flags)
            many = av[1] > 1
            overlap = body_first & after if many or repeated else frozenset()
            if overlap:
                found.append(f"item {i}: a repetition that can take {''.join(sorted(overlap)[:10])!r} is "
                             f"followed by something that can begin with them")
            found += _problems(av[2], after | (body_first if many else frozenset()), flags, repeated or many)
        elif name == "SUBPATTERN":
            found += _problems(av[-1], after, flags, repeated)
        elif name == "BRANCH":
            firsts = [first(alternative, flags) for alternative in av[1]]
            if repeated and any(a[0] & b[0] or (a[1] and b[1]) for k, a in enumerate(firsts) for b in firsts[k + 1:]):
                found.append(f"item {i}: a choice inside a repetition whose alternatives can begin alike "
                             f"(or both be empty)")
            if repeated and any(empty for _, empty in firsts) and any(chars & after for chars, _ in firsts):
                found.append(f"item {i}: an optional choice inside a repetition that can take what follows it")
            for alternative in av[1]:
                found += _problems(alternative, after, flags, repeated)
    return found


def ambiguities(pattern: "re.Pattern") -> List[str]:
    """Where ``pattern`` (compiled) could backtrack more than once per character; [] if nowhere."""
    parsed = sre_parse.parse(pattern.pattern, pattern.flags)
    return _problems(list(parsed), frozenset(), pattern.flags, False)
