"""Chapter 12. Files: reading a CSV table of features and a two-class target.

``load_csv(path, target="passed")`` reads a table with a header row: every column
except the target must hold numbers, and the target must hold exactly two distinct
values. The two values are mapped to 0 and 1 by a stated rule, and the mapping is
returned so that it can be reported and saved:

- numbers: the smaller is 0 (so 0/1 stays 0/1, and -1/1 becomes 0/1);
- ``false``/``true`` and ``no``/``yes`` (any case): false and no are 0;
- any other two labels: alphabetical order, the first is 0.

Every problem is a ``ValueError`` naming the file, the line (counting the header as
line 1) and the column: a cell that is not a number, a missing value, a ragged row,
an unknown target column, a target with one class or more than two, an empty file.
A UTF-8 byte-order mark and blank lines at the end are accepted.
"""

import csv
import io
import math
from typing import Dict, List, NamedTuple, Sequence, Tuple

from .vectors import Matrix, Vector

__all__ = ["Dataset", "MISSING", "load_csv", "parse_csv_text"]

# Spellings of "no value here" that spreadsheets and R write; reported as missing.
MISSING = frozenset({"", "na", "nan", "n/a", "null", "none", "?", "-"})
_NAMED_PAIRS = ({"false": 0, "true": 1}, {"no": 0, "yes": 1})


class Dataset(NamedTuple):
    """A table ready for fitting: rows ``X``, 0/1 labels ``y`` and what they mean."""

    X: Matrix
    y: Vector
    feature_names: List[str]
    target_name: str
    description: str
    label_mapping: Dict[str, int]


def _label_mapping(values: Sequence[str], source: str, target: str) -> Dict[str, int]:
    distinct = sorted(set(values))
    if len(distinct) != 2:
        found = ", ".join(repr(v) for v in distinct[:5]) + (" ..." if len(distinct) > 5 else "")
        what = "only one value" if len(distinct) == 1 else f"{len(distinct)} distinct values"
        raise ValueError(f"{source}: target column {target!r} has {what} ({found}); "
                         f"logistic regression needs exactly two classes")
    try:
        numbers = sorted(distinct, key=float)
        return {numbers[0]: 0, numbers[1]: 1}
    except ValueError:
        pass
    lowered = {v.lower(): v for v in distinct}
    for pair in _NAMED_PAIRS:
        if set(lowered) == set(pair):
            return {lowered[key]: code for key, code in pair.items()}
    return {distinct[0]: 0, distinct[1]: 1}


def _parse_number(text: str, source: str, line: int, column: str) -> float:
    cell = text.strip()
    if cell.lower() in MISSING:
        raise ValueError(f"{source}, line {line}, column {column!r}: missing value {text!r}; "
                         f"fill it in or drop the row")
    try:
        value = float(cell)
    except ValueError:
        raise ValueError(f"{source}, line {line}, column {column!r}: {text!r} is not a number; "
                         f"every feature column must be numeric") from None
    if not math.isfinite(value):
        raise ValueError(f"{source}, line {line}, column {column!r}: {text!r} is not finite; "
                         f"replace infinite values first")
    return value


def parse_csv_text(text: str, target: str, *, source: str = "<text>", delimiter: str = ",",
                   description: str = "") -> Dataset:
    """Parse CSV ``text`` (header row first) into a ``Dataset`` with target column ``target``.

    >>> data = parse_csv_text("hours,passed\\n1.5,no\\n3,yes\\n", "passed")
    >>> data.X, data.y, data.label_mapping
    ([[1.5], [3.0]], [0.0, 1.0], {'no': 0, 'yes': 1})
    """
    if text.startswith("\ufeff"):
        text = text[1:]
    rows = list(csv.reader(io.StringIO(text), delimiter=delimiter))
    while rows and not any(cell.strip() for cell in rows[-1]):
        rows.pop()
    if not rows:
        raise ValueError(f"{source} is empty: expected a header row and at least one data row")
    header = [name.strip() for name in rows[0]]
    if target not in header:
        raise ValueError(f"{source}: no target column {target!r}; the columns are "
                         f"{', '.join(header)}")
    if len(rows) < 2:
        raise ValueError(f"{source} has a header but no data rows")
    if len(header) < 2:
        raise ValueError(f"{source}: only the target column {target!r}; at least one feature column is needed")
    t = header.index(target)
    feature_names = [name for j, name in enumerate(header) if j != t]
    X: Matrix = []
    raw_labels: List[Tuple[int, str]] = []
    for line, row in enumerate(rows[1:], start=2):
        if len(row) != len(header):
            raise ValueError(f"{source}, line {line}: {len(row)} values, but the header has "
                             f"{len(header)} columns")
        label = row[t].strip()
        if label.lower() in MISSING:
            raise ValueError(f"{source}, line {line}, column {target!r}: missing target value; "
                             f"drop the row or fill it in")
        raw_labels.append((line, label))
        X.append([_parse_number(cell, source, line, header[j]) for j, cell in enumerate(row) if j != t])
    mapping = _label_mapping([label for _, label in raw_labels], source, target)
    y = [float(mapping[label]) for _, label in raw_labels]
    return Dataset(X, y, feature_names, target, description, mapping)


def load_csv(path: str, target: str, *, delimiter: str = ",") -> Dataset:
    """Read the CSV file at ``path``; ``target`` names the two-class column.

    Raises ``ValueError`` naming the file, line and column for bad contents, and
    ``OSError`` if the file cannot be read.
    """
    if len(delimiter) != 1:
        raise ValueError(f"delimiter must be one character, got {delimiter!r}")
    try:
        with open(path, encoding="utf-8-sig", newline="") as handle:
            text = handle.read()
    except UnicodeDecodeError as error:
        raise ValueError(f"{path} is not UTF-8 text ({error.reason} at byte {error.start}); "
                         f"save it as UTF-8 CSV") from None
    return parse_csv_text(text, target, source=str(path), delimiter=delimiter)
