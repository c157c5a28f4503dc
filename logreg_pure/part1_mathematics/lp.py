"""Chapter 8. Linear programs: the simplex method with bounded variables.

Some questions about a logistic regression are not about curvature at all, but
about whether a direction exists: is there a hyperplane that puts every example
on its correct side? (If so, the maximum-likelihood estimate does not exist;
chapter 9 asks the question.) Questions of that kind are *linear programs*:

    minimize   c . x
    subject to A x = b   and   lower <= x <= upper,

with ``m`` equations in ``n`` unknowns (``lower`` finite, ``upper`` finite or
``math.inf``). The feasible set is a polytope, and if the minimum exists it is
reached at a *vertex*: a point where ``n - m`` of the unknowns sit on one of their
bounds (the *nonbasic* ones) and the other ``m`` (the *basis*) solve the
equations. The simplex method walks from vertex to vertex:

1. Write every basic unknown in terms of the nonbasic ones (the *tableau*
   ``B^{-1} A``). The *reduced cost* ``d_j = c_j - c_B . (B^{-1} A)_j`` says how the
   objective changes when the nonbasic ``x_j`` moves by one unit.
2. If some ``x_j`` at its lower bound has ``d_j < 0`` (or at its upper bound has
   ``d_j > 0``), moving it lowers the objective: it *enters*. Otherwise the vertex
   is optimal.
3. Move it until something hits a bound (the *ratio test*): a basic unknown
   reaching its lower or upper bound *leaves* the basis (a pivot), or the entering
   unknown reaches its own other bound (a *bound flip*, no pivot). If nothing ever
   stops it, the program is unbounded.

Bounds ``lower <= x <= upper`` are handled in the ratio test instead of as extra
equations: that is the *bounded-variable* simplex method, and it keeps the tableau
as small as the equations.

**Which unknown enters.** Dantzig's rule takes the largest ``|d_j|``: the steepest
improvement per unit, usually the fewest steps. **Anti-cycling.** At a degenerate
vertex a step of length 0 changes the basis but not the point, and a careless
choice can cycle forever. Bland's rule prevents it: among the candidates, the
unknown with the smallest index enters, and among tied leaving candidates, the one
with the smallest index leaves. The walk uses Bland's rule from the first step of
length 0 until a step moves again, so it cannot cycle (Bland's rule alone finishes
from any basis) and it keeps Dantzig's speed elsewhere.

**Getting started (phase 1).** One *artificial* unknown per equation, with the
original unknowns at their lower bounds, gives an obvious first vertex; minimizing
the sum of the artificials finds a vertex of the real problem, or proves there is
none (the program is *infeasible*). Then the artificials are fixed at 0 and the
real objective is minimized (phase 2).

**Duals: the certificate.** At the end, ``y = c_B B^{-1}`` (one number per
equation) gives ``d = c - A^T y``. For *any* ``y`` and any feasible ``x``,

    c . x = b . y + d . x  >=  b . y + sum_j min(d_j lower_j, d_j upper_j),

the *dual bound* (``dual_bound``). When the bound equals ``c . x`` the point is
proved optimal without trusting the path that found it; the laws check exactly
this.

**Exact where it can be.** The code uses only ``+ - * /`` and comparisons, so
given ``fractions.Fraction`` (or int) data it runs in exact rational arithmetic
with tolerance 0, and every verdict is exact. Given floats, a pivot, reduced cost
or step whose absolute value is below ``tol`` (``FLOAT_TOL = 1e-9`` unless given)
counts as zero; scale the data so that their largest entries are about 1
(chapter 9 does).

Public names: ``LinearProgram``, ``LPResult``, ``linear_program``, ``simplex``,
``dual_bound``.
"""

import math
from dataclasses import dataclass
from fractions import Fraction
from typing import Any, List, Optional, Sequence, Tuple, Union

__all__ = ["FLOAT_TOL", "LPResult", "LinearProgram", "dual_bound", "linear_program", "simplex"]

Number = Union[int, float, Fraction]
FLOAT_TOL = 1e-9  # float pivots, reduced costs and steps below this count as zero
ITERATIONS_PER_UNKNOWN = 50  # Bland's rule ends; this only guards against a bug


@dataclass(frozen=True)
class LinearProgram:
    """``minimize c . x  subject to  A x = b,  lower <= x <= upper`` (checked data)."""

    c: List[Number]
    A: List[List[Number]]
    b: List[Number]
    lower: List[Number]
    upper: List[Number]  # math.inf where there is no upper bound

    @property
    def exact(self) -> bool:
        """True when every number is an int or a Fraction: then the simplex is exact."""
        values = self.c + self.b + self.lower + [u for u in self.upper if u != math.inf]
        values += [a for row in self.A for a in row]
        return all(isinstance(v, (int, Fraction)) for v in values)


@dataclass(frozen=True)
class LPResult:
    """What the simplex method found: the status, the point, and its certificate."""

    status: str  # "optimal", "infeasible" or "unbounded"
    x: List[Number]  # the last vertex (optimal when status == "optimal")
    objective: Number  # c . x
    duals: List[Number]  # y = c_B B^{-1}, one per equation
    reduced_costs: List[Number]  # d = c - A^T y
    basis: List[int]  # the basic unknowns, one per equation (n + i: row i's artificial)
    iterations: int  # pivots and bound flips, both phases


def _number(value: Any, where: str, allow_inf: bool = False) -> Number:
    """A finite int, float or Fraction (or +inf where allowed); anything else is refused."""
    if isinstance(value, bool) or not isinstance(value, (int, float, Fraction)):
        raise TypeError(f"{where} must be a number (int, float or Fraction), got {value!r}")
    if isinstance(value, float) and not math.isfinite(value) and not (allow_inf and value == math.inf):
        raise ValueError(f"{where} must be finite{' (or math.inf)' if allow_inf else ''}, got {value!r}")
    return value


def linear_program(c: Sequence[Number], A: Sequence[Sequence[Number]], b: Sequence[Number],
                   lower: Optional[Sequence[Number]] = None,
                   upper: Optional[Sequence[Number]] = None) -> LinearProgram:
    """Check and hold ``minimize c . x  s.t.  A x = b, lower <= x <= upper``.

    ``lower`` defaults to all zeros and ``upper`` to all ``math.inf``.

    >>> linear_program([1.0, 1.0], [[1.0, 1.0]], [2.0]).upper
    [inf, inf]
    >>> linear_program([1, 1], [[1, 1]], [2]).exact   # ints become Fractions: exact arithmetic
    True

    Raises ``ValueError`` naming the argument for mismatched lengths, a ragged or
    empty ``A``, NaN or infinite data, or a lower bound above its upper bound, and
    ``TypeError`` for values that are not numbers.
    """
    n = len(c)
    if n == 0 or len(A) == 0:
        raise ValueError("a linear program needs at least one unknown (c) and one equation (A)")
    if len(b) != len(A):
        raise ValueError(f"b has {len(b)} values but A has {len(A)} rows: one right-hand side per equation")
    lows, highs = _bounds(lower, upper, n)
    program = LinearProgram([_number(v, f"c[{j}]") for j, v in enumerate(c)], _rows(A, n),
                            [_number(v, f"b[{i}]") for i, v in enumerate(b)], lows, highs)
    return _one_kind(program)


def _one_kind(program: LinearProgram) -> LinearProgram:
    """Every number as a Fraction when all are exact (int / int would make a float), else
    every number as a float (mixing the two kinds is slow and gains nothing)."""
    kind = Fraction if program.exact else float

    def convert(values: Sequence[Number]) -> List[Number]:
        return [v if v == math.inf else kind(v) for v in values]

    return LinearProgram(convert(program.c), [convert(row) for row in program.A], convert(program.b),
                         convert(program.lower), convert(program.upper))


def _rows(A: Sequence[Sequence[Number]], n: int) -> List[List[Number]]:
    """``A``'s rows, each checked to hold ``n`` numbers."""
    rows = []
    for i, row in enumerate(A):
        if len(row) != n:
            raise ValueError(f"row {i} of A has {len(row)} values, but c has {n}: one column per unknown")
        rows.append([_number(a, f"A[{i}][{j}]") for j, a in enumerate(row)])
    return rows


def _bounds(lower: Optional[Sequence[Number]], upper: Optional[Sequence[Number]],
            n: int) -> Tuple[List[Number], List[Number]]:
    """The checked bounds: one per unknown, lower finite, upper finite or ``math.inf``."""
    lows = [0] * n if lower is None else [_number(v, f"lower[{j}]") for j, v in enumerate(lower)]
    highs = [math.inf] * n if upper is None else [_number(v, f"upper[{j}]", True) for j, v in enumerate(upper)]
    if len(lows) != n or len(highs) != n:
        raise ValueError(f"lower and upper need one bound per unknown ({n})")
    for j, (low, high) in enumerate(zip(lows, highs)):
        if low > high:
            raise ValueError(f"unknown {j} has lower bound {low} above its upper bound {high}: no x fits")
    return lows, highs


def _residuals_at_lower(lp: LinearProgram) -> List[Number]:
    """``b - A lower``: what the artificials must make up when every unknown is at its lower bound."""
    return [bi - sum(a * low for a, low in zip(row, lp.lower)) for row, bi in zip(lp.A, lp.b)]


def _starting_tableau(A: Sequence[Sequence[Number]], signs: Sequence[int]) -> List[List[Number]]:
    """``S^{-1} [A | S] = [S A | I]``: the tableau when the artificials are the basis."""
    m = len(A)
    return [[s * a for a in row] + [1 if k == i else 0 for k in range(m)]
            for i, (row, s) in enumerate(zip(A, signs))]


class _Tableau:
    """The simplex method's working state: ``T = B^{-1} [A | S]``, the values, the basis.

    The artificial unknown of row i has column ``S e_i`` with ``S_ii = +1 or -1``, the
    sign that makes its starting value ``|b_i - A_i . lower|`` non-negative. The
    reduced costs ``d`` of the current phase are kept up to date at every pivot.
    """

    def __init__(self, lp: LinearProgram, tol: Number) -> None:
        self.m, self.n, self.tol = len(lp.A), len(lp.c), tol
        self.lower = lp.lower + [0] * self.m
        self.upper = lp.upper + [math.inf] * self.m
        start = _residuals_at_lower(lp)
        self.signs = [1 if r >= 0 else -1 for r in start]
        self.T = _starting_tableau(lp.A, self.signs)
        self.x = list(lp.lower) + [abs(r) for r in start]
        self.basis = [self.n + i for i in range(self.m)]
        self.basic = [False] * self.n + [True] * self.m
        self.iterations = 0
        self.stalled = False  # the last step had length 0: Bland's rule until one moves
        self.d: List[Number] = []

    def price(self, cost: Sequence[Number]) -> None:
        """Start a phase: ``d_j = cost_j - sum_i cost[basis_i] T_ij`` for every column."""
        on_basis = [cost[k] for k in self.basis]
        self.d = [cost[j] - sum(cb * row[j] for cb, row in zip(on_basis, self.T) if cb)
                  for j in range(self.n + self.m)]

    def _improving(self, j: int) -> int:
        """+1 if raising x_j from its lower bound lowers the objective, -1 if lowering it
        from its upper bound does, 0 if neither (or x_j is basic or fixed).

        With floats, ``d_j`` is a sum of products of the tableau's column j, so its
        rounding grows with that column's size: it counts as zero below ``tol`` times
        ``1 + max_i |T_ij|`` (after a small pivot a column of 1e7 had ``d_j = -3e-9``,
        pure rounding, and the walk took it for a ray to infinity)."""
        if self.basic[j] or self.lower[j] == self.upper[j]:
            return 0
        tol = self.tol * (1 + max(abs(row[j]) for row in self.T)) if self.tol else 0
        if self.d[j] < -tol and self.x[j] == self.lower[j]:
            return 1
        if self.d[j] > tol and self.x[j] == self.upper[j]:
            return -1
        return 0

    def entering(self) -> Optional[Tuple[int, int]]:
        """The unknown to move and its direction, or ``None`` at an optimal vertex.

        Dantzig's rule (the largest ``|d_j|``) while the walk moves; Bland's rule (the
        smallest index) while it is stalled at a degenerate vertex, which cannot cycle.
        """
        best = None
        for j in range(self.n + self.m):
            direction = self._improving(j)
            if direction and self.stalled:
                return j, direction
            if direction and (best is None or abs(self.d[j]) > abs(self.d[best[0]])):
                best = (j, direction)
        return best

    def _row_limit(self, i: int, alpha: Number) -> Tuple[Number, Number]:
        """How far the entering unknown may move before basic unknown i hits a bound
        (``alpha`` is the rate at which it falls), and which bound it hits."""
        k = self.basis[i]
        if alpha > self.tol:
            return max((self.x[k] - self.lower[k]) / alpha, 0), self.lower[k]
        if alpha < -self.tol and self.upper[k] != math.inf:
            return max((self.upper[k] - self.x[k]) / -alpha, 0), self.upper[k]
        return math.inf, 0

    def ratio_test(self, j: int, direction: int) -> Tuple[Number, Optional[int], Number]:
        """The step ``t``, the leaving row (``None`` for a bound flip) and the bound it hits.

        Ties go to the unknown with the smallest index (Bland), the entering one included.
        """
        best: Tuple[Number, int, Optional[int], Number] = (self.upper[j] - self.lower[j], j, None, 0)
        for i, row in enumerate(self.T):
            t, bound = self._row_limit(i, direction * row[j])
            if t < best[0] or (t == best[0] and t != math.inf and self.basis[i] < best[1]):
                best = (t, self.basis[i], i, bound)
        return best[0], best[2], best[3]

    def move(self, j: int, direction: int, t: Number, row: Optional[int], bound: Number) -> None:
        """Move ``x_j`` by ``direction * t``; then flip its bound or pivot it into ``row``."""
        self.iterations += 1
        self.stalled = not t
        if t:
            for i, tableau_row in enumerate(self.T):
                self.x[self.basis[i]] -= direction * t * tableau_row[j]
            self.x[j] += direction * t
        if row is None:
            self.x[j] = self.upper[j] if direction > 0 else self.lower[j]  # exactly on the bound
            return
        leaving = self.basis[row]
        self.pivot(row, j)
        self.x[leaving] = bound  # exactly on the bound it reached

    def pivot(self, r: int, j: int) -> None:
        """Make unknown ``j`` basic in row ``r``: divide the row by ``T_rj``, eliminate
        column j from the other rows and from the reduced costs."""
        pivot_row = [v / self.T[r][j] for v in self.T[r]]
        self.T[r] = pivot_row
        for i, row in enumerate(self.T):
            f = row[j]
            if i != r and f:
                self.T[i] = [a - f * p for a, p in zip(row, pivot_row)]
        f = self.d[j]
        self.d = [a - f * p for a, p in zip(self.d, pivot_row)]
        self.basic[self.basis[r]], self.basic[j] = False, True
        self.basis[r] = j

    def duals(self, cost: Sequence[Number]) -> List[Number]:
        """``y = c_B B^{-1}`` from the tableau: ``B^{-1} = T_art S``, so ``y_i = S_ii sum_k c_k T_k,n+i``."""
        return [s * sum(cost[k] * row[self.n + i] for k, row in zip(self.basis, self.T))
                for i, s in enumerate(self.signs)]

    def run(self, cost: Sequence[Number], limit: int) -> str:
        """Walk to an optimal vertex for ``cost``: "optimal" or "unbounded"."""
        self.price(cost)
        while self.iterations < limit:
            candidate = self.entering()
            if candidate is None:
                return "optimal"
            t, row, bound = self.ratio_test(*candidate)
            if t == math.inf:
                return "unbounded"
            self.move(*candidate, t, row, bound)
        raise ValueError(f"the simplex method did not finish in {limit} steps; this is a bug "
                         f"(Bland's rule cannot cycle): please report the program")


def simplex(lp: LinearProgram, *, tol: Optional[Number] = None) -> LPResult:
    """Solve ``lp`` by the two-phase bounded-variable simplex method with Bland's rule.

    ``tol`` defaults to 0 for exact data (ints and Fractions) and ``FLOAT_TOL`` otherwise.

    >>> program = linear_program([-1.0, -2.0], [[1.0, 1.0]], [4.0], upper=[3.0, 3.0])
    >>> result = simplex(program)
    >>> result.status, result.x, result.objective   # x2 at its bound 3, then x1 = 1
    ('optimal', [1.0, 3.0], -7.0)
    >>> dual_bound(program, result.duals)           # the certificate: the same -7
    -7.0
    """
    tol = (0 if lp.exact else FLOAT_TOL) if tol is None else tol
    tableau = _Tableau(lp, tol)
    m, n = tableau.m, tableau.n
    limit = ITERATIONS_PER_UNKNOWN * (n + m)
    tableau.run([0] * n + [1] * m, limit)  # phase 1: drive the artificials to 0
    infeasibility = sum(tableau.x[n:])
    if infeasibility > tol * (1 + max(abs(v) for v in lp.b)):
        return _result(lp, tableau, "infeasible", [0] * n + [1] * m)
    for k in range(n, n + m):
        tableau.upper[k] = 0  # phase 2: the artificials are fixed at 0
    cost = list(lp.c) + [0] * m
    return _result(lp, tableau, tableau.run(cost, limit), cost)


def _result(lp: LinearProgram, tableau: _Tableau, status: str, cost: Sequence[Number]) -> LPResult:
    """Package the final vertex with its duals ``y`` (``B^T y = c_B``) and ``d = c - A^T y``."""
    x, y = _fresh_values(lp, tableau, cost)
    d = [cj - sum(yi * row[j] for yi, row in zip(y, lp.A)) for j, cj in enumerate(lp.c)]
    return LPResult(status, x, sum(cj * xj for cj, xj in zip(lp.c, x)), y, d, list(tableau.basis),
                    tableau.iterations)


def _fresh_values(lp: LinearProgram, tableau: _Tableau,
                  cost: Sequence[Number]) -> Tuple[List[Number], List[Number]]:
    """The vertex ``x`` and the duals ``y``, solved afresh from the original data and the
    final basis ``B``: the tableau carries ``B^{-1}`` through every pivot, and with
    floats its rounding accumulates (for exact data this changes nothing)."""
    B = _basis_matrix(lp, tableau)
    x = list(tableau.x[:tableau.n])
    basic_values = _solve_square(B, _nonbasic_rest(lp, tableau))
    y = _solve_square([list(column) for column in zip(*B)], [cost[k] for k in tableau.basis])
    if y is None or basic_values is None:  # numerically singular: keep the tableau's own values
        basic_values, y = [tableau.x[k] for k in tableau.basis], tableau.duals(cost)
    for k, value in zip(tableau.basis, basic_values):
        if k < tableau.n:
            x[k] = value
    return x, y


def _nonbasic_rest(lp: LinearProgram, tableau: _Tableau) -> List[Number]:
    """``b - N x_N``: what the basic unknowns must make up (artificials outside are 0)."""
    return [bi - sum(a * tableau.x[j] for j, a in enumerate(row) if not tableau.basic[j])
            for row, bi in zip(lp.A, lp.b)]


def _basis_matrix(lp: LinearProgram, tableau: _Tableau) -> List[List[Number]]:
    """``B``: the original columns of the basic unknowns (an artificial's is ``S_ii e_i``),
    in the program's own kind of number."""
    kind = type(lp.c[0])
    n = tableau.n
    return [[row[k] if k < n else kind(tableau.signs[i] if k - n == i else 0) for k in tableau.basis]
            for i, row in enumerate(lp.A)]


def _solve_square(M: List[List[Number]], r: Sequence[Number]) -> Optional[List[Number]]:
    """Solve ``M v = r`` by Gaussian elimination with partial pivoting; ``None`` if ``M`` is
    singular (a zero pivot)."""
    size = len(M)
    rows = [list(row) + [ri] for row, ri in zip(M, r)]
    for k in range(size):
        pivot = max(range(k, size), key=lambda i: abs(rows[i][k]))
        if rows[pivot][k] == 0:
            return None
        rows[k], rows[pivot] = rows[pivot], rows[k]
        for i in range(k + 1, size):
            f = rows[i][k] / rows[k][k]
            if f:
                rows[i] = [a - f * p for a, p in zip(rows[i], rows[k])]
    v = [0] * size
    for k in reversed(range(size)):
        v[k] = (rows[k][size] - sum(rows[k][j] * v[j] for j in range(k + 1, size))) / rows[k][k]
    return v


def dual_bound(lp: LinearProgram, duals: Sequence[Number]) -> Number:
    """The Lagrangian lower bound ``b . y + sum_j min(d_j lower_j, d_j upper_j)``, ``d = c - A^T y``.

    For every feasible ``x``, ``c . x >= dual_bound``; equality proves ``x`` optimal.
    ``-inf`` when some ``d_j < 0`` has no upper bound to stop it.

    >>> dual_bound(linear_program([1.0, 1.0], [[1.0, 1.0]], [2.0]), [1.0])  # d = 0: b . y = 2
    2.0
    """
    if len(duals) != len(lp.b):
        raise ValueError(f"duals has {len(duals)} values but the program has {len(lp.b)} equations")
    bound = sum(bi * yi for bi, yi in zip(lp.b, duals))
    for j, cj in enumerate(lp.c):
        dj = cj - sum(yi * row[j] for yi, row in zip(duals, lp.A))
        if dj < 0:
            if lp.upper[j] == math.inf:
                return -math.inf
            bound += dj * lp.upper[j]
        else:
            bound += dj * lp.lower[j]
    return bound
