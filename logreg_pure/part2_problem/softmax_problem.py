"""Chapter 11. The problem for K classes: ``SoftmaxProblem``, for the same loop and rules.

The formulas are chapter 6's (``softmax.py``): the softmax, the loss of one
example as a log-sum-exp, the gradient ``X1^T (P - Y)_k / n`` and the Hessian's K x K
blocks. This page makes them a problem.

Identifiability. Adding the same vector to every class's parameters changes no
probability, so without a penalty the optimum is a whole line of equally good
parameters and the Hessian is singular along it. An unpenalized fit therefore *fixes
a reference class*, the first, at b_0 = 0, w_0 = 0 (as statsmodels' MNLogit does), and
the other classes' parameters become log-odds against it:
``log(p_k / p_0) = b_k + w_k . x``. With K = 2 that is exactly the binary model. A
penalty ``(l2 / 2) sum_k ||w_k||^2`` picks one point of the line by itself (the one
with ``sum_k w_k = 0``), so a penalized fit keeps all K weight vectors, as
scikit-learn does; the intercepts, never penalized, keep b_0 = 0 (only their
differences matter, and the model reports them centred).

``SoftmaxProblem`` holds the data, the penalty and that choice, and answers the
questions of chapter 10 (``at``, ``hessian``, ``batch_gradient``, ``separated``,
``safe_step`` ...) with the formulas of chapter 6. So the loop of chapter 14 and
the rules of chapter 15 run it unchanged: a new model is a new problem, not a new
loop. The fast forms live in the appendix (``fast.FastSoftmaxProblem``), reached
through chapter 10's seam by ``make_softmax_problem``.

Public names: ``SoftmaxProblem``, ``make_softmax_problem``, ``fixes_reference``,
``with_class_weights``.
"""

import copy
import math
from typing import Any, Dict, List, Optional, Sequence, Tuple, Union

from ..part1_mathematics.checks import (
    check_feature_names,
    check_finite_number,
    check_matrix,
    check_sample_weight,
    column_names,
)
from ..part1_mathematics.loss import PENALTIES, penalty_value
from ..part1_mathematics.softmax import (
    _one_hot,
    _weights_or_ones,
    check_class_codes,
    class_scores,
    example_softmax_loss,
    softmax,
    softmax_gradient,
    softmax_hessian,
)
from ..part1_mathematics.vectors import Matrix, Vector, dot, mean, total
from .problem import Point, _total_weight, problem_class

__all__ = ["SoftmaxProblem", "fixes_reference", "make_softmax_problem", "with_class_weights"]

ClassWeights = Union[None, str, Dict[int, float]]


def with_class_weights(sample_weight: Optional[Vector], class_weight: ClassWeights,
                       codes: Sequence[int], n_classes: int) -> Optional[Vector]:
    """Each row's weight times its class's: ``"balanced"`` weighs class k by ``n / (K n_k)``,
    a dict ``{k: a}`` by ``a`` (a class it leaves out weighs 1).

    >>> with_class_weights(None, "balanced", [0, 0, 1, 2], 3)  # 4 / (3 * 2), 4 / (3 * 1)
    [0.6666666666666666, 0.6666666666666666, 1.3333333333333333, 1.3333333333333333]
    """
    if class_weight is None:
        return sample_weight
    if class_weight == "balanced":
        counts = [sum(1 for c in codes if c == k) for k in range(n_classes)]
        per_class = {k: len(codes) / (n_classes * counts[k]) for k in range(n_classes)}
    else:
        per_class = {k: 1.0 for k in range(n_classes)}
        per_class.update(class_weight)  # type: ignore[arg-type]
    base = sample_weight or [1.0] * len(codes)
    return [s * per_class[c] for s, c in zip(base, codes)]


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

class SoftmaxProblem:
    """Multinomial logistic regression on given data, answered by the reference formulas.

    ``y`` holds class indices 0..K-1 (``n_classes`` = K, every class present). theta
    is class by class, the intercept first within each: ``(b_1, w_1, b_2, w_2, ...)``
    when the reference class is fixed, ``(w_0, b_1, w_1, ...)`` when all K weight
    vectors are kept (``reference``; by default ``fixes_reference(reg)``). b_0 is 0.
    ``X`` may be a pandas DataFrame or a NumPy array, as for ``Problem``.

    >>> problem = SoftmaxProblem([[1.0], [3.0], [2.0]], [0, 1, 2], n_classes=3)
    >>> problem.parameter_names
    ['1: intercept', '1: x0', '2: intercept', '2: x0']
    >>> math.isclose(problem.at(problem.start()).objective, math.log(3.0))  # p = 1/3 everywhere
    True
    """

    convex = True  # J is convex: any stationary point is the optimum

    def __init__(self, X: Any, y: Any, *, n_classes: Optional[int] = None, reg: float = 0.0,
                 penalty: str = "l2", sample_weight: Any = None, class_weight: ClassWeights = None,
                 feature_names: Any = None, class_names: Optional[Sequence[Any]] = None,
                 reference: Optional[bool] = None) -> None:
        self.X: Matrix = check_matrix(X, "X")
        self.n_classes = _check_n_classes(n_classes, y)
        self.y: List[int] = check_class_codes(y, len(self.X), self.n_classes)
        weights = check_sample_weight(sample_weight, len(self.X))
        self.sample_weight = with_class_weights(weights, class_weight, self.y, self.n_classes)
        if feature_names is None:
            feature_names = column_names(X)  # a DataFrame's columns, or None
        self.names: List[str] = check_feature_names(feature_names, len(self.X[0]))
        self.class_names = _check_class_names(class_names, self.n_classes)
        self.total_weight = _total_weight(self.sample_weight, len(self.X))
        self.set_penalty(reg, penalty)
        self.reference = fixes_reference(self.reg) if reference is None else bool(reference)
        d1 = self.n_features + 1
        first = 1 if self.reference else 0
        # The free components of the full (K, d + 1) grid, class-major; b_0 is never free.
        self.free = [(k, j) for k in range(first, self.n_classes) for j in range(d1) if k > 0 or j > 0]

    def set_penalty(self, reg: float, penalty: str = "l2") -> None:
        """Set the penalty: ``reg`` >= 0 and ``penalty`` in ``PENALTIES``."""
        self.reg = check_finite_number(reg, "reg", minimum=0.0)
        if penalty not in PENALTIES:
            raise ValueError(f"penalty must be one of {', '.join(map(repr, PENALTIES))}, got {penalty!r}")
        self.penalty = penalty
        self.l2 = self.reg if penalty == "l2" else 0.0
        self.l1 = self.reg if penalty == "l1" else 0.0

    def with_penalty(self, reg: float, penalty: str = "l2") -> "SoftmaxProblem":
        """The same data and parameter layout with another penalty (the data are shared)."""
        other = copy.copy(self)
        other.set_penalty(reg, penalty)
        return other

    # ---------------------------------------------------- the parameter layout

    @property
    def n_rows(self) -> int:
        return len(self.X)

    @property
    def n_features(self) -> int:
        return len(self.X[0])

    @property
    def parameter_names(self) -> List[str]:
        """``"class: intercept"`` and ``"class: feature"`` for each component of theta."""
        names = ["intercept"] + self.names
        return [f"{self.class_names[k]}: {names[j]}" for k, j in self.free]

    @property
    def penalized(self) -> List[bool]:
        """Which components the penalty touches: the weights, never an intercept."""
        return [j > 0 for _, j in self.free]

    @property
    def unpenalized(self) -> bool:
        return self.reg == 0.0

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

    def centred(self, theta: Sequence[float]) -> Vector:
        """``theta`` with each free intercept moved so that the rows' weighted mean of
        ``s_k - s_0`` is ``log(S_k / S_0)`` (``S_k`` class k's weight), the intercept-only
        model's: where a refit starts (chapter 21; the binary ``Problem.centred``).

        >>> SoftmaxProblem([[1.0], [3.0], [5.0]], [0, 1, 2], n_classes=3).centred([0.0, 1.0, 0.0, 0.0])
        [-3.0, 1.0, 0.0, 0.0]
        """
        W, B = self.unpack(theta)
        weights = _weights_or_ones(self.sample_weight, self.n_rows)
        shares = [total(s for s, k in zip(weights, self.y) if k == c) for c in range(self.n_classes)]
        for k, j in self.free:
            if j == 0 and shares[k] > 0.0 and shares[0] > 0.0:
                difference = [a - b for a, b in zip(W[k], W[0])]
                mean_part = total(s * dot(difference, x) for s, x in zip(weights, self.X)) / self.total_weight
                if math.isfinite(mean_part):
                    B[k] = B[0] + math.log(shares[k] / shares[0]) - mean_part
        return self.pack(W, B)

    # ---------------------------------------------------- the questions

    def _penalty(self, W: Matrix) -> float:
        return penalty_value([v for w in W for v in w], self.reg, self.penalty)

    def _mean_loss(self, scores: Matrix) -> float:
        losses = [example_softmax_loss(k, s) for k, s in zip(self.y, scores)]
        if self.sample_weight is None:
            return mean(losses)
        return total(si * v for si, v in zip(self.sample_weight, losses)) / self.total_weight

    def objective(self, theta: Sequence[float]) -> float:
        """``J(theta)``: the mean cross-entropy plus the penalty on every weight."""
        W, B = self.unpack(theta)
        return self._mean_loss(class_scores(W, B, self.X)) + self._penalty(W)

    def at(self, theta: Sequence[float]) -> Point:
        """The scores (one list of K per row), the objective and its gradient at ``theta``."""
        W, B = self.unpack(theta)
        scores = class_scores(W, B, self.X)
        grad_W, grad_B = softmax_gradient(W, B, self.X, self.y, self.l2, sample_weight=self.sample_weight)
        J = self._mean_loss(scores) + self._penalty(W)
        return Point(list(theta), scores, J, self.pack(grad_W, grad_B))  # type: ignore[arg-type]

    def hessian(self, point: Point) -> Matrix:
        """The Hessian of J's smooth part at ``point``, for the free components only."""
        W, B = self.unpack(point.theta)
        H = softmax_hessian(W, B, self.X, self.l2, sample_weight=self.sample_weight)
        d1 = self.n_features + 1
        index = [k * d1 + j for k, j in self.free]
        return [[H[a][b] for b in index] for a in index]

    def batch_gradient(self, theta: Sequence[float], rows: Sequence[int]) -> Vector:
        """The gradient estimated from the rows ``rows`` alone (for SGD): over a batch drawn
        uniformly, its expectation is the full gradient (as in chapter 10)."""
        W, B = self.unpack(theta)
        factor = self.n_rows / self.total_weight / len(rows)
        weights = _weights_or_ones(self.sample_weight, self.n_rows)
        grad_W = [[self.l2 * v for v in w] for w in W]
        grad_B = [0.0] * self.n_classes
        for i in rows:
            x = self.X[i]
            p = softmax([b + dot(w, x) for w, b in zip(W, B)])
            for k, (pk, yk) in enumerate(zip(p, _one_hot(self.y[i], self.n_classes))):
                r = factor * weights[i] * (pk - yk)
                grad_B[k] += r
                grad_W[k] = [g + r * xj for g, xj in zip(grad_W[k], x)]
        return self.pack(grad_W, grad_B)

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
        weights = _weights_or_ones(self.sample_weight, self.n_rows)
        rows = [(s, k) for s, k, si in zip(point.z, self.y, weights) if si > 0.0]  # type: ignore[arg-type]
        if all(all(s[k] > v for l, v in enumerate(s) if l != k) for s, k in rows):
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
        squares = [1.0 + dot(x, x) for x in self.X]
        weights = _weights_or_ones(self.sample_weight, self.n_rows)
        mean_square = total(s * q for s, q in zip(weights, squares)) / self.total_weight
        c = 0.25 if self.n_classes - (1 if self.reference else 0) == 1 else 0.5
        return 1.0 / (c * mean_square + self.l2)


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

    ``options`` are ``SoftmaxProblem``'s: ``n_classes``, ``reg``, ``penalty``,
    ``sample_weight``, ``class_weight``, ``feature_names``, ``class_names``, ``reference``.

    >>> make_softmax_problem([[1.0], [3.0]], [0, 1]).at([0.0, 0.0]).gradient  # as the binary seam
    [0.0, -0.5]
    """
    return problem_class(SoftmaxProblem, fast=fast)(X, y, **options)
