"""Chapter 12. Firth's penalized likelihood: finite estimates, even under separation.

When the data are separated (chapter 9) the log-likelihood keeps rising towards
infinity, and no amount of iterating finds its maximum. Firth (1993) removed the
leading term of the maximum-likelihood estimate's bias by adding half the log of
the determinant of the Fisher information, Jeffreys' invariant prior:

    log L*(theta) = log L(theta) + (1/2) log det I(theta),   I = X1^T W X1,  W = diag(s_i p_i (1 - p_i)).

Along a separating direction every escaping example's ``p_i (1 - p_i)`` falls to
0, the information loses rank, ``log det I -> -infinity``, and the penalty wins:
the penalized likelihood has a finite maximum on every data set whose design has
full column rank (Kosmidis and Firth 2021). Heinze and Schemper (2002) made it the
standard cure for separation in logistic regression; R's ``logistf`` is theirs.

**The modified score.** The derivative of ``(1/2) log det I`` is
``(1/2) tr(I^{-1} dI/dtheta_j) = sum_i h_i (1/2 - p_i) x1_ij``, where

    h_i = s_i p_i (1 - p_i) x1_i^T I^{-1} x1_i

is the *leverage* of example i (the diagonal of the weighted hat matrix; the
``h_i`` sum to ``d + 1``). So the penalized score is

    U*(theta) = X1^T (s (y - p) + h (1/2 - p)),

the ordinary score with each residual nudged towards 1/2 by its leverage. As in
the whole book, the objective is per unit of weight (``S = sum_i s_i``) and is
minimized:

    J_F(theta) = -log L*(theta) / S,    grad J_F = -U* / S = X1^T (s (p - y) + h (p - 1/2)) / S.

**The curvature.** Newton's method needs a matrix to solve against. The exact
Hessian of ``J_F`` needs the derivative of every leverage (third derivatives of the
likelihood). ``logistf`` uses the Fisher information ``I`` alone (Fisher scoring).
Here ``hessian`` differentiates the modified score with the leverages held fixed:

    d U* / d theta  ~  -X1^T diag((s_i + h_i) p_i (1 - p_i)) X1  =  -(I + X1^T diag(h_i p_i (1 - p_i)) X1),

divided by ``S``. Both matrices are positive definite, so either step is a descent
direction and the unchanged Newton rule of chapter 15, with its step halving on
``J_F``, run by the unchanged loop of chapter 14, converges to the same estimate (the
root of ``U*``). But when a few examples carry large leverages, as on small or
separated data, the leverage term is as large as ``I`` itself, and Fisher scoring
crawls: on the 4-row data ``x = 0, 0, 2, 0.25``, ``y = 0, 0, 0, 1`` it took 608
steps to a gradient of 1e-10 where this matrix takes 5 (15 against 13 on the
endometrial data). The covariance reported is still ``I^{-1}``, as in ``logistf``.

**What logistf reports, and so do we** (chapter 22): the covariance ``I^{-1}`` at the
estimate (``vcov``), the penalized log-likelihood ``log L*`` (``loglik``), and
penalized likelihood-ratio tests and profile intervals in which the *full* model's
penalty stays in place while parameters are held fixed (chapter 21).

**What it does not answer.** Of chapter 10's questions, ``FirthProblem`` answers the
loop's and Newton's. It has no mini-batch gradient (``I^{-1}`` couples every row), no
curvature for coordinate descent (whose model would be the likelihood's, not
``J_F``'s) and no safe step (``J_F`` need not be convex): those names are ``None``, and
a rule that asks for them is refused before it starts (chapter 14).

Public names: ``FirthProblem``, ``information_factor``, ``leverages``, ``make_firth_problem``
(the seam of chapter 10 for this problem). The information ``I`` itself is chapter 10's
``Problem.information``.
"""

import math
from typing import Any, List, Optional, Sequence

from ..part1_mathematics.errors import SingularMatrixError
from ..part1_mathematics.gradient import hessian
from ..part1_mathematics.linalg import cholesky, inverse_spd
from ..part1_mathematics.links import sigmoid
from ..part1_mathematics.loss import example_loss, logits
from ..part1_mathematics.vectors import Matrix, Vector, dot, total
from .problem import Point, Problem, problem_class

__all__ = ["FirthProblem", "information_factor", "leverages", "log_det", "make_firth_problem"]


def leverages(X: Sequence[Sequence[float]], z: Sequence[float], inverse: Matrix,
              sample_weight: Optional[Sequence[float]] = None) -> Vector:
    """``h_i = s_i p_i (1 - p_i) x1_i^T I^{-1} x1_i``, given the log-odds and ``I^{-1}``.

    >>> leverages([[1.0], [-1.0]], [0.0, 0.0], [[2.0, 0.0], [0.0, 2.0]])  # (1/4)(2 + 2) each
    [1.0, 1.0]
    """
    weights = sample_weight or [1.0] * len(X)
    result = []
    for x, zi, si in zip(X, z, weights):
        x1 = [1.0] + list(x)
        result.append(si * sigmoid(zi) * sigmoid(-zi) * dot(x1, [dot(row, x1) for row in inverse]))
    return result


def information_factor(I: Matrix, names: Sequence[str]) -> Matrix:
    """The Cholesky factor of the information ``I``, or an error that names the cause: a
    ``ValueError`` when ``I`` overflowed, a ``SingularMatrixError`` naming the column when
    it has no inverse (a constant or duplicated column). Firth's penalty needs both.

    >>> information_factor([[4.0, 0.0], [0.0, 1.0]], ["intercept", "x0"])
    [[2.0, 0.0], [0.0, 1.0]]
    """
    if not all(math.isfinite(v) for row in I for v in row):
        raise ValueError("Firth's information matrix X1^T W X1 overflows: products of two feature values "
                         "exceed 1e308; standardize the features first")
    try:
        return cholesky(I, names)
    except SingularMatrixError as error:
        raise SingularMatrixError(f"Firth's penalty needs an invertible information matrix "
                                  f"X1^T W X1, but {error}; drop the redundant column") from None


def log_det(L: Matrix) -> float:
    """``log det A = 2 sum_j log L_jj`` from the Cholesky factor ``L`` of ``A``."""
    return 2.0 * math.fsum(math.log(L[j][j]) for j in range(len(L)))


class FirthProblem(Problem):
    """Firth's penalized likelihood as a ``Problem``: ``J_F = -log L* / S``, its gradient
    ``-U* / S`` and, for Newton's method, the Fisher information ``I / S``.

    >>> problem = FirthProblem([[1.0], [-1.0]], [1, 0])
    >>> point = problem.at([0.0, 0.0])       # h = 1/2 on both rows, p = 1/2: no nudge
    >>> point.gradient                        # X1^T (p - y) / S = ((0.5 - 0.5) / 2, (-0.5 - 0.5) / 2)
    [0.0, -0.5]

    Raises what ``Problem`` raises for bad data, ``ValueError`` for ``reg != 0`` (the
    penalty is Firth's), and ``SingularMatrixError`` naming the column when ``I`` has
    no inverse (a constant or duplicated column).
    """

    convex = False  # (1/2) log det I need not be concave: a refit may find a local optimum
    batch_gradient = None  # I^{-1} couples every row: there is no gradient of a few rows
    curvature_weights = None  # coordinate descent's quadratic model would be the likelihood's, not J_F's
    hessian_column = None
    safe_step = None  # J_F need not be convex: no step is safe everywhere

    def __init__(self, X: Any, y: Any, *, reg: float = 0.0, penalty: str = "firth",
                 sample_weight: Any = None, class_weight: Any = None, feature_names: Any = None) -> None:
        if reg != 0.0 or penalty != "firth":
            raise ValueError(f"Firth's method has its own penalty; got reg={reg!r}, penalty={penalty!r}: "
                             f"use reg=0 (or penalty='l2' for a ridge penalty instead)")
        super().__init__(X, y, sample_weight=sample_weight, class_weight=class_weight,
                         feature_names=feature_names)
        self.penalty = "firth"
        self.check_rows_cover_parameters()

    def check_rows_cover_parameters(self) -> None:
        """Refuse more parameters than rows of positive weight: ``X1^T W X1`` is then a sum of
        fewer rank-one matrices than its size, singular for every ``theta``, whatever the
        columns (a column would be blamed that is not the cause)."""
        rows = sum(1 for s in self.row_weights if s > 0.0)
        if rows < self.n_features + 1:
            raise SingularMatrixError(
                f"Firth's penalty needs an invertible information matrix X1^T W X1, which takes at least as "
                f"many rows of positive weight as parameters: X has {rows} such rows and {self.n_features + 1} "
                f"parameters (the intercept and {self.n_features} features); give more rows or fewer features")

    @property
    def unpenalized(self) -> bool:
        return False  # the penalty is (1/2) log det I: never watch for separation

    @property
    def penalized(self) -> List[bool]:
        return [True] * (self.n_features + 1)  # the penalty involves every parameter

    def objective(self, theta: Sequence[float]) -> float:
        """``J_F(theta) = (sum_i s_i loss_i - (1/2) log det I(theta)) / S``."""
        z = logits(theta[1:], theta[0], self.X)
        data_loss = total(s * example_loss(yi, zi) for s, yi, zi in zip(self.row_weights, self.y, z))
        factor = information_factor(self.information(theta, z), self.parameter_names)
        return (data_loss - 0.5 * log_det(factor)) / self.total_weight

    def firth_residuals(self, theta: Sequence[float]) -> Vector:
        """``r_i = s_i (p_i - y_i) + h_i (p_i - 1/2)``: the residuals whose ``X1^T r / S`` is grad J_F."""
        z = logits(theta[1:], theta[0], self.X)
        inverse = inverse_spd(self.information(theta, z), self.parameter_names)
        h = leverages(self.X, z, inverse, self.sample_weight)
        return [s * (sigmoid(zi) - yi) + hi * (sigmoid(zi) - 0.5)
                for s, zi, yi, hi in zip(self.row_weights, z, self.y, h)]

    def at(self, theta: Sequence[float]) -> Point:
        """The log-odds, ``J_F`` and ``grad J_F = X1^T r / S`` at ``theta``."""
        J = self.objective(theta)  # a singular information matrix is named here, once
        r = self.firth_residuals(theta)
        x1_columns = [[1.0] * self.n_rows] + [list(c) for c in zip(*self.X)]
        grad = [dot(column, r) / self.total_weight for column in x1_columns]
        return Point(list(theta), logits(theta[1:], theta[0], self.X), J, grad)

    def hessian(self, point: Point) -> Matrix:
        """``(I + X1^T diag(h_i p_i (1 - p_i)) X1) / S``: the modified score's Jacobian with the
        leverages held fixed (the Fisher information is ``information``)."""
        inverse = inverse_spd(self.information(point.theta, point.z), self.parameter_names)
        h = leverages(self.X, point.z, inverse, self.sample_weight)
        boosted = [s + hi for s, hi in zip(self.row_weights, h)]
        H = hessian(point.theta[1:], point.theta[0], self.X, 0.0, sample_weight=boosted)
        factor = total(boosted) / self.total_weight  # chapter 5 divides by the weights' total
        return [[factor * v for v in row] for row in H]

    def with_penalty(self, reg: float, penalty: str = "l2", l1_ratio: Optional[float] = None) -> Problem:
        """The same data with a ridge penalty (``reg = 0``: maximum likelihood) instead of Firth's:
        its Hessian times ``S`` is the Fisher information ``I``, whose inverse is the covariance."""
        return Problem(self.X, self.y, reg=reg, penalty=penalty, l1_ratio=l1_ratio,
                       sample_weight=self.sample_weight, feature_names=self.names)

    def modified_score(self, theta: Sequence[float]) -> Vector:
        """Firth's modified score ``U* = X1^T (s (y - p) + h (1/2 - p)) = -S grad J_F``; 0 at the estimate."""
        return [-self.total_weight * g for g in self.at(theta).gradient]

    def separated(self, point: Point) -> bool:
        return False  # the penalized optimum is finite whatever the data


def make_firth_problem(X: Any, y: Any, *, fast: bool = True, **options: Any) -> FirthProblem:
    """A ``FirthProblem`` through the seam of chapter 10: its fast form (appendix A)
    unless ``fast=False``. ``options``: ``sample_weight``, ``class_weight``, ``feature_names``.

    >>> make_firth_problem([[1.0], [-1.0]], [1, 0]).at([0.0, 0.0]).gradient
    [0.0, -0.5]
    """
    return problem_class(FirthProblem, fast=fast)(X, y, **options)
