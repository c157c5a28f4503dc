"""Chapter 29. Columns: from the cells of a table to the numbers of a model.

A model sees numbers; the files people have hold more than numbers. This chapter
decides, one column at a time, how the cells become features, with the rules R's
``glm`` uses:

- **numbers** in plain decimal notation (ASCII digits, an optional sign, point and
  exponent) are read as they are. ``float`` alone would also read ``1_000``,
  Arabic-Indic and full-width digits: those are refused, never silently read;
- **flags**: a column of ``true``/``false`` (or ``yes``/``no``, any case) becomes
  1/0, as the same words in a target column do;
- **categories**: a column of text (no cell is a number) is a factor. Its levels are
  sorted; the first is the *reference* level, and every other level ``v`` becomes an
  indicator column ``name=v`` (1 in the rows of that level, 0 elsewhere), as R's
  treatment contrasts do. A coefficient then compares its level with the reference.
  The levels are saved with the model, so that new files are encoded the same way,
  and a level never seen in training is refused by name (it has no coefficient).

A column that mixes numbers and text is a mistake in the file, not a factor: its
first text cell is reported. ``Column`` is one column's rule; ``infer_column`` finds
it from the training cells and ``encode_column`` applies it to any file's cells.

Missing values (an empty cell, ``NA``, ``NaN``, ``null``, ``?``, ...) stop the run by
default, naming the line and column; the command line's ``--drop-missing`` drops
those rows instead and says how many, from which columns (R's ``na.omit``).

The field separator of a CSV file is detected from its header (``detect_delimiter``)
when none is given: comma, semicolon, tab or pipe.
"""

import csv
import math
import re
from typing import Any, Dict, List, NamedTuple, Optional, Sequence, Tuple

from ..part1_mathematics.checks import shown

__all__ = [
    "Column",
    "DELIMITERS",
    "MISSING",
    "delimiter_named",
    "detect_delimiter",
    "encode_column",
    "infer_column",
    "is_missing",
    "is_plain_number",
    "looks_like_decimal_comma",
]

# Spellings of "no value here" that spreadsheets and R write; reported as missing.
MISSING = frozenset({"", "na", "nan", "n/a", "null", "none", "?", "-"})
FLAG_PAIRS = (("false", "true"), ("no", "yes"))  # (0, 1), compared in lower case
KINDS = ("number", "flag", "categorical")
DELIMITERS = {"comma": ",", "semicolon": ";", "tab": "\t", "pipe": "|"}

# Plain decimal notation, ASCII only: what float() accepts, less its surprises
# (float("١٢") and float("１２") are 12.0, float("1_000") is 1000.0). Written so that a
# regular-expression engine reads it in one pass: no run of digits is followed by
# anything that could also take a digit (a point, an exponent, the end). The older
# "[0-9]+\.?[0-9]*" let two runs share the digits of "111...1x" in every possible
# split before failing: quadratic, 15 s for one cell of 16,000 characters.
_NUMERAL = re.compile(r"[+-]?(?:[0-9]+(?:\.[0-9]*)?|\.[0-9]+)(?:[eE][+-]?[0-9]+)?")
_NON_FINITE = re.compile(r"[+-]?(?:inf|infinity|nan)", re.IGNORECASE)

Cells = Sequence[Tuple[int, str]]  # (line number, cell text) for one column


def is_plain_number(text: str) -> bool:
    """Is ``text`` a number in plain decimal notation (ASCII digits, an optional sign,
    point and exponent)? Surrounding spaces are allowed.

    >>> [is_plain_number(t) for t in ["-1.5e3", " 42 ", ".5", "1_000", "\\u0661\\u0662", "0x1A", "inf"]]
    [True, True, True, False, False, False, False]
    """
    return _NUMERAL.fullmatch(text.strip()) is not None


def looks_like_decimal_comma(text: str) -> bool:
    """Is ``text`` a number written with a decimal comma (``0,5``, ``-1,25e3``), as
    spreadsheets in much of Europe write them? One comma, no point; surrounding
    spaces are allowed. (``1,000`` qualifies too: a thousands separator looks the same.)

    >>> [looks_like_decimal_comma(t) for t in ["0,5", " -1,25 ", ",5", "1.5", "1,000,000", "a,b"]]
    [True, True, True, False, False, False]
    """
    return "," in text and "." not in text and is_plain_number(text.replace(",", ".", 1))


def is_missing(text: str) -> bool:
    """Is the cell one of the usual spellings of a missing value?

    >>> [is_missing(t) for t in ["", " NA ", "nan", "?", "0"]]
    [True, True, True, True, False]
    """
    return text.strip().lower() in MISSING


# ------------------------------------------------------------------ delimiters

def delimiter_named(text: str) -> str:
    """The separator a user means: one character, a name (``comma``, ``semicolon``,
    ``tab``, ``pipe``) or the escape ``\\t``.

    >>> delimiter_named("tab") == delimiter_named("\\\\t") == "\\t", delimiter_named(";")
    (True, ';')

    Raises ``ValueError`` for anything else.
    """
    value = DELIMITERS.get(text.lower(), "\t" if text == "\\t" else text)
    if len(value) != 1 or value in "\"\r\n":
        names = ", ".join(DELIMITERS)
        raise ValueError(f"must be one character or one of {names}, got {text!r}")
    return value


def detect_delimiter(header_line: str) -> str:
    """The separator that splits the header into the most columns, among comma,
    semicolon, tab and pipe (a comma on a tie, and for a header of one column).

    >>> detect_delimiter("GPA;TUCE;PSI;GRADE"), detect_delimiter("a,b"), detect_delimiter("a\\tb|c\\td")
    (';', ',', '\\t')
    """
    counts = []
    for delimiter in DELIMITERS.values():
        try:
            fields = next(csv.reader([header_line], delimiter=delimiter), [])
        except csv.Error:  # a field beyond csv's size limit: this separator does not split the header
            fields = [header_line]
        counts.append((len(fields), delimiter))
    best = max(count for count, _ in counts)
    return next(delimiter for count, delimiter in counts if count == best)


# ------------------------------------------------------------------- columns

class Column(NamedTuple):
    """How one column of a file becomes features: its name, its kind and its levels.

    ``levels`` are the categories in sorted order (the first is the reference) for a
    categorical column, the two words (false, true) as written for a flag, and empty
    for a number.
    """

    name: str
    kind: str = "number"
    levels: Tuple[str, ...] = ()

    @property
    def feature_names(self) -> List[str]:
        """The names of the features this column becomes.

        >>> Column("color", "categorical", ("blue", "green", "red")).feature_names
        ['color=green', 'color=red']
        """
        if self.kind == "categorical":
            return [f"{self.name}={level}" for level in self.levels[1:]]
        return [self.name]

    @property
    def width(self) -> int:
        """How many features the column becomes: ``len(feature_names)``, without building them.

        >>> Column("color", "categorical", ("blue", "green", "red")).width, Column("x").width
        (2, 1)
        """
        return len(self.levels) - 1 if self.kind == "categorical" else 1

    def to_json(self) -> Dict[str, Any]:
        return {"name": self.name, "kind": self.kind, "levels": list(self.levels)}

    @classmethod
    def from_json(cls, value: Any, where: str) -> "Column":
        """A column rule from a model file, every part checked (``where`` names the field)."""
        if not isinstance(value, dict) or not isinstance(value.get("name"), str):
            raise ValueError(f"field {where!r} must be an object with a string 'name'")
        kind, levels = value.get("kind"), value.get("levels", [])
        if kind not in KINDS:
            raise ValueError(f"field '{where}.kind' must be one of {', '.join(KINDS)}, got {shown(kind)}")
        if not isinstance(levels, list) or not all(isinstance(v, str) for v in levels) \
                or len(set(levels)) != len(levels):
            raise ValueError(f"field '{where}.levels' must be a list of distinct strings")
        expected = {"number": len(levels) == 0, "flag": len(levels) == 2, "categorical": len(levels) >= 2}
        if not expected[kind]:
            raise ValueError(f"field '{where}.levels' has {len(levels)} levels, which a {kind} column cannot have")
        return cls(value["name"], kind, tuple(levels))


def _flag_words(distinct: Sequence[str]) -> Optional[Tuple[str, str]]:
    """The (false, true) spellings if every distinct cell is one word of a flag pair."""
    lowered = {cell.strip().lower() for cell in distinct}
    for pair in FLAG_PAIRS:
        if lowered <= set(pair):
            return pair
    return None


def infer_column(name: str, cells: Cells, source: str) -> Column:
    """The rule for a column from its (non-missing) training cells.

    >>> infer_column("c", [(2, "red"), (3, "blue"), (4, "red")], "f.csv")
    Column(name='c', kind='categorical', levels=('blue', 'red'))
    >>> infer_column("s", [(2, "Yes"), (3, "no")], "f.csv").kind
    'flag'

    Raises ``ValueError`` for a column that mixes numbers and text (naming the first
    text cell) and for a text column with a single level.
    """
    distinct = sorted({cell.strip() for _, cell in cells})
    numeric = [_numeric(cell) for cell in distinct]
    if all(numeric):  # "inf" counts as a number here, to be refused as one that is not finite
        return Column(name)
    if _flag_words(distinct) is not None:
        return Column(name, "flag", _flag_words(distinct))
    if any(numeric):
        line, text = next((line, cell) for line, cell in cells if not _numeric(cell.strip()))
        raise ValueError(_not_a_number(source, line, name, text) + "; the column holds numbers on other lines")
    if all(map(looks_like_decimal_comma, distinct)):
        raise ValueError(_decimal_commas(name, cells, source))
    if len(distinct) < 2:
        raise ValueError(f"{source}: column {shown(name)} holds the one category {shown(distinct[0])}, which "
                         f"carries no information; leave the column out")
    return Column(name, "categorical", tuple(distinct))


def is_plain_or_non_finite(cell: str) -> bool:
    """Is the (stripped) cell a number to a column's rule: plain notation, or ``inf`` /
    ``nan`` (refused later as not finite, never read as a category)?

    >>> [is_plain_or_non_finite(t) for t in ["1.5", "-inf", "NaN", "red", "1_000"]]
    [True, True, True, False, False]
    """
    return is_plain_number(cell) or _NON_FINITE.fullmatch(cell) is not None


_numeric = is_plain_or_non_finite


DECIMAL_COMMA_CURE = ("convert such numbers to plain decimal notation ('.' as the decimal point), or read "
                      "them as numbers with --decimal-comma (decimal_comma=True)")


def _not_a_number(source: str, line: int, column: str, text: str) -> str:
    if looks_like_decimal_comma(text):
        return (f"{source}, line {line}, column {shown(column)}: {shown(text)} is a number written with a "
                f"decimal comma; {DECIMAL_COMMA_CURE}")
    return (f"{source}, line {line}, column {shown(column)}: {shown(text)} is not a number; write numbers "
            f"in plain decimal notation (ASCII digits, '.' as the decimal point, no '_' or thousands separators)")


def _decimal_commas(name: str, cells: Cells, source: str) -> str:
    """The refusal of a column of decimal-comma numbers, which would otherwise be a category."""
    line, text = next((line, cell) for line, cell in cells if looks_like_decimal_comma(cell))
    return (f"{source}: column {shown(name)} holds numbers written with a decimal comma ({shown(text.strip())} "
            f"on line {line}), not categories; {DECIMAL_COMMA_CURE}")


def with_decimal_points(name: str, cells: Cells, source: str) -> List[Tuple[int, str]]:
    """The cells with each decimal comma read as a decimal point (``0,5`` becomes ``0.5``),
    for a file whose numbers are written that way; other cells are left as they are.

    >>> with_decimal_points("x", [(2, "0,5"), (3, "2"), (4, "red")], "f.csv")
    [(2, '0.5'), (3, '2'), (4, 'red')]

    Raises ``ValueError`` for a number with a point (``1.500``): where commas are
    decimal points, a point is a thousands separator, and reading it as a decimal
    point would be a silent mistake.
    """
    converted = []
    for line, cell in cells:
        if looks_like_decimal_comma(cell):
            cell = cell.replace(",", ".", 1)
        elif "." in cell and is_plain_number(cell):
            raise ValueError(f"{source}, line {line}, column {shown(name)}: {shown(cell)} has a point, but with "
                             f"--decimal-comma the comma is the decimal point (is the point a thousands "
                             f"separator? remove it)")
        converted.append((line, cell))
    return converted


def parse_number(text: str, source: str, line: int, column: str) -> float:
    """One cell as a finite float, or a ``ValueError`` naming the file, line and column."""
    cell = text.strip()
    where = f"{source}, line {line}, column {shown(column)}"
    if is_missing(cell):
        raise ValueError(f"{where}: missing value {shown(text)}; fill it in or drop the row")
    if _NON_FINITE.fullmatch(cell) or (is_plain_number(cell) and not math.isfinite(float(cell))):
        raise ValueError(f"{where}: {shown(text)} is not finite; replace infinite values first")
    if not is_plain_number(cell):
        raise ValueError(_not_a_number(source, line, column, text))
    return float(cell)


def _numbers(column: Column, cells: Cells, source: str) -> List[float]:
    # The common case, a column of plain finite numbers, is checked by built-ins in C:
    # float() over the column, then isfinite, and the text is ASCII without '_' (all
    # float() accepts beyond plain decimal notation). Anything else is read cell by
    # cell, which also writes the message naming the line.
    texts = [cell for _, cell in cells]
    try:
        values = list(map(float, texts))
    except ValueError:
        values = []
    joined = "".join(texts)
    if values and all(map(math.isfinite, values)) and joined.isascii() and "_" not in joined:
        return values
    return [parse_number(cell, source, line, column.name) for line, cell in cells]


def encode_column(column: Column, cells: Cells, source: str) -> List[List[float]]:
    """The feature values of each row (one list per row) by the column's rule.

    >>> encode_column(Column("c", "categorical", ("blue", "green", "red")), [(2, "red"), (3, "blue")], "f")
    [[0.0, 1.0], [0.0, 0.0]]

    Raises ``ValueError`` naming the line for a cell that does not fit the rule: not
    a number, not one of the flag's two words, or a level never seen in training.
    """
    if column.kind == "number":
        return [[value] for value in _numbers(column, cells, source)]
    flag = column.kind == "flag"
    position = {level: j for j, level in enumerate(column.levels)}
    codes: Dict[int, List[float]] = {}  # one shared row per level seen: never a K x K table of every level
    rows = []
    for line, cell in cells:
        j = position.get(cell.strip().lower() if flag else cell.strip())
        if j is None:
            raise ValueError(_unknown_level(column, source, line, cell))
        if j not in codes:
            codes[j] = [float(j)] if flag else [float(k == j) for k in range(1, len(column.levels))]
        rows.append(codes[j])
    return rows


def _unknown_level(column: Column, source: str, line: int, cell: str) -> str:
    if column.kind == "flag":
        return (f"{source}, line {line}, column {shown(column.name)}: {shown(cell)} is neither "
                f"{column.levels[0]!r} nor {column.levels[1]!r}")
    levels = ", ".join(shown(level, 30) for level in column.levels[:10])
    return (f"{source}, line {line}, column {shown(column.name)}: the level {shown(cell)} was not seen in "
            f"training, so the model has no coefficient for it (its levels: {levels})")
