"""Chapter 2. Checking the caller's data before any arithmetic: rows become lists of floats.

Bad input should fail loudly, at the door, with a message that names the row, the
column or the argument and says what to do. Checks here raise ``TypeError`` for the
wrong kind of thing (a string cell, a sparse matrix) and ``ValueError`` for a wrong
value (NaN, a complex number, a ragged row, a label that is not 0 or 1); a flat list
where rows were expected is both (``FlatDataError``: the wrong kind to this library,
the wrong shape to NumPy and scikit-learn). They never modify their input: each
returns fresh lists of floats, except that a ``ColumnTable`` (typed columns, checked
when made: the CSV reader's) passes ``check_matrix`` as it is, never copied into lists.

``assert`` is never used for this: ``python -O`` deletes asserts.

**Data from pandas and NumPy.** Nothing here imports them: an object is known by what
it offers (duck typing). A pandas DataFrame or Series offers ``to_numpy()``; a NumPy
array offers ``__array__`` and ``tolist()``, which gives nested lists of Python ints,
floats and bools holding exactly the array's numbers. ``plain_data`` does this once,
at the door, so every chapter after it sees lists. A DataFrame's ``columns`` give the
feature names when the caller gives none (``column_names``). A NumPy scalar loose in a
list (``np.float32(0.5)``, ``np.True_``) has an empty ``shape`` and an ``item()`` that
returns the Python number, and is then judged like that number.

**Labels.** ``check_labels`` takes the labels 0 and 1, the language of the loss, the
solvers and the metrics. ``check_classes`` takes any labels (strings or numbers),
sorts the distinct ones and gives each row its position in that order: the door of
the model, which (as in scikit-learn) calls the sorted labels ``classes_`` and the
second of two ``class 1``.
"""

import math
import numbers
from array import array
from collections.abc import Mapping
from typing import Any, Dict, Iterable, List, Optional, Sequence, Tuple

from .errors import FlatDataError
from .vectors import Matrix, Vector

__all__ = [
    "ColumnTable",
    "check_classes",
    "check_columns",
    "check_feature_names",
    "check_field",
    "check_field_numbers",
    "check_finite_number",
    "check_labels",
    "check_matrix",
    "check_positive_int",
    "check_probability_threshold",
    "check_same_length",
    "check_sample_weight",
    "check_vector",
    "column_names",
    "default_names",
    "escaped",
    "plain_data",
    "shown",
]

_SHOW = 5  # how many offending values a message lists


def _is_real(value: Any) -> bool:
    # bool is an int, and numbers.Real also admits fractions and NumPy's int and float
    # scalars; strings, None and complex numbers are rejected.
    return isinstance(value, numbers.Real)


def _python_scalar(value: Any) -> Any:
    """A NumPy scalar (an empty ``shape`` and an ``item()``) as the Python value it holds;
    anything else unchanged. ``np.True_`` becomes ``True``, ``np.float32(0.5)`` ``0.5``."""
    if getattr(value, "shape", None) == () and callable(getattr(value, "item", None)):
        return value.item()
    return value


def _to_float(value: Any, where: str) -> float:
    """``float(value)`` for a real number, with a ValueError naming ``where`` for an
    integer too large for a float (``float`` itself raises OverflowError)."""
    try:
        return float(value)
    except OverflowError:
        raise ValueError(f"{where} is too large for a float ({len(str(abs(int(value))))} digits); "
                         f"rescale it") from None


def _as_sequence(value: Any, name: str) -> Sequence[Any]:
    if isinstance(value, Mapping):
        raise TypeError(f"{name} must be a sequence with one value per row, not a {type(value).__name__}: "
                        f"a mapping's keys are not rows; pass list({name}.values()) if its values are meant")
    if isinstance(value, (str, bytes)) or not hasattr(value, "__len__") or not hasattr(value, "__getitem__"):
        raise TypeError(f"{name} must be a list (or tuple) of values, got {type(value).__name__}")
    return value


def plain_data(value: Any) -> Any:
    """``value`` as plain Python lists if it is a pandas or NumPy container; anything
    else is returned unchanged.

    An object with ``to_numpy()`` (a DataFrame, a Series) is asked for its array, and an
    array (``__array__`` and ``tolist()``) for its nested lists.

    >>> class Array(list):  # an array in miniature: what NumPy's offer
    ...     def __array__(self): ...
    ...     def tolist(self): return [list(row) for row in self]
    >>> plain_data(Array([(1, 2.5)]))
    [[1, 2.5]]
    """
    if type(value) is list or type(value) is tuple:
        return value
    _refuse_sparse(value)
    to_numpy = getattr(value, "to_numpy", None)
    if callable(to_numpy):
        value = to_numpy()
    if hasattr(value, "__array__") and not callable(getattr(value, "tolist", None)):
        value = value.__array__()  # an array-like that only converts (scikit-learn's _NotAnArray)
    if hasattr(value, "__array__") and callable(getattr(value, "tolist", None)):
        return value.tolist()
    return value


def _refuse_sparse(value: Any) -> None:
    """A SciPy sparse matrix or array (known by ``tocsr``) is refused: the chapters' rows are dense."""
    if callable(getattr(value, "tocsr", None)):
        raise TypeError(f"a sparse matrix ({type(value).__name__}) is not supported: this library "
                        f"works with dense rows; densify it first with .toarray()")


def column_names(X: Any) -> Optional[List[str]]:
    """The names of ``X``'s columns (a DataFrame's ``columns``) as strings, or ``None``
    for data without names (lists, arrays)."""
    columns = None if type(X) is list or type(X) is tuple else getattr(X, "columns", None)
    if columns is None or isinstance(columns, (str, bytes)) or not hasattr(columns, "__iter__"):
        return None
    return [str(c) for c in columns]


class ColumnTable:
    """A checked table of finite floats kept column-major, one ``array('d')`` per column.

    An ``array('d')`` holds 8 bytes a value, where a list of floats holds a 24-byte
    float object and an 8-byte reference per value: this is how the CSV reader
    (chapter 30) keeps a file's numbers, and how the appendix's fast problems read
    them without making rows of Python floats. To every other reader it is what
    ``check_matrix`` returns, a sequence of rows: ``table[i]`` is row i as a new list
    of floats, and a table equals the list of its rows.

    >>> table = ColumnTable([array("d", [1.0, 3.0]), array("d", [2.0, 4.0])])
    >>> len(table), table.n_features, table[1], table == [[1.0, 2.0], [3.0, 4.0]]
    (2, 2, [3.0, 4.0], True)

    A row is made when it is asked for, so writing into ``table[i]`` changes nothing:
    take ``[list(row) for row in table]`` for rows to change.

    Raises ``TypeError`` for something other than a list of ``array('d')`` columns and
    ``ValueError`` for no column or no row, columns of different lengths, or a NaN or
    infinite value (naming its row and column). The arrays stay the caller's, so
    ``check_matrix`` checks them again (``check``) whenever the table is used.
    """

    __hash__ = None  # type: ignore[assignment]  # equal to a list of rows, so not hashable

    def __init__(self, arrays: Sequence[Any]) -> None:
        try:
            self.arrays: List[Any] = list(arrays)
        except TypeError:
            raise TypeError(f"ColumnTable takes a list of columns, each an array('d'), not a "
                            f"{type(arrays).__name__}; make each with array.array('d', values)") from None
        self.check()

    def check(self) -> "ColumnTable":
        """The table, after checking what it holds now: columns of ``array('d')``, of one
        length, at least one row, every value finite (one ``sum`` in C per column)."""
        for j, column in enumerate(self.arrays):
            if not (isinstance(column, array) and column.typecode == "d"):
                raise TypeError(f"ColumnTable column {j} must be an array('d'), got {type(column).__name__}; "
                                f"make it with array.array('d', values)")
        if not self.arrays or len(self.arrays[0]) == 0:
            raise ValueError("a ColumnTable needs at least one column and one row")
        for j, column in enumerate(self.arrays):
            if len(column) != len(self.arrays[0]):
                raise ValueError(f"ColumnTable column {j} has {len(column)} values, column 0 has "
                                 f"{len(self.arrays[0])}; every column needs one value per row")
            if not math.isfinite(sum(column)):  # a NaN or an infinity makes the sum so (or an overflow)
                _refuse_non_finite_column(column, j)
        return self

    def __len__(self) -> int:
        return len(self.arrays[0])

    @property
    def n_features(self) -> int:
        return len(self.arrays)

    def __getitem__(self, i: Any) -> Any:
        if isinstance(i, slice):
            return [self[k] for k in range(*i.indices(len(self)))]
        return [column[i] for column in self.arrays]

    def __iter__(self) -> Any:
        return (list(row) for row in zip(*self.arrays))

    def __eq__(self, other: Any) -> bool:
        if isinstance(other, ColumnTable):
            return self.arrays == other.arrays
        return isinstance(other, (list, tuple)) and list(self) == list(other)

    def __repr__(self) -> str:
        return f"ColumnTable({len(self)} rows x {self.n_features} columns)"


def _refuse_non_finite_column(column: Any, j: int) -> None:
    for i, value in enumerate(column):
        if not math.isfinite(value):
            raise ValueError(f"ColumnTable row {i}, column {j} holds {value!r}; every value must be finite: "
                             f"replace or drop it first")


def _checked_table(X: ColumnTable, name: str, n_features: Optional[int], owner: str) -> Any:
    """A ``ColumnTable`` checked again (its arrays are the caller's) and of the width
    expected: returned as it is, not copied."""
    X.check()
    if n_features is not None and X.n_features != n_features:
        raise ValueError(_width_message(name, 0, X.n_features, n_features, True, owner))
    return X


def check_matrix(X: Any, name: str = "X", n_features: Optional[int] = None, *,
                 owner: str = "the model") -> Matrix:
    """Return ``X`` as a new list of rows of floats, after checking its shape and cells.

    ``X`` must be a non-empty sequence of equal-length, non-empty sequences of
    real numbers (int, float or bool), all finite; or a pandas DataFrame or NumPy
    array holding such a table (see ``plain_data``). If ``n_features`` is given, every
    row must have that many values (the column count seen at fit time by ``owner``, the
    name a message gives the model).

    >>> check_matrix([(1, 2), [True, 0.5]])
    [[1.0, 2.0], [1.0, 0.5]]

    Raises ``TypeError`` for a non-numeric cell or a sparse matrix, ``FlatDataError``
    (a ``TypeError`` and a ``ValueError``) for a flat list, and ``ValueError`` for an
    empty matrix, a ragged row, or a NaN, infinite or complex cell; the message names
    the row and column. The messages contain scikit-learn's phrases for the same
    faults ("X has 1 features, but ... is expecting 2 features as input", "0
    feature(s)"), which its estimator checks look for.
    A ``ColumnTable`` is checked again (its arrays are the caller's) and returned as it is, not copied.
    """
    if isinstance(X, ColumnTable):
        return _checked_table(X, name, n_features, owner)
    rows = _as_sequence(plain_data(X), name)
    if len(rows) == 0:
        raise ValueError(f"{name} is empty: it needs at least one row")
    columns = column_names(X)
    width = n_features
    result = []
    for i, row in enumerate(rows):
        if type(row) is not list and type(row) is not tuple:
            row = _as_row(row, name, i)
        if width is None:
            width = _first_width(row, name, len(rows))
        if len(row) != width:
            raise ValueError(_width_message(name, i, len(row), width, n_features is not None, owner))
        result.append(_check_row(row, name, i, columns))
    return result


def _width_message(name: str, i: int, length: int, width: int, fitted: bool, owner: str) -> str:
    """A ragged row, or a row whose width is not the fitted model's (in scikit-learn's words too)."""
    if not fitted:
        return f"{name} row {i} has {length} values, but row 0 has {width}; every row needs the same columns"
    return (f"{name} has {length} features, but {owner} is expecting {width} features as input: {name} row {i} "
            f"has {length} values, but the model was fit on {width}; every row needs the same columns")


def _as_row(row: Any, name: str, i: int) -> Sequence[Any]:
    """A row that is not a list or tuple: refused if it is a number, else made a sequence."""
    if _is_real(_python_scalar(row)):
        raise FlatDataError(
            f"{name} must be a list of rows, but row {i} is the number {row!r} (a 1-d array). "
            f"Reshape your data: for a single feature write [[v] for v in values] (NumPy: X.reshape(-1, 1); "
            f"pandas: df[['col']], not df['col']), for a single row [row] (NumPy: X.reshape(1, -1))"
        )
    return _as_sequence(plain_data(row), f"{name} row {i}")


def _first_width(row: Sequence[Any], name: str, n_rows: int) -> int:
    if len(row) == 0:
        raise ValueError(f"{name} row 0 is empty: 0 feature(s) (shape=({n_rows}, 0)) while a minimum of 1 is "
                         f"required; every row needs at least one feature")
    return len(row)


_PLAIN_NUMBERS = frozenset({float, int, bool})


def _plain_floats(values: Sequence[Any]) -> Optional[List[float]]:
    """``values`` as floats if each is a plain, finite int, float or bool, else ``None``.

    The common case is checked by built-ins in C: the set of the values' types, then
    float() and isfinite over them. Anything else (NumPy scalars, fractions, a bad
    cell, an int too large for a float) returns ``None``, for the value-by-value path,
    which also writes the message naming the place.
    """
    if not _PLAIN_NUMBERS.issuperset(map(type, values)):
        return None
    try:
        floats = list(map(float, values))
    except OverflowError:
        return None
    return floats if all(map(math.isfinite, floats)) else None


def _check_row(row: Sequence[Any], name: str, i: int, columns: Optional[List[str]] = None) -> List[float]:
    values = _plain_floats(row)
    if values is not None:
        return values
    return [_check_cell(v, name, i, j, columns) for j, v in enumerate(row)]


def _check_cell(value: Any, name: str, i: int, j: int, columns: Optional[List[str]] = None) -> float:
    where = f"{name} row {i}, column {j}" + (f" ({columns[j]!r})" if columns and j < len(columns) else "")
    value = _python_scalar(value)
    if not _is_real(value):
        _refuse_complex(value, where)
        raise TypeError(
            f"{where} is {shown(value)} ({type(value).__name__}); every cell must be a number: the argument "
            f"must be an int, float or bool, and a string is not a number: convert or drop it first"
        )
    x = _to_float(value, where)
    if not math.isfinite(x):
        raise ValueError(
            f"{where} is {x!r}; every cell must be finite: "
            f"remove or impute missing and infinite values first"
        )
    return x


def _refuse_complex(value: Any, where: str) -> None:
    """A complex number is a wrong value, not a wrong kind of thing: ``ValueError``, in
    scikit-learn's words ("Complex data not supported")."""
    if isinstance(value, numbers.Complex) and not isinstance(value, numbers.Real):
        raise ValueError(f"{where} is {value!r}. Complex data not supported: every value must be real "
                         f"(if the imaginary parts are all 0, pass the real parts, .real)")


def check_vector(v: Any, name: str, length: Optional[int] = None) -> Vector:
    """Return ``v`` as a new list of finite floats, checking its length if given.

    >>> check_vector((1, 2.5), "w")
    [1.0, 2.5]
    """
    values = _as_sequence(plain_data(v), name)
    if length is not None and len(values) != length:
        raise ValueError(f"{name} has {len(values)} values, expected {length}")
    floats = _plain_floats(values)
    if floats is not None:
        return floats
    return [_check_element(value, f"{name}[{i}]") for i, value in enumerate(values)]


def _check_element(value: Any, where: str) -> float:
    value = _python_scalar(value)
    if not _is_real(value):
        raise TypeError(f"{where} is {shown(value)} ({type(value).__name__}); it must be a number")
    x = _to_float(value, where)
    if not math.isfinite(x):
        raise ValueError(f"{where} is {x!r}; it must be finite")
    return x


def check_same_length(a: Sequence[Any], b: Sequence[Any], name_a: str, name_b: str) -> None:
    """Raise ``ValueError`` unless ``len(a) == len(b)``, naming both arguments."""
    if len(a) != len(b):
        raise ValueError(
            f"{name_a} and {name_b} must have the same length, got {len(a)} and {len(b)}"
        )


def _describe_values(values: Iterable[Any]) -> str:
    distinct = sorted({repr(v) for v in values})
    shown = ", ".join(distinct[:_SHOW])
    more = f" and {len(distinct) - _SHOW} more" if len(distinct) > _SHOW else ""
    return shown + more


def _zeros_and_ones(labels: Sequence[Any], name: str) -> Vector:
    """The labels as floats 0.0 and 1.0, or a ``ValueError`` naming every other value found."""
    if not _PLAIN_NUMBERS.issuperset(map(type, labels)):
        labels = [_python_scalar(value) for value in labels]
    bad = [value for value in labels if not (_is_real(value) and (value == 0 or value == 1))]
    if bad:
        raise ValueError(
            f"{name} must hold only the labels 0 and 1, but it also holds "
            f"{_describe_values(bad)}; recode the two classes as 0 and 1"
        )
    return [float(value) for value in labels]


def _label_sequence(y: Any, n_rows: Optional[int], name: str) -> Sequence[Any]:
    """``y`` as a non-empty sequence (pandas and NumPy accepted), ``n_rows`` long if given."""
    labels = _as_sequence(plain_data(y), name)
    if len(labels) == 0:
        raise ValueError(f"{name} is empty: it needs at least one label")
    if n_rows is not None and len(labels) != n_rows:
        raise ValueError(
            f"X has {n_rows} rows but {name} has {len(labels)} labels; they must match"
        )
    return labels


def check_labels(y: Any, n_rows: Optional[int] = None, name: str = "y",
                 require_both: bool = True) -> Vector:
    """Return the 0/1 labels ``y`` as a new list of floats 0.0 and 1.0.

    Accepts ints, bools and the floats 0.0 and 1.0 (NumPy's too, and a pandas Series
    or NumPy array of them). If ``n_rows`` is given, ``y`` must have that many labels
    (one per row of ``X``). With ``require_both`` (the default) both classes must be
    present: with one class there is nothing to learn.

    >>> check_labels([0, 1, True, 0.0])
    [0.0, 1.0, 1.0, 0.0]

    Raises ``ValueError`` naming the values found if any label is not 0 or 1.
    """
    result = _zeros_and_ones(_label_sequence(y, n_rows, name), name)
    if require_both and (min(result) == max(result)):
        raise ValueError(
            f"{name} holds only the class {int(result[0])}; fitting needs examples of both 0 and 1"
        )
    return result


_LABEL_TYPES = frozenset({str, int, bool, float})


def _plain_label(value: Any) -> bool:
    """A string, a whole number, or a finite float: a label as it stands."""
    return isinstance(value, (str, int)) or (isinstance(value, float) and math.isfinite(value))


def _check_label(value: Any, name: str, i: int) -> Any:
    """One label: a string or a finite number (a NumPy scalar becomes Python's)."""
    value = _python_scalar(value)
    if _plain_label(value) or (_is_real(value) and _finite(value)):
        return value
    _refuse_complex(value, f"{name}[{i}]")
    if _is_real(value):  # NaN or infinite: a wrong value, so a ValueError
        raise ValueError(f"{name}[{i}] is {value!r} (Input {name} contains NaN or infinity); a label must be a "
                         f"string or a finite number (a missing label? drop the row)")
    raise TypeError(f"{name}[{i}] is {shown(value)} ({type(value).__name__}); a label must be a "
                    f"string or a number (a missing label? drop the row)")


def check_classes(y: Any, n_rows: Optional[int] = None, name: str = "y") -> Tuple[List[Any], List[int]]:
    """The distinct labels of ``y`` in sorted order (the classes), and each row's class
    as its position in that order.

    Labels are strings or numbers, one kind throughout; labels equal to 0 and 1
    (``False``/``True``, ``0.0``/``1.0``) are the classes ``[0, 1]``, so a 0/1 label is
    its own position.

    >>> check_classes(["yes", "no", "yes"])
    (['no', 'yes'], [1, 0, 1])
    >>> check_classes([True, 0.0, 1])
    ([0, 1], [1, 0, 1])

    Raises ``TypeError`` for a label that is neither (None, NaN, a list) and for a mix
    of strings and numbers, naming the labels.
    """
    labels = _label_sequence(y, n_rows, name)
    if not (_LABEL_TYPES.issuperset(map(type, labels)) and all(map(_plain_label, labels))):
        labels = [_check_label(value, name, i) for i, value in enumerate(labels)]
    try:
        classes = sorted(set(labels))
    except TypeError:  # str < int is undefined
        raise TypeError(f"{name} mixes strings and numbers ({_describe_values(set(labels))}); "
                        f"give every label the same kind") from None
    if classes == [0, 1]:
        classes = [0, 1]
    position = {label: k for k, label in enumerate(classes)}
    return classes, [position[label] for label in labels]


def check_columns(X: Any, names: Sequence[str], name: str = "X") -> None:
    """Refuse a table whose column names are not ``names`` in order (the model's).

    Data without column names pass, as do models fit without names (whose names are
    ``default_names``): there is nothing to compare.
    """
    given = column_names(X)
    expected = list(names)
    if given is None or given == expected or expected == default_names(len(expected)):
        return
    j = next((j for j, (a, b) in enumerate(zip(given, expected)) if a != b), min(len(given), len(expected)))
    seen = repr(given[j]) if j < len(given) else "missing"
    wanted = repr(expected[j]) if j < len(expected) else "no column"
    raise ValueError(f"{name} column {j} is {seen} where the model has {wanted}: the columns must be "
                     f"the model's, in its order; select them with {name}[model.feature_names_in_]")


def check_sample_weight(sample_weight: Any, n_rows: int, of: str = "X") -> Optional[Vector]:
    """Return the weights as floats (``None`` stays ``None``: every weight is 1).

    Weights must be finite and non-negative, one per row of ``of`` (the name of the
    data they weigh, for messages), and not all zero.

    >>> check_sample_weight([1, 2.5, 0], 3)
    [1.0, 2.5, 0.0]
    """
    if sample_weight is None:
        return None
    flat = _as_sequence(plain_data(sample_weight), "sample_weight")
    nested = next((i for i, s in enumerate(flat) if isinstance(s, (list, tuple))), None)
    if nested is not None:
        raise ValueError(f"sample_weight must be flat, one weight per row, but sample_weight[{nested}] is "
                         f"{shown(flat[nested])}; give one number per row")
    weights = check_vector(flat, "sample_weight")
    if len(weights) != n_rows:
        unit = "rows" if of == "X" else "values"
        raise ValueError(
            f"sample_weight has {len(weights)} values but {of} has {n_rows} {unit}; give one weight per row"
        )
    for i, s in enumerate(weights):
        if s < 0.0:
            raise ValueError(f"sample_weight[{i}] is {s!r}; weights must be non-negative")
    if max(weights) == 0.0:
        raise ValueError("sample_weight is all zeros; at least one row needs a positive weight")
    return weights


def check_finite_number(value: Any, name: str, *, minimum: Optional[float] = None,
                        strict: bool = False) -> float:
    """Return ``value`` as a float after checking it is a finite number (``>= minimum``,
    or ``> minimum`` when ``strict``). A bool is refused: ``reg=True`` is a slip, not 1."""
    if isinstance(value, bool) or not _is_real(value):
        raise TypeError(f"{name} must be a number, got {value!r} ({type(value).__name__})")
    x = _to_float(value, name)
    if not math.isfinite(x):
        raise ValueError(f"{name} must be finite, got {x!r}")
    if minimum is not None:
        if strict and not x > minimum:
            raise ValueError(f"{name} must be greater than {minimum:g}, got {x!r}")
        if not strict and not x >= minimum:
            raise ValueError(f"{name} must be at least {minimum:g}, got {x!r}")
    return x


def check_positive_int(value: Any, name: str) -> int:
    """Return ``value`` if it is an integer ``>= 1`` (bools are refused)."""
    if isinstance(value, bool) or not isinstance(value, numbers.Integral):
        raise TypeError(f"{name} must be a whole number, got {value!r} ({type(value).__name__})")
    if value < 1:
        raise ValueError(f"{name} must be at least 1, got {value!r}")
    return int(value)


def check_probability_threshold(threshold: Any, name: str = "threshold") -> float:
    """Return ``threshold`` if it is a number strictly between 0 and 1."""
    t = check_finite_number(threshold, name)
    if not 0.0 < t < 1.0:
        raise ValueError(f"{name} must be strictly between 0 and 1, got {t!r}")
    return t


def default_names(d: int) -> List[str]:
    """The names of ``d`` unnamed features: ``x0, x1, ...``.

    >>> default_names(3)
    ['x0', 'x1', 'x2']
    """
    return [f"x{j}" for j in range(d)]


def check_feature_names(feature_names: Any, d: int, name: str = "feature_names") -> List[str]:
    """Return ``d`` distinct feature names as strings (``None``: ``default_names(d)``).

    >>> check_feature_names(["hours", 2], 2)
    ['hours', '2']

    Raises ``ValueError`` for the wrong number of names or a name given twice.
    """
    if feature_names is None:
        return default_names(d)
    names = [str(n) for n in _as_sequence(feature_names, name)]
    if len(names) != d:
        raise ValueError(f"{name} has {len(names)} names but X has {d} columns; give one name per column")
    first_seen: Dict[str, int] = {}
    for j, n in enumerate(names):
        if n in first_seen:
            raise ValueError(f"{name} has {n!r} twice (positions {first_seen[n]} and {j}); "
                             f"every column needs its own name")
        first_seen[n] = j
    return names


_KINDS = {bool: "true or false", int: "a whole number >= 0", float: "a finite number",
          str: "a string", list: "a list", dict: "an object"}


def check_field(document: Any, field: str, kind: type) -> Any:
    """The value of ``document[field]`` if it has the JSON kind ``kind``, else a ``ValueError``
    naming the field.

    ``bool`` accepts only true and false (never 0, 1 or "no"); ``int`` only whole numbers
    >= 0 (never 2.0 or a bool); ``float`` any finite int or float (not a bool), returned
    as a float.

    >>> check_field({"n_iter": 7}, "n_iter", int), check_field({"b": 2}, "b", float)
    (7, 2.0)
    """
    if not isinstance(document, dict) or field not in document:
        raise ValueError(f"field {field!r} is missing")
    value = document[field]
    if not _has_kind(value, kind):
        raise ValueError(f"field {field!r} must be {_KINDS[kind]}, got {shown(value)}")
    return float(value) if kind is float else value


def check_field_numbers(document: Any, field: str, length: int) -> Vector:
    """``document[field]`` as a list of ``length`` finite floats, or a ``ValueError`` naming it.

    >>> check_field_numbers({"coef": [1, 2.5]}, "coef", 2)
    [1.0, 2.5]
    """
    values = check_field(document, field, list)
    if len(values) != length:
        raise ValueError(f"field {field!r} has {len(values)} values, expected {length}")
    return [_field_number(v, f"{field}[{i}]") for i, v in enumerate(values)]


def _has_kind(value: Any, kind: type) -> bool:
    if kind is float:
        return _is_real(value) and not isinstance(value, bool) and _finite(value)
    if kind is int:
        return isinstance(value, int) and not isinstance(value, bool) and value >= 0
    return isinstance(value, kind)


def _field_number(value: Any, where: str) -> float:
    return check_field({where: value}, where, float)


def _finite(value: Any) -> bool:
    """Is ``value`` (a real number) finite as a float? Integers too large for a float are not."""
    try:
        return math.isfinite(float(value))
    except OverflowError:
        return False


def escaped(text: str) -> str:
    """``text`` with every non-printable character written as ``repr`` writes it: an
    escape sequence (``\\x1b[2J`` clears a screen), a line break, a tab, a right-to-left
    override. What it returns prints as one line and moves no cursor. Every name and
    message from a file passes through here (or ``shown``, which uses it) on its way to
    a terminal.

    >>> print(escaped("a\\x1b[2Jb\\nc d\\u202e"))
    a\\x1b[2Jb\\nc d\\u202e
    """
    if text.isprintable():  # the common case, decided in one pass in C
        return text
    return "".join(c if c.isprintable() else repr(c)[1:-1] for c in text)


def shown(value: Any, limit: int = 60, *, quoted: bool = True) -> str:
    """``value`` as it may be echoed to a terminal: non-printable characters escaped
    (as ``repr`` writes them, so no escape sequence reaches the terminal) and cut to
    about ``limit`` characters with an ellipsis. ``quoted=False`` shows a string
    without quotes (for a name in a table).

    >>> shown("a\\x1b[31mred"), shown("9" * 100, 12), shown("tab\\there", quoted=False)
    ("'a\\\\x1b[31mred'", "'99999999...", 'tab\\\\there')
    """
    if isinstance(value, str) and not quoted:
        text = escaped(value[:4 * limit])
    else:
        try:
            text = repr(value[:4 * limit] if isinstance(value, str) else value)
        except ValueError:  # an int with more digits than Python will print
            return f"an integer of about {int(value.bit_length() * math.log10(2)) + 1} digits"
    return text if len(text) <= limit else text[:limit - 3] + "..."
