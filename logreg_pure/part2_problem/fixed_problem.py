"""Chapter 13. A problem with some parameters held: ``FixedProblem``, for restricted fits.

A likelihood-ratio test or a profile-likelihood interval (chapter 21) refits the
model with chosen parameters held at given values. That refit is the same loop and
the same Newton rule on a smaller problem: ``FixedProblem`` wraps any problem (the
binary one of chapter 10, or Firth's of chapter 12) and answers the loop's and
Newton's questions about the free parameters only, passing the full parameter
vector, with the held values put back, to the problem it wraps. For Firth's method
the penalty therefore stays ``(1/2) log det I`` of the *full* model, the convention
of ``logistf``.

Public names: ``FixedProblem``.
"""

from typing import Any, Dict, List, Sequence

from ..part1_mathematics.vectors import Matrix, Vector
from .problem import BaseProblem, Point

__all__ = ["FixedProblem"]

# What a restricted problem shares with the problem it restricts (chapter 10's BaseProblem's data).
SHARED = ("X", "y", "sample_weight", "names", "total_weight", "n_classes", "reg", "penalty", "l1_ratio",
          "l1", "l2", "convex")


class FixedProblem(BaseProblem):
    """``problem`` with the parameters in ``fixed`` (index -> value) held still.

    Its parameters are the free ones, in order; ``full(theta)`` puts the fixed values
    back. The data and the penalty are the base problem's.

    >>> from logreg_pure.part2_problem.problem import Problem
    >>> restricted = FixedProblem(Problem([[1.0], [3.0]], [0, 1]), {1: 0.0}, [0.5, 2.0])
    >>> restricted.start(), restricted.full([0.25])
    ([0.5], [0.25, 0.0])
    """

    def __init__(self, problem: Any, fixed: Dict[int, float], start: Sequence[float]) -> None:
        d1 = len(problem.parameter_names)  # d + 1, or (K - 1)(d + 1) for K classes
        _check_fixed(fixed, start, d1)
        for name in SHARED:  # shared, not copied: BaseProblem.__init__ checked them already
            setattr(self, name, getattr(problem, name))
        self.base = problem
        self.fixed = {j: float(v) for j, v in fixed.items()}
        self.free = [j for j in range(d1) if j not in self.fixed]
        self.origin = [self.fixed.get(j, float(start[j])) for j in range(d1)]

    @property
    def parameter_names(self) -> List[str]:
        return [self.base.parameter_names[j] for j in self.free]

    @property
    def penalized(self) -> List[bool]:
        return [self.base.penalized[j] for j in self.free]

    @property
    def unpenalized(self) -> bool:
        return self.base.unpenalized  # Firth's problem has reg = 0 and is penalized all the same

    def full(self, theta: Sequence[float]) -> Vector:
        """The full parameter vector: the fixed values, and ``theta`` in the free places."""
        result = list(self.origin)
        for j, value in zip(self.free, theta):
            result[j] = value
        return result

    def start(self) -> Vector:
        return [self.origin[j] for j in self.free]

    def objective(self, theta: Sequence[float]) -> float:
        return self.base.objective(self.full(theta))

    def at(self, theta: Sequence[float]) -> Point:
        point = self.base.at(self.full(theta))
        return Point(list(theta), point.z, point.objective, [point.gradient[j] for j in self.free])

    def hessian(self, point: Point) -> Matrix:
        self.reached = point  # Newton asks for the curvature only where it stands
        H = self.base.hessian(Point(self.full(point.theta), point.z, point.objective, []))
        return [[H[j][k] for k in self.free] for j in self.free]

    def separated(self, point: Point) -> bool:
        return self.base.separated(point)


def _check_fixed(fixed: Dict[int, float], start: Sequence[float], d1: int) -> None:
    """Refuse a start of the wrong length, a held parameter that does not exist, or
    nothing left free (``ValueError``, naming them)."""
    if len(start) != d1:
        raise ValueError(f"start has {len(start)} values; the problem has {d1} parameters")
    outside = [j for j in fixed if not (isinstance(j, int) and 0 <= j < d1)]
    if outside:
        raise ValueError(f"fixed names parameters {outside}, but they are numbered 0 to {d1 - 1}")
    if len(set(fixed)) == d1:
        raise ValueError("a restricted fit needs at least one free parameter")
