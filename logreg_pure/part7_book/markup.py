"""Chapter 36. Prose, formulas and Python source, as HTML.

The book (chapter 38) shows each chapter twice: its module docstring as text, then
its source as a numbered listing. Both start as plain text with a few conventions,
and this chapter turns them into HTML with nothing but ``html``, ``re`` and
``tokenize``:

- prose: paragraphs separated by blank lines; ``- `` and ``1. `` lists; ``## ``
  headings (in the Markdown files); code in double backquotes (docstrings) or single
  ones (Markdown); ``*emphasis*``, ``**bold**`` and ``[text](link)``; in the Markdown
  of the guide's pages also tables (rows of ``| cell | cell |`` under a ``|---|---|``
  line), fenced code that names its language (a fence of three backquotes and
  ``python``), and a picture, ``![what it shows](file.svg)``, as a paragraph of its own;
- formulas: a line indented under the prose, or a code span that reads as
  mathematics, such as ``z = w . x + b``, is set as a formula, in presentation
  MathML (``<math>`` with ``mi``, ``mo``, ``mn``, ``msub``, ``msup``, ``mover``,
  ``mfrac``, ``msqrt``), which browsers draw natively. ``^`` and ``**`` raise a
  superscript, ``_i`` lowers a subscript, ``1/n`` is a fraction, ``sum`` becomes Σ,
  ``sqrt`` a root, ``<=`` ≤, ``theta`` θ (and the other Greek letters, alone in a code
  span too), ``dtheta`` dθ, ``ybar`` ȳ, ``theta_hat`` θ̂; one-letter names are set in
  italics and the code's names (``reg_max``) upright and whole. A long formula is cut
  into pieces that a narrow screen may break only after an operator, and each keeps
  its text in ``alttext``. No TeX and no script;
- source: ``tokenize`` splits Python into tokens that cover the text exactly;
  keywords, strings, comments and numbers get a class for the style sheet, names
  that the caller can resolve become links, and every line keeps its number.

Every piece of text is escaped with ``html.escape`` before it is placed, so nothing
read from a file ever becomes markup.

Public functions: ``formula_html``, ``formula_row_html``, ``is_formula``, ``inline_html``, ``parse_blocks``,
``table_cells``, ``table_row``, ``prose_html``, ``slug``, ``source_tokens``,
``listing_html``.
"""

import html
import io
import keyword
import re
import tokenize
from typing import Callable, Dict, List, NamedTuple, Optional, Tuple

__all__ = [
    "Block",
    "Linker",
    "Mark",
    "Token",
    "formula_html",
    "formula_row_html",
    "inline_html",
    "is_formula",
    "listing_html",
    "parse_blocks",
    "prose_html",
    "slug",
    "source_tokens",
    "table_cells",
    "table_row",
]

Linker = Callable[[str], Optional[str]]  # a name or a path -> the href of its page, or None
Position = Tuple[int, int]  # (line, column) as tokenize counts them: lines from 1

# Words a formula shows as symbols. "sum" is the summation sign: "sum_i" reads as Σ_i.
GREEK = {"alpha": "α", "beta": "β", "gamma": "γ", "delta": "δ", "Delta": "Δ", "epsilon": "ε", "eta": "η",
         "theta": "θ", "lambda": "λ", "mu": "μ", "pi": "π", "rho": "ρ", "sigma": "σ", "phi": "φ", "chi": "χ"}
SYMBOLS = dict(GREEK, sum="Σ", sqrt="√", grad="∇", inf="∞")
OPERATORS = {"<=": "≤", ">=": "≥", "!=": "≠", "==": "=", "->": "→", "<-": "←", "-/+": "∓", "+/-": "±",
             "||": "‖", " - ": "−", " * ": "·", " . ": "·", "~": "≈", "...": "…"}

_FORMULA_PART = re.compile(r"""
      (?:\*\*|\^)(?P<sup>\{[^{}]*\}|\([^()]*\)|-?[A-Za-z0-9]+)
    | (?<=[A-Za-z0-9)\]|])_(?P<sub>\{[^{}]*\}|[A-Za-z0-9]{1,2}(?![A-Za-z0-9_]))
    | (?P<number>\d+(?:\.\d+)?(?:e[-+]?\d+)?)
    | (?P<hat>[A-Za-z]+)_hat(?![A-Za-z0-9_])
    | (?P<base>(?<![A-Za-z0-9_])(?:[A-Za-z]|""" + "|".join(GREEK) + r"""))_(?P<long>[A-Za-z]{3,})(?![A-Za-z0-9_])
    | (?P<name>[A-Za-z][A-Za-z0-9]*(?:_[A-Za-z0-9]+)*_[A-Za-z][A-Za-z0-9]{2,}(?:_[A-Za-z0-9]+)*)
    | (?P<word>[A-Za-z][A-Za-z0-9]*)
    | (?P<operator><=|>=|!=|==|->|<-|-/\+|\+/-|\|\||\ [-*.]\ |~|\.\.\.)
    | (?P<minus>(?<![A-Za-z])-|-(?![A-Za-z]))
    | (?P<gap>\ {2,})
    | (?P<space>\ )
    | (?P<open>[(\[{])
    | (?P<close>[)\]}])
    | (?P<other>.)
""", re.VERBOSE | re.DOTALL)

# A code span is mathematics if it has an operator between spaces, a power or a short
# subscript, and nothing that only code has: quotes, attribute dots, long snake_case.
_MATH_SIGN = re.compile(r" [-+*/=.<>] |\^|\*\*|<=|>=|\|\||[A-Za-z0-9]_[A-Za-z0-9]{1,2}\b")
_CODE_SIGN = re.compile(r"[\"'@#`]|[A-Za-z_]\.[A-Za-z_]|[A-Za-z0-9]_[A-Za-z0-9]{3,}|::|--")


def is_formula(text: str) -> bool:
    """Does this code span read as mathematics rather than as Python?

    >>> is_formula("z = w . x + b"), is_formula("H^{-1} g"), is_formula("exp(beta_j)")
    (True, True, True)
    >>> is_formula("math.exp"), is_formula('penalty="l1"'), is_formula("log_loss_from_logit")
    (False, False, False)
    """
    return bool(_MATH_SIGN.search(text)) and not _CODE_SIGN.search(text)


class _Node(NamedTuple):
    """A piece of a formula as MathML: ``kind`` is atom, op (a line may break after it),
    space, sqrt or frac (marks that take the next atom), open or group; ``inner`` is a
    group's MathML without its brackets; ``start`` and ``end`` cut its source text."""

    xml: str
    kind: str
    start: int
    end: int
    inner: str = ""
    parts: Tuple["_Node", ...] = ()  # a group's nodes, its brackets included


def _mi(text: str, variant: str = "") -> str:
    shown = f' mathvariant="{variant}"' if variant else ""
    return f"<mi{shown}>{html.escape(text, quote=False)}</mi>"


def _mo(text: str) -> str:
    if text in ("|", "‖"):  # |z|, ‖w‖: a bar hugs what it encloses (as an infix MathML would space it)
        return f'<mo lspace="0" rspace="0">{text}</mo>'
    return f"<mo>{html.escape(text, quote=False)}</mo>"


def _word_xml(word: str) -> str:
    """A formula's word: a symbol (``theta`` θ, ``sum`` Σ), a differential (``dtheta`` dθ),
    a mean (``ybar`` ȳ), a variable (``x``; ``x1`` is x with subscript 1), or a name, upright."""
    if word in ("sum", "sqrt", "grad"):
        return _mo(SYMBOLS[word])
    if word in SYMBOLS:
        return _mi(SYMBOLS[word])
    if word[:1] == "d" and word[1:] in GREEK:
        return f"<mrow>{_mi('d', 'normal')}{_mi(GREEK[word[1:]])}</mrow>"
    if len(word) == 4 and word.endswith("bar"):
        return f'<mover accent="true">{_mi(word[0])}<mo>\u00af</mo></mover>'  # the mean of the letter
    if len(word) > 1 and word[1:].isdigit():  # x1 read as x with subscript 1
        return f"<msub>{_mi(word[0])}<mn>{word[1:]}</mn></msub>"
    return _mi(word)  # one letter in italics; a longer name upright, as MathML sets them


def _script_xml(body: str) -> str:
    """A subscript's or a superscript's MathML; the transpose's T stays upright."""
    if body[:1] in "{(" and body[-1:] in "})":
        body = body[1:-1]
    return _mi("T", "normal") if body == "T" else "<mrow>" + _xml(_nodes(body)) + "</mrow>"


_PART_XML = {"word": _word_xml, "number": lambda text: f"<mn>{text}</mn>",
             "operator": lambda text: _mo(OPERATORS[text.strip() if text.strip() in OPERATORS else text]),
             "minus": lambda _: _mo("−"), "gap": lambda _: '<mspace width="1em"/>',
             "space": lambda _: '<mspace width="0.2em"/>', "open": _mo,
             "hat": lambda word: f'<mover accent="true">{_word_xml(word)}<mo>\u02c6</mo></mover>',  # θ̂
             "name": _mi}  # reg_max, l1_ratio: a name of the code, upright and whole
_KIND = {"operator": "op", "minus": "op", "gap": "op", "space": "space", "open": "open"}
_BREAKS = set("=−+·≤≥≠→←±∓,;≈<>")  # a row may break after one of these, never elsewhere


def _other_node(match: "re.Match[str]") -> _Node:
    """A character of no other kind: ``/`` between two atoms is a fraction's bar (1/n)."""
    value, start, end = match.group(), match.start(), match.end()
    if value == "/" and match.string[start - 1:start] not in ("", " ") and match.string[end:end + 1] != " ":
        return _Node(_mo("/"), "frac", start, end)
    return _Node(_mo(value) if not value.isalnum() else _mi(value), "op" if value in _BREAKS else "atom", start, end)


def _part_node(match: "re.Match[str]") -> _Node:
    """One piece of a formula (see ``_FORMULA_PART``) as a node."""
    kind = match.lastgroup or "other"
    value, start, end = match.group(kind), match.start(), match.end()
    if kind == "long":  # theta_restricted: a word as the subscript
        return _Node(f"<msub>{_word_xml(match.group('base'))}{_mi(value)}</msub>", "atom", start, end)
    if kind == "other":
        return _other_node(match)
    kind_of = "sqrt" if kind == "word" and value == "sqrt" else _KIND.get(kind, "atom")  # Σ, ∇: no place to break
    return _Node(_PART_XML[kind](value), kind_of, start, end)


def _wrapped(level: List[_Node], node: _Node) -> _Node:
    """``node``, with what the mark before it asks (√ takes it; a fraction's bar takes the
    atom before and this one); the mark and the numerator leave ``level``."""
    mark = level[-1].kind
    if mark == "sqrt":
        root = level.pop()
        return _Node(f"<msqrt>{node.inner or node.xml}</msqrt>", "atom", root.start, node.end)
    if len(level) > 1 and level[-2].kind in ("atom", "group"):
        level.pop()
        top = level.pop()
        return _Node(f"<mfrac><mrow>{top.inner or top.xml}</mrow><mrow>{node.inner or node.xml}</mrow></mfrac>",
                     "atom", top.start, node.end)
    level[-1] = level[-1]._replace(kind="atom")  # a bar with nothing above it: itself
    return node


def _take(level: List[_Node], node: _Node) -> None:
    """Append ``node`` to a row, the next atom after √ or a fraction's bar taken into it."""
    mark = level[-1].kind if level else ""
    if node.kind == "space" and mark in ("sqrt", "frac"):
        return
    if mark in ("sqrt", "frac") and node.kind in ("atom", "group"):
        node = _wrapped(level, node)
    elif mark == "frac":
        level[-1] = level[-1]._replace(kind="atom")  # a bar with nothing to divide: itself
    level.append(node)


def _attach(level: List[_Node], match: "re.Match[str]") -> None:
    """A subscript or a superscript on the node before it: an atom, or a whole bracket."""
    tag = "msub" if match.lastgroup == "sub" else "msup"
    base = level.pop() if level and level[-1].kind in ("atom", "group", "op") else None
    start = base.start if base else match.start()
    level.append(_Node(f"<{tag}>{base.xml if base else '<mrow/>'}{_script_xml(match.group(match.lastgroup))}</{tag}>",
                       "atom", start, match.end()))


def _close(stack: List[List[_Node]], node: _Node) -> None:
    """A closing bracket ends the innermost group (a stray one is an operator)."""
    if len(stack) == 1:
        _take(stack[0], node._replace(kind="atom"))
        return
    level = stack.pop()
    inner = _xml(level[1:])
    _take(stack[-1], _Node(f"<mrow>{level[0].xml}{inner}{node.xml}</mrow>", "group", level[0].start, node.end,
                           f"<mrow>{inner}</mrow>", tuple(level) + (node._replace(kind="atom"),)))


def _nodes(text: str) -> List[_Node]:
    """A formula's top-level nodes; brackets are groups, so that ``(I^{-1})_jj`` scripts the bracket."""
    stack: List[List[_Node]] = [[]]
    for match in _FORMULA_PART.finditer(text):
        kind = match.lastgroup
        if kind in ("sup", "sub"):
            _attach(stack[-1], match)
        elif kind == "open":
            stack.append([_part_node(match)])
        elif kind == "close":
            _close(stack, _Node(_mo(match.group(kind)), "close", match.start(), match.end()))
        else:
            _take(stack[-1], _part_node(match))
    while len(stack) > 1:  # an unclosed bracket: its pieces as they are
        for node in stack.pop():
            _take(stack[-1], node._replace(kind="atom") if node.kind == "open" else node)
    return stack[0]


def _spaced(node: _Node) -> bool:
    """Is this an operator that brings its own space (=, −, /, but not a bracket or a bar)?"""
    return node.kind == "op" or node.xml.startswith("<mo>") and node.xml[4:-5] not in "|‖()[]{}"


def _xml(nodes: List[_Node]) -> str:
    """The nodes' MathML; a space next to an operator is the operator's own."""
    kept = [node for k, node in enumerate(nodes) if node.kind != "space" or (
        0 < k < len(nodes) - 1 and not _spaced(nodes[k - 1]) and not _spaced(nodes[k + 1]))]
    return "".join(node.xml for node in kept)


def _opened(nodes: List[_Node]) -> List[_Node]:
    """The nodes with each long bracket (not raised, lowered or under a root) opened, so
    that a long row may also break after an operator inside it."""
    flat: List[_Node] = []
    for node in nodes:
        long_group = node.kind == "group" and node.end - node.start > _UNBROKEN
        flat += _opened(list(node.parts)) if long_group else [node]
    return flat


def _chunks(nodes: List[_Node]) -> List[List[_Node]]:
    """A row cut after each operator that has something before it: the places it may break."""
    chunks: List[List[_Node]] = [[]]
    for node in _opened(nodes):
        chunks[-1].append(node)
        if node.kind == "op" and any(n.kind not in ("op", "space") for n in chunks[-1]) and (
                node.xml == '<mspace width="1em"/>' or node.xml[4:-5] in _BREAKS):
            chunks.append([])
    return [chunk for chunk in chunks if any(n.kind != "space" for n in chunk)]


_UNBROKEN = 24  # characters: a formula this short is one piece, on one line even of a phone


def formula_html(text: str) -> str:
    """A formula written in plain text, as presentation MathML, its text kept in
    ``alttext`` for a reader without MathML. A long one is cut into one ``<math>`` per
    piece between the places a line may break (after =, −, +, ≤, a comma...).

    >>> formula_html("H^{-1} g")
    '<math alttext="H^{-1} g"><msup><mi>H</mi><mrow><mo>−</mo><mn>1</mn></mrow></msup><mspace width="0.2em"/><mi>g</mi></math>'
    >>> formula_html("(1/n) sum_i x_i <= ybar + delta_kl").count("<math")
    3
    >>> formula_html("1/n <= x_i")
    '<math alttext="1/n &lt;= x_i"><mfrac><mrow><mn>1</mn></mrow><mrow><mi>n</mi></mrow></mfrac><mo>≤</mo><msub><mi>x</mi><mrow><mi>i</mi></mrow></msub></math>'
    """
    nodes = _nodes(text)
    chunks = _chunks(nodes) if len(text.strip()) > _UNBROKEN else [nodes]
    pieces = []
    for chunk in chunks:
        while chunk and chunk[0].kind == "space":
            chunk = chunk[1:]
        source = " ".join(text[chunk[0].start:chunk[-1].end].split()) if chunk else ""
        pieces.append(f'<math alttext="{html.escape(source)}">{_xml(chunk)}</math>')
    return " ".join(pieces)


def formula_row_html(text: str) -> str:
    """A displayed formula's row: its pieces (see ``formula_html``) break only after an
    operator or a comma, so that a continuation never reads as a new equation."""
    return formula_html(text)


# ------------------------------------------------------------------ inline text

_INLINE = re.compile(r"""
      \$\$(?P<math>.+?)\$\$
    | ``(?P<code2>.+?)``
    | `(?P<code1>[^`]+)`
    | \*\*(?P<bold>\S(?:.*?\S)?)\*\*
    | (?<![\w*])\*(?P<em>[^*\s](?:[^*]*?[^*\s])?)\*(?![\w*])
    | \[(?P<text>[^\]]+)\]\((?P<href>[^)\s]+)\)
""", re.VERBOSE | re.DOTALL)


def _code_html(code: str, link: Linker) -> str:
    href = link(code[:-2] if code.endswith("()") else code)
    one_letter = re.fullmatch(r"[A-Za-z]\d?", code) is not None  # ``H``, ``x1``: a variable
    greek = code in GREEK and code != "lambda"  # ``theta`` is θ; ``lambda`` is also Python's keyword
    greek = greek or re.fullmatch(r"[a-z]bar|d[a-z]+", code) is not None and _word_xml(code) != _mi(code)
    if href is None and (one_letter or greek or is_formula(code)):  # a name the book knows is code, even chi2_sf
        return f'<span class="math">{formula_html(code)}</span>'
    inner = f"<code>{html.escape(code)}</code>"
    return f'<a href="{html.escape(href)}">{inner}</a>' if href else inner


def _plain_html(text: str) -> str:
    return html.escape(text, quote=False).replace(" -&gt; ", " → ")


def inline_html(text: str, link: Optional[Linker] = None) -> str:
    """One paragraph's text as HTML: code spans, formulas, emphasis and links.

    ``link`` maps a code span's name (or a link's target) to an href, or to None to
    leave it unlinked; a link whose target it cannot resolve keeps only its text.

    >>> inline_html("The step ``theta - lr * g``, *not* ``lr=0``")
    'The step <span class="math"><math alttext="theta - lr * g"><mi>θ</mi><mo>−</mo><mi>lr</mi><mo>·</mo><mi>g</mi></math></span>, <em>not</em> <code>lr=0</code>'
    """
    link = link or (lambda name: None)
    parts, end = [], 0
    for match in _INLINE.finditer(text):
        parts.append(_plain_html(text[end:match.start()]))
        kind = match.lastgroup
        if kind == "math":  # marked as mathematics by the writer (the laws page's law_statement)
            parts.append(f'<span class="math">{formula_html(match.group(kind))}</span>')
        elif kind in ("code2", "code1"):
            parts.append(_code_html(match.group(kind), link))
        elif kind in ("bold", "em"):
            tag = "strong" if kind == "bold" else "em"
            parts.append(f"<{tag}>{inline_html(match.group(kind), link)}</{tag}>")
        else:  # a link: to a heading of this page (#id) as it is, to anything else through ``link``
            target = match.group("href")
            href = target if target.startswith("#") else link(target)
            words = inline_html(match.group("text"), link)
            parts.append(f'<a href="{html.escape(href)}">{words}</a>' if href else words)
        end = match.end()
    parts.append(_plain_html(text[end:]))
    return "".join(parts)


# ------------------------------------------------------------------ blocks

class Block(NamedTuple):
    """One block of prose: ``kind`` is p, ul, ol, h1..h6, formula, code, doctest, table
    or image; ``lines`` are a paragraph's lines, a list's items, a block's lines or a
    table's rows; ``info`` is a fence's language (``python``, ``sh``, ``text``), or a
    picture's file."""

    kind: str
    lines: List[str]
    info: str = ""


_ITEM = re.compile(r"([-*]|\d+\.) +(.*)")
_HEADING = re.compile(r"(#{1,6}) +(.*)")
_TABLE_RULE = re.compile(r"\|? *:?-{3,}:? *(\| *:?-{3,}:? *)*\|? *")  # |---|:---:|
_IMAGE = re.compile(r"!\[(?P<alt>.*)\]\((?P<src>[^()\s]+)\)")  # the alt text may hold brackets


def _is_indented(line: str) -> bool:
    return line.startswith(("    ", "\t"))


def _list_kind(line: str) -> Optional[str]:
    match = _ITEM.fullmatch(line)
    if match is None:
        return None
    return "ul" if match.group(1) in "-*" else "ol"


def _take_list(lines: List[str], i: int, kind: str) -> Tuple[Block, int]:
    items: List[str] = []
    while i < len(lines):
        line = lines[i]
        if _list_kind(line) == kind:
            items.append(_ITEM.fullmatch(line).group(2))
        elif line.strip() and line.startswith(" ") and items:
            items[-1] += " " + line.strip()  # a continuation line of the item
        elif not line.strip() and i + 1 < len(lines) and _list_kind(lines[i + 1]) == kind:
            pass  # a blank line between two items of one list
        else:
            break
        i += 1
    return Block(kind, items), i


# In an indented block, a snake_case name (reg_max, theta_hat) is still mathematics.
_NAMES = re.compile(r"[A-Za-z][A-Za-z0-9]*(?:_[A-Za-z0-9]+)+")


def _take_indented(lines: List[str], i: int) -> Tuple[Block, int]:
    end = i
    while end < len(lines) and (_is_indented(lines[end]) or not lines[end].strip()):
        end += 1
    block = lines[i:end]
    while not block[-1].strip():
        block.pop()  # the blank lines after it belong to no block
    text = [line[4:] for line in block]  # tabs were expanded to four spaces
    if text[0].lstrip().startswith(">>>"):
        return Block("doctest", text), end
    math = all(is_formula(_NAMES.sub("n", line)) or not line.strip() for line in text)
    return Block("formula" if math else "code", text), end


def _take_fence(lines: List[str], i: int) -> Tuple[Block, int]:
    end = i + 1
    while end < len(lines) and not lines[end].startswith("```"):
        end += 1
    return Block("code", lines[i + 1:end], lines[i][3:].strip()), end + 1


def _is_table(lines: List[str], i: int) -> bool:
    """A table starts with a row of cells above a rule of dashes: ``| a | b |``, ``|---|---|``."""
    return (lines[i].lstrip().startswith("|") and i + 1 < len(lines)
            and _TABLE_RULE.fullmatch(lines[i + 1].strip()) is not None)


def _take_table(lines: List[str], i: int) -> Tuple[Block, int]:
    rows = [lines[i]]
    end = i + 2  # the rule of dashes says only that the first row is the heading
    while end < len(lines) and lines[end].lstrip().startswith("|"):
        rows.append(lines[end])
        end += 1
    return Block("table", rows), end


def table_row(cells: List[str]) -> str:
    """A table's row in Markdown, each bar inside a cell written ``\\|``: the inverse of
    ``table_cells`` for cells without line breaks or spaces at their ends.

    >>> table_row(["`--solver`", "gd|newton"])
    '| `--solver` | gd\\\\|newton |'
    """
    return "| " + " | ".join(cell.replace("|", "\\|") for cell in cells) + " |"


def table_cells(row: str) -> List[str]:
    """The cells of a table's row; ``\\|`` is a bar inside a cell.

    >>> table_cells(r"| `gd\\|newton` | two |")
    ['`gd|newton`', 'two']
    """
    inner = row.strip()
    inner = inner[1:] if inner.startswith("|") else inner
    inner = inner[:-1] if inner.endswith("|") and not inner.endswith("\\|") else inner
    return [cell.strip().replace("\\|", "|") for cell in re.split(r"(?<!\\)\|", inner)]


def _take_paragraph(lines: List[str], i: int) -> Tuple[Block, int]:
    start = i
    while i < len(lines) and lines[i].strip() and (i == start or not _starts_block(lines, i)):
        i += 1
    kind = "doctest" if lines[start].startswith(">>>") else "p"
    image = _IMAGE.fullmatch(lines[start].strip()) if i == start + 1 else None
    if image:
        return Block("image", [image.group("alt")], image.group("src")), i
    return Block(kind, [line.strip() if kind == "p" else line for line in lines[start:i]]), i


def _starts_block(lines: List[str], i: int) -> bool:
    line = lines[i]
    return bool(_list_kind(line) or _HEADING.fullmatch(line) or line.startswith("```")
                or _is_indented(line) or _is_table(lines, i))


def parse_blocks(text: str) -> List[Block]:
    """Split light markup (a docstring, or a Markdown file) into blocks.

    >>> [b.kind for b in parse_blocks("A *b*.\\n\\n    x = 1\\n\\n- one\\n- two")]
    ['p', 'formula', 'ul']
    """
    lines, blocks, i = text.expandtabs(4).splitlines(), [], 0
    while i < len(lines):
        line = lines[i]
        heading = _HEADING.fullmatch(line)
        if not line.strip():
            i += 1
            continue
        if heading:
            blocks.append(Block(f"h{len(heading.group(1))}", [heading.group(2)]))
            i += 1
            continue
        if line.startswith("```"):
            block, i = _take_fence(lines, i)
        elif _is_table(lines, i):
            block, i = _take_table(lines, i)
        elif _is_indented(line):
            block, i = _take_indented(lines, i)
        elif _list_kind(line):
            block, i = _take_list(lines, i, _list_kind(line))
        else:
            block, i = _take_paragraph(lines, i)
        blocks.append(block)
    return blocks


def slug(text: str) -> str:
    """An id for a heading, as GitHub makes it (so that a link to ``page.md#id`` lands in
    the book and on GitHub alike): lower case, punctuation dropped, spaces made hyphens.

    >>> slug("1. `naive_sigmoid`"), slug("Separation, Firth's method")
    ('1-naive_sigmoid', 'separation-firths-method')
    """
    return re.sub(r"[^\w\- ]", "", text.strip().lower()).replace(" ", "-") or "section"


def _block_html(block: Block, link: Linker, shift: int, code_of: Optional[Linker]) -> str:
    kind, lines = block.kind, block.lines
    if kind.startswith("h"):
        level = min(int(kind[1]) + shift, 6)
        return f'<h{level} id="{slug(lines[0])}">{inline_html(lines[0], link)}</h{level}>'
    if kind == "p":
        return f"<p>{inline_html(' '.join(lines), link)}</p>"
    if kind in ("ul", "ol"):
        items = "".join(f"<li>{inline_html(item, link)}</li>" for item in lines)
        return f"<{kind}>{items}</{kind}>"
    if kind == "formula":
        return _formula_block(lines, code_of)
    if kind == "table":
        return _table_html(lines, link)
    if kind == "image":
        src = link(block.info)
        if src is None:  # the picture is not in this copy (an installed one): say what it shows
            return f'<p class="figure-missing">{inline_html(lines[0], link)}</p>'
        return f'<figure><img src="{html.escape(src)}" alt="{html.escape(lines[0])}"/></figure>'
    return f'<pre class="{kind}"><code>{html.escape(chr(10).join(lines))}</code></pre>'


def _formula_block(lines: List[str], code_of: Optional[Linker]) -> str:
    """A displayed formula, one row per line. Given ``code_of`` (its first row -> the
    anchor of the code that computes it), it links to that code and has an id
    (``formula-links.sigmoid``) that the code links back to."""
    rows = "".join(f'<span class="row">{formula_row_html(line.strip())}</span>' for line in lines)
    href = code_of(lines[0]) if code_of else None
    if not href or not href.startswith("#"):
        return f'<div class="formula">{rows}</div>'
    anchor = html.escape(href[1:])
    to_code = f'<a class="to-code" href="{html.escape(href)}" title="the code that computes it">code</a>'
    return f'<div class="formula" id="formula-{anchor}">{rows[:-len("</span>")]} {to_code}</span></div>'


def _table_html(rows: List[str], link: Linker) -> str:
    """A table's rows: the first is its heading. Wide tables scroll on a narrow screen."""
    head = "".join(f"<th>{inline_html(cell, link)}</th>" for cell in table_cells(rows[0]))
    body = "".join("<tr>" + "".join(f"<td>{inline_html(cell, link)}</td>" for cell in table_cells(row))
                   + "</tr>" for row in rows[1:])
    return (f'<div class="table"><table class="prose"><thead><tr>{head}</tr></thead>'
            f'<tbody>{body}</tbody></table></div>')


def prose_html(text: str, link: Optional[Linker] = None, *, heading_shift: int = 0,
               code_of: Optional[Linker] = None) -> str:
    """Light markup as HTML, block by block; ``heading_shift`` demotes headings
    (a Markdown file's ``#`` becomes ``h2`` with a shift of 1); ``code_of`` maps a
    displayed formula's first row to ``#anchor``, the code that computes it.

    >>> prose_html("Cost ``p - y``.")
    '<p>Cost <span class="math"><math alttext="p - y"><mi>p</mi><mo>−</mo><mi>y</mi></math></span>.</p>'
    """
    link = link or (lambda name: None)
    return _first_ids_only("\n".join(_block_html(block, link, heading_shift, code_of) for block in parse_blocks(text)))


def _first_ids_only(text: str) -> str:
    """A function's formula id on its first row only: ids are unique on a page."""
    seen = set()

    def keep(match: "re.Match[str]") -> str:
        if match.group(1) in seen:
            return ""
        seen.add(match.group(1))
        return match.group(0)
    return re.sub(r' id="(formula-[^"]+)"', keep, text)


# ------------------------------------------------------------------ source code

class Token(NamedTuple):
    """A piece of source text: ``kind`` is kw, name, str, com, num, op or "" (space)."""

    text: str
    kind: str
    start: Position


_KINDS = {tokenize.STRING: "str", tokenize.COMMENT: "com", tokenize.NUMBER: "num", tokenize.OP: "op"}


def _cut(lines: List[str], start: Position, end: Position) -> str:
    """The source text from ``start`` up to ``end`` (positions as tokenize counts them)."""
    (row0, col0), (row1, col1) = start, end
    if row0 == row1:
        return lines[row0 - 1][col0:col1] if row0 <= len(lines) else ""
    middle = "".join(lines[row0:row1 - 1])
    last = lines[row1 - 1][:col1] if row1 <= len(lines) else ""
    return lines[row0 - 1][col0:] + middle + last


def _kind(token: tokenize.TokenInfo) -> str:
    if keyword.iskeyword(token.string):
        return "kw"
    return "name" if token.type == tokenize.NAME else _KINDS.get(token.type, "")


def _raw_tokens(source: str) -> List[Tuple[str, Position, Position]]:
    """(kind, start, end) for each token; an f-string is one string token, from its start
    to its end (its inner tokens' positions differ between Python versions)."""
    found, depth, opened = [], 0, (1, 0)
    try:
        for token in tokenize.generate_tokens(io.StringIO(source).readline):
            name = tokenize.tok_name[token.type]
            if name.endswith("STRING_START"):  # FSTRING_START (3.12+), TSTRING_START (3.14+)
                depth, opened = depth + 1, (token.start if depth == 0 else opened)
            elif name.endswith("STRING_END"):
                depth -= 1
                if depth == 0:
                    found.append(("str", opened, token.end))
            elif depth == 0:
                found.append((_kind(token), token.start, token.end))
    except (tokenize.TokenError, SyntaxError):
        pass  # the rest is shown as plain text by source_tokens
    return found


def source_tokens(source: str) -> List[Token]:
    """Tokens that cover ``source`` exactly: joined, their texts give it back.

    >>> [(t.text, t.kind) for t in source_tokens("x = 1  # one")]
    [('x', 'name'), (' ', ''), ('=', 'op'), (' ', ''), ('1', 'num'), ('  ', ''), ('# one', 'com')]
    """
    lines = source.splitlines(keepends=True)
    tokens, cursor = [], (1, 0)
    for kind, start, end in _raw_tokens(source):
        if start < cursor:
            continue  # a DEDENT or ENDMARKER inside text already covered
        if start > cursor:
            tokens.append(Token(_cut(lines, cursor, start), "", cursor))
        tokens.append(Token(_cut(lines, start, end), kind if kind != "op" or end > start else "", start))
        cursor = end
    rest = _cut(lines, cursor, (len(lines) + 1, 0))
    if rest:
        tokens.append(Token(rest, "", cursor))
    return [t for t in tokens if t.text]


class Mark(NamedTuple):
    """What a name in the listing becomes: an anchor (``id``) or a link (``href``)."""

    id: Optional[str] = None
    href: Optional[str] = None


def _token_html(text: str, kind: str, mark: Optional[Mark]) -> str:
    inner = html.escape(text, quote=False)
    if mark and mark.id:
        return f'<span class="def" id="{html.escape(mark.id)}">{inner}</span>'
    if mark and mark.href:
        return f'<a class="{kind}" href="{html.escape(mark.href)}">{inner}</a>'
    return f'<span class="{kind}">{inner}</span>' if kind and kind not in ("op", "name") else inner


def _example_attribute(example: Optional[str]) -> str:
    return f' data-example="{html.escape(example)}"' if example else ""


def listing_html(tokens: List[Token], marks: Dict[Position, Mark], *, first_line: int = 1,
                 examples: Optional[Dict[int, str]] = None, notes: Optional[Dict[int, str]] = None) -> str:
    """Tokens as a numbered listing, one ``<span class="line">`` per source line, from
    ``first_line`` on; a token that spans lines (a docstring) is cut at each line end.
    ``examples`` maps a line number to the docstring example that starts there, kept in
    the line's ``data-example`` for the page's Run button; ``notes`` maps a line number
    to HTML set at the line's end (a link back to the formula the line computes)."""
    examples, notes = examples or {}, notes or {}
    rows = [f'<span class="line"{_example_attribute(examples.get(n))}><span class="ln" aria-hidden="true">{n}</span>'
            f'{"".join(parts)}{notes.get(n, "")}</span>'
            for n, parts in enumerate(_lines_html(tokens, marks), start=1) if n >= first_line]
    return '<pre class="listing"><code>' + "".join(rows) + "</code></pre>"


def _lines_html(tokens: List[Token], marks: Dict[Position, Mark]) -> List[List[str]]:
    """The tokens' HTML, line by line; a token that spans lines is cut at each line end."""
    lines: List[List[str]] = [[]]
    for token in tokens:
        pieces = token.text.split("\n")
        for k, piece in enumerate(pieces):
            if k:
                lines.append([])
            if piece:
                lines[-1].append(_token_html(piece, token.kind, marks.get(token.start) if k == 0 else None))
    if not lines[-1]:
        lines.pop()  # the newline at the end of the file opens no line
    return lines
