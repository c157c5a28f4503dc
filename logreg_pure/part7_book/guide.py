"""Chapter 37. The guide: how to use the library, in pages that cannot go stale.

The chapters explain the code; the guide explains its use: the command line and its
files, the estimators from Python (with pandas, NumPy and scikit-learn), inference,
K classes, separation, evaluation, the choice of the penalty, speed, the book itself
and the tests. Its pages are Markdown files in ``pages/`` beside this module, shipped
with the package, in the subset of Markdown that chapter 36 sets (tables and fenced
code included); the book (chapter 38) writes each as ``guide/NAME.html``, and GitHub
shows the same files as they are. ``GUIDE`` is their reading order.

A manual goes stale where it restates what the code already knows. So the guide
restates nothing it can be given:

- generated, here, from the code itself: the reference of every command, option,
  choice and default, written from the parser the command line runs
  (``reference_markdown``; ``pages/commands.md`` is a copy for readers of the source,
  kept equal by a test), and the README's table of commands (``commands_table``);
  the book writes the laws and the mutant catalogue from the tests in the same way;
- written by hand, and checked: ``tests/test_pages.py`` runs every Python snippet
  of every page and of the README and compares what it prints with the output shown
  below it, parses every command line with the real parser, and checks that every
  option, file, module, name, test and mutant a page names exists.

Public functions: ``page_file``, ``read_page``, ``page_markdown``, ``page_title``,
``commands``, ``usage``, ``reference_markdown``, ``commands_table``.
"""

import argparse
import os
import re
from typing import List, NamedTuple, Optional

from ..part6_command_line.cli import build_parser
from .markup import table_row

__all__ = ["GUIDE", "PAGES", "REFERENCE", "Command", "commands", "commands_table", "page_file", "page_markdown",
           "page_title", "read_page", "reference_markdown", "usage"]

# The guide's pages in reading order, by file name without ".md": from the command line
# (where most readers start) to the estimators, what they compute, and how it is checked.
GUIDE = (
    "command-line",
    "commands",
    "files-and-safety",
    "python",
    "inference",
    "k-classes",
    "separation",
    "evaluation",
    "choosing-the-penalty",
    "other-libraries",
    "speed",
    "book-and-browser",
    "testing",
    "data-and-references",
)
PAGES = os.path.join(os.path.dirname(os.path.abspath(__file__)), "pages")
REFERENCE = "commands"  # the page of every command and option, written from the parser


def page_file(name: str) -> str:
    """The Markdown file of the guide's page ``name``: ``pages/NAME.md``."""
    return os.path.join(PAGES, name + ".md")


def read_page(name: str) -> str:
    """The Markdown text of the guide's page ``name`` (one of ``GUIDE``), as its file holds it."""
    if name not in GUIDE:
        raise ValueError(f"the guide has no page {name!r}; its pages are {', '.join(GUIDE)}")
    try:
        with open(page_file(name), encoding="utf-8") as handle:
            return handle.read()
    except FileNotFoundError:
        raise ValueError(f"{page_file(name)} is missing: reinstall logreg_pure (the guide's pages are "
                         f"package data)") from None


def page_markdown(name: str) -> str:
    """What the book shows as the page ``name``: its file, or, for the reference of the
    commands, the reference written from the parser now (its file is a copy of it for
    readers of the source, which ``tests/test_pages.py`` keeps equal)."""
    return reference_markdown() if name == REFERENCE else read_page(name)


def page_title(text: str) -> str:
    """A page's title: its first ``# `` heading, without markup.

    >>> page_title("# The `fit` command\\n\\nText.")
    'The fit command'
    """
    heading = re.search(r"^# +(.*)$", text, re.M)
    return re.sub(r"`+|\*+", "", heading.group(1)).strip() if heading else ""


# ------------------------------------------------------------------ the command line's reference

class Command(NamedTuple):
    """A command of the command line: its name, its one line in ``--help``, its parser."""

    name: str
    summary: str
    parser: argparse.ArgumentParser


def commands(parser: Optional[argparse.ArgumentParser] = None) -> List[Command]:
    """Every command of ``python -m logreg_pure``, in the order its ``--help`` lists them.

    argparse has no public way to list a parser's arguments; ``_actions`` and
    ``_choices_actions`` are what its own help output reads.
    """
    parser = parser or build_parser()
    for action in parser._actions:  # noqa: SLF001 (see the docstring)
        if isinstance(action, argparse._SubParsersAction):
            return [Command(choice.dest, choice.help or "", action.choices[choice.dest])
                    for choice in action._choices_actions]
    return []


def _arguments(parser: argparse.ArgumentParser) -> List[argparse.Action]:
    """A command's arguments, positional ones first, without ``--help``."""
    actions = [a for a in parser._actions if not isinstance(a, argparse._HelpAction)]
    return [a for a in actions if not a.option_strings] + [a for a in actions if a.option_strings]


def _value(action: argparse.Action) -> str:
    """What an option's value looks like: its choices, its metavar, or nothing for a flag."""
    if action.nargs == 0:
        return ""
    if action.choices is not None:
        return "{" + ",".join(str(choice) for choice in action.choices) + "}"
    return action.metavar or action.dest.upper()


def _spelled(action: argparse.Action) -> str:
    """``--reg REG``, ``--standardize``, ``DATA.csv``, and ``[...]`` around what may be left out."""
    words = " ".join(part for part in (action.option_strings[0] if action.option_strings else "",
                                       _value(action)) if part)
    optional = action.option_strings and not action.required or action.nargs == "?"
    return f"[{words}]" if optional else words


def usage(command: Command) -> str:
    """One line of a command's usage: ``python -m logreg_pure fit DATA.csv --target COL ...``."""
    return " ".join([command.parser.prog] + [_spelled(action) for action in _arguments(command.parser)])


def _help(action: argparse.Action, prog: str) -> str:
    """An argument's help with its ``%(default)s`` filled in, as argparse's own help does."""
    params = dict(vars(action), prog=prog)
    if action.choices is not None:
        params["choices"] = ", ".join(str(choice) for choice in action.choices)
    return (action.help or "") % params


def _default(action: argparse.Action) -> str:
    """An argument's default as the table shows it: ``required``, a value, or nothing."""
    if action.required or (not action.option_strings and action.nargs != "?"):
        return "required"
    if action.nargs == 0 or action.default in (None, argparse.SUPPRESS):
        return ""  # a flag, or an option whose absence means something its help says
    return str(action.default)


def _without_default(text: str, default: str) -> str:
    """The help without the "(default: 0.1)" that the table's last column already shows."""
    for said in (f" (default: {default})", f"default: {default}"):
        if default and text.endswith(said):
            return text[:-len(said)].rstrip(" ;,")
    return text


def _row(action: argparse.Action, prog: str) -> str:
    """One argument: how it is written, what it does, and its default."""
    default = _default(action)
    return table_row([f"`{_spelled(action).strip('[]')}`", _without_default(_help(action, prog), default), default])


def _command_markdown(command: Command) -> str:
    """A command's section of the reference: what it does, its usage, its arguments."""
    lines = [f"## {command.name}", "", f"{command.parser.description or command.summary}", "",
             "```sh", usage(command), "```", ""]
    arguments = _arguments(command.parser)
    if arguments:
        lines += ["| argument | what it does | default |", "|---|---|---|"]
        lines += [_row(action, command.parser.prog) for action in arguments]
    return "\n".join(lines)


def reference_markdown(parser: Optional[argparse.ArgumentParser] = None) -> str:
    """The reference of every command, option, choice and default, in Markdown, written
    from the parser itself, so that it says what the command line does."""
    found = commands(parser)
    intro = ["# Every command and option", "",
             "Written from the command line's own parser when the book is built, so it lists "
             "exactly what `python -m logreg_pure` accepts. Every command also has `--help`; "
             "[the command line](command-line.md) is the guide to using them.", "",
             "| command | what it does |", "|---|---|"]
    intro += [table_row([f"[{c.name}](#{c.name})", c.summary]) for c in found]
    return "\n".join(intro + [""] + [_command_markdown(c) + "\n" for c in found])


def commands_table(parser: Optional[argparse.ArgumentParser] = None) -> str:
    """The README's table of commands: each with its line from ``--help``.

    >>> commands_table().splitlines()[:3]
    ['| command | what it does |', '|---|---|', '| `demo` | the main job on the embedded breast-cancer data |']
    """
    rows = ["| command | what it does |", "|---|---|"]
    rows += [table_row([f"`{command.name}`", command.summary]) for command in commands(parser)]
    return "\n".join(rows) + "\n"
