"""Chapter 13. Files: CSV tables in, JSON model files out and back.

**CSV.** ``load_csv(path, target="passed")`` reads a table with a header row: the
feature columns must hold numbers, and the target must hold exactly two distinct
values. The two values are mapped to 0 and 1 by a stated rule, and the mapping is
returned so that it can be reported and saved:

- numbers: the smaller is 0 (so 0/1 stays 0/1, and -1/1 becomes 0/1);
- ``false``/``true`` and ``no``/``yes`` (any case): false and no are 0;
- any other two labels: alphabetical order, the first is 0.

With ``multiclass=True`` a target with more than two values is accepted too (for
``SoftmaxRegression``, chapter 9b): its K values are coded 0..K-1, numbers in
numeric order and anything else alphabetically (``class_mapping``); a two-valued
target keeps the rule above.

Every problem is a ``ValueError`` naming the file, the line (the header is line 1)
and the column: a cell that is not a number, a missing value, a ragged row, an
unknown column, a target with one class or more than two, an empty file. A UTF-8
byte-order mark and blank lines at the end are accepted.

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
from typing import Any, Dict, List, NamedTuple, Optional, Sequence, Tuple, Union

from .checks import check_columns, check_field, check_field_numbers
from .features import Standardizer
from .model import LogisticRegression
from .multinomial import SoftmaxRegression
from .vectors import Matrix, Vector

__all__ = [
    "Dataset",
    "FORMAT",
    "MISSING",
    "ModelFile",
    "SOFTMAX_VERSION",
    "VERSION",
    "class_mapping",
    "load_csv",
    "load_model",
    "parse_csv_text",
    "save_model",
]

# Spellings of "no value here" that spreadsheets and R write; reported as missing.
MISSING = frozenset({"", "na", "nan", "n/a", "null", "none", "?", "-"})
_NAMED_PAIRS = ({"false": 0, "true": 1}, {"no": 0, "yes": 1})
FORMAT = "logreg_pure.model"
VERSION = 1  # a LogisticRegression
SOFTMAX_VERSION = 2  # a SoftmaxRegression: classes, and coefficients per class
Model = Union[LogisticRegression, SoftmaxRegression]


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

    def classes(self) -> List[str]:
        """The target's labels in the order of their codes (0, 1, ...)."""
        return sorted(self.label_mapping, key=self.label_mapping.__getitem__)

    def labels(self) -> List[str]:
        """Each row's label as written in the file (``y`` holds their codes)."""
        names = self.classes()
        return [names[int(code)] for code in self.y]


# --------------------------------------------------------------------- CSV

def class_mapping(values: Sequence[str]) -> Dict[str, int]:
    """Codes 0..K-1 for the distinct ``values``: numbers in numeric order, else alphabetical.

    >>> class_mapping(["10", "9", "10", "2"]), class_mapping(["b", "c", "a"])
    ({'2': 0, '9': 1, '10': 2}, {'a': 0, 'b': 1, 'c': 2})
    """
    distinct = sorted(set(values))
    try:
        distinct.sort(key=float)
    except ValueError:
        pass
    return {label: k for k, label in enumerate(distinct)}


def _label_mapping(values: Sequence[str], source: str, target: str, multiclass: bool = False) -> Dict[str, int]:
    distinct = sorted(set(values))
    if multiclass and len(distinct) > 2:
        return class_mapping(distinct)
    if len(distinct) != 2:
        raise ValueError(_class_count_message(distinct, source, target, multiclass))
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


def _class_count_message(distinct: Sequence[str], source: str, target: str, multiclass: bool) -> str:
    found = ", ".join(repr(v) for v in distinct[:5]) + (" ..." if len(distinct) > 5 else "")
    what = "only one value" if len(distinct) == 1 else f"{len(distinct)} distinct values"
    need = "at least two classes" if multiclass else "exactly two classes"
    return f"{source}: target column {target!r} has {what} ({found}); logistic regression needs {need}"


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


def _feature_columns(header: List[str], target: Optional[str], features: Optional[Sequence[str]],
                     source: str) -> List[str]:
    """The feature columns' names: ``features`` if given (each must exist), else every
    column but the target."""
    if target is not None and target not in header:
        raise ValueError(f"{source}: no target column {target!r}; the columns are {', '.join(header)}")
    if features is None:
        names = [name for name in header if name != target]
    else:
        names = list(features)
        missing = [name for name in names if name not in header]
        if missing:
            raise ValueError(f"{source}: no column {missing[0]!r}, which the model needs; "
                             f"the columns are {', '.join(header)}")
    if not names:
        raise ValueError(f"{source}: only the target column {target!r}; at least one feature column is needed")
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
        raise ValueError(f"{source}, line {line}, column {target!r}: missing target value; "
                         f"drop the row or fill it in")
    return label


def _encode_labels(raw_labels: List[Tuple[int, str]], mapping: Dict[str, int], source: str,
                   target: str) -> Vector:
    """The labels as 0.0 and 1.0 by ``mapping``; a label outside it is an error naming the line."""
    y = []
    for line, label in raw_labels:
        if label not in mapping:
            raise ValueError(f"{source}, line {line}, column {target!r}: label {label!r} is not one "
                             f"of the model's classes ({', '.join(map(repr, mapping))})")
        y.append(float(mapping[label]))
    return y


def parse_csv_text(text: str, target: Optional[str], *, source: str = "<text>", delimiter: str = ",",
                   features: Optional[Sequence[str]] = None, description: str = "",
                   label_mapping: Optional[Dict[str, int]] = None, multiclass: bool = False) -> Dataset:
    """Parse CSV ``text`` (header row first) into a ``Dataset``.

    ``target`` names the label column (``None``: no labels, for prediction).
    ``features`` picks the feature columns by name and order (default: every other
    column). ``label_mapping`` fixes the label coding (as saved with a model)
    instead of inferring it; ``multiclass`` accepts more than two classes.

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
        label_mapping = _label_mapping([label for _, label in raw_labels], source, target, multiclass)
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
             label_mapping: Optional[Dict[str, int]] = None, multiclass: bool = False) -> Dataset:
    """Read the CSV file at ``path``; see ``parse_csv_text`` for the arguments.

    Raises ``ValueError`` naming the file, line and column for bad contents, and for
    a file that cannot be read.
    """
    if not isinstance(delimiter, str) or len(delimiter) != 1:
        raise ValueError(f"delimiter must be one character, got {delimiter!r}")
    return parse_csv_text(_read_text(path), target, source=str(path), delimiter=delimiter,
                          features=features, label_mapping=label_mapping, multiclass=multiclass)


# -------------------------------------------------------------- model files

class ModelFile(NamedTuple):
    """A model with everything needed to use it on raw data of the original table."""

    model: Model  # LogisticRegression (version 1) or SoftmaxRegression (version 2)
    feature_names: List[str]
    target_name: str
    label_mapping: Dict[str, int]
    standardizer: Optional[Standardizer]

    def prepare(self, X: Any) -> Any:
        """Apply the saved standardization (if any) to raw rows (or a DataFrame: its
        columns are checked against the model's first)."""
        if self.standardizer is None:
            return X  # the model checks it
        check_columns(X, self.feature_names)
        return self.standardizer.transform(X)

    def decision_function(self, X: Sequence[Sequence[float]]) -> Vector:
        return self.model.decision_function(self.prepare(X))

    def predict_proba(self, X: Sequence[Sequence[float]]) -> Vector:
        return self.model.predict_proba(self.prepare(X))

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
               standardizer: Optional[Standardizer] = None) -> None:
    """Write a fitted model (and its standardization) to ``path`` as JSON.

    A ``SoftmaxRegression`` is written as version 2; its ``label_mapping`` maps each
    label as written in the data to its class's position in ``classes_`` (default:
    ``str(class)`` for each class).
    """
    if not hasattr(model, "coef_"):
        raise ValueError("save_model needs a fitted model: call fit(X, y) first")
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
    document: Dict[str, Any] = {
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
    with open(path, "w", encoding="utf-8") as handle:
        json.dump(document, handle, indent=2, allow_nan=False)
        handle.write("\n")


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
             f"is {version!r}; this logreg_pure reads versions {VERSION} and {SOFTMAX_VERSION}")
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
        LogisticRegression(**options)
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
        SoftmaxRegression(**options)
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
        return ModelFile(model, list(model.feature_names_in_), target,
                         _label_mapping_field(document, n_classes), standardizer)
    except (TypeError, ValueError) as error:
        raise ValueError(f"{source}: {error}") from None


def load_model(path: str) -> ModelFile:
    """Read and check a model file written by ``save_model``.

    Raises ``ValueError`` naming the file and the field for anything malformed.
    """
    text = _read_text(path)
    try:
        document = json.loads(text)
    except json.JSONDecodeError as error:
        raise ValueError(f"{path} is not valid JSON (line {error.lineno}, column {error.colno}: "
                         f"{error.msg})") from None
    return model_from_document(document, source=str(path))
