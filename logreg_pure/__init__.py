"""logreg_pure: logistic regression in plain Python, readable front to back.

Read the modules in chapter order: ``vectors`` -> ``links`` (sigmoid and logit) ->
``loss`` (cross-entropy) -> ``gradient`` (and Hessian) -> ``linalg`` -> ``problem`` ->
``driver`` (one loop) -> ``solvers`` (update rules) -> ``coordinate`` -> ``model``; then
the chapters at the edge (``path`` chooses the penalty), and the appendix ``fast`` last. This file only re-exports the names most
people need.
"""

from .errors import (
    ConvergenceWarning,
    DivergenceError,
    NotFittedError,
    SeparationWarning,
    SingularMatrixError,
)
from .inference import summarize
from .links import logit, sigmoid
from .model import LogisticRegression
from .path import choose_reg, reg_max, regularization_path

__all__ = [
    "ConvergenceWarning",
    "DivergenceError",
    "LogisticRegression",
    "NotFittedError",
    "SeparationWarning",
    "SingularMatrixError",
    "choose_reg",
    "logit",
    "reg_max",
    "regularization_path",
    "sigmoid",
    "summarize",
]

__version__ = "0.1.0"
