"""Chapter 20. Features: what the linear model can see.

The model adds up ``w_j x_j``; it cannot multiply features together, and it is
sensitive to their scales. This chapter gives it better inputs:

- ``Standardizer``: subtract each column's mean and divide by its population
  standard deviation, so every column has mean 0 and variance 1. Gradient descent
  then needs one step size for all directions, and the penalty treats all
  weights alike. ``original_units`` converts a standardized fit's coefficients back.
- ``add_interactions``: append every product ``x_i x_j`` (``i < j``). Without them,
  logistic regression cannot learn that two weak signals are strong together
  (XOR is the classic case: each feature alone says nothing).
- ``polynomial_features``: every product of up to ``degree`` features.
"""

import itertools
import math
from array import array
from typing import Any, List, Optional, Sequence, Tuple

from ..part1_mathematics.checks import (
    ColumnTable,
    check_feature_names,
    check_finite_number,
    check_matrix,
    check_positive_int,
    check_vector,
    column_names,
)
from ..part1_mathematics.errors import NotFittedError
from ..part1_mathematics.vectors import Matrix, Vector, mean, population_std, total, transpose
from .estimator import Estimator, as_given

__all__ = ["Standardizer", "add_interactions", "original_units", "polynomial_features"]


class Standardizer(Estimator):
    """Column-wise ``(x - mean) / std`` with the population standard deviation.

    Rule for a constant column: its standard deviation is 0, so its scale is set to
    1 and it becomes a column of zeros (a constant carries no information beyond the
    intercept); ``inverse_transform`` restores it. It has no parameters, and follows
    the estimator conventions (chapter 17), so it can be a step of a scikit-learn
    ``Pipeline``; ``X`` may be a pandas DataFrame or a NumPy array, and then the
    transformed rows are a NumPy array (chapter 17's door: lists in, lists out), so the
    model after it in a pipeline answers in arrays too. ``mean_`` and ``scale_`` are lists.

    >>> s = Standardizer().fit([[1.0, 5.0], [3.0, 5.0]])
    >>> s.mean_, s.scale_
    ([2.0, 5.0], [1.0, 1.0])
    >>> s.transform([[3.0, 5.0]])
    [[1.0, 0.0]]
    """

    _estimator_type = "transformer"

    def fit(self, X: Any, y: Any = None) -> "Standardizer":
        """Learn each column's mean and population standard deviation (``y`` is ignored)."""
        rows = check_matrix(X, "X")
        columns = rows.arrays if isinstance(rows, ColumnTable) else transpose(rows)
        self.mean_: Vector = []
        self.scale_: Vector = []
        for column in columns:
            spread = population_std(column)
            # A constant column keeps its exact value as its mean, so it maps to exact zeros.
            self.mean_.append(mean(column) if spread > 0.0 else column[0])
            self.scale_.append(spread if spread > 0.0 else 1.0)
        self.n_features_in_ = len(columns)
        return self

    @classmethod
    def from_parameters(cls, mean: Sequence[float], scale: Sequence[float]) -> "Standardizer":
        """A fitted standardizer from saved means and scales (as in a model file).

        >>> Standardizer.from_parameters([2.0], [0.5]).transform([[3.0]])
        [[2.0]]

        Raises ``ValueError`` unless both are lists of finite numbers of one length, and
        every scale is positive.
        """
        means = check_vector(mean, "mean")
        scales = check_vector(scale, "scale", length=len(means))
        if not all(s > 0.0 for s in scales):
            raise ValueError("field 'scale' must hold positive numbers (a constant column has scale 1)")
        standardizer = cls()
        standardizer.mean_, standardizer.scale_, standardizer.n_features_in_ = means, scales, len(means)
        return standardizer

    def _check(self, X: Any) -> Matrix:
        if not hasattr(self, "mean_"):
            raise NotFittedError("this Standardizer is not fitted yet: call fit(X) first")
        return check_matrix(X, "X", n_features=self.n_features_in_, owner=type(self).__name__)

    def transform(self, X: Any) -> Matrix:
        """``(x - mean) / scale`` for each row, as new lists.

        Raises ``ValueError`` naming the row and column of a value so far from the
        column's mean that its standardized value is beyond the float range.
        """
        rows = self._check(X)
        if isinstance(rows, ColumnTable):
            return self._standardized_table(rows)
        return as_given(X, [self._standardized_row(row, i) for i, row in enumerate(rows)])

    def _standardized_table(self, table: ColumnTable) -> Any:
        """A ``ColumnTable`` (the CSV reader's) standardized column by column into a new
        one: the same numbers as row by row, and no row of Python floats is made."""
        arrays = [array("d", [(v - m) / s for v in column])
                  for column, m, s in zip(table.arrays, self.mean_, self.scale_)]
        if all(math.isfinite(sum(column)) for column in arrays):
            return ColumnTable(arrays)
        return [self._standardized_row(row, i) for i, row in enumerate(table)]  # names the value that overflowed

    def _standardized_row(self, row: Vector, i: int) -> Vector:
        values = [(v - m) / s for v, m, s in zip(row, self.mean_, self.scale_)]
        if all(map(math.isfinite, values)):
            return values
        # x - mean overflowed (values near the ends of the float range): divide first.
        values = [v / s - m / s for v, m, s in zip(row, self.mean_, self.scale_)]
        for j, value in enumerate(values):
            if not math.isfinite(value):
                raise ValueError(f"X row {i}, column {j}: {row[j]!r} is too far from the column's mean "
                                 f"{self.mean_[j]!r} (scale {self.scale_[j]!r}) for a float")
        return values

    def fit_transform(self, X: Any, y: Any = None) -> Matrix:
        """``fit(X)`` then ``transform(X)`` (``y`` is ignored)."""
        return self.fit(X).transform(X)

    def inverse_transform(self, X: Any) -> Matrix:
        """``x * scale + mean``: back to the original units.

        Raises ``ValueError`` naming the row and column of a value whose original is beyond
        the float range.
        """
        return as_given(X, [self._original_row(row, i) for i, row in enumerate(self._check(X))])

    def _original_row(self, row: Vector, i: int) -> Vector:
        values = [v * s + m for v, m, s in zip(row, self.mean_, self.scale_)]
        if all(map(math.isfinite, values)):
            return values
        # x * scale overflowed although the original may not (scale and mean near the ends
        # of the float range, of opposite signs): add in units of the scale first.
        values = [s * (v + m / s) for v, m, s in zip(row, self.mean_, self.scale_)]
        for j, value in enumerate(values):
            if not math.isfinite(value):
                raise ValueError(f"X row {i}, column {j}: {row[j]!r} standardized is {value!r} in the "
                                 f"original units, beyond the float range")
        return values


def original_units(coef: Sequence[float], intercept: float, standardizer: Standardizer) -> Tuple[Vector, float]:
    """Coefficients of a model fit on standardized data, in the original units.

    ``w . (x - m) / s + b = sum (w_j / s_j) x_j + (b - sum w_j m_j / s_j)``, so the
    original-unit weights are ``w_j / s_j`` and the intercept ``b - sum w_j m_j / s_j``.

    >>> s = Standardizer().fit([[0.0], [4.0]])  # mean 2, scale 2
    >>> original_units([1.0], 0.5, s)
    ([0.5], -0.5)

    Raises ``NotFittedError`` for an unfitted standardizer, ``ValueError`` for
    coefficients that are not finite numbers (one per column) or whose originals are
    beyond the float range.
    """
    if not hasattr(standardizer, "mean_"):
        raise NotFittedError("original_units needs a fitted Standardizer: call its fit(X) first")
    weights_std = check_vector(coef, "coef")
    if len(weights_std) != len(standardizer.mean_):
        raise ValueError(f"coef has {len(weights_std)} values but the standardizer has "
                         f"{len(standardizer.mean_)} columns")
    intercept = check_finite_number(intercept, "intercept")
    weights = [w / s for w, s in zip(weights_std, standardizer.scale_)]
    original = weights + [intercept - total(w * m for w, m in zip(weights, standardizer.mean_))]
    if not all(map(math.isfinite, original)):
        where = next(k for k, v in enumerate(original) if not math.isfinite(v))
        what = "the intercept" if where == len(weights) else f"coef[{where}]"
        raise ValueError(f"{what} in the original units is beyond the float range (the columns' "
                         f"scales or means are too extreme for these coefficients)")
    return weights, original[-1]


def add_interactions(X: Sequence[Sequence[float]],
                     feature_names: Optional[Sequence[str]] = None) -> Tuple[Matrix, List[str]]:
    """Append every pairwise product ``x_i * x_j`` (i < j); returns ``(rows, names)``.

    >>> add_interactions([[2.0, 3.0, 5.0]], ["a", "b", "c"])
    ([[2.0, 3.0, 5.0, 6.0, 10.0, 15.0]], ['a', 'b', 'c', 'a*b', 'a*c', 'b*c'])

    The names default to a DataFrame's columns, else ``x0, x1, ...``.
    Raises ``ValueError`` for a product beyond the float range, naming its row and column.
    """
    rows = check_matrix(X, "X")
    names = check_feature_names(feature_names if feature_names is not None else column_names(X), len(rows[0]))
    pairs = list(itertools.combinations(range(len(names)), 2))
    new_rows = [row + [row[i] * row[j] for i, j in pairs] for row in rows]
    new_names = names + [f"{names[i]}*{names[j]}" for i, j in pairs]
    _check_products(new_rows, new_names)
    return new_rows, new_names


def _check_products(rows: Matrix, names: Sequence[str]) -> None:
    """Refuse a product beyond the float range, naming its row and column (finite
    factors whose product overflows: the features need rescaling first)."""
    for i, row in enumerate(rows):
        if not all(map(math.isfinite, row)):
            j = next(j for j, value in enumerate(row) if not math.isfinite(value))
            raise ValueError(f"X row {i}: the product {names[j]!r} overflows the float range; "
                             f"rescale (standardize) the features before multiplying them")


def _monomial_name(names: Sequence[str], combo: Tuple[int, ...]) -> str:
    parts = []
    for index, group in itertools.groupby(combo):
        power = len(list(group))
        parts.append(names[index] if power == 1 else f"{names[index]}^{power}")
    return "*".join(parts)


def polynomial_features(X: Sequence[Sequence[float]], degree: int,
                        feature_names: Optional[Sequence[str]] = None) -> Tuple[Matrix, List[str]]:
    """Every product of 1 to ``degree`` features (no constant column); ``(rows, names)``.

    >>> polynomial_features([[2.0, 3.0]], 2, ["a", "b"])
    ([[2.0, 3.0, 4.0, 6.0, 9.0]], ['a', 'b', 'a^2', 'a*b', 'b^2'])

    The names default to a DataFrame's columns. Raises ``ValueError`` for a degree below 1,
    and for a product beyond the float range (naming its row and column).
    """
    degree = check_positive_int(degree, "degree")
    rows = check_matrix(X, "X")
    names = check_feature_names(feature_names if feature_names is not None else column_names(X), len(rows[0]))
    combos = [combo for k in range(1, degree + 1)
              for combo in itertools.combinations_with_replacement(range(len(names)), k)]
    new_rows = [[math.prod(row[i] for i in combo) for combo in combos] for row in rows]
    new_names = [_monomial_name(names, combo) for combo in combos]
    _check_products(new_rows, new_names)
    return new_rows, new_names

