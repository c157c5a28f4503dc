"""Chapter 1. Vectors and matrices as plain lists.

Logistic regression needs very little linear algebra: dot products (``w . x``),
sums, differences and multiples of vectors (the gradient step), a mean, a norm, and a
transpose. A vector is a list of floats and a matrix is a list of rows.

Every function here checks that lengths agree and raises ``ValueError`` if they do
not: Python's ``zip`` silently stops at the shorter list, and a gradient computed on
half the data is a bug that no error message reports. Later chapters build on these
checked functions; the unchecked fast forms used inside the solvers live in the
appendix (``fast.py``).

Sums are exact where that is cheap to get: ``total`` is ``math.fsum``, correctly
rounded. ``dot`` is called far more often (once per row per step), so it takes the
fastest accurate built-in: ``math.sumprod`` on Python 3.12+ (one C loop with extended
precision), else ``sum`` of the products in order, whose error is at most about
``n eps sum |a_i b_i|``, as in any textbook or BLAS dot product. Plain ``sum()``
changed its rounding in 3.12, so two floats computed by two routes are never
compared with ``==``.

Public functions: ``dot``, ``add``, ``subtract``, ``scale``, ``total``, ``mean``,
``population_std``, ``norm``, ``max_abs``, ``transpose``, ``matvec``.
"""

import itertools
import math
import operator
from fractions import Fraction
from typing import Iterable, List, Sequence, Union

__all__ = [
    "Matrix",
    "Vector",
    "add",
    "dot",
    "matvec",
    "max_abs",
    "mean",
    "norm",
    "population_std",
    "scale",
    "subtract",
    "total",
    "transpose",
]

Vector = List[float]
Matrix = List[Vector]


def _check_same_length(a: Sequence[float], b: Sequence[float], what: str) -> None:
    if len(a) != len(b):
        raise ValueError(
            f"{what} needs vectors of the same length, got {len(a)} and {len(b)}"
        )


def total(a: Iterable[float]) -> float:
    """The sum ``sum(a_i)``, correctly rounded.

    >>> total([0.1] * 10)  # plain sum() gives 0.9999999999999999
    1.0
    >>> total([1e308, 1e308, -1e308])  # a partial sum overflows; the true sum does not
    1e+308

    ``math.fsum`` gives the correctly rounded sum, but raises ``OverflowError`` when
    a partial sum leaves the float range even if the true sum does not. Then the
    sum is taken again exactly, in fractions, and rounded once: the true sum if it
    is finite, ``inf`` or ``-inf`` if it is beyond the float range too. Raises
    ``ValueError`` if ``a`` holds both ``inf`` and ``-inf`` (the sum is undefined).
    """
    values = list(a)
    try:
        return math.fsum(values)
    except ValueError:
        raise ValueError("the sum of values containing both inf and -inf is undefined") from None
    except OverflowError:
        return _exact_sum(values)


def _exact_sum(values: Sequence[Union[float, Fraction]]) -> float:
    """The sum of floats (or fractions) computed exactly and rounded once."""
    special = [float(v) for v in values if not isinstance(v, Fraction) and not math.isfinite(v)]
    if special:  # inf, -inf or nan decide the sum by themselves
        return total(special)
    exact = sum(map(Fraction, values))
    try:
        return float(exact)
    except OverflowError:  # beyond the largest float: the honest answer is infinite
        return math.inf if exact > 0 else -math.inf


if hasattr(math, "sumprod"):  # Python 3.12+: one C loop, extended precision
    _sum_of_products = math.sumprod
else:
    def _sum_of_products(a: Sequence[float], b: Sequence[float]) -> float:
        # Summed in order, as BLAS does: off by at most about n eps sum |a_i b_i|.
        return sum(map(operator.mul, a, b))


def dot(a: Sequence[float], b: Sequence[float]) -> float:
    """Dot product ``a . b = sum(a_i * b_i)``.

    >>> dot([1.0, 2.0, 3.0], [4.0, 5.0, 6.0])
    32.0
    >>> dot([1e308, -1e308], [4.0, 4.0])  # the products overflow; the true sum is 0
    0.0

    Raises ``ValueError`` if the lengths differ.
    """
    _check_same_length(a, b, "dot")
    try:
        result = _sum_of_products(a, b)
    except (OverflowError, ValueError):  # from math.sumprod: a partial sum overflowed
        result = math.nan
    if math.isfinite(result) or not all(map(math.isfinite, itertools.chain(a, b))):
        return result
    # Finite inputs, non-finite result: a product or a partial sum overflowed. The
    # exact sum of the exact products, rounded once, is the true answer (inf only if
    # the true answer is beyond the float range).
    return _exact_sum([Fraction(ai) * Fraction(bi) for ai, bi in zip(a, b)])


def add(a: Sequence[float], b: Sequence[float]) -> Vector:
    """Elementwise sum ``a + b``.

    >>> add([1.0, 2.0], [0.5, 0.25])
    [1.5, 2.25]
    """
    _check_same_length(a, b, "add")
    return [ai + bi for ai, bi in zip(a, b)]


def subtract(a: Sequence[float], b: Sequence[float]) -> Vector:
    """Elementwise difference ``a - b``.

    >>> subtract([1.0, 2.0], [0.5, 0.25])
    [0.5, 1.75]
    """
    _check_same_length(a, b, "subtract")
    return [ai - bi for ai, bi in zip(a, b)]


def scale(c: float, a: Sequence[float]) -> Vector:
    """Scalar multiple ``c * a``.

    >>> scale(0.5, [2.0, -4.0])
    [1.0, -2.0]
    """
    return [c * ai for ai in a]


def mean(a: Sequence[float]) -> float:
    """Arithmetic mean ``(1/n) sum(a_i)``, summed exactly by ``total``.

    >>> mean([0.1, 0.2, 0.3, 0.4])
    0.25
    >>> mean([1.7e308, 1.7e308, 1.6e308])  # the sum overflows; the mean does not
    1.6666666666666666e+308

    The mean of finite values is finite even when their sum is beyond the float
    range: then it is computed exactly, in fractions, and rounded once.
    Raises ``ValueError`` for an empty sequence.
    """
    if len(a) == 0:
        raise ValueError("mean requires at least one value")
    result = total(a) / len(a)
    if math.isinf(result) and all(map(math.isfinite, a)):
        return float(sum(map(Fraction, a)) / len(a))
    return result


def population_std(a: Sequence[float]) -> float:
    """Population standard deviation ``sqrt((1/n) sum (a_i - mean)^2)``.

    The deviations are divided by the largest one before squaring, so that neither
    tiny values (1e-200, whose squares underflow to 0) nor huge ones (1e200, whose
    squares overflow) are lost.

    >>> population_std([2.0, 4.0, 4.0, 4.0, 5.0, 5.0, 7.0, 9.0])
    2.0

    Raises ``ValueError`` for an empty sequence.
    """
    if len(a) == 0:
        raise ValueError("population_std requires at least one value")
    if min(a) == max(a):
        return 0.0  # exactly: mean() of equal values can be an ulp off (n v / n)
    centre = mean(a)
    deviations = [v - centre for v in a]
    if not all(map(math.isfinite, deviations)) and all(map(math.isfinite, a)):
        # Values spanning more than the float range (-1e308 and 1e308): halve them
        # all, which cannot overflow, and double the answer.
        return 2.0 * population_std([v / 2.0 for v in a])
    largest = max_abs(deviations)
    return largest * math.sqrt(mean([(d / largest) ** 2 for d in deviations]))


def norm(a: Sequence[float]) -> float:
    """Euclidean length ``sqrt(sum(a_i ** 2))``, without overflow in the squares.

    >>> norm([3.0, 4.0])
    5.0
    """
    return math.hypot(*a)


def max_abs(a: Sequence[float]) -> float:
    """The largest magnitude ``max_i |a_i|`` (the infinity norm); 0 for an empty vector.

    >>> max_abs([0.5, -3.0, 2.0])
    3.0
    """
    return max(map(abs, a), default=0.0)


def transpose(m: Sequence[Sequence[float]]) -> Matrix:
    """Rows become columns: ``transpose(m)[j][i] == m[i][j]``.

    >>> transpose([[1.0, 2.0], [3.0, 4.0], [5.0, 6.0]])
    [[1.0, 3.0, 5.0], [2.0, 4.0, 6.0]]

    Raises ``ValueError`` if the rows have different lengths.
    """
    if len(m) == 0:
        return []
    width = len(m[0])
    for i, row in enumerate(m):
        if len(row) != width:
            raise ValueError(f"transpose needs rows of equal length: row {i} has "
                             f"{len(row)} values, row 0 has {width}")
    return [list(column) for column in zip(*m)]


def matvec(m: Sequence[Sequence[float]], v: Sequence[float]) -> Vector:
    """Matrix-vector product ``m v``: one dot product per row.

    >>> matvec([[1.0, 2.0], [3.0, 4.0]], [1.0, 1.0])
    [3.0, 7.0]

    Raises ``ValueError`` if a row's length differs from ``len(v)``.
    """
    return [dot(row, v) for row in m]
