"""Chapter 11. The problem for K classes: ``SoftmaxProblem``, for the same loop and rules.

The formulas are chapter 6's (``softmax.py``): the softmax, the loss of one
example as a log-sum-exp, the gradient ``X1^T (P - Y)_k / n`` and the Hessian's K x K
blocks. This page makes them a problem.

Identifiability. Adding the same vector to every class's parameters changes no
probability, so without a penalty the optimum is a whole line of equally good
parameters and the Hessian is singular along it. An unpenalized fit therefore *fixes
a reference class*, the first, at ``b_0 = 0``, ``w_0 = 0`` (as statsmodels' MNLogit does), and
the other classes' parameters become log-odds against it:
``log(p_k / p_0) = b_k + w_k . x``. With ``K = 2`` that is exactly the binary model. A
penalty ``(l2 / 2) sum_k ||w_k||^2`` picks one point of the line by itself (the one
with ``sum_k w_k = 0``), so a penalized fit keeps all K weight vectors, as
scikit-learn does; the intercepts, never penalized, keep ``b_0 = 0`` (only their
differences matter, and the model reports them centred).

``SoftmaxProblem`` is chapter 10's ``BaseProblem`` (the rows, the labels, the sample
and class weights, the penalty: L2, L1 or the elastic net, split by the same
``penalty_split``) with that choice and the formulas of chapter 6, and it answers every
group of chapter 10's questions: ``at``, ``hessian``, ``batch_gradient``,
``curvature_weights`` and ``hessian_column`` (coordinate descent's), ``separated``,
``safe_step``. So the loop of chapter 14 and the rules of chapters 15 and 16 run it
unchanged: a new model is a new problem, not a new loop. With ``K = 2`` and a reference
class it is, formula for formula, chapter 10's ``Problem``. The fast forms live in
the appendix (``fast.FastSoftmaxProblem``), reached through chapter 10's seam by
``make_softmax_problem``.

Coordinate descent's curvature. Every entry of the Hessian (chapter 6) is a sum over
the rows of ``(s_i / S) p_ik (delta_kl - p_il) x1_ij x1_im``: what a row contributes
depends on its weight and its K probabilities alone. So ``curvature_weights`` gives
each row's ``(s_i / S, p_i)``, and ``hessian_column`` any one column of the full
K-class Hessian from them, cross-class blocks included: coordinate descent then
minimizes the exact quadratic model of J, one coordinate at a time (see chapter 16).

Public names: ``SoftmaxProblem``, ``make_softmax_problem``, ``fixes_reference``.
"""

import math
from typing import Any, List, Optional, Sequence, Tuple

from ..part1_mathematics.softmax import (
    check_class_codes,
    class_scores,
    example_softmax_loss,
    softmax,
    softmax_gradient,
    softmax_hessian,
)
from ..part1_mathematics.vectors import Matrix, Vector, dot, total
from .problem import BaseProblem, ClassWeight, Point, mean_square_length, problem_class

__all__ = ["SoftmaxProblem", "fixes_reference", "make_softmax_problem"]


def fixes_reference(reg: float) -> bool:
    """Does a fit with penalty ``reg`` fix the first class's weights at 0?

    Without a penalty it must: the optimum is otherwise a whole line of parameters
    (see above). With one it need not, and keeping all K classes makes the penalty
    treat every class alike, whichever comes first.

    >>> fixes_reference(0.0), fixes_reference(0.1)
    (True, False)
    """
    return reg == 0.0


# ------------------------------------------------------------- the problem

class SoftmaxProblem(BaseProblem):
    """Multinomial logistic regression on given data, answered by the reference formulas.

    ``y`` holds class indices 0..K-1 (``n_classes`` = K, every class present). theta
    is class by class, the intercept first within each: ``(b_1, w_1, b_2, w_2, ...)``
    when the reference class is fixed, ``(w_0, b_1, w_1, ...)`` when all K weight
    vectors are kept (``reference``; by default ``fixes_reference(reg)``). b_0 is 0.
    The other options are ``BaseProblem``'s (chapter 10), ``class_weight`` keyed by
    class index.

    >>> problem = SoftmaxProblem([[1.0], [3.0], [2.0]], [0, 1, 2], n_classes=3)
    >>> problem.parameter_names
    ['1: intercept', '1: x0', '2: intercept', '2: x0']
    >>> math.isclose(problem.at(problem.start()).objective, math.log(3.0))  # p = 1/3 everywhere
    True
    """

    def __init__(self, X: Any, y: Any, *, n_classes: Optional[int] = None, reg: float = 0.0,
                 penalty: str = "l2", l1_ratio: Optional[float] = None, sample_weight: Any = None,
                 class_weight: ClassWeight = None, feature_names: Any = None,
                 class_names: Optional[Sequence[Any]] = None, reference: Optional[bool] = None) -> None:
        self.n_classes = _check_n_classes(n_classes, y)
        super().__init__(X, y, reg=reg, penalty=penalty, l1_ratio=l1_ratio, sample_weight=sample_weight,
                         class_weight=class_weight, feature_names=feature_names)
        self.class_names = _check_class_names(class_names, self.n_classes)
        self.reference = fixes_reference(self.reg) if reference is None else bool(reference)
        first = 1 if self.reference else 0
        # The free components of the full (K, d + 1) grid, class-major; b_0 is never free.
        self.free = [(k, j) for k in range(first, self.n_classes) for j in range(self.n_features + 1)
                     if k > 0 or j > 0]

    def _labels(self, y: Any, n_rows: int) -> List[int]:
        return check_class_codes(y, n_rows, self.n_classes)

    # ---------------------------------------------------- the parameter layout

    @property
    def parameter_names(self) -> List[str]:
        """``"class: intercept"`` and ``"class: feature"`` for each component of theta."""
        names = ["intercept"] + self.names
        return [f"{self.class_names[k]}: {names[j]}" for k, j in self.free]

    @property
    def penalized(self) -> List[bool]:
        """Which components the penalty touches: the weights, never an intercept."""
        return [j > 0 for _, j in self.free]

    def start(self) -> Vector:
        """Every parameter 0: every class equally likely, J = log K."""
        return [0.0] * len(self.free)

    def unpack(self, theta: Sequence[float]) -> Tuple[Matrix, Vector]:
        """``(W, B)``, every class's weights and intercept, with the fixed ones at 0."""
        grid = [[0.0] * (self.n_features + 1) for _ in range(self.n_classes)]
        for (k, j), value in zip(self.free, theta):
            grid[k][j] = value
        return [row[1:] for row in grid], [row[0] for row in grid]

    def pack(self, W: Sequence[Sequence[float]], B: Sequence[float]) -> Vector:
        """theta from the full ``(W, B)``: the free components, in order."""
        return [B[k] if j == 0 else W[k][j - 1] for k, j in self.free]

    def _free_block(self, H: Matrix) -> Matrix:
        """The rows and columns of the full ``K (d + 1)`` square matrix ``H`` that belong to
        the free components."""
        d1 = self.n_features + 1
        index = [k * d1 + j for k, j in self.free]
        return [[H[a][b] for b in index] for a in index]

    def centred(self, theta: Sequence[float]) -> Vector:
        """``theta`` with each free intercept moved so that the rows' weighted mean of
        the scores' difference (class k's against class 0's) is ``log(S_k / S_0)`` (``S_k``
        class k's total weight), the intercept-only
        model's: where a refit starts (chapter 21; the binary ``Problem.centred``).

        >>> SoftmaxProblem([[1.0], [3.0], [5.0]], [0, 1, 2], n_classes=3).centred([0.0, 1.0, 0.0, 0.0])
        [-3.0, 1.0, 0.0, 0.0]
        """
        W, B = self.unpack(theta)
        shares = self.class_totals()
        for k in [k for k, j in self.free if j == 0]:
            gap = [a - b for a, b in zip(W[k], W[0])]
            mean_gap = total(s * dot(gap, x) for s, x in zip(self.row_weights, self.X)) / self.total_weight
            if shares[k] > 0.0 and shares[0] > 0.0 and math.isfinite(mean_gap):
                B[k] = B[0] + math.log(shares[k] / shares[0]) - mean_gap
        return self.pack(W, B)

    # ---------------------------------------------------- the questions

    def _mean_loss(self, scores: Matrix) -> float:
        losses = [example_softmax_loss(k, s) for k, s in zip(self.y, scores)]
        return total(si * v for si, v in zip(self.row_weights, losses)) / self.total_weight

    def objective(self, theta: Sequence[float]) -> float:
        """``J(theta)``: the mean cross-entropy plus the penalty on every weight."""
        W, B = self.unpack(theta)
        return self._mean_loss(class_scores(W, B, self.X)) + self.penalty_value([v for w in W for v in w])

    def at(self, theta: Sequence[float]) -> Point:
        """The scores (one list of K per row), the objective and its gradient at ``theta``."""
        W, B = self.unpack(theta)
        scores = class_scores(W, B, self.X)
        grad_W, grad_B = softmax_gradient(W, B, self.X, self.y, self.l2, sample_weight=self.sample_weight)
        J = self._mean_loss(scores) + self.penalty_value([v for w in W for v in w])
        return Point(list(theta), scores, J, self.pack(grad_W, grad_B))  # type: ignore[arg-type]

    def hessian(self, point: Point) -> Matrix:
        """The Hessian of J's smooth part at ``point``, for the free components only."""
        W, B = self.unpack(point.theta)
        return self._free_block(softmax_hessian(W, B, self.X, self.l2, sample_weight=self.sample_weight))

    def information(self, theta: Sequence[float], z: Optional[Matrix] = None) -> Matrix:
        """The Fisher information of the free components, ``S`` times the Hessian without a
        penalty (chapter 10's ``Problem.information``, for K classes)."""
        W, B = self.unpack(theta)
        H = self._free_block(softmax_hessian(W, B, self.X, 0.0, sample_weight=self.sample_weight))
        return [[self.total_weight * h for h in row] for row in H]

    def batch_gradient(self, theta: Sequence[float], rows: Sequence[int]) -> Vector:
        """The gradient estimated from the rows ``rows`` alone (for SGD): over a batch drawn
        uniformly, its expectation is the full gradient (as in chapter 10)."""
        W, B = self.unpack(theta)
        factor = self.n_rows / self.total_weight / len(rows)
        weights = self.row_weights
        grad_W = [[self.l2 * v for v in w] for w in W]
        grad_B = [0.0] * self.n_classes
        for i in rows:
            x = self.X[i]
            p = softmax([b + dot(w, x) for w, b in zip(W, B)])
            for k, pk in enumerate(p):
                r = factor * weights[i] * (pk - (1.0 if k == self.y[i] else 0.0))
                grad_B[k] += r
                grad_W[k] = [g + r * xj for g, xj in zip(grad_W[k], x)]
        return self.pack(grad_W, grad_B)

    def curvature_weights(self, point: Point) -> List[Tuple[float, Vector]]:
        """Each row's ``(s_i / S, p_i)``: its share of the weight and its K probabilities at
        ``point``, from which every entry of the Hessian is made (see above)."""
        return [(s / self.total_weight, softmax(scores))
                for s, scores in zip(self.row_weights, point.z)]  # type: ignore[arg-type]

    def hessian_column(self, v: Sequence[Tuple[float, Vector]], a: int,
                       among: Optional[Sequence[int]] = None) -> Vector:
        """Column ``a`` of the free components' Hessian, ``v`` from ``curvature_weights``: for
        ``a = (l, m)`` and a row ``(k, j)``, ``sum_i (s_i / S) p_ik (delta_kl - p_il) x1_ij x1_im``
        (chapter 6's block ``H_kl``, one entry), plus ``l2`` on a weight's own diagonal. Only
        the rows in ``among`` (default: all), in that order.

        >>> problem = SoftmaxProblem([[1.0], [-1.0]], [0, 1], n_classes=2, reg=0.1)
        >>> v = problem.curvature_weights(problem.at(problem.start()))  # p = (1/2, 1/2) on both rows
        >>> problem.free  # all K = 2 weight vectors are free with a penalty; b_0 is fixed at 0
        [(0, 1), (1, 0), (1, 1)]
        >>> problem.hessian_column(v, 0) == [0.25 + 0.1, 0.0, -0.25]  # p (1 - p) + l2, 0, -p_0 p_1
        True
        """
        l, m = self.free[a]
        rows = [[1.0] + x for x in self.X]
        wanted = range(len(self.free)) if among is None else among
        column = []
        for b in wanted:
            k, j = self.free[b]
            h = total(share * p[k] * ((1.0 if k == l else 0.0) - p[l]) * x1[j] * x1[m]
                      for (share, p), x1 in zip(v, rows))
            column.append(h + self.l2 if b == a and m > 0 else h)
        return column

    def separated(self, point: Point) -> bool:
        """Does a hyperplane of this iterate split one class off from all the others?

        It does when some difference of two classes' scores, ``s_k - s_l`` (linear
        in x), is positive on every row of class k and negative on every other row:
        moving class k's parameters further along that difference then lowers every
        row's loss, so without a penalty the optimum lies at infinity. (With two
        classes this is the binary model's separation.) Rows of weight zero do not
        count. Also separated: every row gives its own class strictly the largest
        score (scaling all the parameters up lowers the loss without end).
        """
        rows = [(s, k) for s, k, si in zip(point.z, self.y, self.row_weights) if si > 0.0]  # type: ignore[arg-type]
        if all(_wins(s, k) for s, k in rows):
            return True
        pairs = [(k, l) for k in range(self.n_classes) for l in range(self.n_classes) if k != l]
        return any(_splits_off(rows, k, l) for k, l in pairs)

    def safe_step(self) -> float:
        """A gradient-descent step that never increases J: ``1 / (c mean ||(1, x)||^2 + l2)``.

        Each row's Hessian is ``(diag(p) - p p^T)`` times ``x1 x1^T`` (a Kronecker
        product); Boehning's bound ``diag(p) - p p^T <= (I - 1 1^T / K) / 2`` puts its
        largest eigenvalue at most 1/2, and at most 1/4 when a single class is free
        (K = 2 with a reference: the binary model's ``p (1 - p) <= 1/4``). So
        ``c = 1/4`` then, ``1/2`` otherwise, and the descent lemma does the rest.
        """
        c = 0.25 if self.n_classes - (1 if self.reference else 0) == 1 else 0.5
        return 1.0 / (c * mean_square_length(self) + self.l2)


def _wins(scores: Vector, k: int) -> bool:
    """Does class ``k`` have strictly the largest of ``scores``?"""
    return all(scores[k] > v for l, v in enumerate(scores) if l != k)


def _splits_off(rows: Sequence[Tuple[Vector, int]], k: int, l: int) -> bool:
    """Is ``s_k - s_l`` positive on exactly the rows of class k (and negative on the rest)?"""
    return all((s[k] - s[l] > 0.0) if label == k else (s[k] - s[l] < 0.0) for s, label in rows)


def _check_n_classes(n_classes: Optional[int], y: Any) -> int:
    if n_classes is None:
        try:
            n_classes = int(max(y)) + 1
        except (TypeError, ValueError):
            raise TypeError("y must be a non-empty list of class indices 0..K-1") from None
    if isinstance(n_classes, bool) or not isinstance(n_classes, int) or n_classes < 2:
        raise ValueError(f"n_classes must be a whole number >= 2, got {n_classes!r}")
    return n_classes


def _check_class_names(class_names: Optional[Sequence[Any]], n_classes: int) -> List[str]:
    if class_names is None:
        return [str(k) for k in range(n_classes)]
    names = [str(c) for c in class_names]
    if len(names) != n_classes:
        raise ValueError(f"class_names has {len(names)} names for {n_classes} classes")
    return names


def make_softmax_problem(X: Any, y: Any, *, fast: bool = True, **options: Any) -> SoftmaxProblem:
    """A ``SoftmaxProblem`` through the seam of chapter 10: its fast form (appendix A)
    unless ``fast=False``.

    ``options`` are ``SoftmaxProblem``'s: ``n_classes``, ``reg``, ``penalty``, ``l1_ratio``,
    ``sample_weight``, ``class_weight``, ``feature_names``, ``class_names``, ``reference``.

    >>> make_softmax_problem([[1.0], [3.0]], [0, 1]).at([0.0, 0.0]).gradient  # as the binary seam
    [0.0, -0.5]
    """
    return problem_class(SoftmaxProblem, fast=fast)(X, y, **options)
