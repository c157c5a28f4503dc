"""Chapter 13. Files: CSV tables in, JSON model files out and back.

**CSV.** ``load_csv(path, target="passed")`` reads a table with a header row: the
feature columns must hold numbers, and the target must hold exactly two distinct
values. The two values are mapped to 0 and 1 by a stated rule, and the mapping is
returned so that it can be reported and saved:

- numbers: the smaller is 0 (so 0/1 stays 0/1, and -1/1 becomes 0/1);
- ``false``/``true`` and ``no``/``yes`` (any case): false and no are 0;
- any other two labels: alphabetical order, the first is 0.

Every problem is a ``ValueError`` naming the file, the line (the header is line 1)
and the column: a cell that is not a number, a missing value, a ragged row, an
unknown column, a target with one class or more than two, an empty file. A UTF-8
byte-order mark and blank lines at the end are accepted.

**Model files.** ``save_model`` writes a fitted model as JSON: a format name and
version, the feature names, coefficients and intercept, the standardization
parameters (if the features were standardized), the training options and the label
mapping. ``load_model`` checks every field (types, lengths, finite numbers, a known
version) before it builds anything, and names the field that is wrong. JSON holds
data only; a model file can never run code (unlike ``pickle``, never used here).
"""

import csv
import io
import json
import math
import re
from typing import Any, Dict, Iterable, List, NamedTuple, Optional, Sequence, Tuple

from .checks import check_field, check_field_numbers, shown
from .features import Standardizer
from .model import LogisticRegression
from .outputs import write_text
from .vectors import Matrix, Vector

__all__ = [
    "Dataset",
    "FORMAT",
    "MISSING",
    "ModelFile",
    "VERSION",
    "csv_text",
    "is_plain_number",
    "load_csv",
    "load_model",
    "parse_csv_text",
    "save_model",
    "spreadsheet_safe",
]

# Spellings of "no value here" that spreadsheets and R write; reported as missing.
MISSING = frozenset({"", "na", "nan", "n/a", "null", "none", "?", "-"})
_NAMED_PAIRS = ({"false": 0, "true": 1}, {"no": 0, "yes": 1})
FORMAT = "logreg_pure.model"
VERSION = 1

# Plain decimal notation, ASCII only: what float() accepts, less its surprises
# (float("١٢") and float("１２") are 12.0, float("1_000") is 1000.0).
_NUMERAL = re.compile(r"[+-]?(?:[0-9]+\.?[0-9]*|\.[0-9]+)(?:[eE][+-]?[0-9]+)?")
_NON_FINITE = re.compile(r"[+-]?(?:inf|infinity|nan)", re.IGNORECASE)


def is_plain_number(text: str) -> bool:
    """Is ``text`` a number in plain decimal notation (ASCII digits, an optional sign,
    point and exponent)? Surrounding spaces are allowed.

    >>> [is_plain_number(t) for t in ["-1.5e3", " 42 ", ".5", "1_000", "\u0661\u0662", "0x1A", "inf"]]
    [True, True, True, False, False, False, False]
    """
    return _NUMERAL.fullmatch(text.strip()) is not None


class Dataset(NamedTuple):
    """A table ready for fitting: rows ``X``, 0/1 labels ``y`` and what they mean.

    Without a target column ``y`` is empty and ``target_name`` is ``""``.
    """

    X: Matrix
    y: Vector
    feature_names: List[str]
    target_name: str
    description: str
    label_mapping: Dict[str, int]


# --------------------------------------------------------------------- CSV

def _too_few_or_many(distinct: Sequence[str], count: int, source: str, target: str) -> None:
    if count != 2:
        found = ", ".join(shown(v) for v in distinct[:5]) + (" ..." if len(distinct) > 5 else "")
        what = "only one value" if count == 1 else f"{count} distinct values"
        same = " (equal as numbers)" if count == 1 and len(distinct) > 1 else ""
        raise ValueError(f"{source}: target column {shown(target)} has {what} ({found}){same}; "
                         f"logistic regression needs exactly two classes")


def _numeric_label_mapping(values: Sequence[str], source: str, target: str) -> Dict[str, int]:
    """Numbers equal as numbers are one class (``1``, ``1.0`` and ``01``); the smaller
    number is 0. Each class keeps the spelling seen first."""
    first_spelling: Dict[float, str] = {}
    for label in values:
        first_spelling.setdefault(float(label), label)
    _too_few_or_many(sorted(set(values)), len(first_spelling), source, target)
    low, high = sorted(first_spelling)
    return {first_spelling[low]: 0, first_spelling[high]: 1}


def _label_mapping(values: Sequence[str], source: str, target: str) -> Dict[str, int]:
    distinct = sorted(set(values))
    if all(map(is_plain_number, distinct)):
        return _numeric_label_mapping(values, source, target)
    _too_few_or_many(distinct, len(distinct), source, target)
    lowered = {v.lower(): v for v in distinct}
    for pair in _NAMED_PAIRS:
        if set(lowered) == set(pair):
            return {lowered[key]: code for key, code in pair.items()}
    return {distinct[0]: 0, distinct[1]: 1}


def _parse_number(text: str, source: str, line: int, column: str) -> float:
    cell = text.strip()
    where = f"{source}, line {line}, column {shown(column)}"
    if cell.lower() in MISSING:
        raise ValueError(f"{where}: missing value {shown(text)}; fill it in or drop the row")
    if _NON_FINITE.fullmatch(cell) or (is_plain_number(cell) and not math.isfinite(float(cell))):
        raise ValueError(f"{where}: {shown(text)} is not finite; replace infinite values first")
    if not is_plain_number(cell):
        raise ValueError(f"{where}: {shown(text)} is not a number; every feature column must be numeric, "
                         f"written in plain decimal notation (ASCII digits, '.' as the decimal point, "
                         f"no '_' or thousands separators)")
    return float(cell)


def _read_rows(text: str, source: str, delimiter: str) -> Tuple[List[str], List[List[str]]]:
    if text.startswith("\ufeff"):
        text = text[1:]
    try:
        rows = list(csv.reader(io.StringIO(text), delimiter=delimiter))
    except csv.Error as error:
        raise ValueError(f"{source}: not a readable CSV table ({error})") from None
    while rows and not any(cell.strip() for cell in rows[-1]):
        rows.pop()
    if not rows:
        raise ValueError(f"{source} is empty: expected a header row and at least one data row")
    if len(rows) < 2:
        raise ValueError(f"{source} has a header but no data rows")
    header = [name.strip() for name in rows[0]]
    return header, rows[1:]


def _columns_list(header: Sequence[str]) -> str:
    """The header's names, for a message: escaped, each shortened, at most 30 of them."""
    names = ", ".join(shown(name, 30, quoted=False) for name in header[:30])
    return names + (f" and {len(header) - 30} more" if len(header) > 30 else "")


def _check_used_column(header: Sequence[str], name: str, source: str) -> None:
    """A column the fit uses must have a name, and only one column may have it."""
    positions = [j + 1 for j, h in enumerate(header) if h == name]
    if name == "":
        raise ValueError(f"{source}: column {positions[0]} has no name in the header; it looks like a saved "
                         f"row index (pandas' to_csv writes one unless index=False). Leave it out "
                         f"(choose the feature columns by name) or drop it from the file")
    if len(positions) > 1:
        raise ValueError(f"{source}: the header names columns {positions[0]} and {positions[1]} both "
                         f"{shown(name)}; every column needs its own name: rename one")


def _feature_columns(header: List[str], target: Optional[str], features: Optional[Sequence[str]],
                     source: str) -> List[str]:
    """The feature columns' names: ``features`` if given (each must exist), else every
    column but the target. Every column used must have a name of its own."""
    if target is not None and target not in header:
        raise ValueError(f"{source}: no target column {shown(target)}; the columns are {_columns_list(header)}")
    if features is None:
        names = [name for name in header if name != target]
    else:
        names = list(features)
        missing = [name for name in names if name not in header]
        if missing:
            raise ValueError(f"{source}: no column {shown(missing[0])}, which the model needs; "
                             f"the columns are {_columns_list(header)}")
    if not names:
        raise ValueError(f"{source}: only the target column {shown(target)}; at least one feature column is needed")
    for name in names + ([target] if target is not None else []):
        _check_used_column(header, name, source)
    return names


def _parse_body(header: List[str], body: List[List[str]], feature_names: List[str],
                target: Optional[str], source: str) -> Tuple[Matrix, List[Tuple[int, str]]]:
    """The feature rows as numbers and the raw target labels with their line numbers."""
    positions = [header.index(name) for name in feature_names]
    t = header.index(target) if target is not None else None
    X: Matrix = []
    raw_labels: List[Tuple[int, str]] = []
    for line, row in enumerate(body, start=2):
        if len(row) != len(header):
            raise ValueError(f"{source}, line {line}: {len(row)} values, but the header has "
                             f"{len(header)} columns")
        if t is not None:
            raw_labels.append((line, _target_cell(row[t], source, line, header[t])))
        X.append([_parse_number(row[j], source, line, header[j]) for j in positions])
    return X, raw_labels


def _target_cell(text: str, source: str, line: int, target: str) -> str:
    label = text.strip()
    if label.lower() in MISSING:
        raise ValueError(f"{source}, line {line}, column {shown(target)}: missing target value; "
                         f"drop the row or fill it in")
    return label


def _code_of(label: str, mapping: Dict[str, int]) -> Optional[int]:
    """The class of ``label``: by spelling, or for numbers by value (``1.0`` is ``1``)."""
    if label in mapping:
        return mapping[label]
    if is_plain_number(label) and all(map(is_plain_number, mapping)):
        for known, code in mapping.items():
            if float(known) == float(label):
                return code
    return None


def _encode_labels(raw_labels: List[Tuple[int, str]], mapping: Dict[str, int], source: str,
                   target: str) -> Vector:
    """The labels as 0.0 and 1.0 by ``mapping``; a label outside it is an error naming the line."""
    y = []
    for line, label in raw_labels:
        code = _code_of(label, mapping)
        if code is None:
            raise ValueError(f"{source}, line {line}, column {shown(target)}: label {shown(label)} is not one "
                             f"of the model's classes ({', '.join(map(shown, mapping))})")
        y.append(float(code))
    return y


def parse_csv_text(text: str, target: Optional[str], *, source: str = "<text>", delimiter: str = ",",
                   features: Optional[Sequence[str]] = None, description: str = "",
                   label_mapping: Optional[Dict[str, int]] = None) -> Dataset:
    """Parse CSV ``text`` (header row first) into a ``Dataset``.

    ``target`` names the label column (``None``: no labels, for prediction).
    ``features`` picks the feature columns by name and order (default: every other
    column). ``label_mapping`` fixes the label coding (as saved with a model)
    instead of inferring it.

    >>> data = parse_csv_text("hours,passed\\n1.5,no\\n3,yes\\n", "passed")
    >>> data.X, data.y, data.label_mapping
    ([[1.5], [3.0]], [0.0, 1.0], {'no': 0, 'yes': 1})
    """
    header, body = _read_rows(text, source, delimiter)
    feature_names = _feature_columns(header, target, features, source)
    X, raw_labels = _parse_body(header, body, feature_names, target, source)
    if target is None:
        return Dataset(X, [], feature_names, "", description, dict(label_mapping or {}))
    if label_mapping is None:
        label_mapping = _label_mapping([label for _, label in raw_labels], source, target)
    y = _encode_labels(raw_labels, label_mapping, source, target)
    return Dataset(X, y, feature_names, target, description, dict(label_mapping))


def _read_text(path: str) -> str:
    try:
        with open(path, encoding="utf-8-sig", newline="") as handle:
            return handle.read()
    except UnicodeDecodeError as error:
        raise ValueError(f"{path} is not UTF-8 text ({error.reason} at byte {error.start}); "
                         f"save it as UTF-8") from None
    except OSError as error:
        raise ValueError(f"cannot read {path}: {error.strerror or error}") from None


def load_csv(path: str, target: Optional[str], *, delimiter: str = ",",
             features: Optional[Sequence[str]] = None,
             label_mapping: Optional[Dict[str, int]] = None) -> Dataset:
    """Read the CSV file at ``path``; see ``parse_csv_text`` for the arguments.

    Raises ``ValueError`` naming the file, line and column for bad contents, and for
    a file that cannot be read.
    """
    if not isinstance(delimiter, str) or len(delimiter) != 1:
        raise ValueError(f"delimiter must be one character, got {delimiter!r}")
    return parse_csv_text(_read_text(path), target, source=str(path), delimiter=delimiter,
                          features=features, label_mapping=label_mapping)


# -------------------------------------------------------------- model files

class ModelFile(NamedTuple):
    """A model with everything needed to use it on raw data of the original table."""

    model: LogisticRegression
    feature_names: List[str]
    target_name: str
    label_mapping: Dict[str, int]
    standardizer: Optional[Standardizer]

    def prepare(self, X: Sequence[Sequence[float]]) -> Matrix:
        """Apply the saved standardization (if any) to raw rows."""
        return self.standardizer.transform(X) if self.standardizer is not None else [list(r) for r in X]

    def decision_function(self, X: Sequence[Sequence[float]]) -> Vector:
        return self.model.decision_function(self.prepare(X))

    def predict_proba(self, X: Sequence[Sequence[float]]) -> Vector:
        return self.model.predict_proba(self.prepare(X))

    def predict(self, X: Sequence[Sequence[float]], threshold: float = 0.5) -> List[int]:
        return self.model.predict(self.prepare(X), threshold)

    def label_of(self, code: int) -> str:
        """The original label for a 0/1 prediction."""
        for label, value in self.label_mapping.items():
            if value == code:
                return label
        return str(code)


def save_model(path: str, model: LogisticRegression, *, feature_names: Optional[Sequence[str]] = None,
               target_name: str = "y", label_mapping: Optional[Dict[str, int]] = None,
               standardizer: Optional[Standardizer] = None) -> None:
    """Write a fitted model (and its standardization) to ``path`` as JSON.

    The document is checked by ``load_model``'s own checks before the file is
    touched, so a file that ``load_model`` would refuse is never written; the file is
    then written whole or not at all (chapter 12b). Raises ``ValueError`` naming the
    field, and saying that nothing was written.
    """
    if not hasattr(model, "coef_"):
        raise ValueError("save_model needs a fitted model: call fit(X, y) first")
    document = _model_document(model, feature_names, target_name, label_mapping, standardizer)
    try:
        text = json.dumps(document, indent=2, allow_nan=False)
        model_from_document(_decode_json(text, "the model"), source="the model")
    except (TypeError, ValueError, OverflowError) as error:
        raise ValueError(f"save_model: {error}; nothing was written to {path}") from None
    write_text(path, text + "\n")


def _model_document(model: LogisticRegression, feature_names: Optional[Sequence[str]], target_name: Any,
                    label_mapping: Optional[Dict[str, int]], standardizer: Optional[Standardizer]) -> Dict[str, Any]:
    """The JSON document of a model file, as plain data."""
    state = model.fitted_state()
    model_names = state.pop("feature_names")
    names = list(feature_names) if feature_names is not None else model_names
    _require(len(names) == len(model.coef_), "feature_names",
             f"has {len(names)} names for {len(model.coef_)} coefficients")
    return {
        "format": FORMAT,
        "version": VERSION,
        "feature_names": names,
        "target_name": target_name,
        "label_mapping": dict(label_mapping or {"0": 0, "1": 1}),
        "coef": state.pop("coef"),
        "intercept": state.pop("intercept"),
        "standardizer": None if standardizer is None else {
            "mean": list(standardizer.mean_), "scale": list(standardizer.scale_)},
        "options": model.get_params(),
        "fit": state,
    }


def _require(condition: bool, field: str, problem: str) -> None:
    if not condition:
        raise ValueError(f"field {field!r} {problem}")


def _check_format(document: Any) -> None:
    _require(isinstance(document, dict), "(top level)", "must be a JSON object")
    _require(document.get("format") == FORMAT, "format", f"must be {FORMAT!r}: not a logreg_pure model file")
    version = document.get("version")
    _require(version == VERSION, "version", f"is {shown(version)}; this logreg_pure reads version {VERSION}")


def _label_mapping_field(document: Dict[str, Any]) -> Dict[str, int]:
    mapping = document.get("label_mapping")
    _require(isinstance(mapping, dict) and sorted(mapping.values()) == [0, 1]
             and all(isinstance(v, int) and not isinstance(v, bool) for v in mapping.values()),
             "label_mapping", "must map two labels to 0 and 1")
    return dict(mapping)


def _options_field(document: Dict[str, Any]) -> Dict[str, Any]:
    options = dict(check_field(document, "options", dict))
    if isinstance(options.get("class_weight"), dict):  # JSON object keys are strings
        weights = options["class_weight"]
        _require(set(weights) <= {"0", "1"}, "options.class_weight", "must have keys '0' and/or '1'")
        options["class_weight"] = {int(k): v for k, v in weights.items()}
    return options


def _fitted_model(document: Dict[str, Any]) -> LogisticRegression:
    """The model, built by its own constructor from the options and the fitted state."""
    names = document.get("feature_names")
    _require(isinstance(names, list) and len(names) > 0 and all(isinstance(n, str) for n in names),
             "feature_names", "must be a non-empty list of strings")
    options = _options_field(document)
    try:
        LogisticRegression(**options)
    except (TypeError, ValueError) as error:
        raise ValueError(f"field 'options' is invalid: {error}") from None
    fit = dict(check_field(document, "fit", dict))
    # Files written before sample_weight_used was saved: class weights are the one kind we can see.
    fit.setdefault("sample_weight_used", options.get("class_weight") is not None)
    state = dict(fit, feature_names=names, coef=document.get("coef"), intercept=document.get("intercept"))
    return LogisticRegression.from_fitted_state(options, state)


def _standardizer_field(document: Dict[str, Any], d: int) -> Optional[Standardizer]:
    block = document.get("standardizer")
    if block is None:
        return None
    _require(isinstance(block, dict), "standardizer", "must be an object or null")
    mean, scale = check_field_numbers(block, "mean", d), check_field_numbers(block, "scale", d)
    return Standardizer.from_parameters(mean, scale)


def model_from_document(document: Any, source: str = "model") -> ModelFile:
    """Check a decoded model document field by field and build the ``ModelFile``.

    Raises ``ValueError`` naming ``source`` and the field that is wrong.
    """
    try:
        _check_format(document)
        model = _fitted_model(document)
        target = check_field(document, "target_name", str)
        standardizer = _standardizer_field(document, model.n_features_in_)
        return ModelFile(model, list(model.feature_names_in_), target, _label_mapping_field(document),
                         standardizer)
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


def _refused_field(document: Any) -> Optional[Tuple[str, _Refused]]:
    """The first refused value in the document and its field's path (``fit.n_iter``)."""
    stack: List[Tuple[str, Any]] = [("", document)]
    while stack:
        path, value = stack.pop()
        if isinstance(value, _Refused):
            return path or "(top level)", value
        children = value.items() if isinstance(value, dict) else enumerate(value) if isinstance(value, list) else ()
        for key, child in children:
            stack.append((f"{path}[{key}]" if isinstance(key, int) else f"{path}.{key}".lstrip("."), child))
    return None


def _decode_json(text: str, source: str) -> Any:
    """``json.loads`` with one ``ValueError`` naming ``source`` (and the field) for
    anything a model file cannot hold: bad syntax, nesting thousands deep (Python's
    decoder recurses and raises ``RecursionError``), huge integers, non-finite numbers."""
    try:
        document = json.loads(text, parse_int=_parse_int, parse_float=_parse_float,
                              parse_constant=lambda name: _Refused(name))
    except json.JSONDecodeError as error:
        raise ValueError(f"{source} is not valid JSON (line {error.lineno}, column {error.colno}: "
                         f"{error.msg})") from None
    except RecursionError:
        raise ValueError(f"{source}: the JSON is nested too deeply to be a model file "
                         f"(a model file nests three levels)") from None
    refused = _refused_field(document)
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
