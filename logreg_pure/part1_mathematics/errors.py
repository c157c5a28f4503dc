"""Chapter 0. The ways a fit can go wrong, named.

Every error the library raises on purpose is a ``ValueError`` or ``TypeError`` (so
``except ValueError`` keeps working), and every warning is a ``UserWarning``.
The names below let a caller tell the cases apart:

- ``NotFittedError``: a model was used before ``fit``.
- ``FlatDataError``: a flat list (a 1-d array) where rows were expected. It is a
  ``TypeError`` (the wrong kind of thing) and a ``ValueError`` (the wrong shape, as
  NumPy and scikit-learn call it), so either ``except`` catches it.
- ``DataConversionWarning``: a column of labels (an (n, 1) array) was taken as the
  flat list of labels it holds.
- ``DivergenceError``: gradient descent blew up (the step ``lr`` is too large for the
  data's scale); the message says what to try.
- ``SingularMatrixError``: the Hessian (or information matrix) has no inverse, because
  a column is constant or a combination of others; the message names the column.
- ``ConvergenceWarning``: the solver stopped at its iteration limit before the gradient
  was small; the fit is usable but not the optimum.
- ``GridEdgeWarning``: cross-validation found its best penalty at an end of the grid
  of penalties it tried, so the best may lie beyond it; the message names the edge.
- ``SeparationWarning``: a hyperplane puts every example on its side (complete
  separation) or on its side or the hyperplane itself (quasi-complete), so the
  unpenalized maximum-likelihood estimate does not exist (some weights grow without
  bound); the message names them.
"""

from typing import Sequence

__all__ = [
    "ConvergenceWarning",
    "DataConversionWarning",
    "DivergenceError",
    "FlatDataError",
    "GridEdgeWarning",
    "NotFittedError",
    "SeparationWarning",
    "SingularMatrixError",
]


class NotFittedError(ValueError, AttributeError):
    """A model was asked to predict or describe itself before ``fit``."""


class FlatDataError(TypeError, ValueError):
    """A flat list of numbers (a 1-d array) where a list of rows was expected."""


class DataConversionWarning(UserWarning):
    """Data of one shape were read as another (a column vector of labels as a flat list)."""


class DivergenceError(ValueError):
    """The objective became non-finite or kept rising: the step size is too large.

    ``stop_reason`` is ``"diverged"`` and ``loss_history`` holds the objective up to
    the step where the fit gave up.
    """

    stop_reason = "diverged"
    loss_history: Sequence[float] = ()


class SingularMatrixError(ValueError):
    """A matrix that must be positive definite is not (a column is redundant)."""


class ConvergenceWarning(UserWarning):
    """The solver reached its iteration limit before the gradient was small enough."""


class GridEdgeWarning(UserWarning):
    """The best penalty of a cross-validation is at an end of its grid: the optimum may lie beyond."""


class SeparationWarning(UserWarning):
    """The classes are separated (completely or quasi-completely): the unpenalized optimum
    does not exist."""
