"""Chapter 14. The command line: ``python -m logreg_pure COMMAND``.

Commands: ``demo``. Exit status 0 on success, 2 on a usage error (argparse), 1 on a
data or file error, with a one-line message on stderr and no traceback.
"""

import argparse
import sys
import warnings
from typing import List, Optional, TextIO

from .datasets import load_study_hours
from .model import LogisticRegression

__all__ = ["main"]


def _demo(args: argparse.Namespace, out: TextIO) -> None:
    data = load_study_hours()
    model = LogisticRegression(lr=0.1, epochs=1000, reg=0.0, tol=0.0).fit(data.X, data.y)
    history = model.loss_history_
    print(f"Study hours: {len(data.X)} students, target {data.target_name!r}", file=out)
    print("Fit: the original gradient descent (lr=0.1, 1000 epochs, no penalty)", file=out)
    print(f"  log-odds of passing = {model.intercept_:.4f} + {model.coef_[0]:.4f} * hours", file=out)
    print("Objective J (mean cross-entropy) by epoch:", file=out)
    for epoch in (0, 1, 10, 100, 1000):
        print(f"  epoch {epoch:>4}: {history[epoch]:.6f}", file=out)
    print("Predicted probability of passing:", file=out)
    probabilities = model.predict_proba([[h] for h in (1.0, 2.0, 3.0, 4.0, 5.0)])
    for hours, p in zip((1, 2, 3, 4, 5), probabilities):
        print(f"  {hours} hours: {p:.3f}", file=out)


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="python -m logreg_pure",
                                     description="Logistic regression in plain Python.")
    commands = parser.add_subparsers(dest="command", metavar="COMMAND")
    commands.required = True
    demo = commands.add_parser("demo", help="fit the embedded study-hours data and explain the result")
    demo.set_defaults(run=_demo)
    return parser


def main(argv: Optional[List[str]] = None, out: TextIO = sys.stdout) -> int:
    args = build_parser().parse_args(argv)
    try:
        with warnings.catch_warnings():
            args.run(args, out)
    except (ValueError, TypeError, OSError) as error:
        print(f"error: {error}", file=sys.stderr)
        return 1
    return 0
