"""What the README and the guide's pages say, read for the tests that keep it true.

The guide's pages (``logreg_pure/part7_book/pages/*.md``) and ``README.md`` follow a
few conventions, which these helpers read and ``tests/test_pages.py``,
``tests/test_readme.py`` and ``tests/test_interop_pages.py`` enforce:

- a fenced block of ``python`` is a snippet, complete in itself (its own imports):
  it runs in a fresh namespace, in a folder where ``python -m logreg_pure datasets
  --export data`` has written the embedded data sets to ``data/``;
- a fenced block of ``sh`` holds command lines; every ``python -m logreg_pure ...``
  in it (comments, ``&&`` and pipes aside) is parsed by the real parser;
- a fenced block of ``text`` right after a ``python`` or ``sh`` block is what that
  block prints: the snippet runs, or the block's commands run in order (each page's
  commands share one folder, so a later block can use an earlier block's model file),
  and the output must match, compared as doctest compares (``...`` stands for any
  text, runs of white space are equal). Every ``text`` block is such an output;
- a language followed by ``slow`` (a fence of ``python slow``) marks a block that takes
  seconds: it runs only under the thorough profile (``HYPOTHESIS_PROFILE=ci``, CI's
  step 1), and is parsed everywhere;
- listings that are not outputs (measurements, a benchmark's table) are fenced with
  no language.

Run as a script, ``python tests/pages.py PAGE`` prints what each checked block of a
page prints now, to paste after an intended change.
"""

import contextlib
import doctest
import io
import os
import re
import shlex
import sys
from typing import Dict, Iterator, List, NamedTuple, Optional

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(HERE)
sys.path.insert(0, ROOT)

from logreg_pure.part6_command_line.cli import main  # noqa: E402
from logreg_pure.part7_book.guide import GUIDE, page_file  # noqa: E402
from logreg_pure.part7_book.markup import parse_blocks  # noqa: E402

README = os.path.join(ROOT, "README.md")
COMMAND = "python -m logreg_pure"
THIRD_PARTY = ("pandas", "numpy", "sklearn")  # a snippet that imports these runs where they are installed


def documents() -> Dict[str, str]:
    """Every document the tests check, by its path from the project's root: the README
    and each page of the guide (the reference of the commands too: its file is a copy)."""
    found = {"README.md": README}
    found.update({os.path.relpath(page_file(name), ROOT).replace(os.sep, "/"): page_file(name) for name in GUIDE})
    return found


def read(path: str) -> str:
    with open(path, encoding="utf-8") as handle:
        return handle.read()


class Fence(NamedTuple):
    """A fenced block of a document, and the output block right after it, if any."""

    language: str  # python, sh, text, or "" for a listing
    slow: bool
    code: str
    output: Optional[str]

    def where(self) -> str:
        first = next((line for line in self.code.splitlines() if line.strip()), "")
        return f"the {self.language or 'plain'} block that begins {first[:70]!r}"


def fences(text: str) -> List[Fence]:
    """The document's fenced blocks in order, each with its output block (``text``) if
    one follows it directly; the output blocks themselves are not listed again."""
    blocks = [block for block in parse_blocks(text)]
    found = []
    for k, block in enumerate(blocks):
        if block.kind != "code" or not block.info or block.info.split()[0] == "text":
            continue
        words = block.info.split()
        after = blocks[k + 1] if k + 1 < len(blocks) else None
        output = "\n".join(after.lines) + "\n" if after and after.kind == "code" and after.info == "text" else None
        found.append(Fence(words[0], "slow" in words[1:], "\n".join(block.lines) + "\n", output))
    return found


def orphan_outputs(text: str) -> List[str]:
    """Output blocks (``text``) that follow no ``python`` or ``sh`` block: nothing checks them."""
    blocks = parse_blocks(text)
    return ["\n".join(block.lines)[:70] for k, block in enumerate(blocks)
            if block.kind == "code" and block.info == "text"
            and not (k and blocks[k - 1].kind == "code" and blocks[k - 1].info.split()[:1] in (["python"], ["sh"]))]


def command_lines(code: str) -> Iterator[List[str]]:
    """The arguments of each ``python -m logreg_pure ...`` in a block of shell lines."""
    for line in code.splitlines():
        line = re.sub(r"(^|\s)#.*$", "", line)  # a comment
        for part in re.split(r"&&|\|\||[|;]", line):
            words = shlex.split(part)
            if words[:3] == COMMAND.split():
                yield words[3:]


def inline_commands(text: str) -> Iterator[List[str]]:
    """The arguments of each command line written in a code span of the prose:
    ``python -m logreg_pure summary ... --firth``."""
    for span in re.findall(r"`([^`\n]+)`", text):
        if span.startswith(COMMAND + " "):
            yield from command_lines(span)


def third_party(code: str) -> List[str]:
    """The libraries outside the standard library that a snippet imports."""
    return [name for name in THIRD_PARTY if re.search(rf"^\s*(import|from) {name}\b", code, re.M)]


@contextlib.contextmanager
def inside(folder: str) -> Iterator[None]:
    previous = os.getcwd()
    os.chdir(folder)
    try:
        yield
    finally:
        os.chdir(previous)


def prepare(folder: str) -> str:
    """A folder to run a document's blocks in: the data sets exported to ``data/``."""
    with inside(folder):
        assert main(["datasets", "--export", "data"], out=io.StringIO()) == 0
    return folder


def run_python(code: str, folder: str) -> str:
    """What a snippet prints, run in ``folder`` in a namespace of its own."""
    printed = io.StringIO()
    with inside(folder), contextlib.redirect_stdout(printed):
        exec(compile(code, "<snippet>", "exec"), {"__name__": "__snippet__"})  # noqa: S102 (the pages' own code)
    return printed.getvalue()


def run_commands(code: str, folder: str) -> str:
    """What a block's command lines print, run in order in ``folder``; each must succeed."""
    printed = io.StringIO()
    with inside(folder):
        for argv in command_lines(code):
            status = main(argv, out=printed)
            if status != 0:
                raise AssertionError(f"{COMMAND} {' '.join(argv)} exited with status {status}")
    return printed.getvalue()


def run(fence: Fence, folder: str) -> str:
    return run_python(fence.code, folder) if fence.language == "python" else run_commands(fence.code, folder)


_CHECKER = doctest.OutputChecker()
_FLAGS = doctest.ELLIPSIS | doctest.NORMALIZE_WHITESPACE


def same_output(expected: str, got: str) -> bool:
    """Does ``got`` match the output a page shows (``...`` for any text, spaces loose)?"""
    return _CHECKER.check_output(expected, got, _FLAGS)


def difference(expected: str, got: str) -> str:
    return _CHECKER.output_difference(doctest.Example("", expected), got, _FLAGS)


def main_script(argv: List[str]) -> int:  # pragma: no cover (a tool for the writer of a page)
    import tempfile
    name = argv[0] if argv else "README.md"
    path = README if name == "README.md" else page_file(name)
    with tempfile.TemporaryDirectory() as folder:
        prepare(folder)
        for fence in fences(read(path)):
            if fence.output is not None or "--all" in argv:
                print(f"==== {fence.where()}")
                print(run(fence, folder), end="")
    return 0


if __name__ == "__main__":
    sys.exit(main_script(sys.argv[1:]))
