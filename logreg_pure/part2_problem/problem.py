"""Chapter 10. The problem of one fit: the data, checked once, and the questions a solver may ask.

Every solver of the next chapters walks through parameter space, and at each point
``theta = (b, w_1, ..., w_d)`` (the intercept first, as in the Hessian) it asks a few
questions. Which questions a solver may ask is not left to prose: each group of them
is a ``typing.Protocol`` (PEP 544), a class that lists names and signatures and holds no
code, and the loop of chapter 14 checks that a problem answers every group its rule
asks for before the first step:

- ``HasObjective``, asked by every rule and by the loop: ``start()``, ``at(theta)``
  (the log-odds ``z``, the objective ``J`` and its gradient there, together a
  ``Point``), ``objective(theta)``, ``separated(point)`` (does this iterate put every
  example on its correct side? Without a penalty the optimum then lies at infinity),
  and the data and penalty the problem was made from;
- ``HasHessian``: ``hessian(point)``, the curvature, for Newton's method;
- ``HasBatchGradient``: ``batch_gradient(theta, rows)``, the gradient from a few rows,
  for SGD;
- ``HasCurvature``: ``curvature_weights(point)`` and ``hessian_column(v, j, among)``,
  the curvature at a point and one column of the Hessian at a time, for coordinate
  descent (chapter 16), which needs only the columns of the weights that move. What
  ``v`` holds, the rule never looks at; it is whatever the problem needs to rebuild a
  column: each row's curvature weight ``s_i p_i (1 - p_i) / S`` for two classes, each
  row's ``(s_i / S, p_i)``, its weight and its probabilities, for K;
- ``HasSafeStep``: ``safe_step()``, a step size that never raises J, which gradient
  descent quotes when its own step was too large.

A problem that cannot answer a group says so by setting its names to ``None``, the
way Python's own classes refuse an inherited ``__hash__``: Firth's problem (chapter 12)
has no mini-batch gradient, so ``FirthProblem.batch_gradient = None``, and SGD on it is
refused with a sentence before anything runs, not by an ``AttributeError`` mid-fit.

**One base.** ``BaseProblem`` owns what every problem has: the rows (checked once,
here: the door through which every fit passes), the labels, the weights (sample and
class weights, for any number of classes K), the feature names, the total weight and
the penalty. ``Problem`` (two classes, below), ``SoftmaxProblem`` (K classes, chapter
11), ``FirthProblem`` (chapter 12), ``FixedProblem`` (chapter 13) and the appendix's
fast forms differ from it only in their formulas. The penalty is split into its
smooth and its sharp part, for every problem alike,

    J(theta) = mean loss + (l2 / 2) ||w||^2 + l1 ||w||_1,

``l2 = reg`` for ``penalty="l2"``, ``l1 = reg`` for ``penalty="l1"``, and for the elastic
net ``l1 = reg * l1_ratio``, ``l2 = reg * (1 - l1_ratio)`` (``loss.penalty_split``). The gradient
a ``Point`` carries is that of the smooth part (the loss and the L2 term); the L1 term
has no gradient at 0 and is left to the solvers' proximal steps.

``Problem`` answers with the reference formulas of chapters 4 and 5, so this page is
short. It also builds, in one place, the *Fisher information* ``I = X1^T W X1``
(``information``), whose inverse is the covariance of the estimates (chapter 22) and
whose log-determinant is Firth's penalty (chapter 12).

**The seam.** The appendix ``fast.py`` answers the same questions faster
(``FastProblem``, tested equal to this one). The chapters never import it: they make
their problems through ``make_problem`` here (and ``make_firth_problem``,
``make_softmax_problem`` for chapters 12 and 11), which ask ``problem_class`` which
class answers. ``FAST_FORMS``, the table from a reference class to its fast form, is
empty in this chapter; the package's ``__init__.py``, where the book is assembled,
fills it from the appendix (``use_fast_forms``). ``fast=False`` always gives the
reference class, and so does an empty table.
"""

import copy
import math
from dataclasses import dataclass
from typing import Any, Dict, List, Optional, Protocol, Sequence, Type, Union, runtime_checkable

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
from ..part1_mathematics.loss import logits, objective, penalty_split, penalty_value
from ..part1_mathematics.vectors import Matrix, Vector, dot, mean, total

__all__ = ["BaseProblem", "ClassWeight", "FAST_FORMS", "HasBatchGradient", "HasCurvature", "HasHessian",
           "HasObjective", "HasSafeStep", "Point", "Problem", "make_problem", "problem_class", "questions",
           "check_class_totals", "unanswered", "use_fast_forms", "with_class_weight"]

ClassWeight = Union[None, str, Dict[int, float]]  # weights keyed by class position 0, 1, ..., K - 1


@dataclass(frozen=True)
class Point:
    """A point of parameter space and what the problem says there."""

    theta: Vector  # (b, w_1, ..., w_d): the intercept first
    z: Vector  # the log-odds of every row, X w + b (for K classes: each row's K scores)
    objective: float  # J(theta), penalty included
    gradient: Vector  # the gradient of J's smooth part, intercept first


# ------------------------------------------------------------ the questions, as code

@runtime_checkable
class HasObjective(Protocol):
    """J and its gradient at a point, where to start, and the data and penalty they come from.

    Every rule and the loop ask these; every problem answers them.
    """

    X: Matrix
    names: List[str]
    sample_weight: Optional[Vector]
    n_classes: int
    n_rows: int
    total_weight: float
    reg: float
    penalty: str
    l1_ratio: Optional[float]
    l1: float
    l2: float
    parameter_names: List[str]
    penalized: List[bool]
    unpenalized: bool

    def start(self) -> Vector: ...

    def objective(self, theta: Sequence[float]) -> float: ...

    def at(self, theta: Sequence[float]) -> Point: ...

    def separated(self, point: Point) -> bool: ...


@runtime_checkable
class HasHessian(Protocol):
    """the Hessian of J's smooth part at a point"""

    def hessian(self, point: Point) -> Matrix: ...


@runtime_checkable
class HasBatchGradient(Protocol):
    """a gradient estimated from a few rows"""

    def batch_gradient(self, theta: Sequence[float], rows: Sequence[int]) -> Vector: ...


@runtime_checkable
class HasCurvature(Protocol):
    """the curvature at a point, and one column of the Hessian at a time"""

    def curvature_weights(self, point: Point) -> Any: ...

    def hessian_column(self, v: Any, j: int, among: Optional[Sequence[int]] = None) -> Vector: ...


@runtime_checkable
class HasSafeStep(Protocol):
    """a gradient step that never raises J"""

    def safe_step(self) -> float: ...


def questions(protocol: type) -> List[str]:
    """The names a protocol asks for: its data (annotated) and its methods.

    >>> questions(HasCurvature)
    ['curvature_weights', 'hessian_column']
    """
    data = list(getattr(protocol, "__annotations__", {}))
    methods = [name for name, value in vars(protocol).items() if callable(value) and not name.startswith("_")]
    return data + methods


def unanswered(problem: Any, protocol: type) -> List[str]:
    """The names of ``protocol`` that ``problem`` lacks (a method set to ``None`` is lacking).

    >>> unanswered(Problem([[1.0], [3.0]], [0, 1]), HasCurvature)
    []
    >>> class NoBatches(Problem):
    ...     batch_gradient = None    # this problem cannot estimate a gradient from a few rows
    >>> unanswered(NoBatches([[1.0], [3.0]], [0, 1]), HasBatchGradient)
    ['batch_gradient']
    """
    return [name for name in questions(protocol)
            if not hasattr(problem, name) or (callable(getattr(protocol, name, None))
                                              and getattr(problem, name) is None)]


# ------------------------------------------------------------ what every problem owns

class BaseProblem:
    """What every problem owns: rows, labels, weights and penalty, checked once.

    A subclass says how its labels are read (``_labels``: 0/1 for two classes, class
    indices for K) and answers the questions above with its formulas. ``X`` may be a
    pandas DataFrame or a NumPy array (chapter 2); the feature names are
    ``feature_names``, else a DataFrame's columns, else ``x0, x1, ...``. Raises
    ``ValueError`` or ``TypeError`` for data that ``checks`` refuses, a negative or
    non-finite ``reg``, or a penalty that ``penalty_split`` refuses.
    """

    convex = True  # J is convex: any stationary point is the optimum
    n_classes = 2

    def __init__(self, X: Any, y: Any, *, reg: float = 0.0, penalty: str = "l2",
                 l1_ratio: Optional[float] = None, sample_weight: Any = None,
                 class_weight: ClassWeight = None, feature_names: Any = None) -> None:
        self.X: Matrix = check_matrix(X, "X")
        self.y: Any = self._labels(y, len(self.X))
        weights = check_sample_weight(sample_weight, len(self.X))
        self.sample_weight: Optional[Vector] = with_class_weight(weights, class_weight, self.y, self.n_classes)
        if feature_names is None:
            feature_names = column_names(X)  # a DataFrame's columns, or None
        self.names: List[str] = check_feature_names(feature_names, len(self.X[0]))
        self.total_weight = _total_weight(self.sample_weight, len(self.X))
        check_class_totals(self.class_totals())
        self.set_penalty(reg, penalty, l1_ratio)

    def _labels(self, y: Any, n_rows: int) -> Any:
        raise NotImplementedError  # pragma: no cover (every problem reads its own labels)

    def set_penalty(self, reg: float, penalty: str = "l2", l1_ratio: Optional[float] = None) -> None:
        """Set the penalty: ``reg`` >= 0, ``penalty`` in ``loss.PENALTIES`` (and
        ``l1_ratio`` for "elasticnet"), split into ``l1`` and ``l2`` by ``penalty_split``."""
        self.reg = check_finite_number(reg, "reg", minimum=0.0)
        self.l1, self.l2 = penalty_split(self.reg, penalty, l1_ratio)
        self.penalty, self.l1_ratio = penalty, l1_ratio

    def with_penalty(self, reg: float, penalty: str = "l2", l1_ratio: Optional[float] = None) -> Any:
        """The same data and parameter layout with another penalty (the data are shared, not copied)."""
        other = copy.copy(self)
        other.set_penalty(reg, penalty, l1_ratio)
        return other

    def penalty_value(self, weights: Sequence[float]) -> float:
        """``l1 ||w||_1 + (l2 / 2) ||w||^2`` for the weights ``w`` (never an intercept)."""
        return penalty_value(weights, self.reg, self.penalty, self.l1_ratio)

    @property
    def n_rows(self) -> int:
        return len(self.X)

    @property
    def n_features(self) -> int:
        return len(self.X[0])

    @property
    def unpenalized(self) -> bool:
        return self.reg == 0.0

    @property
    def row_weights(self) -> Vector:
        """Each row's weight ``s_i``: the sample weight times its class's, or 1."""
        return self.sample_weight or [1.0] * self.n_rows

    def class_totals(self) -> Vector:
        """``S_k``: the total weight of each class's rows, k = 0 .. K - 1.

        >>> Problem([[1.0], [3.0], [5.0]], [0, 1, 1], sample_weight=[1.0, 2.0, 0.5]).class_totals()
        [1.0, 2.5]
        """
        rows = list(zip(self.row_weights, self.y))
        return [total(s for s, label in rows if label == k) for k in range(self.n_classes)]


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


def check_class_totals(totals: Sequence[float]) -> None:
    """Refuse a class whose rows all have weight 0 (``S_k = 0``): its best probability is 0,
    reached only at an infinite intercept, so no fit could end there (a penalized fit
    would stop somewhere finite and call it converged).

    >>> check_class_totals([2.0, 0.5])   # every class weighs something: nothing to say
    """
    for k, weight in enumerate(totals):
        if not weight > 0.0:
            raise ValueError(f"class {k} (position {k} of the sorted labels) has total weight 0: every one "
                             f"of its rows has sample_weight (times class_weight) 0, so its probability's "
                             f"optimum is 0 at an infinite intercept; give its rows weight, or leave its "
                             f"rows out of X and y")


def with_class_weight(sample_weight: Optional[Vector], class_weight: ClassWeight, labels: Sequence[Any],
                      n_classes: int = 2) -> Optional[Vector]:
    """Each row's weight times its class's: ``class_weight`` is ``None``, ``"balanced"``
    (class k weighs ``n / (K n_k)``, so every class weighs ``n / K`` in all) or
    ``{k: a_k}`` keyed by class position (a class it leaves out weighs 1).

    >>> with_class_weight(None, "balanced", [0.0, 0.0, 0.0, 1.0])  # 4 / (2 * 3), 4 / (2 * 1)
    [0.6666666666666666, 0.6666666666666666, 0.6666666666666666, 2.0]
    >>> with_class_weight(None, "balanced", [0, 0, 1, 2], 3)  # 4 / (3 * 2), 4 / (3 * 1)
    [0.6666666666666666, 0.6666666666666666, 1.3333333333333333, 1.3333333333333333]
    >>> with_class_weight([2.0, 1.0], {1: 3.0}, [0.0, 1.0])
    [2.0, 3.0]
    """
    if class_weight is None:
        return sample_weight
    codes = [int(label) for label in labels]
    if class_weight == "balanced":
        counts = [codes.count(k) for k in range(n_classes)]
        per_class = {k: len(codes) / (n_classes * count) for k, count in enumerate(counts) if count}
    else:
        per_class = {k: 1.0 for k in range(n_classes)}
        per_class.update(class_weight)  # type: ignore[arg-type]
    base = sample_weight or [1.0] * len(codes)
    return [s * per_class[k] for s, k in zip(base, codes)]


# ------------------------------------------------------------ two classes

class Problem(BaseProblem):
    """Logistic regression on given data: ``J``, its gradient and Hessian, by the reference formulas.

    >>> problem = Problem([[1.0], [3.0]], [0, 1])
    >>> point = problem.at([0.0, 0.0])      # p = 1/2 on both rows
    >>> point.objective == math.log(2.0), point.gradient
    (True, [0.0, -0.5])

    Takes ``BaseProblem``'s options (``reg``, ``penalty``, ``l1_ratio``, ``sample_weight``,
    ``class_weight``, ``feature_names``); ``y`` holds the labels 0 and 1, both present.
    """

    def _labels(self, y: Any, n_rows: int) -> Vector:
        return check_labels(y, n_rows)

    @property
    def parameter_names(self) -> List[str]:
        """The names of theta's components: ``intercept`` first, then the features."""
        return ["intercept"] + self.names

    @property
    def penalized(self) -> List[bool]:
        """Which components of theta the penalty touches: every weight, never the intercept."""
        return [False] + [True] * self.n_features

    def start(self) -> Vector:
        """Where every solver starts: theta = 0, every probability 1/2."""
        return [0.0] * (self.n_features + 1)

    def base_rate(self) -> float:
        """``ybar = (1/S) sum_i s_i y_i``: the weighted share of class 1, the probability the
        intercept-only model gives every row.

        >>> Problem([[1.0], [3.0], [5.0], [7.0]], [0, 1, 1, 1]).base_rate()
        0.75
        """
        return self.class_totals()[1] / self.total_weight

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
        mean_part = total(s * dot(w, x) for s, x in zip(self.row_weights, self.X)) / self.total_weight
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

    def information(self, theta: Sequence[float], z: Optional[Sequence[float]] = None) -> Matrix:
        """The Fisher information ``I = X1^T W X1``, ``W = diag(s_i p_i (1 - p_i))``, at ``theta``
        (``z``, its log-odds, when already known): ``S`` times chapter 5's Hessian without a
        penalty. Its inverse is the covariance of the estimates (chapter 22); Firth's
        penalty is half its log-determinant (chapter 12).

        >>> Problem([[1.0], [-1.0]], [0, 1]).information([0.0, 0.0])  # p (1 - p) = 1/4 on both rows
        [[0.5, 0.0], [0.0, 0.5]]
        """
        H = hessian(theta[1:], theta[0], self.X, 0.0, sample_weight=self.sample_weight)
        return [[self.total_weight * h for h in row] for row in H]

    def batch_gradient(self, theta: Sequence[float], rows: Sequence[int]) -> Vector:
        """The gradient of J estimated from the rows ``rows`` alone (for SGD).

        ``(n / S) mean_{i in rows} s_i (p_i - y_i) x1_i + l2 (0, w)``: over a batch drawn
        uniformly at random, its expectation is the full gradient.
        """
        b, w = theta[0], theta[1:]
        factor = self.n_rows / self.total_weight / len(rows)
        weights = self.row_weights
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
        return [s * sigmoid_derivative(z) / self.total_weight for s, z in zip(self.row_weights, point.z)]

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
        rows = zip(point.z, self.y, self.row_weights)
        return all((2.0 * yi - 1.0) * zi > 0.0 for zi, yi, si in rows if si > 0.0)

    def safe_step(self) -> float:
        """A gradient-descent step that never increases J: ``4 / (mean ||(1, x)||^2 + 4 l2)``.

        J's Hessian is ``mean p (1 - p) x1 x1^T + l2 I`` with ``p (1 - p) <= 1/4``, so its
        largest eigenvalue is at most ``L = mean ||x1||^2 / 4 + l2`` (the trace bounds
        it), and by the descent lemma any step up to ``2 / L`` decreases J; this is
        ``1 / L``, the textbook choice. The mean is weighted like J's.
        """
        return 4.0 / (mean_square_length(self) + 4.0 * self.l2)


def mean_square_length(problem: BaseProblem) -> float:
    """``(1/S) sum_i s_i ||(1, x_i)||^2``: the rows' mean squared length, weighted like J.

    >>> mean_square_length(Problem([[1.0], [3.0]], [0, 1]))  # ((1 + 1) + (1 + 9)) / 2
    6.0
    """
    squares = [1.0 + dot(x, x) for x in problem.X]
    if problem.sample_weight is None:
        return mean(squares)
    return total(s * q for s, q in zip(problem.sample_weight, squares)) / problem.total_weight


# ------------------------------------------------------------ the seam

FAST_FORMS: Dict[type, type] = {}  # reference problem class -> its fast form; filled by the package's __init__


def use_fast_forms(forms: Dict[type, type]) -> None:
    """Register fast forms for the seam: ``{reference class: fast class}``, each fast
    class a subclass of its reference (it answers the same questions, faster)."""
    if not isinstance(forms, dict):
        raise TypeError(f"forms must be a dict {{reference problem class: its fast form}}, got {forms!r}")
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
    if not isinstance(fast, bool):
        raise TypeError(f"fast must be True (the appendix's fast forms) or False (the reference "
                        f"formulas), got {fast!r}")
    if not (isinstance(reference, type) and issubclass(reference, BaseProblem)):
        raise TypeError(f"reference must be a problem class (a subclass of BaseProblem, such as Problem), "
                        f"got {reference!r}")
    return FAST_FORMS.get(reference, reference) if fast else reference


def make_problem(X: Any, y: Any, *, fast: bool = True, **options: Any) -> Problem:
    """A ``Problem`` through the seam: its fast form (appendix A) unless ``fast=False``.

    ``options`` are ``Problem``'s: ``reg``, ``penalty``, ``l1_ratio``, ``sample_weight``,
    ``class_weight``, ``feature_names``.

    >>> make_problem([[1.0], [3.0]], [0, 1]).at([0.0, 0.0]).gradient
    [0.0, -0.5]
    """
    return problem_class(Problem, fast=fast)(X, y, **options)
