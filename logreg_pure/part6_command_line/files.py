"""Chapter 30. Files: CSV tables in, JSON model files out and back.

**CSV.** ``load_csv(path, target="passed")`` reads a table with a header row: the
feature columns become numbers by the rules of chapter 29 (numbers, flags, and
categories as indicator columns), and the target must hold exactly two distinct
values. The two values are mapped to 0 and 1 by a stated rule, and the mapping is
returned so that it can be reported and saved:

- numbers: the smaller is 0 (so 0/1 stays 0/1, and -1/1 becomes 0/1);
- ``false``/``true`` and ``no``/``yes`` (any case): false and no are 0;
- any other two labels: alphabetical order, the first is 0.

With ``multiclass=True`` a target with more than two values is accepted too (for
``SoftmaxRegression``, chapter 19): its K values are coded 0..K-1, numbers in
numeric order and anything else alphabetically (``class_mapping``); a two-valued
target keeps the rule above.

Every problem is a ``ValueError`` naming the file, the line (the header is line 1)
and the column: a cell that is not a number, a missing value, a ragged row, an
unknown column, a target with one class or more than two, an empty file. A UTF-8
byte-order mark and blank lines at the end are accepted.

**Row by row, into typed columns.** The file is never held whole. ``csv.reader`` reads
the open file one row at a time, and each used cell goes at once into its column
(``_ColumnCells``): a number into an ``array('d')``, 8 bytes, where a Python float
and its reference take 32; a text cell (a category, a flag, a label) into an
``array('i')`` as the small integer code of its level, each level kept once, with the
line and spelling where it first appears. Chapter 29's rules then read only those
first cells (``infer_column``) and encode each level once (``encode_column``). The
features come back as a ``ColumnTable`` (chapter 2): one ``array('d')`` per feature,
which every reader may treat as a list of rows, and which the appendix's fast
problems read as it is, so that ``python -m logreg_pure fit`` never makes a row of
Python floats. A problem found on the way (a missing cell, a number written with a
point where commas are decimal points) is remembered and reported once the file's
shape has been checked, with the message it always had.

**Model files.** ``save_model`` writes a fitted model as JSON: a format name and
version, the feature names, coefficients and intercept, the standardization
parameters (if the features were standardized), the training options and the label
mapping. A ``LogisticRegression`` is written as format version 1; a
``SoftmaxRegression`` as version 2, which adds the class list (``classes``), one row
of coefficients and one intercept per class, and a label mapping onto the classes'
positions. ``load_model`` reads both, checks every field (types, lengths, finite
numbers, a known version) before it builds anything, and names the field that is
wrong. JSON holds
data only; a model file can never run code (unlike ``pickle``, never used here).
"""

import csv
import io
import json
import math
import re
from array import array
from itertools import chain
from operator import itemgetter
from typing import Any, Callable, Dict, Iterable, Iterator, List, NamedTuple, Optional, Sequence, Tuple, Union

from ..part1_mathematics.checks import ColumnTable, check_columns, check_field, check_field_numbers, shown
from ..part1_mathematics.vectors import Matrix, Vector
from ..part4_estimators.features import Standardizer
from ..part4_estimators.model import LogisticRegression
from ..part4_estimators.multinomial import SoftmaxRegression
from .columns import (
    Column,
    _flag_words,
    detect_delimiter,
    encode_column,
    infer_column,
    is_missing,
    is_plain_number,
    is_plain_or_non_finite,
    looks_like_decimal_comma,
    parse_number,
    with_decimal_points,
)
from .outputs import write_text

__all__ = [
    "Dataset",
    "FORMAT",
    "MAX_INDICATOR_VALUES",
    "ModelFile",
    "SOFTMAX_VERSION",
    "VERSION",
    "check_expansion",
    "class_mapping",
    "csv_text",
    "load_csv",
    "load_model",
    "parse_csv_text",
    "save_model",
    "spreadsheet_safe",
]

FORMAT = "logreg_pure.model"
VERSION = 1  # a LogisticRegression
SOFTMAX_VERSION = 2  # a SoftmaxRegression: classes, and coefficients per class
Model = Union[LogisticRegression, SoftmaxRegression]


class Dataset(NamedTuple):
    """A table ready for fitting: rows ``X``, 0/1 labels ``y`` and what they mean.

    Without a target column ``y`` is empty and ``target_name`` is ``""``. ``columns``
    are the file's feature columns and how each became features (chapter 29: their
    ``feature_names`` together are ``feature_names``); ``notes`` say what was done
    that the user did not spell out (a detected delimiter, an expanded category,
    dropped rows). ``X`` is a ``ColumnTable`` (chapter 2), the file's numbers in typed
    columns: it reads and compares as a list of rows, but each row is a new list when it
    is asked for, so writing into one changes nothing; take ``[list(row) for row in
    data.X]`` for rows to change.
    """

    X: Matrix
    y: Vector
    feature_names: List[str]
    target_name: str
    description: str
    label_mapping: Dict[str, int]
    columns: Tuple[Column, ...] = ()
    notes: Tuple[str, ...] = ()

    def classes(self) -> List[str]:
        """The target's labels in the order of their codes (0, 1, ...)."""
        return sorted(self.label_mapping, key=self.label_mapping.__getitem__)

    def labels(self) -> List[str]:
        """Each row's label as written in the file (``y`` holds their codes)."""
        names = self.classes()
        return [names[int(code)] for code in self.y]


# --------------------------------------------------------------------- CSV

def _too_few_or_many(distinct: Sequence[str], count: int, source: str, target: str,
                     multiclass: bool = False) -> None:
    if count != 2 and not (multiclass and count > 2):
        found = ", ".join(shown(v) for v in distinct[:5]) + (" ..." if len(distinct) > 5 else "")
        what = "only one value" if count == 1 else f"{count} distinct values"
        same = " (equal as numbers)" if count == 1 and len(distinct) > 1 else ""
        need = "at least two classes" if multiclass else "exactly two classes"
        raise ValueError(f"{source}: target column {shown(target)} has {what} ({found}){same}; "
                         f"logistic regression needs {need}")


def _first_spellings(values: Sequence[str]) -> Dict[float, str]:
    """Numbers equal as numbers are one class (``1``, ``1.0`` and ``01``): each value's
    first spelling, by value."""
    first_spelling: Dict[float, str] = {}
    for label in values:
        first_spelling.setdefault(float(label), label)
    return first_spelling


def class_mapping(values: Sequence[str]) -> Dict[str, int]:
    """Codes 0..K-1 for the distinct ``values``: numbers by value in numeric order (``1``
    and ``1.0`` are one class), else alphabetical.

    >>> class_mapping(["10", "9", "10.0", "2"]), class_mapping(["b", "c", "a"])
    ({'2': 0, '9': 1, '10': 2}, {'a': 0, 'b': 1, 'c': 2})
    """
    if all(map(is_plain_number, values)):
        first_spelling = _first_spellings(values)
        return {first_spelling[value]: k for k, value in enumerate(sorted(first_spelling))}
    return {label: k for k, label in enumerate(sorted(set(values)))}


def _label_mapping(values: Sequence[str], source: str, target: str, multiclass: bool = False) -> Dict[str, int]:
    """The target's codes. Two words of a flag pair (``no``/``yes``, ``false``/``true``) are
    read in any case, as a feature column's flag is (``Yes`` and ``YES`` are one class),
    each written as it first appears; numbers equal as numbers are one class."""
    distinct = sorted(set(values))
    numeric = all(map(is_plain_number, distinct))
    words = None if numeric else _flag_words(distinct)
    if numeric:
        count = len(_first_spellings(distinct))
    else:
        count = len({v.lower() for v in distinct}) if words else len(distinct)
    _too_few_or_many(distinct, count, source, target, multiclass)
    if numeric or count > 2:
        return class_mapping(values)  # the smaller number is 0
    if words is not None:
        first = {}
        for value in values:
            first.setdefault(value.lower(), value)
        return {first[word]: code for code, word in enumerate(words)}
    return {distinct[0]: 0, distinct[1]: 1}


def _unreadable(source: str, line: int, error: csv.Error) -> str:
    """The message for what the csv module cannot read, naming the line it reached."""
    if "field limit" in str(error):
        return (f"{source}, line {line}: a cell longer than {csv.field_size_limit():,} characters, the most "
                f"Python's csv module reads in one cell; is a quote left open, or is the delimiter wrong? "
                f"(--delimiter)")
    return f"{source}, line {line}: not a readable CSV table ({error})"


def _width_error(header: List[str], row: List[str], line: int, source: str, delimiter: str) -> ValueError:
    """Every row must have one value per column (a blank line inside the table has none)."""
    return ValueError(f"{source}, line {line}: {len(row)} values, but the header has "
                      f"{len(header)} columns" + _delimiter_hint(header, delimiter))


def _delimiter_hint(header: List[str], delimiter: str) -> str:
    other = detect_delimiter(",".join(header)) if len(header) == 1 else delimiter
    return f"; is the delimiter {other!r}? (--delimiter)" if other != delimiter else ""


def _columns_list(header: Sequence[str]) -> str:
    """The header's names, for a message: escaped, each shortened, at most 30 of them."""
    names = ", ".join(shown(name, 30, quoted=False) for name in header[:30])
    return names + (f" and {len(header) - 30} more" if len(header) > 30 else "")


def _column_positions(header: Sequence[str]) -> Dict[str, List[int]]:
    """Each name's column numbers (1 is the first), in one pass over the header. Every
    later question about a name is then one dictionary lookup, so a header of d columns
    is handled in time proportional to d (asking ``header.index`` per name took d^2:
    71 s for 40,000 columns)."""
    positions: Dict[str, List[int]] = {}
    for j, name in enumerate(header, start=1):
        positions.setdefault(name, []).append(j)
    return positions


def _check_used_column(positions: Dict[str, List[int]], header: Sequence[str], name: str, source: str) -> None:
    """A column the fit uses must exist, have a name, and be the only one of that name."""
    found = positions.get(name, [])
    if not found:
        raise ValueError(f"{source}: no column {shown(name)}, which the model needs; "
                         f"the columns are {_columns_list(header)}")
    if name == "":
        raise ValueError(f"{source}: column {found[0]} has no name in the header; it looks like a saved "
                         f"row index (pandas' to_csv writes one unless index=False). Leave it out "
                         f"(--ignore '' or --features) or drop it from the file")
    if len(found) > 1:
        raise ValueError(f"{source}: the header names columns {found[0]} and {found[1]} both "
                         f"{shown(name)}; every column needs its own name: rename one")


def _check_named_columns(header: List[str], positions: Dict[str, List[int]], target: Optional[str],
                         ignore: Sequence[str], source: str) -> None:
    if target is not None and target not in positions:
        raise ValueError(f"{source}: no target column {shown(target)}; the columns are {_columns_list(header)}")
    unknown = [name for name in ignore if name not in positions]
    if unknown:
        raise ValueError(f"{source}: no column {shown(unknown[0])} to ignore; the columns are {_columns_list(header)}")


def _feature_columns(header: List[str], positions: Dict[str, List[int]], target: Optional[str],
                     features: Optional[Sequence[str]], ignore: Sequence[str], source: str) -> List[str]:
    """The feature columns' names: ``features`` if given, else every column but the
    target and ``ignore``. Every column used must exist and have a name of its own."""
    _check_named_columns(header, positions, target, ignore, source)
    left_out = set(ignore)
    names = [n for n in header if n != target] if features is None else list(features)
    names = [n for n in names if n not in left_out]
    if not names:
        raise ValueError(f"{source}: no feature columns are left; at least one is needed")
    for name in names + ([target] if target is not None else []):
        _check_used_column(positions, header, name, source)
    if target in names:
        raise ValueError(f"{source}: the target column {shown(target)} cannot be a feature too")
    return names


def _used_columns(header: List[str], target: Optional[str], features: Optional[Sequence[str]],
                  ignore: Sequence[str], source: str) -> Tuple[List[str], Dict[str, int]]:
    """The feature columns' names, and the position (0 first) of every column used
    (features and target), found through one map from names to positions."""
    positions = _column_positions(header)
    names = _feature_columns(header, positions, target, features, ignore, source)
    used = names + ([target] if target is not None else [])
    return names, {name: positions[name][0] - 1 for name in used}


def _missing_message(source: str, line: int, column: str, text: str, target: bool) -> str:
    what = "missing target value" if target else f"missing value {shown(text)}"
    return f"{source}, line {line}, column {shown(column)}: {what}; fill it in or drop the row (--drop-missing)"


def _plain_value(cell: str) -> Optional[float]:
    """The cell's value if it is a finite number in plain notation, else ``None``: float()
    in C, less what it reads beyond plain notation ("1_000", non-ASCII digits, inf, nan).
    White space around the number is not part of it, a no-break space included, as for
    chapter 29's ``parse_number``.

    >>> _plain_value(" 4\u00a0"), _plain_value("\u0664"), _plain_value("1_000"), _plain_value("inf")
    (4.0, None, None, None)
    """
    try:
        value = float(cell)
    except ValueError:
        return None
    bare = cell.strip()
    return value if math.isfinite(value) and bare.isascii() and "_" not in bare else None


def _plain_row(cells: Sequence[str]) -> Optional[List[float]]:
    """The cells' values if every one is a finite number in plain notation (``_plain_value``
    for a whole row at once, in C), else ``None``: the row is then read cell by cell."""
    try:
        numbers = list(map(float, cells))
    except ValueError:
        return None
    joined = "".join(cells)
    return numbers if joined.isascii() and "_" not in joined and all(map(math.isfinite, numbers)) else None


class _ColumnCells:
    """One used column's cells, kept small as the file is read row by row.

    A cell that is a finite number in plain notation goes straight into an
    ``array('d')`` (8 bytes); any other cell becomes a small integer code of its level
    (an ``array('i')``, 4 bytes a row), each level kept once with the line and spelling
    where it first appears. That is all chapter 29 needs: ``infer_column`` reads each
    level's first cell and the first number, in line order, as it would read every cell;
    ``encode_column`` encodes each level once. ``text_only`` (a model's flag or category,
    and the target) keeps every cell as a level; ``decimal_comma`` reads ``0,5`` as 0.5.
    The first cell of each kind an error names is kept: ``first_bad`` (not a finite plain
    number), ``first_number``, ``first_point`` (a point where commas are decimal points).
    """

    def __init__(self, name: str, *, text_only: bool = False, decimal_comma: bool = False) -> None:
        self.name, self.text_only, self.decimal_comma = name, text_only, decimal_comma
        self.values = array("d")
        self.codes: Optional[Any] = None  # array('i'), from the first level on (-1 for a number)
        self.levels: Dict[str, int] = {}  # a level (the cell stripped) -> its code
        self.first_cells: List[Tuple[int, str]] = []  # each level's first (line, cell), in code order
        self.first_number: Optional[Tuple[int, str]] = None
        self.first_bad: Optional[Tuple[int, str]] = None
        self.first_point: Optional[Tuple[int, str]] = None
        self.missing = 0

    def add(self, line: int, cell: str) -> bool:
        """Keep one cell; ``False``, keeping nothing, for a missing one."""
        if self.decimal_comma and ("," in cell or "." in cell):
            cell = self._with_decimal_point(line, cell)
        value = None if self.text_only else _plain_value(cell)
        if value is not None:
            self._keep_number(line, cell, value)
            return True
        if is_missing(cell):
            self.missing += 1
            return False
        self.first_bad = self.first_bad or (line, cell)
        if not self.text_only and is_plain_or_non_finite(cell.strip()):  # a number still, refused when encoded
            self._keep_number(line, cell, 0.0)
        else:
            self._keep_level(line, cell)
        return True

    def _keep_number(self, line: int, cell: str, value: float) -> None:
        self.values.append(value)
        if self.codes is not None:
            self.codes.append(-1)
        if self.first_number is None:
            self.first_number = (line, cell)

    def _keep_level(self, line: int, cell: str) -> None:
        level = cell.strip()
        code = self.levels.get(level)
        if code is None:
            code = self.levels[level] = len(self.levels)
            self.first_cells.append((line, cell))
        if self.codes is None:
            self.codes = array("i", [-1]) * len(self.values)
        self.codes.append(code)
        self.values.append(0.0)

    def _with_decimal_point(self, line: int, cell: str) -> str:
        if looks_like_decimal_comma(cell):
            return cell.replace(",", ".", 1)
        if "." in cell and is_plain_number(cell) and self.first_point is None:
            self.first_point = (line, cell)
        return cell

    def undo(self, line: int) -> None:
        """Forget the cell just kept from ``line``: its row is dropped for a missing value."""
        self.values.pop()
        if self.codes is not None:
            self.codes.pop()
        if self.first_cells and self.first_cells[-1][0] == line:  # a level first seen on this row
            del self.levels[self.first_cells.pop()[1].strip()]
        for kind in ("first_number", "first_bad", "first_point"):
            if (getattr(self, kind) or (0,))[0] == line:
                setattr(self, kind, None)

    def rule(self, source: str) -> Column:
        """The column's rule, by chapter 29's ``infer_column`` on each level's first cell and
        the first number, in line order (what it would find reading every cell)."""
        if not self.levels:
            return Column(self.name)
        firsts = self.first_cells + ([self.first_number] if self.first_number is not None else [])
        return infer_column(self.name, sorted(firsts), source)

    def features(self, rule: Column, source: str) -> List[Any]:
        """The column's features by ``rule``, one ``array('d')`` each: its numbers, or each
        level's values (chapter 29's ``encode_column``, once per level) looked up by code.
        Raises ``ValueError`` naming the first cell that does not fit the rule."""
        if rule.kind == "number":
            if self.first_bad is not None:  # a cell kept as a placeholder: never fitted as 0.0
                line, cell = self.first_bad
                parse_number(cell, source, line, self.name)  # raises, naming what the cell is
                raise ValueError(f"{source}, line {line}, column {shown(self.name)}: {shown(cell)} "
                                 f"could not be read as a number; write it in plain notation")
            return [self.values]
        by_code = encode_column(rule, self.first_cells, source)  # first cells: in code order
        return [array("d", map([row[k] for row in by_code].__getitem__, self.codes or ()))
                for k in range(len(by_code[0]))]


class _TableReader:
    """The used columns of a CSV table, filled row by row (``take``): nothing is kept of
    a row but its used cells, each in its column's ``_ColumnCells``. A row with a
    missing cell is kept out (``drop``), or the first one is remembered, to be refused
    once the whole file has been checked for shape."""

    def __init__(self, names: List[str], positions: Dict[str, int], target: Optional[str],
                 columns: Optional[Sequence[Column]], decimal_comma: bool) -> None:
        rules = {column.name: column for column in columns or ()}
        text = {name for name, rule in rules.items() if rule.kind != "number"}
        self.cells = ([] if target is None else [_ColumnCells(target, text_only=True)]) + [
            _ColumnCells(name, text_only=name in text, decimal_comma=decimal_comma) for name in names]
        order = [positions[column.name] for column in self.cells]
        self.pick = itemgetter(*order) if len(order) > 1 else (lambda row: (row[order[0]],))
        self.target, self.lines, self.rows = target, array("l"), 0
        self.first_missing: Optional[Tuple[int, str, str]] = None
        self.features = self.cells[len(self.cells) - len(names):]
        self.appends = [column.values.append for column in self.features]
        self.plain = False  # every feature column plain numbers so far: a row may take the quick path

    def take(self, line: int, row: List[str]) -> None:
        self.rows += 1
        values = self.pick(row)
        if self.plain and self._take_numbers(line, values):
            return
        for k, (column, cell) in enumerate(zip(self.cells, values)):
            if not column.add(line, cell):
                self._drop(k, line, values)
                return
        self.lines.append(line)
        self.plain = all(column.first_number is not None and column.codes is None
                         and not (column.text_only or column.decimal_comma) for column in self.features)

    def _take_numbers(self, line: int, values: Sequence[str]) -> bool:
        """The quick path, for a row whose feature cells are all finite plain numbers (the
        common case) in columns that hold nothing else: read by ``float`` in C, with what
        the cell-by-cell path would keep. ``False`` (nothing kept) for any other row."""
        offset = len(self.cells) - len(self.features)
        numbers = _plain_row(values[offset:])
        if numbers is None:
            return False
        if offset and not self.cells[0].add(line, values[0]):  # the target's cell is missing
            self.first_missing = self.first_missing or (line, self.cells[0].name, values[0])
            return True
        for append, value in zip(self.appends, numbers):
            append(value)
        self.lines.append(line)
        return True

    def _drop(self, k: int, line: int, values: Sequence[str]) -> None:
        for column in self.cells[:k]:
            column.undo(line)
        for column, cell in zip(self.cells[k + 1:], values[k + 1:]):
            column.missing += is_missing(cell)
        if self.first_missing is None:
            self.first_missing = (line, self.cells[k].name, values[k])

    def refuse_or_note_missing(self, drop: bool, source: str) -> List[str]:
        """Refuse the first missing cell (naming its line and column), or with ``drop``
        say how many rows were dropped, from which columns (R's ``na.omit``)."""
        if self.first_missing is None:
            return []
        line, name, text = self.first_missing
        if not drop:
            raise ValueError(_missing_message(source, line, name, text, name == self.target))
        if not self.lines:
            raise ValueError(f"{source}: every row has a missing value; nothing is left to use")
        counts = ", ".join(f"{shown(c.name)}: {c.missing}" for c in self.cells if c.missing)
        return [f"dropped {self.rows - len(self.lines)} of {self.rows} rows with missing values ({counts}) "
                f"(--drop-missing)"]


def _read_csv(lines: Iterable[str], source: str, delimiter: str,
              start: Callable[[List[str]], Any]) -> Any:
    """Read the table row by row: ``start(header)`` gives what takes the rows
    (``_TableReader``); it is refused by what the csv module cannot read, a ragged row,
    an empty table. Blank lines at the end are accepted; a blank line inside the table
    is a row of no values, refused as ragged."""
    reader = csv.reader(lines, delimiter=delimiter)
    try:
        return _take_rows(reader, source, delimiter, start)
    except csv.Error as error:
        raise ValueError(_unreadable(source, reader.line_num, error)) from None


def _numbered(reader: Any) -> Iterator[Tuple[int, List[str]]]:
    """Each row after the header with the file line it starts on: a quoted cell may hold
    line breaks, so rows and lines are counted apart (``line_num``: the line a row ends on)."""
    ended = reader.line_num
    for row in reader:
        yield ended + 1, row
        ended = reader.line_num


def _take_rows(reader: Any, source: str, delimiter: str, start: Callable[[List[str]], Any]) -> Any:
    header_row = next(reader, [])
    header = [name.strip() for name in header_row]
    try:
        taker, refusal = start(header), None
    except ValueError as error:  # a column the options name is not there: said once the shape is checked
        taker, refusal = None, error
    take = taker.take if taker is not None else (lambda line, row: None)
    pending: List[Tuple[int, List[str]]] = []  # blank rows: the end of the file, or rows inside the table
    data = 0
    for line, row in _numbered(reader):
        pending.append((line, row))
        if any(map(str.strip, row)):  # a row with a value: the blank rows before it were inside the table
            for number, cells in pending:
                if len(cells) != len(header):
                    raise _width_error(header, cells, number, source, delimiter)
                take(number, cells)
            data += len(pending)
            pending = []
    if data == 0:
        raise _no_data(header_row, source)
    if refusal is not None:
        raise refusal
    return taker


def _no_data(header_row: List[str], source: str) -> ValueError:
    """A table of no data rows: an empty file (blank lines at most), or a header alone."""
    if not any(map(str.strip, header_row)):
        return ValueError(f"{source} is empty: expected a header row and at least one data row")
    return ValueError(f"{source} has a header but no data rows")


def _refuse_points(columns: Sequence[_ColumnCells], source: str) -> None:
    """With ``decimal_comma``: refuse the first number written with a point (chapter 29's
    ``with_decimal_points`` says why), in the feature columns' order."""
    for column in columns:
        if column.first_point is not None:
            with_decimal_points(column.name, [column.first_point], source)  # raises


def _encode(table: _TableReader, names: List[str], columns: Optional[Sequence[Column]],
            source: str) -> Tuple[ColumnTable, List[Column], List[str]]:
    """The features as typed columns, the column rules used, and notes on the rules inferred here."""
    inferred = columns is None
    cells = table.cells[len(table.cells) - len(names):]  # the target's cells come first
    rules = [column.rule(source) for column in cells] if inferred else list(columns or ())
    check_expansion(rules, len(table.lines), source, inferred)
    arrays = [feature for rule, column in zip(rules, cells) for feature in column.features(rule, source)]
    return ColumnTable(arrays), rules, _column_notes(rules, len(table.lines)) if inferred else []


def _column_notes(rules: Sequence[Column], n_rows: int) -> List[str]:
    notes = []
    for rule in rules:
        if rule.kind == "categorical":
            own = (f"; every row has its own level: an identifier? leave it out (--ignore {shown(rule.name)})"
                   if len(rule.levels) == n_rows else "")
            notes.append(f"column {shown(rule.name)}: {len(rule.levels)} categories, reference "
                         f"{shown(rule.levels[0])}; indicators {shown(', '.join(rule.feature_names), 120, quoted=False)}"
                         + own)
        elif rule.kind == "flag":
            notes.append(f"column {shown(rule.name)}: {rule.levels[0]}/{rule.levels[1]} read as 0/1")
    return notes


MAX_INDICATOR_VALUES = 10_000_000  # n x (indicator columns): 80 MB of list entries, several times that in a fit


def check_expansion(rules: Sequence[Column], n_rows: int, source: str, inferred: bool = True) -> None:
    """Refuse, before building it, a table whose categories would expand into more than
    ``MAX_INDICATOR_VALUES`` indicator values (rows times indicator columns), naming the
    widest column and the cure. A text column with a level per row (an identifier)
    would otherwise become an n x n table: 20,000 names, 400 million values.

    ``inferred``: the rules were found in this file (``fit``), else they are a model's.
    """
    widths = [rule.width for rule in rules if rule.kind == "categorical"]
    values = n_rows * sum(widths)
    if values <= MAX_INDICATOR_VALUES:
        return
    widest = max((rule for rule in rules if rule.kind == "categorical"), key=lambda rule: rule.width)
    size = (f"{n_rows:,} rows x {sum(widths):,} indicator columns = {values:,} values, more than the "
            f"{MAX_INDICATOR_VALUES:,} this library builds")
    if not inferred:
        most = max(1, MAX_INDICATOR_VALUES // sum(widths))
        raise ValueError(f"{source}: the model's column {shown(widest.name)} has {len(widest.levels):,} levels: "
                         f"{size}; predict at most {most:,} rows at a time")
    looks = ("every row has its own value: it looks like an identifier, not a category"
             if len(widest.levels) == n_rows else "too many levels to expand")
    raise ValueError(f"{source}: the text columns would make {size}; column {shown(widest.name)} has "
                     f"{len(widest.levels):,} levels ({looks}): leave it out (--ignore {shown(widest.name)})"
                     f"{'' if len(widest.levels) == n_rows else ' or group its levels into fewer'}")


def _code_of(label: str, mapping: Dict[str, int]) -> Optional[int]:
    """The class of ``label``: by spelling, for numbers by value (``1.0`` is ``1``), and for a
    flag pair's words in any case (``YES`` is ``yes``)."""
    if label in mapping:
        return mapping[label]
    if _flag_words(list(mapping)) is not None:
        for known, code in mapping.items():
            if known.lower() == label.lower():
                return code
    if is_plain_number(label) and all(map(is_plain_number, mapping)):
        for known, code in mapping.items():
            if float(known) == float(label):
                return code
    return None


def _label_codes(column: _ColumnCells, mapping: Dict[str, int], source: str, target: str) -> Vector:
    """Each row's class code (as a float) by ``mapping``, from the target's levels; a label
    outside it is an error naming the line where it first appears."""
    codes = []
    for label, (line, _) in zip(column.levels, column.first_cells):  # in order of first appearance
        code = _code_of(label, mapping)
        if code is None:
            raise ValueError(f"{source}, line {line}, column {shown(target)}: label {shown(label)} is not one "
                             f"of the model's classes ({', '.join(map(shown, mapping))})")
        codes.append(float(code))
    return list(map(codes.__getitem__, column.codes or ()))


def _first_line(text: str) -> str:
    """The text up to the first line break: ``\\n``, ``\\r\\n`` or a lone ``\\r``."""
    ends = [i for i in (text.find("\n"), text.find("\r")) if i >= 0]
    return text[:min(ends)] if ends else text


def _chosen_delimiter(text: str, delimiter: Optional[str], source: str) -> Tuple[str, List[str]]:
    """``delimiter``, or the one detected from the header line (with a note if not a comma)."""
    if delimiter is not None:
        if not isinstance(delimiter, str) or len(delimiter) != 1:
            raise ValueError(f"delimiter must be one character, got {delimiter!r}")
        return delimiter, []
    detected = detect_delimiter(_first_line(text.lstrip("\ufeff")))
    note = f"{source}: delimiter {detected!r} detected from the header (--delimiter sets it)"
    return detected, [note] if detected != "," else []


def parse_csv_text(text: str, target: Optional[str], *, source: str = "<text>", delimiter: Optional[str] = ",",
                   features: Optional[Sequence[str]] = None, ignore: Sequence[str] = (),
                   columns: Optional[Sequence[Column]] = None, drop_missing: bool = False,
                   description: str = "", label_mapping: Optional[Dict[str, int]] = None,
                   multiclass: bool = False, decimal_comma: bool = False) -> Dataset:
    """Parse CSV ``text`` (header row first) into a ``Dataset``.

    ``target`` names the label column (``None``: no labels, for prediction).
    ``features`` picks the feature columns by name and order (default: every other
    column), less those in ``ignore``. Text columns become indicators and flag
    columns 0/1 (chapter 29); ``columns`` (as saved with a model) fixes those rules
    instead of inferring them. ``delimiter=None`` detects it from the header.
    ``drop_missing`` drops rows with a missing value instead of refusing them.
    ``label_mapping`` fixes the label coding (as saved with a model);
    ``multiclass`` accepts more than two classes. ``decimal_comma`` reads feature
    cells such as ``0,5`` as numbers (and refuses ``1.500``, ambiguous there); without
    it a column of them is refused, never made a category.

    The text is read row by row, as ``load_csv`` reads a file (chapter 30's reader):
    the features come back as a ``ColumnTable``, one ``array('d')`` per feature, which
    reads as a list of rows.

    >>> data = parse_csv_text("hours,color,passed\\n1.5,red,no\\n3,blue,yes\\n", "passed")
    >>> list(data.X), data.y, data.feature_names, data.label_mapping
    ([[1.5, 1.0], [3.0, 0.0]], [0.0, 1.0], ['hours', 'color=red'], {'no': 0, 'yes': 1})
    """
    if text.startswith("\ufeff"):
        text = text[1:]
    # newline="": lines end at "\n", "\r\n" or a lone "\r" (old Mac files), as the csv
    # module asks, and a line break inside a quoted cell stays in the cell.
    return _parse_lines(io.StringIO(text, newline=""), target, source=source, delimiter=delimiter,
                        features=features, ignore=ignore, columns=columns, drop_missing=drop_missing,
                        description=description, label_mapping=label_mapping, multiclass=multiclass,
                        decimal_comma=decimal_comma)


def _parse_lines(lines: Iterator[str], target: Optional[str], *, source: str, delimiter: Optional[str],
                 features: Optional[Sequence[str]] = None, ignore: Sequence[str] = (),
                 columns: Optional[Sequence[Column]] = None, drop_missing: bool = False, description: str = "",
                 label_mapping: Optional[Dict[str, int]] = None, multiclass: bool = False,
                 decimal_comma: bool = False) -> Dataset:
    """``parse_csv_text`` on lines as they are read (a file, or a text's lines): the header
    line first, for the delimiter, then the table row by row."""
    first = next(lines, "")
    delimiter, notes = _chosen_delimiter(first, delimiter, source)
    chosen = [column.name for column in columns] if columns is not None else _names_option(features, "features")
    left_out = _names_option(ignore, "ignore") or []
    used: List[str] = []

    def start(header: List[str]) -> _TableReader:
        names, positions = _used_columns(header, target, chosen, left_out, source)
        used.extend(names)
        return _TableReader(names, positions, target, columns, decimal_comma)

    table = _read_csv(chain([first], lines), source, delimiter, start)
    dropped = table.refuse_or_note_missing(drop_missing, source)
    _refuse_points(table.cells[len(table.cells) - len(used):], source)
    X, rules, column_notes = _encode(table, used, columns, source)
    y, label_mapping = _labels(table, target, label_mapping, source, multiclass)
    return Dataset(X, y, [name for rule in rules for name in rule.feature_names], target or "", description,
                   label_mapping, tuple(rules), tuple(notes + dropped + column_notes))


def _names_option(names: Optional[Sequence[Any]], option: str) -> Optional[List[str]]:
    """``features`` or ``ignore`` as a list of column names (strings), checked."""
    if names is None:
        return None
    if isinstance(names, str) or not all(isinstance(name, str) for name in names):
        raise TypeError(f"{option} must be a list of column names (strings), got {shown(names)}")
    return list(names)


def _labels(table: _TableReader, target: Optional[str], mapping: Optional[Dict[str, int]], source: str,
            multiclass: bool = False) -> Tuple[Vector, Dict[str, int]]:
    """The target's class codes and the mapping used (inferred unless given), from its
    levels in order of first appearance (what the rules read of every label)."""
    if target is None:
        return [], dict(mapping or {})
    column = table.cells[0]
    if mapping is None:
        mapping = _label_mapping(list(column.levels), source, target, multiclass)
    return _label_codes(column, mapping, source, target), dict(mapping)


def _read_text(path: str) -> str:
    try:
        with open(path, encoding="utf-8-sig", newline="") as handle:
            return handle.read()
    except UnicodeDecodeError as error:
        raise ValueError(f"{path} is not UTF-8 text ({error.reason} at byte {error.start}); "
                         f"save it as UTF-8") from None
    except OSError as error:
        raise ValueError(f"cannot read {path}: {error.strerror or error}") from None


def load_csv(path: str, target: Optional[str], *, delimiter: Optional[str] = ",", **options: Any) -> Dataset:
    """Read the CSV file at ``path``; see ``parse_csv_text`` for the arguments.

    The file is read row by row, never whole: each used cell goes into its column's
    typed array as it is read (``_ColumnCells``), so the memory a fit needs grows with
    8 bytes a number, not with the file's text and a Python float per cell.

    Raises ``ValueError`` naming the file, line and column for bad contents, and for
    a file that cannot be read.
    """
    try:
        with open(path, encoding="utf-8-sig", newline="") as handle:
            return _parse_lines(handle, target, source=str(path), delimiter=delimiter, **options)
    except UnicodeDecodeError:
        raise ValueError(_not_utf8(path)) from None
    except OSError as error:
        raise ValueError(f"cannot read {path}: {error.strerror or error}") from None


def _not_utf8(path: str) -> str:
    """The message for a file that is not UTF-8, naming the first bad byte of the whole
    file (a decoder reading in chunks counts from its chunk), read again to find it."""
    try:
        with open(path, "rb") as handle:
            handle.read().decode("utf-8-sig")
    except UnicodeDecodeError as error:
        return f"{path} is not UTF-8 text ({error.reason} at byte {error.start}); save it as UTF-8"
    return f"{path} is not UTF-8 text; save it as UTF-8"


# -------------------------------------------------------------- model files

class ModelFile(NamedTuple):
    """A model with everything needed to use it on raw data of the original table."""

    model: Model  # LogisticRegression (version 1) or SoftmaxRegression (version 2)
    feature_names: List[str]
    target_name: str
    label_mapping: Dict[str, int]
    standardizer: Optional[Standardizer]
    columns: Tuple[Column, ...] = ()  # the file's columns and their rules (chapter 29)

    def prepare(self, X: Any) -> Any:
        """Apply the saved standardization (if any) to raw rows (or a DataFrame: its
        columns are checked against the model's first)."""
        if self.standardizer is None:
            return X  # the model checks it
        check_columns(X, self.feature_names)
        return self.standardizer.transform(X)

    def decision_function(self, X: Sequence[Sequence[float]]) -> Vector:
        return self.model.decision_function(self.prepare(X))

    def predict_proba(self, X: Sequence[Sequence[float]]) -> List[Vector]:
        return self.model.predict_proba(self.prepare(X))

    def probability(self, X: Sequence[Sequence[float]]) -> Vector:
        return self.model.probability(self.prepare(X))

    def predict(self, X: Sequence[Sequence[float]], threshold: float = 0.5) -> List[Any]:
        if isinstance(self.model, SoftmaxRegression):
            return self.model.predict(self.prepare(X))
        return self.model.predict(self.prepare(X), threshold)

    @property
    def multiclass(self) -> bool:
        """Is the model a ``SoftmaxRegression`` (a version-2 file)?"""
        return isinstance(self.model, SoftmaxRegression)

    def class_labels(self) -> List[str]:
        """The label of every class as written in the data, in the model's order
        (binary: class 0, then class 1)."""
        count = len(self.model.classes_) if isinstance(self.model, SoftmaxRegression) else 2
        return [self.label_of(k) for k in range(count)]

    def label_of(self, code: int) -> str:
        """The original label for a 0/1 prediction."""
        for label, value in self.label_mapping.items():
            if value == code:
                return label
        return str(code)


def save_model(path: str, model: Model, *, feature_names: Optional[Sequence[str]] = None,
               target_name: str = "y", label_mapping: Optional[Dict[str, int]] = None,
               standardizer: Optional[Standardizer] = None, columns: Optional[Sequence[Column]] = None) -> None:
    """Write a fitted model (and its standardization) to ``path`` as JSON.

    A ``SoftmaxRegression`` is written as version 2; its ``label_mapping`` maps each
    label as written in the data to its class's position in ``classes_`` (default:
    ``str(class)`` for each class). ``columns`` (from ``Dataset.columns``) records how
    the file's columns became the features (categories, flags), so that ``predict``
    encodes new files the same way.

    The document is checked by ``load_model``'s own checks before the file is
    touched, so a file that ``load_model`` would refuse is never written; the file is
    then written whole or not at all (chapter 28). Raises ``ValueError`` naming the
    field, and saying that nothing was written.
    """
    if not hasattr(model, "coef_"):
        raise ValueError("save_model needs a fitted model: call fit(X, y) first")
    document = _model_document(model, feature_names, target_name, label_mapping, standardizer)
    if columns is not None and any(column.kind != "number" for column in columns):
        document["columns"] = [column.to_json() for column in columns]
    try:
        text = json.dumps(document, indent=2, allow_nan=False)
        model_from_document(_decode_json(text, "the model"), source="the model")
    except (TypeError, ValueError, OverflowError) as error:
        raise ValueError(f"save_model: {error}; nothing was written to {path}") from None
    write_text(path, text + "\n")


def _model_document(model: Model, feature_names: Optional[Sequence[str]], target_name: Any,
                    label_mapping: Optional[Dict[str, int]], standardizer: Optional[Standardizer]) -> Dict[str, Any]:
    """The JSON document of a model file, as plain data."""
    state = model.fitted_state()
    model_names = state.pop("feature_names")
    names = list(feature_names) if feature_names is not None else model_names
    _require(len(names) == model.n_features_in_, "feature_names",
             f"has {len(names)} names for {model.n_features_in_} features")
    if isinstance(model, SoftmaxRegression):
        header = _softmax_header(state, label_mapping)
    else:
        header = {"version": VERSION,
                  "label_mapping": dict(label_mapping or {str(c): k for k, c in enumerate(model.classes_)})}
    return {
        "format": FORMAT,
        "version": header.pop("version"),
        "feature_names": names,
        "target_name": target_name,
        **header,
        "coef": state.pop("coef"),
        "intercept": state.pop("intercept"),
        "standardizer": None if standardizer is None else {
            "mean": list(standardizer.mean_), "scale": list(standardizer.scale_)},
        "options": model.saved_params(),
        "fit": state,
    }


def _softmax_header(state: Dict[str, Any], label_mapping: Optional[Dict[str, int]]) -> Dict[str, Any]:
    """The fields a version-2 file adds: the model's kind, its classes and their labels."""
    classes = state.pop("classes")
    if not all(isinstance(c, (str, int, float)) for c in classes):
        raise ValueError("save_model can store classes that are strings or numbers only; "
                         "relabel the classes before fitting")
    mapping = dict(label_mapping) if label_mapping is not None else {str(c): k for k, c in enumerate(classes)}
    _require(sorted(mapping.values()) == list(range(len(classes))), "label_mapping",
             f"must map {len(classes)} labels to the class positions 0 to {len(classes) - 1}")
    return {"version": SOFTMAX_VERSION, "model": "SoftmaxRegression", "classes": classes,
            "label_mapping": mapping}


def _require(condition: bool, field: str, problem: str) -> None:
    if not condition:
        raise ValueError(f"field {field!r} {problem}")


def _check_format(document: Any) -> None:
    _require(isinstance(document, dict), "(top level)", "must be a JSON object")
    _require(document.get("format") == FORMAT, "format", f"must be {FORMAT!r}: not a logreg_pure model file")
    version = document.get("version")
    _require(version in (VERSION, SOFTMAX_VERSION) and not isinstance(version, bool), "version",
             f"is {shown(version)}; this logreg_pure reads versions {VERSION} and {SOFTMAX_VERSION}")
    if version == SOFTMAX_VERSION:
        _require(document.get("model") == "SoftmaxRegression", "model",
                 "must be 'SoftmaxRegression' in a version-2 file")


def _label_mapping_field(document: Dict[str, Any], n_classes: int = 2) -> Dict[str, int]:
    mapping = document.get("label_mapping")
    _require(isinstance(mapping, dict) and sorted(mapping.values()) == list(range(n_classes))
             and all(isinstance(v, int) and not isinstance(v, bool) for v in mapping.values()),
             "label_mapping", "must map two labels to 0 and 1" if n_classes == 2 else
             f"must map {n_classes} labels to the class positions 0 to {n_classes - 1}")
    return dict(mapping)


def _options_field(document: Dict[str, Any]) -> Dict[str, Any]:
    options = dict(check_field(document, "options", dict))
    if isinstance(options.get("class_weight"), dict):  # JSON object keys are strings
        weights = options["class_weight"]
        _require(set(weights) <= {"0", "1"}, "options.class_weight", "must have keys '0' and/or '1'")
        options["class_weight"] = {int(k): v for k, v in weights.items()}
    return options


def _fitted_model(document: Dict[str, Any]) -> Model:
    """The model, built by its own constructor from the options and the fitted state."""
    if document.get("version") == SOFTMAX_VERSION:
        return _fitted_softmax(document)
    names = document.get("feature_names")
    _require(isinstance(names, list) and len(names) > 0 and all(isinstance(n, str) for n in names),
             "feature_names", "must be a non-empty list of strings")
    options = _options_field(document)
    try:
        LogisticRegression(**options).check_params()
    except (TypeError, ValueError) as error:
        raise ValueError(f"field 'options' is invalid: {error}") from None
    fit = dict(check_field(document, "fit", dict))
    # Files written before sample_weight_used was saved: class weights are the one kind we can see.
    fit.setdefault("sample_weight_used", options.get("class_weight") is not None)
    state = dict(fit, feature_names=names, coef=document.get("coef"), intercept=document.get("intercept"))
    return LogisticRegression.from_fitted_state(options, state)


def _fitted_softmax(document: Dict[str, Any]) -> SoftmaxRegression:
    """A version-2 file's ``SoftmaxRegression``; its class weights, saved by class position,
    are keyed by the file's classes again."""
    options = dict(check_field(document, "options", dict))
    classes = document.get("classes")
    if isinstance(options.get("class_weight"), dict) and isinstance(classes, list):
        weights = options["class_weight"]
        positions = [str(k) for k in range(len(classes))]
        _require(set(weights) <= set(positions), "options.class_weight",
                 f"must be keyed by class positions 0 to {len(classes) - 1}")
        options["class_weight"] = {classes[int(k)]: v for k, v in weights.items()}
    try:
        SoftmaxRegression(**options).check_params()
    except (TypeError, ValueError) as error:
        raise ValueError(f"field 'options' is invalid: {error}") from None
    fields = ("classes", "feature_names", "coef", "intercept")
    state = dict(check_field(document, "fit", dict), **{name: document.get(name) for name in fields})
    return SoftmaxRegression.from_fitted_state(options, state)


def _standardizer_field(document: Dict[str, Any], d: int) -> Optional[Standardizer]:
    block = document.get("standardizer")
    if block is None:
        return None
    _require(isinstance(block, dict), "standardizer", "must be an object or null")
    mean, scale = check_field_numbers(block, "mean", d), check_field_numbers(block, "scale", d)
    return Standardizer.from_parameters(mean, scale)


def _columns_field(document: Dict[str, Any], feature_names: List[str]) -> Tuple[Column, ...]:
    """The file's column rules (optional: without them every feature is a number column)."""
    if "columns" not in document:
        return tuple(Column(name) for name in feature_names)
    values = check_field(document, "columns", list)
    columns = tuple(Column.from_json(value, f"columns[{i}]") for i, value in enumerate(values))
    names = [column.name for column in columns]
    _require(len(set(names)) == len(names), "columns", "names a column twice")
    _require([n for column in columns for n in column.feature_names] == feature_names, "columns",
             "does not give the model's feature names")
    return columns


def model_from_document(document: Any, source: str = "model") -> ModelFile:
    """Check a decoded model document field by field and build the ``ModelFile``.

    Raises ``ValueError`` naming ``source`` and the field that is wrong.
    """
    try:
        _check_format(document)
        model = _fitted_model(document)
        target = check_field(document, "target_name", str)
        standardizer = _standardizer_field(document, model.n_features_in_)
        n_classes = len(model.classes_) if isinstance(model, SoftmaxRegression) else 2
        return ModelFile(model, list(model.feature_names_in_), target, _label_mapping_field(document, n_classes),
                         standardizer, _columns_field(document, list(model.feature_names_in_)))
    except (TypeError, ValueError) as error:
        raise ValueError(f"{source}: {error}") from None


class _Refused:
    """A JSON value no model field can hold, kept by the decoder only to be named:
    an integer of hundreds of digits, ``Infinity``, ``NaN``, or ``1e400`` (beyond
    the float range). Building them would cost time (a million-digit integer) or
    turn into inf and NaN."""

    def __init__(self, description: str) -> None:
        self.description = description


_MAX_DIGITS = 309  # a float's range ends near 1.8e308: a longer integer fits no field


def _parse_int(text: str) -> Any:
    digits = len(text.lstrip("-"))
    return int(text) if digits <= _MAX_DIGITS else _Refused(f"an integer of {digits} digits")


def _parse_float(text: str) -> Any:
    value = float(text)
    return value if math.isfinite(value) else _Refused(f"{shown(text, quoted=False)} (beyond the float range)")


_MAX_DEPTH = 32  # a model file nests three levels; Python's decoder fails near 1,000 on some versions
# A JSON string, written so that each character is tried once (no backtracking, so
# linear time even on hostile text); an unterminated one runs to the end.
_JSON_STRING = re.compile(r'"[^"\\]*(?:\\.[^"\\]*)*"?', re.DOTALL)


def _nested_too_deeply(text: str) -> bool:
    """Do the brackets outside strings nest deeper than ``_MAX_DEPTH``? Decided before
    decoding: Python's decoder recurses once per level, and where the stack is small
    (Pyodide's WebAssembly) 100,000 levels crashed the interpreter before Python
    could raise ``RecursionError``.

    >>> _nested_too_deeply('{"a": [1, 2], "b": "[[[["}'), _nested_too_deeply("[" * 40)
    (False, True)
    >>> _nested_too_deeply('{"b": "\\\\\\"' + "[" * 40 + '"}')  # brackets inside a string that holds an escaped quote
    False
    """
    depth = 0
    for bracket in re.finditer(r"[\[\]{}]", _JSON_STRING.sub('""', text)):
        depth += 1 if bracket.group() in "[{" else -1
        if depth > _MAX_DEPTH:
            return True
    return False


def _refused_field(document: Any) -> Optional[Tuple[str, _Refused]]:
    """The first refused value in the document and its field's path (``fit.n_iter``);
    a document nested deeper than ``_MAX_DEPTH`` is refused as a whole."""
    stack: List[Tuple[str, Any, int]] = [("", document, 0)]
    while stack:
        path, value, depth = stack.pop()
        if isinstance(value, _Refused):
            return path or "(top level)", value
        if depth > _MAX_DEPTH:
            raise RecursionError
        children = value.items() if isinstance(value, dict) else enumerate(value) if isinstance(value, list) else ()
        for key, child in children:
            field = f"{path}[{key}]" if isinstance(key, int) else f"{path}.{key}".lstrip(".")
            stack.append((field, child, depth + 1))
    return None


def _decode_json(text: str, source: str) -> Any:
    """``json.loads`` with one ``ValueError`` naming ``source`` (and the field) for
    anything a model file cannot hold: bad syntax, nesting deeper than ``_MAX_DEPTH``
    (refused before decoding), huge integers, non-finite numbers."""
    try:
        if _nested_too_deeply(text):
            raise RecursionError
        document = json.loads(text, parse_int=_parse_int, parse_float=_parse_float,
                              parse_constant=lambda name: _Refused(name))
        refused = _refused_field(document)
    except json.JSONDecodeError as error:
        raise ValueError(f"{source} is not valid JSON (line {error.lineno}, column {error.colno}: "
                         f"{error.msg})") from None
    except RecursionError:
        raise ValueError(f"{source}: the JSON is nested too deeply to be a model file "
                         f"(a model file nests three levels)") from None
    if refused is not None:
        raise ValueError(f"{source}: field {refused[0]!r} holds {refused[1].description}, "
                         f"which no model field can hold")
    return document


def load_model(path: str) -> ModelFile:
    """Read and check a model file written by ``save_model``.

    Raises ``ValueError`` naming the file and the field for anything malformed.
    """
    return model_from_document(_decode_json(_read_text(path), str(path)), source=str(path))


# ---------------------------------------------------------- predictions out

_FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def spreadsheet_safe(cell: str) -> str:
    """``cell``, with a leading apostrophe if a spreadsheet would run it as a formula.

    A cell that starts with ``=``, ``+``, ``-``, ``@``, a tab or a carriage return and
    is not a number is a formula to Excel, LibreOffice and Google Sheets (CSV
    injection); the apostrophe makes them show it as text. Numbers are left alone.

    >>> spreadsheet_safe("=HYPERLINK(1)"), spreadsheet_safe("-1.5"), spreadsheet_safe("yes")
    ("'=HYPERLINK(1)", '-1.5', 'yes')
    """
    if cell.startswith(_FORMULA_STARTS) and not is_plain_number(cell):
        return "'" + cell
    return cell


def csv_text(rows: Iterable[Sequence[Any]]) -> str:
    """Rows as CSV text: quoted where needed (a comma, a quote, a line break), every
    cell made ``spreadsheet_safe``, lines ending in ``\\n``.

    >>> print(csv_text([["prediction"], ["a,b"], ["@SUM(1+1)"]]), end="")
    prediction
    "a,b"
    '@SUM(1+1)
    """
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    for row in rows:
        writer.writerow([spreadsheet_safe(str(cell)) for cell in row])
    return buffer.getvalue()
