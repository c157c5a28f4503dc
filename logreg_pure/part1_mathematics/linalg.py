"""Chapter 7. Solving ``H x = g`` for a symmetric positive definite ``H``.

Newton's method needs the step ``H^{-1} g``, and inference needs the diagonal of
``H^{-1}``. Both come from the Cholesky factorization ``H = L L^T`` with ``L`` lower
triangular, computed column by column:

    L[j][j] = sqrt(H[j][j] - sum_{k<j} L[j][k]^2)
    L[i][j] = (H[i][j] - sum_{k<j} L[i][k] L[j][k]) / L[j][j]      for i > j.

Then ``H x = g`` is two triangular solves: ``L u = g`` forwards, ``L^T x = u`` backwards.

The square root's argument (the *pivot*) is the part of column j that the earlier
columns do not explain. A pivot that is zero, negative, or tiny compared with
``H[j][j]`` means column j is (numerically) a combination of earlier ones, and the
matrix has no inverse: ``SingularMatrixError`` then names the column.

Public functions: ``cholesky``, ``cholesky_solve``, ``solve_spd``, ``inverse_spd``.
Each checks that its matrix is square and its right-hand side has matching length.

A k x k matrix of Python floats is big: each entry is a reference (8 bytes) to a
float object (24 bytes), and solving makes copies. ``check_matrix_memory`` estimates
the memory before a matrix is built (``MATRIX_BYTES_PER_ENTRY`` bytes per entry,
measured) and refuses above ``MATRIX_MEMORY_LIMIT``, so that a fit on 20,000 columns
says so at once instead of filling the machine's memory for minutes.
"""

import math
from typing import Optional, Sequence

from .checks import check_matrix, check_vector
from .errors import SingularMatrixError
from .vectors import Matrix, Vector, dot

__all__ = ["MATRIX_BYTES_PER_ENTRY", "MATRIX_MEMORY_LIMIT", "PIVOT_RTOL", "check_matrix_memory", "cholesky",
           "cholesky_solve", "inverse_spd", "solve_spd"]

# Measured with tracemalloc on CPython 3.11: at its peak a Newton step holds about 50
# bytes per entry of the k x k Hessian (the Hessian, sharing its symmetric floats, and
# the Cholesky factor), and inverting the information matrix for standard errors
# about 96 (the matrix, its factor, the inverse's columns and their transpose).
MATRIX_BYTES_PER_ENTRY = 100
MATRIX_MEMORY_LIMIT = 2 ** 30  # 1 GiB: up to 3,276 parameters


def check_matrix_memory(k: int, what: str, advice: str) -> None:
    """Refuse, before it is built, a k x k matrix whose solution would need more than
    ``MATRIX_MEMORY_LIMIT`` bytes; ``what`` names the task and ``advice`` the cure.

    >>> check_matrix_memory(20001, "Newton's method", "use solver='gd'")
    Traceback (most recent call last):
    ...
    ValueError: Newton's method on 20001 parameters needs a 20001 x 20001 matrix: about 37.3 GiB in pure Python, above the limit of 1 GiB (logreg_pure.part1_mathematics.linalg.MATRIX_MEMORY_LIMIT); use solver='gd'
    """
    needed = MATRIX_BYTES_PER_ENTRY * k * k
    if needed > MATRIX_MEMORY_LIMIT:
        raise ValueError(f"{what} on {k} parameters needs a {k} x {k} matrix: about {needed / 2 ** 30:.1f} GiB "
                         f"in pure Python, above the limit of {MATRIX_MEMORY_LIMIT / 2 ** 30:g} GiB "
                         f"(logreg_pure.part1_mathematics.linalg.MATRIX_MEMORY_LIMIT); {advice}")

# A pivot below this fraction of its diagonal entry means that less than one part in
# 1e12 of the column is new information: its coefficient would be determined only to
# about sqrt(1e12) = 1e6 times the rounding error, so the matrix is treated as singular.
PIVOT_RTOL = 1e-12


def _check_square(A: Sequence[Sequence[float]], name: str) -> Matrix:
    """``A`` as a list of rows of floats, after checking that it is square."""
    rows = check_matrix(A, name)
    if len(rows[0]) != len(rows):
        raise ValueError(f"{name} must be square, got {len(rows)} rows of {len(rows[0])} values")
    return rows


def cholesky(H: Sequence[Sequence[float]], names: Optional[Sequence[str]] = None) -> Matrix:
    """The lower-triangular ``L`` with ``L L^T = H``, for symmetric positive definite ``H``.

    >>> cholesky([[4.0, 2.0], [2.0, 5.0]])
    [[2.0, 0.0], [1.0, 2.0]]

    Raises ``SingularMatrixError`` (a ``ValueError``) naming the first column whose
    pivot is not positive; ``names`` gives the columns' names for that message.
    """
    H = _check_square(H, "H")
    d = len(H)
    if names is not None and len(names) != d:
        raise ValueError(f"names has {len(names)} names for a {d} x {d} matrix")
    L = [[0.0] * d for _ in range(d)]
    for j in range(d):
        pivot = H[j][j] - dot(L[j][:j], L[j][:j])
        if not pivot > PIVOT_RTOL * abs(H[j][j]) or not math.isfinite(pivot):
            name = repr(names[j]) if names is not None else f"column {j}"
            raise SingularMatrixError(
                f"the matrix is singular at {name}: it is constant or a linear "
                f"combination of the columns before it"
            )
        L[j][j] = math.sqrt(pivot)
        for i in range(j + 1, d):
            L[i][j] = (H[i][j] - dot(L[i][:j], L[j][:j])) / L[j][j]
    return L


def cholesky_solve(L: Sequence[Sequence[float]], g: Sequence[float]) -> Vector:
    """Solve ``L L^T x = g`` by forward then backward substitution.

    >>> cholesky_solve([[2.0, 0.0], [1.0, 2.0]], [10.0, 13.0])  # H = [[4, 2], [2, 5]]
    [1.5, 2.0]
    """
    L = _check_square(L, "L")
    return _substitute(L, check_vector(g, "g", length=len(L)))


def _substitute(L: Matrix, g: Vector) -> Vector:
    """Forward then backward substitution, for ``L`` and ``g`` already checked."""
    d = len(L)
    u = [0.0] * d
    for i in range(d):
        u[i] = (g[i] - dot(L[i][:i], u[:i])) / L[i][i]
    x = [0.0] * d
    for i in reversed(range(d)):
        tail = dot([L[k][i] for k in range(i + 1, d)], x[i + 1:])
        x[i] = (u[i] - tail) / L[i][i]
    return x


def solve_spd(H: Sequence[Sequence[float]], g: Sequence[float],
              names: Optional[Sequence[str]] = None) -> Vector:
    """Solve ``H x = g`` for symmetric positive definite ``H``.

    >>> solve_spd([[4.0, 2.0], [2.0, 5.0]], [10.0, 13.0])
    [1.5, 2.0]
    """
    if len(g) != len(H):
        raise ValueError(f"solve_spd needs a right-hand side of length {len(H)}, got {len(g)}")
    return _substitute(cholesky(H, names), check_vector(g, "g"))


def inverse_spd(H: Sequence[Sequence[float]], names: Optional[Sequence[str]] = None) -> Matrix:
    """``H^{-1}`` for symmetric positive definite ``H``, one unit vector at a time.

    >>> inverse_spd([[4.0, 0.0], [0.0, 0.25]])
    [[0.25, 0.0], [0.0, 4.0]]
    """
    L = cholesky(H, names)
    d = len(H)
    columns = [_substitute(L, [1.0 if i == j else 0.0 for i in range(d)]) for j in range(d)]
    return [[columns[j][i] for j in range(d)] for i in range(d)]
