"""logreg_pure: logistic regression in plain Python, readable front to back.

The book's parts are the sub-packages, in reading order; each one's ``__init__.py``
says what it teaches and the order of its chapters:

1. ``part1_mathematics``: the model and its mathematics (vectors, the sigmoid and the
   logit, cross-entropy, gradient and Hessian, the softmax, linear algebra);
2. ``part2_problem``: the problem of one fit, and the one loop that iterates on it;
3. ``part3_solvers``: the solvers, as short update rules;
4. ``part4_estimators``: ``LogisticRegression`` and ``SoftmaxRegression``;
5. ``part5_inference``: inference, evaluation and the choice of the penalty;
6. ``part6_command_line``: files, plots and the command line;
7. ``part7_book``: the book and the browser page;
8. ``part8_appendix``: appendix A, the same formulas arranged for speed (read it last).

This file re-exports the names most people need, and assembles the package: where a
part reaches a later one, it does so through a seam of its own that is filled here
(see below), so that no part imports a later one.
"""

import sys

if sys.version_info < (3, 8):  # pragma: no cover (checked by hand with pyenv's 3.6 and 3.7)
    _TOO_OLD = "logreg_pure needs Python 3.8 or newer; this is Python %d.%d.%d" % sys.version_info[:3]
    if sys.argv[:1] == ["-m"]:  # python -m logreg_pure: one line, no traceback
        sys.stderr.write("error: " + _TOO_OLD + "\n")
        raise SystemExit(1)

    def _one_line(kind, error, trace, previous=sys.excepthook):
        if kind is ImportError and str(error) == _TOO_OLD:
            sys.stderr.write("ImportError: " + _TOO_OLD + "\n")
        else:
            previous(kind, error, trace)

    sys.excepthook = _one_line  # an uncaught import shows the one line, not a traceback
    raise ImportError(_TOO_OLD)

if sys.argv[:1] == ["-m"]:  # `python -m logreg_pure` is starting (argv[0] is "-m" while Python finds the module)
    import os as _os
    import signal as _signal

    def _interrupted_while_starting(signum, frame):  # nothing is read or written yet: one line, and out
        _os.write(2, b"interrupted\n")
        _os._exit(130)

    try:  # before the chapters are imported (0.2 s); __main__.py gives Ctrl-C back to Python
        _signal.signal(_signal.SIGINT, _interrupted_while_starting)
    except (ValueError, OSError):  # not the main thread
        pass

from .part1_mathematics.errors import (
    ConvergenceWarning,
    DivergenceError,
    GridEdgeWarning,
    NotFittedError,
    SeparationWarning,
    SingularMatrixError,
)
from .part1_mathematics.links import logit, sigmoid
from .part2_problem.separation import detect_separation
from .part4_estimators.model import LogisticRegression
from .part4_estimators.multinomial import SoftmaxRegression
from .part5_inference.inference import likelihood_ratio_test, summarize
from .part5_inference.path import choose_reg, reg_max, regularization_path

# The assembly, where a part reaches a later one through a seam of its own:
# - the problem's seam (chapter 10, part 2) gets its fast forms from appendix A (part 8),
#   which no chapter imports (without this, every fit would run the reference formulas);
# - the command line (chapter 35, part 6) gets its `book` command from the book
#   (chapter 38, part 7).
from .part2_problem.problem import use_fast_forms as _use_fast_forms
from .part6_command_line.cli import LATER_COMMANDS as _LATER_COMMANDS
from .part7_book.book import add_book_command as _add_book_command
from .part8_appendix.fast import FAST_FORMS as _FAST_FORMS

_use_fast_forms(_FAST_FORMS)
_LATER_COMMANDS.append(_add_book_command)

__all__ = [
    "ConvergenceWarning",
    "DivergenceError",
    "GridEdgeWarning",
    "LogisticRegression",
    "NotFittedError",
    "SeparationWarning",
    "SingularMatrixError",
    "SoftmaxRegression",
    "choose_reg",
    "detect_separation",
    "likelihood_ratio_test",
    "logit",
    "reg_max",
    "regularization_path",
    "sigmoid",
    "summarize",
]

__version__ = "0.1.0"
