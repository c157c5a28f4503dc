"""Chapter 10. The problem of one fit: the data, checked once, and what a solver may ask.

Every solver of the next chapters walks through parameter space, and at each point
``theta = (b, w_1, ..., w_d)`` (the intercept first, as in the Hessian) it asks the
same few questions:

- ``at(theta)``: the log-odds ``z``, the objective ``J`` and its gradient there,
  together a ``Point``;
- ``hessian(point)``: the curvature, for Newton's method;
- ``batch_gradient(theta, rows)``: the gradient estimated from a few rows, for SGD;
- ``curvature_weights(point)`` and ``hessian_column(v, j)``: each row's share of the
  curvature and one column of the Hessian, for coordinate descent (chapter 16), which
  needs only the columns of the weights that move;
- ``separated(point)``: does this iterate put every example on its correct side?
  (Without a penalty the optimum then lies at infinity.)

A ``Problem`` holds the data and the penalty and answers with the reference
formulas of chapters 4 and 5, so this page is short. It checks its data once, when it
is made: the door through which every fit passes.

**The seam.** The appendix ``fast.py`` answers the same questions faster
(``FastProblem``, tested equal to this one). The chapters never import it: they make
their problems through ``make_problem`` here (and ``make_firth_problem``,
``make_softmax_problem`` for chapters 12 and 11), which ask ``problem_class`` which
class answers. ``FAST_FORMS``, the table from a reference class to its fast form, is
empty in this chapter; the package's ``__init__.py``, where the book is assembled,
fills it from the appendix (``use_fast_forms``). ``fast=False`` always gives the
reference class, and so does an empty table.

The penalty is split into its smooth and its sharp part:

    J(theta) = mean loss + (l2 / 2) ||w||^2 + l1 ||w||_1,

``l2 = reg`` for ``penalty="l2"``, ``l1 = reg`` for ``penalty="l1"``, and for the elastic
net ``l1 = reg * l1_ratio``, ``l2 = reg * (1 - l1_ratio)`` (``loss.penalty_split``). The gradient
a ``Point`` carries is that of the smooth part (the loss and the L2 term); the L1 term
has no gradient at 0 and is left to the solvers' proximal steps.
"""

import copy
import math
from dataclasses import dataclass
from typing import Any, Dict, List, Optional, Sequence, Type, Union

from ..part1_mathematics.checks import (
    check_feature_names,
    check_finite_number,
    check_labels,
    check_matrix,
    check_sample_weight,
    column_names,
)
from ..part1_mathematics.gradient import example_gradient, gradient, hessian
from ..part1_mathematics.links import logit, sigmoid_derivative
from ..part1_mathematics.loss import logits, objective, penalty_split
from ..part1_mathematics.vectors import Matrix, Vector, dot, mean, total

__all__ = ["ClassWeight", "FAST_FORMS", "Point", "Problem", "make_problem", "problem_class", "use_fast_forms",
           "with_class_weight"]

ClassWeight = Union[None, str, Dict[int, float]]  # weights keyed by 0 and 1


@dataclass(frozen=True)
class Point:
    """A point of parameter space and what the problem says there."""

    theta: Vector  # (b, w_1, ..., w_d): the intercept first
    z: Vector  # the log-odds of every row, X w + b
    objective: float  # J(theta), penalty included
    gradient: Vector  # the gradient of J's smooth part, intercept first


class Problem:
    """Logistic regression on given data: ``J``, its gradient and Hessian, by the reference formulas.

    >>> problem = Problem([[1.0], [3.0]], [0, 1])
    >>> point = problem.at([0.0, 0.0])      # p = 1/2 on both rows
    >>> point.objective == math.log(2.0), point.gradient
    (True, [0.0, -0.5])

    ``X`` may be a pandas DataFrame or a NumPy array (chapter 2); the feature names
    are ``feature_names``, else a DataFrame's columns, else ``x0, x1, ...``. Raises
    ``ValueError`` or ``TypeError`` for data that ``checks`` refuses, a negative or
    non-finite ``reg``, or an unknown penalty.
    """

    convex = True  # J is convex: any stationary point is the optimum

    def __init__(self, X: Any, y: Any, *, reg: float = 0.0, penalty: str = "l2",
                 l1_ratio: Optional[float] = None, sample_weight: Any = None,
                 class_weight: ClassWeight = None, feature_names: Any = None) -> None:
        self.X: Matrix = check_matrix(X, "X")
        self.y: Vector = check_labels(y, len(self.X))
        weights = check_sample_weight(sample_weight, len(self.X))
        self.sample_weight: Optional[Vector] = with_class_weight(weights, class_weight, self.y)
        if feature_names is None:
            feature_names = column_names(X)  # a DataFrame's columns, or None
        self.names: List[str] = check_feature_names(feature_names, len(self.X[0]))
        self.total_weight = _total_weight(self.sample_weight, len(self.X))
        self.set_penalty(reg, penalty, l1_ratio)

    def set_penalty(self, reg: float, penalty: str = "l2", l1_ratio: Optional[float] = None) -> None:
        """Set the penalty: ``reg`` >= 0, ``penalty`` in ``loss.PENALTIES`` (and
        ``l1_ratio`` for "elasticnet"), split into ``l1`` and ``l2`` by ``penalty_split``."""
        self.reg = check_finite_number(reg, "reg", minimum=0.0)
        self.l1, self.l2 = penalty_split(self.reg, penalty, l1_ratio)
        self.penalty, self.l1_ratio = penalty, l1_ratio

    def with_penalty(self, reg: float, penalty: str = "l2", l1_ratio: Optional[float] = None) -> "Problem":
        """The same data with another penalty (the data are shared, not copied)."""
        other = copy.copy(self)
        other.set_penalty(reg, penalty, l1_ratio)
        return other

    @property
    def n_rows(self) -> int:
        return len(self.X)

    @property
    def n_features(self) -> int:
        return len(self.X[0])

    @property
    def parameter_names(self) -> List[str]:
        """The names of theta's components: ``intercept`` first, then the features."""
        return ["intercept"] + self.names

    @property
    def penalized(self) -> List[bool]:
        """Which components of theta the penalty touches: every weight, never the intercept."""
        return [False] + [True] * self.n_features

    @property
    def unpenalized(self) -> bool:
        return self.reg == 0.0

    def start(self) -> Vector:
        """Where every solver starts: theta = 0, every probability 1/2."""
        return [0.0] * (self.n_features + 1)

    def base_rate(self) -> float:
        """``ybar = (1/S) sum_i s_i y_i``: the weighted share of class 1, the probability the
        intercept-only model gives every row.

        >>> Problem([[1.0], [3.0], [5.0], [7.0]], [0, 1, 1, 1]).base_rate()
        0.75
        """
        weights = self.sample_weight or [1.0] * self.n_rows
        return total(s * yi for s, yi in zip(weights, self.y)) / self.total_weight

    def centred(self, theta: Sequence[float]) -> Vector:
        """``theta`` with its intercept moved so that the rows' weighted mean log-odds is
        ``logit(ybar)``, the intercept-only model's: where a refit starts (chapter 21).

        Moving the weights leaves the intercept to absorb the columns' means: with the
        weights from one fit and the intercept from another, a column whose mean is far
        from 0 pushes every row's probability towards 0 or 1, where no curvature is
        left for Newton's method. Centring the log-odds on the base rate undoes that.
        ``theta`` comes back unchanged when one class has no weight (no finite base rate).

        >>> Problem([[1.0], [3.0]], [0, 1]).centred([5.0, 1.0])  # mean x = 2, logit(1/2) = 0
        [-2.0, 1.0]
        """
        base_rate, w = self.base_rate(), list(theta[1:])
        weights = self.sample_weight or [1.0] * self.n_rows
        mean_part = total(s * dot(w, x) for s, x in zip(weights, self.X)) / self.total_weight
        if not (0.0 < base_rate < 1.0 and math.isfinite(mean_part)):
            return list(theta)
        return [logit(base_rate) - mean_part] + w

    def objective(self, theta: Sequence[float]) -> float:
        """``J(theta)``, the penalty included."""
        return objective(theta[1:], theta[0], self.X, self.y, self.reg, penalty=self.penalty,
                         l1_ratio=self.l1_ratio, sample_weight=self.sample_weight)

    def at(self, theta: Sequence[float]) -> Point:
        """The log-odds, the objective and the gradient at ``theta``."""
        b, w = theta[0], list(theta[1:])
        grad_w, grad_b = gradient(w, b, self.X, self.y, self.l2, sample_weight=self.sample_weight)
        return Point(list(theta), logits(w, b, self.X), self.objective(theta), [grad_b] + grad_w)

    def hessian(self, point: Point) -> Matrix:
        """The Hessian of J's smooth part at ``point`` (chapter 5), intercept first."""
        theta = point.theta
        return hessian(theta[1:], theta[0], self.X, self.l2, sample_weight=self.sample_weight)

    def batch_gradient(self, theta: Sequence[float], rows: Sequence[int]) -> Vector:
        """The gradient of J estimated from the rows ``rows`` alone (for SGD).

        ``(n / S) mean_{i in rows} s_i (p_i - y_i) x1_i + l2 (0, w)``: over a batch drawn
        uniformly at random, its expectation is the full gradient.
        """
        b, w = theta[0], theta[1:]
        factor = self.n_rows / self.total_weight / len(rows)
        weights = self.sample_weight or [1.0] * self.n_rows
        terms = [example_gradient(self.X[i], self.y[i], w, b) for i in rows]
        grad_b = factor * total(weights[i] * r for i, (_, r) in zip(rows, terms))
        grad_w = [factor * total(weights[i] * g[j] for i, (g, _) in zip(rows, terms)) + self.l2 * w[j]
                  for j in range(len(w))]
        return [grad_b] + grad_w

    def curvature_weights(self, point: Point) -> Vector:
        """``v_i = s_i p_i (1 - p_i) / S``: each row's share of J's curvature at ``point``.

        The Hessian of J's smooth part is ``sum_i v_i x1_i x1_i^T + l2 I_w``: these are the
        weights of iteratively reweighted least squares (IRLS) and of glmnet.
        """
        weights = self.sample_weight or [1.0] * self.n_rows
        return [s * sigmoid_derivative(z) / self.total_weight for s, z in zip(weights, point.z)]

    def hessian_column(self, v: Sequence[float], j: int, among: Optional[Sequence[int]] = None) -> Vector:
        """Column ``j`` of the Hessian ``sum_i v_i x1_i x1_i^T + l2 I_w`` (intercept first),
        with ``v`` from ``curvature_weights``: ``H[k][j] = sum_i v_i x1_ik x1_ij``, plus
        ``l2`` on the diagonal for a weight (j >= 1). Only the rows ``k`` in ``among``
        (default: all), in that order."""
        rows = [[1.0] + x for x in self.X]
        wanted = range(self.n_features + 1) if among is None else among
        column = [total(vi * x1[k] * x1[j] for vi, x1 in zip(v, rows)) for k in wanted]
        return [h + self.l2 if k == j and j > 0 else h for k, h in zip(wanted, column)]

    def separated(self, point: Point) -> bool:
        """Is every example strictly on its correct side of ``z = 0``?

        The margin ``(2 y - 1) z`` is positive exactly for a correctly classified
        example; a point on the boundary (z = 0) is not. Rows of weight zero do not
        count: they are not part of the objective.
        """
        weights = self.sample_weight or [1.0] * self.n_rows
        return all((2.0 * yi - 1.0) * zi > 0.0 for zi, yi, si in zip(point.z, self.y, weights) if si > 0.0)

    def safe_step(self) -> float:
        """A gradient-descent step that never increases J: ``4 / (mean ||(1, x)||^2 + 4 l2)``.

        J's Hessian is ``mean p (1 - p) x1 x1^T + l2 I`` with ``p (1 - p) <= 1/4``, so its
        largest eigenvalue is at most ``L = mean ||x1||^2 / 4 + l2`` (the trace bounds
        it), and by the descent lemma any step up to ``2 / L`` decreases J; this is
        ``1 / L``, the textbook choice. The mean is weighted like J's.
        """
        squares = [1.0 + dot(x, x) for x in self.X]
        if self.sample_weight is None:
            mean_square = mean(squares)
        else:
            mean_square = total(s * q for s, q in zip(self.sample_weight, squares)) / self.total_weight
        return 4.0 / (mean_square + 4.0 * self.l2)


SMALLEST_WEIGHT = 2.0 ** -600  # below, weight * p (1 - p) * x^2 leaves the normal floats: refused


def _total_weight(sample_weight: Optional[Vector], n: int) -> float:
    """``S``: the number of rows, or the sum of the sample weights, which must stay finite,
    and whose largest must be at least ``SMALLEST_WEIGHT``: weights of 5e-324 make every
    ``s_i (p_i - y_i)`` round to 0, and Newton's method would stop at theta = 0, "converged"."""
    if sample_weight is None:
        return float(n)
    weight = total(sample_weight)
    if not math.isfinite(weight):
        raise ValueError("sample_weight sums to more than the largest float; only the weights' "
                         "ratios matter, so divide them all by a large number")
    largest = max(sample_weight)
    if largest < SMALLEST_WEIGHT:
        raise ValueError(f"sample_weight's largest value is {largest!r}, so small that the products of "
                         f"weights and probabilities underflow and the fit would be lost to rounding; only "
                         f"the weights' ratios matter, so divide them all by the largest")
    return weight


def with_class_weight(sample_weight: Optional[Vector], class_weight: ClassWeight,
                      labels: Vector) -> Optional[Vector]:
    """Each row's weight times its class's: ``class_weight`` is ``None``, ``"balanced"``
    (class c weighs ``n / (2 n_c)``, so both classes weigh ``n / 2`` in all) or
    ``{0: a, 1: b}`` (a missing class weighs 1).

    >>> with_class_weight(None, "balanced", [0.0, 0.0, 0.0, 1.0])  # 4 / (2 * 3), 4 / (2 * 1)
    [0.6666666666666666, 0.6666666666666666, 0.6666666666666666, 2.0]
    >>> with_class_weight([2.0, 1.0], {1: 3.0}, [0.0, 1.0])
    [2.0, 3.0]
    """
    if class_weight is None:
        return sample_weight
    if class_weight == "balanced":
        n = len(labels)
        n_pos = sum(1 for label in labels if label == 1.0)
        per_class = {0: n / (2.0 * (n - n_pos)), 1: n / (2.0 * n_pos)}
    else:
        per_class = {0: 1.0, 1: 1.0}
        per_class.update(class_weight)  # type: ignore[arg-type]
    base = sample_weight or [1.0] * len(labels)
    return [s * per_class[int(label)] for s, label in zip(base, labels)]


# ------------------------------------------------------------ the seam

FAST_FORMS: Dict[type, type] = {}  # reference problem class -> its fast form; filled by the package's __init__


def use_fast_forms(forms: Dict[type, type]) -> None:
    """Register fast forms for the seam: ``{reference class: fast class}``, each fast
    class a subclass of its reference (it answers the same questions, faster)."""
    for reference, fast in forms.items():
        if not (isinstance(reference, type) and isinstance(fast, type) and issubclass(fast, reference)):
            raise TypeError(f"a fast form must be a subclass of the problem it stands for; "
                            f"got {fast!r} for {reference!r}")
    FAST_FORMS.update(forms)


def problem_class(reference: Type[Any], *, fast: bool = True) -> Type[Any]:
    """The seam: the class that answers as ``reference`` does, its registered fast form
    when ``fast`` (the reference itself when none is registered, or with ``fast=False``).

    >>> problem_class(Problem, fast=False).__name__
    'Problem'
    """
    return FAST_FORMS.get(reference, reference) if fast else reference


def make_problem(X: Any, y: Any, *, fast: bool = True, **options: Any) -> Problem:
    """A ``Problem`` through the seam: its fast form (appendix A) unless ``fast=False``.

    ``options`` are ``Problem``'s: ``reg``, ``penalty``, ``l1_ratio``, ``sample_weight``,
    ``class_weight``, ``feature_names``.

    >>> make_problem([[1.0], [3.0]], [0, 1]).at([0.0, 0.0]).gradient
    [0.0, -0.5]
    """
    return problem_class(Problem, fast=fast)(X, y, **options)
