"""Chapter 1. Vectors and matrices as plain lists.

Logistic regression needs very little linear algebra: dot products (``w . x``),
sums and scalings of vectors (the gradient step), a mean, a norm, and a transpose
(so that ``X^T r`` is one dot product per column). A vector is a list of floats and a
matrix is a list of rows.

Public functions: ``dot``, ``add``, ``subtract``, ``scale``, ``total``, ``mean``, ``population_std``, ``norm``,
``transpose``, ``matvec``. Each checks that lengths agree and raises ``ValueError``
if they do not: Python's ``zip`` would silently stop at the shorter list, and a
gradient computed on half the data is a bug that no error message reports.

About ``dot``: from Python 3.12 on, ``math.sumprod`` computes a dot product in C with
extended precision; before that the fastest built-in way is
``sum(map(operator.mul, a, b))``, and on PyPy a plain index loop, which its JIT
compiles. ``fast_dot`` below is whichever this interpreter has; a test checks every
one of them against the exactly rounded ``math.fsum`` reference.
"""

import math
import operator
import platform
from typing import Iterable, List, Sequence

__all__ = [
    "Matrix",
    "Vector",
    "add",
    "dot",
    "fast_dot",
    "mean",
    "matvec",
    "norm",
    "population_std",
    "scale",
    "subtract",
    "total",
    "transpose",
]

Vector = List[float]
Matrix = List[Vector]

def _sum_of_products(a: Sequence[float], b: Sequence[float]) -> float:
    """``sum(a_i * b_i)`` by the fastest pure built-in route on CPython before 3.12."""
    return sum(map(operator.mul, a, b))


def _indexed_loop_dot(a: Sequence[float], b: Sequence[float]) -> float:
    """``sum(a_i * b_i)`` as a plain index loop: what PyPy's JIT compiles best."""
    result = 0.0
    for i in range(len(a)):
        result += a[i] * b[i]
    return result


# fast_dot: the dot product without a length check, for callers that have checked.
# CPython 3.12+ has math.sumprod (one C loop, extended precision); older CPythons
# get sum(map(mul)); PyPy gets the loop its JIT turns into machine code.
if hasattr(math, "sumprod"):
    fast_dot = math.sumprod
elif platform.python_implementation() == "PyPy":
    fast_dot = _indexed_loop_dot
else:
    fast_dot = _sum_of_products


def _check_same_length(a: Sequence[float], b: Sequence[float], what: str) -> None:
    if len(a) != len(b):
        raise ValueError(
            f"{what} needs vectors of the same length, got {len(a)} and {len(b)}"
        )


def dot(a: Sequence[float], b: Sequence[float]) -> float:
    """Dot product ``a . b = sum(a_i * b_i)``.

    >>> dot([1.0, 2.0, 3.0], [4.0, 5.0, 6.0])
    32.0

    Raises ``ValueError`` if the lengths differ.
    """
    _check_same_length(a, b, "dot")
    return fast_dot(a, b)


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


def total(a: Iterable[float]) -> float:
    """The sum ``sum(a_i)``, correctly rounded by ``math.fsum``.

    >>> total([0.1] * 10)  # plain sum() gives 0.9999999999999999
    1.0

    ``fsum`` raises ``OverflowError`` when a partial sum leaves the float range; the
    true sum is then beyond the range as well, so this returns plain ``sum``'s
    ``inf`` or ``-inf`` instead. Raises ``ValueError`` if ``a`` holds both ``inf``
    and ``-inf`` (the sum is undefined).
    """
    values = list(a)
    try:
        return math.fsum(values)
    except OverflowError:
        return sum(values)
    except ValueError:
        raise ValueError("the sum of values containing both inf and -inf is undefined") from None


def mean(a: Sequence[float]) -> float:
    """Arithmetic mean ``(1/n) sum(a_i)``, summed exactly with ``math.fsum``.

    >>> mean([0.1, 0.2, 0.3, 0.4])
    0.25

    Raises ``ValueError`` for an empty sequence.
    """
    if len(a) == 0:
        raise ValueError("mean requires at least one value")
    return total(a) / len(a)


def population_std(a: Sequence[float]) -> float:
    """Population standard deviation ``sqrt((1/n) sum (a_i - mean)^2)``.

    The deviations are divided by the largest one before squaring, so that neither
    tiny values (1e-200, whose squares underflow to 0) nor huge ones (1e200, whose
    squares overflow) are lost.

    >>> population_std([2.0, 4.0, 4.0, 4.0, 5.0, 5.0, 7.0, 9.0])
    2.0
    """
    if min(a) == max(a):
        return 0.0  # exactly: mean() of equal values can be an ulp off (n v / n)
    centre = mean(a)
    deviations = [v - centre for v in a]
    largest = max(abs(d) for d in deviations)
    return largest * math.sqrt(mean([(d / largest) ** 2 for d in deviations]))


def norm(a: Sequence[float]) -> float:
    """Euclidean length ``sqrt(sum(a_i ** 2))``, without overflow in the squares.

    >>> norm([3.0, 4.0])
    5.0
    """
    return math.hypot(*a)


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
