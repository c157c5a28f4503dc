"""Chapter 12. Inference: how sure are we of each coefficient, and what does it mean?

At the maximum-likelihood estimate the log-likelihood is curved like a bowl; the
sharper the bowl in a direction, the better the data pin that direction down. The
curvature is the *observed information*

    I = X1^T W X1,   W = diag(p_i (1 - p_i)),   X1 = [1, X]   (intercept first),

which is n times the Hessian of chapter 4 without the penalty. Its inverse
estimates the covariance of the estimates, so

    std error_j = sqrt((I^{-1})_jj),   z_j = beta_j / std error_j,
    p-value_j   = P(|Z| > |z_j|) = erfc(|z_j| / sqrt 2)          (Wald test),
    interval    = beta_j -/+ q * std error_j,  q = the normal (1 - alpha/2) quantile.

``exp(beta_j)`` is an *odds ratio*: one more unit of x_j multiplies the odds
``p / (1 - p)`` by it. It is not a ratio of probabilities. Near p = 1/2 the
probability moves by about ``beta_j / 4`` per unit, since ``dp/dz = p (1 - p) <= 1/4``.

Whole-model statistics compare the fit with the intercept-only ("null") model,
whose probability is the base rate ``mean(y)``: deviance ``-2 log L``, AIC
``-2 log L + 2k``, BIC ``-2 log L + k log n``, McFadden's pseudo-R^2
``1 - log L / log L0``, and the likelihood-ratio statistic ``2 (log L - log L0)``,
chi-square with ``d`` degrees of freedom under the null, its p-value from
``chi2_sf`` (the regularized upper incomplete gamma function, written here).

With K classes (``SoftmaxRegression``, chapter 9b) ``summarize`` reports what
statsmodels' ``MNLogit`` reports: the first class is the reference, and for every
other class k a table of its parameters (intercept first), whose ``exp(beta)`` are
*relative-risk ratios*: one more unit of x_j multiplies ``P(k) / P(reference)`` by
it. The information is the same ``X1^T W X1`` built from the softmax Hessian's
blocks (chapter 8b), the null model gives every row the class frequencies
(``log L0 = sum_k n_k log(n_k / n)``), and the likelihood-ratio test has
``(K - 1) d`` degrees of freedom. Only an unpenalized fit has such a table: a
penalized one keeps all K classes, whose parameters are not contrasts against a
reference.

When not to trust these numbers: with ``reg > 0`` the estimates are shrunk and the
intervals are not classical (the table says "penalized"); on separated data the
estimates do not exist (``summarize`` refuses); an unconverged fit is refused too.

Public names: ``summarize``, ``Summary``, ``SoftmaxSummary``, ``normal_cdf``, ``normal_two_sided_p``,
``normal_quantile``, ``chi2_sf``, ``regularized_gamma_q``.
"""

import math
from dataclasses import dataclass
from statistics import NormalDist
from typing import Any, List, Optional, Sequence, Tuple

from .checks import check_matrix, shown
from .errors import NotFittedError, SingularMatrixError
from .fast import make_problem
from .linalg import check_matrix_memory, inverse_spd
from .links import odds
from .fast import make_softmax_problem
from .loss import example_loss
from .multinomial import SoftmaxRegression
from .problem import Point, Problem
from .softmax import SoftmaxProblem, example_softmax_loss
from .vectors import Matrix, max_abs, total

__all__ = [
    "SoftmaxSummary",
    "Summary",
    "chi2_sf",
    "normal_cdf",
    "normal_quantile",
    "normal_two_sided_p",
    "observed_information",
    "regularized_gamma_q",
    "summarize",
    "summarize_softmax",
]

_EPS = 2.0 ** -52
_TINY = 1e-300  # keeps the continued fraction's denominators away from zero
_MAX_TERMS = 10000


# ------------------------------------------------------------ distributions

def normal_cdf(x: float) -> float:
    """``P(Z <= x)`` for a standard normal Z: ``erfc(-x / sqrt 2) / 2``.

    ``erfc`` keeps full relative accuracy in the lower tail, where ``1 + erf`` would
    cancel.

    >>> normal_cdf(0.0)
    0.5
    >>> round(normal_cdf(1.959963984540054), 6)
    0.975
    """
    return 0.5 * math.erfc(-x / math.sqrt(2.0))


def normal_two_sided_p(z: float) -> float:
    """``P(|Z| >= |z|) = erfc(|z| / sqrt 2)``: the two-sided p-value of a z statistic.

    >>> round(normal_two_sided_p(1.959963984540054), 6)
    0.05
    """
    return math.erfc(abs(z) / math.sqrt(2.0))


def normal_quantile(q: float) -> float:
    """The x with ``P(Z <= x) = q``, from ``statistics.NormalDist``.

    >>> round(normal_quantile(0.975), 4)
    1.96
    """
    if not 0.0 < q < 1.0:
        raise ValueError(f"a quantile needs 0 < q < 1, got {q!r}")
    return NormalDist().inv_cdf(q)


def _gamma_p_series(a: float, x: float) -> float:
    """``P(a, x)`` by its power series, for ``x < a + 1`` where it converges fast."""
    term = 1.0 / a
    series = term
    for n in range(1, _MAX_TERMS):
        term *= x / (a + n)
        series += term
        if abs(term) < abs(series) * _EPS:
            return series * math.exp(a * math.log(x) - x - math.lgamma(a))
    raise ValueError(f"the gamma series did not converge for a={a!r}, x={x!r}")


def _gamma_q_continued_fraction(a: float, x: float) -> float:
    """``Q(a, x)`` by its continued fraction (modified Lentz), for ``x >= a + 1``."""
    b = x + 1.0 - a
    c = 1.0 / _TINY
    d = 1.0 / b
    fraction = d
    for i in range(1, _MAX_TERMS):
        an = -i * (i - a)
        b += 2.0
        d = an * d + b
        d = _TINY if abs(d) < _TINY else d
        c = b + an / c
        c = _TINY if abs(c) < _TINY else c
        d = 1.0 / d
        delta = d * c
        fraction *= delta
        if abs(delta - 1.0) < _EPS:
            return fraction * math.exp(a * math.log(x) - x - math.lgamma(a))
    raise ValueError(f"the gamma continued fraction did not converge for a={a!r}, x={x!r}")


def regularized_gamma_q(a: float, x: float) -> float:
    """The regularized upper incomplete gamma function ``Q(a, x) = Gamma(a, x) / Gamma(a)``.

    >>> regularized_gamma_q(1.0, 2.0) == math.exp(-2.0)  # Q(1, x) = exp(-x)
    True
    """
    if not a > 0.0:
        raise ValueError(f"regularized_gamma_q needs a > 0, got a={a!r}")
    if not x >= 0.0:
        raise ValueError(f"regularized_gamma_q needs x >= 0, got x={x!r}")
    if x == 0.0:
        return 1.0
    if math.isinf(x):
        return 0.0
    if x < a + 1.0:
        return 1.0 - _gamma_p_series(a, x)
    return _gamma_q_continued_fraction(a, x)


def chi2_sf(x: float, df: int) -> float:
    """``P(X >= x)`` for X chi-square with ``df`` degrees of freedom: ``Q(df/2, x/2)``.

    >>> chi2_sf(0.0, 3)
    1.0
    >>> round(chi2_sf(3.841458820694124, 1), 6)  # the 5% critical value for df = 1
    0.05
    """
    if isinstance(df, bool) or not isinstance(df, int) or df < 1:
        raise ValueError(f"chi2_sf needs a whole number of degrees of freedom >= 1, got {df!r}")
    if x <= 0.0:
        return 1.0
    return regularized_gamma_q(df / 2.0, x / 2.0)


# ------------------------------------------------------------------ the summary

@dataclass(frozen=True)
class Summary:
    """The inference of one fitted model on its training data (see ``summarize``).

    The fields are what was measured; every statistic is a property computed from
    them by its textbook formula, so each can be read next to its definition.
    """

    names: List[str]  # "intercept" first, then the features
    params: List[float]  # the estimates, intercept first
    covariance: Matrix  # the inverse of the observed information X1^T W X1
    log_likelihood: float
    null_log_likelihood: float  # of the intercept-only model: the base rate for every row
    n_obs: int
    converged: bool
    stop_reason: str
    reg: float
    target_name: str = "y"

    @property
    def std_errors(self) -> List[float]:
        """``sqrt(covariance_jj)``."""
        return [math.sqrt(self.covariance[j][j]) for j in range(len(self.params))]

    @property
    def z_values(self) -> List[float]:
        """The Wald statistics ``beta_j / std error_j``."""
        return [b / s for b, s in zip(self.params, self.std_errors)]

    @property
    def p_values(self) -> List[float]:
        """Two-sided p-values of the Wald statistics, ``P(|Z| >= |z_j|)``."""
        return [normal_two_sided_p(z) for z in self.z_values]

    @property
    def odds_ratios(self) -> List[float]:
        """``exp(beta_j)``: the factor by which one more unit of x_j multiplies the odds."""
        return [odds(b) for b in self.params]

    @property
    def df_model(self) -> int:
        """Degrees of freedom of the model: the number of features, d."""
        return len(self.params) - 1

    @property
    def df_resid(self) -> int:
        """Residual degrees of freedom: ``n - (d + 1)``."""
        return self.n_obs - len(self.params)

    @property
    def deviance(self) -> float:
        """``-2 log L``."""
        return -2.0 * self.log_likelihood

    @property
    def null_deviance(self) -> float:
        """``-2 log L0``, the deviance of the intercept-only model."""
        return -2.0 * self.null_log_likelihood

    @property
    def aic(self) -> float:
        """Akaike's criterion, ``-2 log L + 2 k`` with ``k = d + 1`` parameters."""
        return self.deviance + 2.0 * len(self.params)

    @property
    def bic(self) -> float:
        """The Bayesian criterion, ``-2 log L + k log n``."""
        return self.deviance + len(self.params) * math.log(self.n_obs)

    @property
    def pseudo_r2(self) -> float:
        """McFadden's pseudo-R^2, ``1 - log L / log L0``."""
        return 1.0 - self.log_likelihood / self.null_log_likelihood

    @property
    def llr(self) -> float:
        """The likelihood-ratio statistic against the null model, ``2 (log L - log L0)``."""
        return 2.0 * (self.log_likelihood - self.null_log_likelihood)

    @property
    def llr_p_value(self) -> float:
        """``P(chi-square with d degrees of freedom >= LLR)``."""
        return chi2_sf(max(self.llr, 0.0), self.df_model)

    @property
    def penalized(self) -> bool:
        return self.reg > 0.0

    def conf_int(self, alpha: float = 0.05) -> List[Tuple[float, float]]:
        """Wald intervals ``beta -/+ q * std error``, q the normal ``1 - alpha/2`` quantile."""
        q = normal_quantile(1.0 - _check_alpha(alpha) / 2.0)
        return [(b - q * s, b + q * s) for b, s in zip(self.params, self.std_errors)]

    def odds_ratio_conf_int(self, alpha: float = 0.05) -> List[Tuple[float, float]]:
        """The intervals of ``conf_int`` on the odds-ratio scale: ``(exp(low), exp(high))``."""
        return [(odds(low), odds(high)) for low, high in self.conf_int(alpha)]

    def interpret(self, alpha: float = 0.05) -> List[str]:
        """One plain sentence per coefficient (the intercept is left out)."""
        level = f"{100 * (1 - _check_alpha(alpha)):g}%"
        sentences = []
        intervals = self.odds_ratio_conf_int(alpha)
        for name, beta, ratio, (low, high) in zip(self.names[1:], self.params[1:],
                                                   self.odds_ratios[1:], intervals[1:]):
            direction = "raises" if beta >= 0 else "lowers"
            sentences.append(
                f"Each one-unit increase in {shown(name, quoted=False)} multiplies the odds (not the probability) "
                f"of {shown(self.target_name, quoted=False)} = 1 by {ratio:.3g} ({level} CI {low:.3g} to {high:.3g}); "
                f"near a probability of 0.5 it {direction} the probability by about "
                f"{abs(beta) / 4:.3g} (beta/4)."
            )
        return sentences

    def __str__(self) -> str:
        return format_summary(self)


def _check_alpha(alpha: float) -> float:
    if isinstance(alpha, bool) or not isinstance(alpha, (int, float)) or not 0.0 < alpha < 1.0:
        raise ValueError(f"alpha must be strictly between 0 and 1, got {alpha!r}")
    return float(alpha)


def format_summary(summary: Summary, alpha: float = 0.05) -> str:
    """The summary as an aligned table of at most 80 columns."""
    names = [shown(name, 20, quoted=False) for name in summary.names]  # escaped: names come from files
    width = max(len(name) for name in names)
    kind = (f"penalized fit (reg={summary.reg:g}), not classical inference"
            if summary.penalized else "maximum likelihood")
    low_label, high_label = f"[{alpha / 2:g}", f"{1 - alpha / 2:g}]"
    rule = "-" * max(67, width + 58)
    lines = [
        f"Logistic regression: {kind}",
        f"Dependent variable: {shown(summary.target_name, 20, quoted=False):<20} No. observations: {summary.n_obs:>8}",
        f"Converged: {('yes' if summary.converged else 'no'):<29} Df model: {summary.df_model:>16}",
        f"Log-likelihood: {summary.log_likelihood:<24.4f} Df residuals: {summary.df_resid:>12}",
        f"Null log-likelihood: {summary.null_log_likelihood:<19.4f} Pseudo R-squared: {summary.pseudo_r2:>8.4f}",
        f"LLR statistic: {summary.llr:<25.4f} LLR p-value: {summary.llr_p_value:>13.4g}",
        f"AIC: {summary.aic:<35.4f} BIC: {summary.bic:>21.4f}",
        rule,
        f"{'':<{width}} {'coef':>10} {'std err':>9} {'z':>8} {'P>|z|':>8} {low_label:>9} {high_label:>8}",
        rule,
    ]
    for name, b, s, z, p, (low, high) in zip(names, summary.params, summary.std_errors,
                                             summary.z_values, summary.p_values,
                                             summary.conf_int(alpha)):
        lines.append(f"{name:<{width}} {b:>10.4f} {s:>9.4f} {z:>8.3f} {p:>8.4f} "
                     f"{low:>9.3f} {high:>8.3f}")
    lines.append(rule)
    return "\n".join(lines)


def observed_information(problem: Problem, point: Point) -> Matrix:
    """``X1^T W X1`` at ``point``, ``W = diag(s_i p_i (1 - p_i))``, intercept first.

    The curvature of the log-likelihood alone: ``S`` times the Hessian of chapter 4
    without the penalty, whatever ``problem``'s penalty. (For a penalized fit, the
    penalty's curvature would shrink the standard errors for no reason found in the
    data.)

    >>> problem = make_problem([[1.0], [-1.0]], [0, 1])
    >>> observed_information(problem, problem.at([0.0, 0.0]))  # p (1 - p) = 1/4 on both rows
    [[0.5, 0.0], [0.0, 0.5]]
    """
    unpenalized = problem.with_penalty(0.0)
    return [[problem.total_weight * h for h in row] for row in unpenalized.hessian(point)]


def _check_summarizable(model: Any) -> None:
    """Refuse models whose estimates are not maximum-likelihood estimates, saying why."""
    if not hasattr(model, "coef_"):
        raise NotFittedError("summarize needs a fitted model: call fit(X, y) first")
    if getattr(model, "stop_reason_", "") == "separated":
        raise ValueError(
            "the classes are perfectly separated, so the maximum-likelihood estimates do not "
            "exist (they are infinite) and neither do their standard errors; fit with reg > 0 "
            "for usable estimates, or drop the separating feature")
    if not model.converged_:
        cure = ("standardize the features or raise epochs" if getattr(model, "solver", "") == "newton"
                else "refit with solver='newton'")
        raise ValueError(
            f"the fit did not converge ({model.stop_reason_}), so its estimates are not the "
            f"maximum-likelihood ones; {cure} before summarizing")
    if model.penalty != "l2":
        raise ValueError(f"summarize does not support penalty={model.penalty!r} (an estimate with an "
                         f"L1 part is not smooth in the data); refit with penalty='l2'")
    if getattr(model, "sample_weight_used_", False):
        raise ValueError("summarize supports unweighted fits only; refit without sample_weight "
                         "and class_weight")


def _check_training_data(model: Any, point: Point) -> None:
    """The gradient of the model's own objective must vanish at its estimate on these data."""
    largest = max_abs(point.gradient)
    if largest > 10.0 * model.tol + 1e-9:
        raise ValueError(
            f"these X and y are not the data the model was fit on: the gradient there is "
            f"{largest:.3g}, not at most tol={model.tol:g}; pass the training data")


def summarize(model: Any, X: Sequence[Sequence[float]], y: Sequence[float],
              feature_names: Optional[Sequence[str]] = None, *,
              target_name: str = "y") -> Summary:
    """Standard errors, z and p-values, intervals and fit statistics for a fitted model.

    ``X`` and ``y`` must be the data the model was fit on (their gradient at the
    estimate is checked). Raises ``NotFittedError`` for an unfitted model,
    ``ValueError`` for mismatched data, names or shapes, for a fit that did not
    converge or whose classes are separated (the estimates do not exist), and
    ``SingularMatrixError`` (naming the column) for a singular information matrix.
    A ``SoftmaxRegression`` gets a ``SoftmaxSummary`` (see ``summarize_softmax``).
    """
    if isinstance(model, SoftmaxRegression):
        return summarize_softmax(model, X, y, feature_names, target_name=target_name)  # type: ignore[return-value]
    _check_summarizable(model)
    names = feature_names if feature_names is not None else getattr(model, "feature_names_in_", None)
    if hasattr(model, "encode_labels"):  # the model's own labels (its classes_) to 0 and 1
        y = model.encode_labels(y)
    problem = make_problem(check_matrix(X, "X", n_features=model.n_features_in_), y, reg=model.reg,
                           feature_names=names)  # the model's own objective, penalty included
    point = problem.at([model.intercept_] + list(model.coef_))
    _check_training_data(model, point)
    check_matrix_memory(problem.n_features + 1, "summarize (the standard errors)",
                        "summarize a model with fewer features")
    try:
        covariance = inverse_spd(observed_information(problem, point), problem.parameter_names)
    except SingularMatrixError as error:
        raise SingularMatrixError(f"the information matrix X1^T W X1 is singular: {error}; "
                                  f"drop the redundant column") from None
    log_likelihood = -total(example_loss(yi, zi) for yi, zi in zip(problem.y, point.z))
    return Summary(problem.parameter_names, point.theta, covariance, log_likelihood,
                   _null_log_likelihood(problem.y), problem.n_rows, model.converged_,
                   model.stop_reason_, model.reg, str(target_name))


def _null_log_likelihood(labels: Sequence[float]) -> float:
    """``n (m log m + (1 - m) log(1 - m))`` with ``m = mean(y)``: every row gets the base rate."""
    n = len(labels)
    base_rate = total(labels) / n
    return n * (base_rate * math.log(base_rate) + (1 - base_rate) * math.log1p(-base_rate))


# ------------------------------------------------------------ K classes (MNLogit)

@dataclass(frozen=True)
class SoftmaxSummary:
    """The inference of an unpenalized ``SoftmaxRegression`` on its training data, as MNLogit's.

    ``params``, ``std_errors``, ``z_values``, ``p_values``, ``conf_int(alpha)`` and
    ``relative_risk_ratios`` hold one list per non-reference class (in the order of
    ``class_names``), intercept first within each, as in the binary table.
    """

    class_names: List[str]  # the classes with parameters: all but the reference
    reference_class: str  # the first class, whose parameters are fixed at 0
    names: List[str]  # "intercept" first, then the features
    theta: List[float]  # every class's parameters in one list, class by class
    covariance: Matrix  # the inverse of the observed information, in theta's order
    log_likelihood: float
    null_log_likelihood: float  # every row given the class frequencies
    n_obs: int
    converged: bool
    stop_reason: str
    target_name: str = "y"

    def _per_class(self, values: Sequence[Any]) -> List[List[Any]]:
        d1 = len(self.names)
        return [list(values[k * d1:(k + 1) * d1]) for k in range(len(self.class_names))]

    @property
    def params(self) -> List[List[float]]:
        return self._per_class(self.theta)

    @property
    def std_errors(self) -> List[List[float]]:
        """``sqrt(covariance_jj)``, per class."""
        return self._per_class([math.sqrt(self.covariance[j][j]) for j in range(len(self.theta))])

    @property
    def z_values(self) -> List[List[float]]:
        """The Wald statistics ``beta / std error``, per class."""
        return [[b / s for b, s in zip(bs, ss)] for bs, ss in zip(self.params, self.std_errors)]

    @property
    def p_values(self) -> List[List[float]]:
        """Two-sided p-values ``P(|Z| >= |z|)``, per class."""
        return [[normal_two_sided_p(z) for z in zs] for zs in self.z_values]

    @property
    def relative_risk_ratios(self) -> List[List[float]]:
        """``exp(beta)``: the factor by which one more unit of x_j multiplies ``P(k) / P(reference)``."""
        return [[odds(b) for b in bs] for bs in self.params]

    def conf_int(self, alpha: float = 0.05) -> List[List[Tuple[float, float]]]:
        """Wald intervals ``beta -/+ q * std error`` per class, q the normal ``1 - alpha/2`` quantile."""
        q = normal_quantile(1.0 - _check_alpha(alpha) / 2.0)
        return [[(b - q * s, b + q * s) for b, s in zip(bs, ss)] for bs, ss in zip(self.params, self.std_errors)]

    def rrr_conf_int(self, alpha: float = 0.05) -> List[List[Tuple[float, float]]]:
        """The intervals of ``conf_int`` on the relative-risk-ratio scale."""
        return [[(odds(low), odds(high)) for low, high in rows] for rows in self.conf_int(alpha)]

    @property
    def df_model(self) -> int:
        """``(K - 1) d``: the slopes of every non-reference class."""
        return len(self.class_names) * (len(self.names) - 1)

    @property
    def df_resid(self) -> int:
        """``n - (K - 1)(d + 1)``."""
        return self.n_obs - len(self.theta)

    @property
    def deviance(self) -> float:
        return -2.0 * self.log_likelihood

    @property
    def aic(self) -> float:
        """``-2 log L + 2 k`` with ``k = (K - 1)(d + 1)`` parameters."""
        return self.deviance + 2.0 * len(self.theta)

    @property
    def bic(self) -> float:
        """``-2 log L + k log n``."""
        return self.deviance + len(self.theta) * math.log(self.n_obs)

    @property
    def pseudo_r2(self) -> float:
        """McFadden's ``1 - log L / log L0``."""
        return 1.0 - self.log_likelihood / self.null_log_likelihood

    @property
    def llr(self) -> float:
        """``2 (log L - log L0)``, chi-square with ``(K - 1) d`` degrees of freedom under the null."""
        return 2.0 * (self.log_likelihood - self.null_log_likelihood)

    @property
    def llr_p_value(self) -> float:
        return chi2_sf(max(self.llr, 0.0), self.df_model)

    def interpret(self, alpha: float = 0.05) -> List[str]:
        """One plain sentence per class and feature (the intercepts are left out)."""
        level = f"{100 * (1 - _check_alpha(alpha)):g}%"
        sentences = []
        for label, ratios, intervals in zip(self.class_names, self.relative_risk_ratios, self.rrr_conf_int(alpha)):
            for name, ratio, (low, high) in zip(self.names[1:], ratios[1:], intervals[1:]):
                sentences.append(
                    f"Each one-unit increase in {name} multiplies P({self.target_name} = {label}) / "
                    f"P({self.target_name} = {self.reference_class}) by {ratio:.3g} "
                    f"({level} CI {low:.3g} to {high:.3g}).")
        return sentences

    def __str__(self) -> str:
        return format_softmax_summary(self)


def format_softmax_summary(summary: SoftmaxSummary, alpha: float = 0.05) -> str:
    """The summary as one aligned table per non-reference class, at most 80 columns wide."""
    width = min(12, max(len(name) for name in summary.names))
    rule = "-" * (width + 68)
    lines = [
        "Multinomial logistic regression: maximum likelihood",
        f"Dependent variable: {summary.target_name:<20} No. observations: {summary.n_obs:>8}",
        f"Classes: {len(summary.class_names) + 1:<31} Df model: {summary.df_model:>16}",
        f"Reference class: {summary.reference_class:<23} Df residuals: {summary.df_resid:>12}",
        f"Converged: {('yes' if summary.converged else 'no'):<29} Pseudo R-squared: {summary.pseudo_r2:>8.4f}",
        f"Log-likelihood: {summary.log_likelihood:<24.4f} LLR statistic: {summary.llr:>11.4f}",
        f"Null log-likelihood: {summary.null_log_likelihood:<19.4f} LLR p-value: {summary.llr_p_value:>13.4g}",
        f"AIC: {summary.aic:<35.4f} BIC: {summary.bic:>21.4f}",
    ]
    header = (f"{'':<{width}} {'coef':>10} {'std err':>9} {'z':>8} {'P>|z|':>8} "
              f"{'[' + format(alpha / 2, 'g'):>9} {format(1 - alpha / 2, 'g') + ']':>8} {'exp(coef)':>9}")
    columns = zip(summary.class_names, summary.params, summary.std_errors, summary.z_values,
                  summary.p_values, summary.conf_int(alpha), summary.relative_risk_ratios)
    for label, bs, ss, zs, ps, intervals, ratios in columns:
        lines += [rule, f"{summary.target_name} = {label} (against {summary.reference_class})", header, rule]
        for name, b, s, z, p, (low, high), ratio in zip(summary.names, bs, ss, zs, ps, intervals, ratios):
            lines.append(f"{name[:width]:<{width}} {b:>10.4f} {s:>9.4f} {z:>8.3f} {p:>8.4f} "
                         f"{low:>9.3f} {high:>8.3f} {ratio:>9.4g}")
    lines.append(rule)
    return "\n".join(lines)


def summarize_softmax(model: SoftmaxRegression, X: Sequence[Sequence[float]], y: Sequence[Any],
                      feature_names: Optional[Sequence[str]] = None, *,
                      target_name: str = "y") -> SoftmaxSummary:
    """MNLogit's inference for an unpenalized ``SoftmaxRegression`` fit on ``X`` and ``y``.

    Raises ``ValueError`` for a penalized fit, for labels that are not the model's
    classes and for whatever ``summarize`` refuses.
    """
    if getattr(model, "stop_reason_", "") == "separated":
        raise ValueError("a hyperplane splits a class off from the others, so the maximum-likelihood "
                         "estimates do not exist (they are infinite) and neither do their standard "
                         "errors; drop the separating feature, or merge or leave out the separated class")
    _check_summarizable(model)
    if model.reg > 0.0 or not model.reference_:
        raise ValueError("summarize needs an unpenalized SoftmaxRegression (reg=0): with a penalty all K "
                         "classes are kept, so the parameters are not contrasts against a reference "
                         "class and have no MNLogit table; refit with reg=0")
    problem = _softmax_problem_of(model, X, y, feature_names)
    point = problem.at(problem.pack(model.coef_, model.intercept_))
    _check_training_data(model, point)
    try:
        covariance = inverse_spd(observed_information(problem, point), problem.parameter_names)
    except SingularMatrixError as error:
        raise SingularMatrixError(f"the information matrix is singular: {error}; "
                                  f"drop the redundant column") from None
    log_likelihood = -total(example_softmax_loss(k, s) for k, s in zip(problem.y, point.z))  # type: ignore[arg-type]
    null = _softmax_null_log_likelihood([problem.y.count(k) for k in range(problem.n_classes)])
    labels = [str(c) for c in model.classes_]
    return SoftmaxSummary(labels[1:], labels[0], ["intercept"] + problem.names, point.theta, covariance,
                          log_likelihood, null, problem.n_rows, model.converged_, model.stop_reason_,
                          str(target_name))


def _softmax_null_log_likelihood(counts: Sequence[int]) -> float:
    """``sum_k n_k log(n_k / n)``: every row given the class frequencies, the best
    intercept-only model (its intercepts are ``log(n_k / n_0)``).

    >>> _softmax_null_log_likelihood([2, 2]) == 4 * math.log(0.5)
    True
    """
    n = sum(counts)
    return total(c * math.log(c / n) for c in counts)


def _softmax_problem_of(model: SoftmaxRegression, X: Sequence[Sequence[float]], y: Sequence[Any],
                        feature_names: Optional[Sequence[str]]) -> SoftmaxProblem:
    """The model's own (unpenalized) problem on ``X`` and ``y``, its labels coded by ``classes_``."""
    position = {label: k for k, label in enumerate(model.classes_)}
    if isinstance(y, (str, bytes)) or not hasattr(y, "__iter__"):
        raise TypeError(f"y must be a list of labels, got {type(y).__name__}")
    unknown = [label for label in y if label not in position]
    if unknown:
        raise ValueError(f"y holds {unknown[0]!r}, which is not one of the model's classes "
                         f"({', '.join(map(repr, model.classes_))}); pass the training data")
    names = feature_names if feature_names is not None else model.feature_names_in_
    return make_softmax_problem(check_matrix(X, "X", n_features=model.n_features_in_),
                                [position[label] for label in y], n_classes=len(model.classes_),
                                feature_names=names, class_names=model.classes_)
