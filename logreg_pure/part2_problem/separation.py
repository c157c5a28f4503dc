"""Chapter 9. Separation: when the maximum-likelihood estimate does not exist.

Write each example's *signed row* ``a_i = (2 y_i - 1) (1, x_i)``: the row itself for
class 1, its negative for class 0. A parameter vector ``theta`` classifies example i
correctly exactly when its margin ``a_i . theta`` is positive, and the loss of the
example falls towards 0 as that margin grows. So if some direction ``beta != 0`` has

    a_i . beta >= 0   for every example,   and   > 0 for at least one,

then walking along it, ``theta + t beta`` with ``t -> infinity``, never raises any
example's loss and lowers some: the log-likelihood keeps rising and its supremum is
approached at infinity. The data are *separated* (Albert and Anderson 1984), and
the maximum-likelihood estimate does not exist. If every margin can be made
positive at once the separation is *complete* (a hyperplane splits the classes);
otherwise it is *quasi-complete*: some examples stay on the boundary whatever the
direction. In the endometrial data (chapter 31) every patient with
neovascularization (``NV = 1``) has a high histology grade, so ``beta = e_NV`` has
margin 1 on those 13 rows and 0 on all others: NV's estimate is +infinity, and a
fit can only report where it gave up.

**Finding such a direction is a linear program** (Konis 2007; the method of R's
``detectseparation``):

    maximize  sum_i a_i . beta   subject to   a_i . beta >= 0 for all i,  -1 <= beta_j <= 1.

``beta = 0`` is feasible with objective 0, so the maximum is 0 exactly when no
separating direction exists, and positive otherwise; the box keeps it finite. The
parameters with ``beta_j != 0`` are the ones whose estimates are infinite, with the
sign of ``beta_j``. This program has one inequality per example; its *dual* has one
equation per parameter, which keeps the simplex tableau of chapter 8 small:

    minimize  sum_j (v_j + w_j)   subject to   sum_i u_i a_i - v + w = -sum_i a_i,   u, v, w >= 0,

that is, with ``lambda = 1 + u``: the smallest ``||sum_i lambda_i a_i||_1`` over
weights ``lambda_i >= 1``. Zero means the signed rows balance out with positive
weights, so no direction can make all margins non-negative with one positive
(the alternative theorem behind every linear-programming certificate). The
direction ``beta`` is read from the dual's duals (``beta = -y``).

**Complete or quasi-complete** is a second question (Gordan's theorem): a set of
rows can all be made strictly positive at once exactly when no weights
``lambda_i >= 0`` summing to 1 balance them (``sum_i lambda_i a_i = 0``: the origin
is not in the convex hull of the rows). Phase 1 of the simplex method answers it:
that program is infeasible exactly for complete separation. Only the rows that
Konis's direction leaves on the boundary (margin 0) need asking: if some ``beta'``
makes those strictly positive, ``beta + eps beta'`` does so for every row once
``eps`` is small enough.

**The fit can prove the opposite itself.** Stiemke's theorem is the other half:
no separating direction exists exactly when the signed rows balance with weights
that are all *strictly* positive. A fit supplies such weights: its residuals
``lambda_i = s_i |y_i - p_i|`` satisfy ``sum_i lambda_i a_i = X1^T s (y - p)``, which
is minus the gradient (times ``S``), nearly zero at the optimum. One Newton step
``Delta = -H^{-1} grad`` removes the imbalance: ``lambda'_i = lambda_i - c_i a_i . Delta``
with ``c_i = s_i p_i (1 - p_i)`` balances exactly (``sum_i c_i a_i a_i^T = S H``),
and since ``c_i <= lambda_i`` it stays positive when every ``|x1_i . Delta| < 1``. So
``newton_step_certifies``: *if Newton's next step would move no example's log-odds by
as much as 1/2, the data are not separated and the maximum-likelihood estimate
exists.* On separated data Newton keeps adding about 1 to the escaping margins at
every step, and the certificate fails, as it must; chapter 15 then asks the linear
program.

The directions are meaningful when the columns of ``(1, X)`` are linearly
independent (detectseparation drops the redundant ones first): along a redundant
column's direction every margin stays 0, so the LP may move it freely. The verdict
itself (separated or not, complete or not) never depends on that.

Rows of weight zero are left out (they are not part of the likelihood). Each
column is first divided by its largest absolute value: a positive scale of a column
changes no margin's sign, so the verdict cannot depend on the units of X, and with
this scaling neither can the reported direction (nor the rounding: a column in
millimetres and one in kilometres meet the tolerances alike). The direction
``beta`` is reported in the data's units, scaled so that its largest component is
1 in size. With floats, ``beta_j`` counts as zero below ``DIRECTION_TOL``
(``sqrt(2**-52)``, detectseparation's ``beta_tolerance``) and the objective as zero
below ``FLOAT_TOL``; with ``exact=True`` the data become ``Fraction``s and the
verdict is exact.

Public names: ``detect_separation``, ``Separation``, ``signed_rows``,
``newton_step_certifies``.
"""

import math
from dataclasses import dataclass
from fractions import Fraction
from typing import Any, List, Optional, Sequence

from ..part1_mathematics.checks import check_feature_names, check_labels, check_matrix, check_sample_weight, shown
from ..part1_mathematics.lp import FLOAT_TOL, LPResult, linear_program, simplex
from ..part1_mathematics.vectors import Matrix, dot

__all__ = ["CERTIFIED_STEP", "DIRECTION_TOL", "Separation", "detect_separation", "newton_step_certifies",
           "signed_rows"]

DIRECTION_TOL = math.sqrt(2.0 ** -52)  # |beta_j| below this is zero (detectseparation's default)
CERTIFIED_STEP = 0.5  # |x1_i . Delta| below 1 certifies; 1/2 leaves room for rounding
LABELS = {1: "+Inf", -1: "-Inf", 0: "finite"}


@dataclass(frozen=True)
class Separation:
    """The verdict: are the data separated, and which estimates are infinite, which way?"""

    names: List[str]  # "intercept" first, then the features
    directions: List[int]  # +1 (+Inf), -1 (-Inf) or 0 (finite), intercept first
    complete: bool  # every example strictly on its correct side along some direction
    objective: float  # the LP's maximum (columns scaled to [-1, 1]): 0 exactly when not separated
    beta: List[float]  # the LP's direction in the data's units, largest component 1 in size

    @property
    def separated(self) -> bool:
        """True when some direction raises the likelihood for ever (the MLE does not exist)."""
        return any(self.directions)

    @property
    def kind(self) -> str:
        """``"none"``, ``"complete"`` or ``"quasi-complete"``."""
        if not self.separated:
            return "none"
        return "complete" if self.complete else "quasi-complete"

    @property
    def infinite(self) -> List[str]:
        """``"NV = +Inf"``, ... for each parameter whose estimate is infinite."""
        return [f"{shown(name, quoted=False)} = {LABELS[s]}" for name, s in zip(self.names, self.directions) if s]

    def __str__(self) -> str:
        names = [shown(name, 30, quoted=False) for name in self.names]  # escaped: names come from files
        width = max(len(name) for name in names)
        lines = [f"Separation: {'yes (' + self.kind + ')' if self.separated else 'no'}",
                 "Existence of maximum-likelihood estimates:"]
        lines += [f"  {name:<{width}}  {LABELS[s]}" for name, s in zip(names, self.directions)]
        lines.append("(finite: the estimate exists; +Inf / -Inf: it lies at plus or minus infinity)")
        return "\n".join(lines)


def signed_rows(X: Sequence[Sequence[float]], y: Sequence[float]) -> Matrix:
    """``a_i = (2 y_i - 1) (1, x_i)``: positive margin ``a_i . theta`` = correctly classified.

    >>> signed_rows([[2.0], [3.0]], [1.0, 0.0])
    [[1.0, 2.0], [-1.0, -3.0]]
    """
    return [[(2.0 * yi - 1.0) * v for v in [1.0] + list(x)] for x, yi in zip(X, y)]


def _separation_program(rows: Sequence[Sequence[Any]], total: Sequence[Any]) -> Any:
    """The dual of Konis's program with the constraints of ``rows`` only and the objective
    ``total . beta`` (``total = A^T 1`` over all rows): ``min sum(v + w)  s.t.  A^T u - v + w = -total``."""
    n, p = len(rows), len(rows[0])
    identity = [[1 if k == j else 0 for k in range(p)] for j in range(p)]
    A = [[row[j] for row in rows] + [-e for e in identity[j]] + identity[j] for j in range(p)]
    return linear_program([0] * n + [1] * (2 * p), A, [-t for t in total])


def _konis(rows: List[List[Any]], tol: Any) -> LPResult:
    """Konis's program by *row generation*: solve it with a spread-out subset of the rows'
    constraints, add the rows its direction violates, and repeat. Each subset's
    program allows more directions than the whole, so its optimum is at least the
    whole's; once the direction violates no row it is the whole's optimum. With a few
    times as many rows as parameters in play, each tableau stays small."""
    n, p = len(rows), len(rows[0])
    total = [sum(row[j] for row in rows) for j in range(p)]
    if n <= 32 * p:
        return simplex(_separation_program(rows, total))  # few rows: row generation gains nothing
    active = sorted({k * n // (8 * p) for k in range(8 * p)})
    while True:
        result = simplex(_separation_program([rows[i] for i in active], total))
        violated = _violated(rows, [-yj for yj in result.duals], set(active), tol)
        if result.status != "optimal" or not violated:
            return result
        active = sorted(set(active).union(violated))


def _violated(rows: Sequence[Sequence[Any]], beta: Sequence[Any], chosen: Any, tol: Any) -> List[int]:
    """The rows outside ``chosen`` whose margin ``a_i . beta`` is below ``-tol``."""
    return [i for i, row in enumerate(rows)
            if i not in chosen and sum(a * b for a, b in zip(row, beta)) < -tol]


def _balance_program(rows: Sequence[Sequence[Any]]) -> Any:
    """Gordan's alternative: weights ``lambda >= 0`` summing to 1 with ``A^T lambda = 0``."""
    n, p = len(rows), len(rows[0])
    A = [[row[j] for row in rows] for j in range(p)] + [[1] * n]
    return linear_program([0] * n, A, [0] * p + [1])


def _column_scales(rows: Matrix, exact: bool) -> List[Any]:
    """Each column's largest absolute value (1 for a column of zeros), as a Fraction when exact."""
    kind = Fraction if exact else float
    return [kind(max(abs(row[j]) for row in rows) or 1.0) for j in range(len(rows[0]))]


def _scaled(rows: Matrix, scales: Sequence[Any], exact: bool) -> List[List[Any]]:
    """The rows with each column divided by its scale: entries in [-1, 1] (Fractions when exact)."""
    kind = Fraction if exact else float
    return [[kind(v) / s for v, s in zip(row, scales)] for row in rows]


def _in_data_units(beta: Sequence[Any], scales: Sequence[Any]) -> List[float]:
    """``beta_j / scale_j``, rescaled so that the largest component is 1 in size."""
    unscaled = [b / s for b, s in zip(beta, scales)]
    largest = max(abs(b) for b in unscaled) or 1
    return [float(b / largest) for b in unscaled]


def _direction_signs(result: LPResult, exact: bool) -> List[int]:
    """The signs of ``beta = -y``, with ``|beta_j| < DIRECTION_TOL`` counted as 0; all 0
    unless the objective is positive (beyond ``FLOAT_TOL`` for floats): a direction along
    which every margin stays 0 (a redundant column's) separates nothing."""
    if not result.objective > (0 if exact else FLOAT_TOL):
        return [0] * len(result.duals)
    tol = 0 if exact else DIRECTION_TOL
    return [1 if -yj > tol else -1 if -yj < -tol else 0 for yj in result.duals]


def _is_complete(rows: List[List[Any]], beta: Sequence[Any], exact: bool) -> bool:
    """Can every row be made strictly positive? Ask Gordan about the rows that ``beta``
    leaves on the boundary (margin at most the tolerance)."""
    tol = 0 if exact else DIRECTION_TOL
    boundary = [row for row in rows if sum(a * b for a, b in zip(row, beta)) <= tol]
    return not boundary or simplex(_balance_program(boundary)).status == "infeasible"


def detect_separation(X: Any, y: Any, sample_weight: Any = None, *, feature_names: Any = None,
                      exact: bool = False) -> Separation:
    """Decide, by linear programming, whether ``(X, y)`` (with an intercept) are separated.

    >>> result = detect_separation([[1.0], [2.0], [3.0], [4.0]], [0, 0, 1, 1])
    >>> result.kind, result.directions      # x > 2.5 splits them: w = +Inf, and b = -2.5 w = -Inf
    ('complete', [-1, 1])
    >>> detect_separation([[1.0], [2.0], [3.0], [4.0]], [0, 1, 0, 1]).separated
    False

    Raises ``ValueError`` / ``TypeError`` for data that ``checks`` refuses.
    """
    rows_X = check_matrix(X, "X")
    labels = check_labels(y, len(rows_X))
    weights = check_sample_weight(sample_weight, len(rows_X)) or [1.0] * len(rows_X)
    names = ["intercept"] + check_feature_names(feature_names, len(rows_X[0]))
    kept = [(x, yi) for x, yi, s in zip(rows_X, labels, weights) if s > 0.0]
    signed = signed_rows([x for x, _ in kept], [yi for _, yi in kept])
    scales = _column_scales(signed, exact)
    rows = _scaled(signed, scales, exact)
    result = _konis(rows, 0 if exact else DIRECTION_TOL * 1e-3)
    if result.status != "optimal":
        raise ValueError(f"the separation program ended {result.status}; it is always feasible "
                         f"and bounded, so this is a bug: please report the data")
    signs = _direction_signs(result, exact)
    beta = [-yj for yj in result.duals]
    complete = any(signs) and _is_complete(rows, beta, exact)
    return Separation(names, signs, complete, float(result.objective), _in_data_units(beta, scales))


def newton_step_certifies(X: Sequence[Sequence[float]], step: Sequence[float],
                          sample_weight: Optional[Sequence[float]] = None) -> bool:
    """Does Newton's step ``Delta`` (intercept first) prove that the data are not separated?

    True when ``|Delta_0 + x_i . Delta_w| <= CERTIFIED_STEP`` for every row of positive
    weight: then the fit's residuals, corrected by that step, are strictly positive
    weights that balance the signed rows (see above), and no separating direction
    exists. False proves nothing.

    >>> newton_step_certifies([[1.0], [2.0]], [0.1, 0.1])    # log-odds move by 0.2 and 0.3
    True
    >>> newton_step_certifies([[1.0], [2.0]], [0.0, 1.0])    # a step of 2 on the second row
    False
    """
    weights = sample_weight or [1.0] * len(X)
    return all(abs(step[0] + dot(x, step[1:])) <= CERTIFIED_STEP
               for x, s in zip(X, weights) if s > 0.0)
