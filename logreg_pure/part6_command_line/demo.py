"""Chapter 34. The demo: the whole book in one run, on real data.

``run_demo`` computes everything the ``demo`` command shows, and writes nothing: the
breast-cancer data are split (a stratified quarter held out), standardized on the
training rows only, fitted by Newton's method with a small penalty (the classes are
separable), and judged on the held-out rows against the majority-class baseline.
``Demo.report()`` is the text; ``Demo.plots`` the SVG pictures, by file name.
"""

import math
from typing import Callable, List, NamedTuple, Optional, Tuple

from ..part1_mathematics.links import logit
from ..part1_mathematics.vectors import Matrix, Vector
from ..part4_estimators.features import Standardizer
from ..part4_estimators.model import LogisticRegression
from ..part5_inference.metrics import accuracy, log_loss_from_logits, roc_auc, roc_curve
from ..part5_inference.selection import train_test_split
from .datasets import load_breast_cancer, load_study_hours
from .files import Dataset
from .plots import plot_decision_boundary, plot_objective, plot_roc, plot_sigmoid

__all__ = ["DEMO_REG", "DEMO_SEED", "Demo", "run_demo"]

DEMO_REG = 0.01  # the breast-cancer classes are separable: some penalty is needed
DEMO_SEED = 0

Plot = Tuple[str, str]  # (file name, SVG text)


class Demo(NamedTuple):
    """What the demo found: the data, the split, the fitted model and the pictures."""

    data: Dataset
    n_train: int
    y_train: Vector
    y_test: Vector
    model: LogisticRegression
    z_test: Vector  # the held-out rows' log-odds
    predicted: List[int]
    plots: List[Plot]

    def report(self) -> str:
        """The demo's text, as the ``demo`` command prints it (without the plots' folder)."""
        return "\n".join(_header(self) + _scores(self) + _effects(self))


def run_demo(progress: Optional[Callable[[int, float], None]] = None) -> Demo:
    """Split, standardize, fit and score the breast-cancer data; draw the plots."""
    data = load_breast_cancer()
    X_train, X_test, y_train, y_test = train_test_split(
        data.X, data.y, test_size=0.25, random_state=DEMO_SEED, stratify=True)
    scaler = Standardizer().fit(X_train)
    train, test = scaler.transform(X_train), scaler.transform(X_test)
    model = LogisticRegression(solver="newton", reg=DEMO_REG, tol=1e-10).fit(
        train, y_train, feature_names=data.feature_names, progress=progress)
    z_test = model.decision_function(test)
    plots = _plots(model, data, train, y_train, y_test, z_test)
    return Demo(data, len(X_train), y_train, y_test, model, z_test, model.predict(test), plots)


def _header(demo: Demo) -> List[str]:
    data, model = demo.data, demo.model
    return [
        f"Breast cancer (Wisconsin diagnostic): {len(data.X)} tumours, {len(data.X[0])} "
        f"features, {int(sum(data.y))} malignant",
        f"Held out {len(demo.y_test)} rows (stratified, seed {DEMO_SEED}); standardized on the "
        f"{demo.n_train} training rows",
        f"Fit: Newton's method with reg = {DEMO_REG:g} (the classes are separable: without a",
        f"     penalty the weights would grow without bound); {model.stop_reason_} after "
        f"{model.n_iter_} steps",
    ]


def _scores(demo: Demo) -> List[str]:
    y_test, z = demo.y_test, demo.z_test
    base_rate = sum(demo.y_train) / len(demo.y_train)
    majority = 1.0 if base_rate >= 0.5 else 0.0
    baseline_logit = [logit(base_rate)] * len(y_test)  # every row gets the training base rate
    return [
        "",
        "On the held-out rows          model   majority-class baseline",
        f"  accuracy                   {accuracy(y_test, demo.predicted):6.3f}   "
        f"{accuracy(y_test, [majority] * len(y_test)):6.3f} (always 'benign')",
        f"  AUC                        {roc_auc(y_test, z):6.3f}   {0.5:6.3f} (no ranking)",
        f"  log loss                   {log_loss_from_logits(y_test, z):6.3f}   "
        f"{log_loss_from_logits(y_test, baseline_logit):6.3f} (the base rate {base_rate:.3f})",
    ]


def _strongest(model: LogisticRegression, names: List[str]) -> List[Tuple[float, str]]:
    return sorted(zip(model.coef_, names), key=lambda pair: -abs(pair[0]))


def _effects(demo: Demo) -> List[str]:
    lines = ["", "Strongest effects: one standard deviation more multiplies the odds by"]
    for coef, name in _strongest(demo.model, demo.data.feature_names)[:5]:
        lines.append(f"  {name:<24} {math.exp(coef):7.2f}   (coef {coef:+.3f})")
    return lines


def _plots(model: LogisticRegression, data: Dataset, train: Matrix, y_train: Vector,
           y_test: Vector, z_test: Vector) -> List[Plot]:
    fpr, tpr, _ = roc_curve(y_test, z_test)
    auc = roc_auc(y_test, z_test)
    hours = load_study_hours()
    hours_model = LogisticRegression(solver="newton", tol=1e-10).fit(hours.X, hours.y)
    # The boundary plot needs a model of two features: the two strongest ones.
    names = [name for _, name in _strongest(model, data.feature_names)[:2]]
    columns = [data.feature_names.index(name) for name in names]
    pair_train = [[row[j] for j in columns] for row in train]
    pair_model = LogisticRegression(solver="newton", reg=DEMO_REG, tol=1e-10).fit(pair_train, y_train)
    return [
        ("objective.svg", plot_objective(model.loss_history_, title="Newton's method: objective J by iteration",
                                         xlabel="iteration")),
        ("roc.svg", plot_roc(fpr, tpr, auc, title=f"ROC on held-out rows (AUC = {auc:.3f})")),
        ("sigmoid.svg", plot_sigmoid([row[0] for row in hours.X], hours.y, hours_model.coef_[0],
                                     hours_model.intercept_, feature_name="hours", target_name="passed")),
        ("boundary.svg", plot_decision_boundary(pair_train, y_train, pair_model.coef_, pair_model.intercept_,
                                                feature_names=[n + " (standardized)" for n in names])),
    ]
