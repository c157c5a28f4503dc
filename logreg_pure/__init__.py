"""logreg_pure: logistic regression in plain Python, readable front to back.

Read the modules in chapter order: ``vectors`` -> ``links`` (sigmoid and logit) ->
``loss`` (cross-entropy) -> ``gradient`` (and Hessian) -> ``linalg`` -> ``problem`` ->
``driver`` (one loop) -> ``solvers`` (update rules) -> ``model``; then the chapters at
the edge, and the appendix ``fast`` last. This file only re-exports the names most
people need.
"""

from .errors import (
    ConvergenceWarning,
    DivergenceError,
    NotFittedError,
    SeparationWarning,
    SingularMatrixError,
)
from .inference import likelihood_ratio_test, summarize
from .links import logit, sigmoid
from .model import LogisticRegression
from .separation import detect_separation

__all__ = [
    "ConvergenceWarning",
    "DivergenceError",
    "LogisticRegression",
    "NotFittedError",
    "SeparationWarning",
    "SingularMatrixError",
    "detect_separation",
    "likelihood_ratio_test",
    "logit",
    "sigmoid",
    "summarize",
]

__version__ = "0.1.0"
