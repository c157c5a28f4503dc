"""Chapter 22. Inference: how sure are we of each coefficient, and what does it mean?

At the maximum-likelihood estimate the log-likelihood is curved like a bowl; the
sharper the bowl in a direction, the better the data pin that direction down. The
curvature is the *observed information*

    I = X1^T W X1,   W = diag(p_i (1 - p_i)),   X1 = [1, X]   (intercept first),

which is n times the Hessian of chapter 5 without the penalty. Its inverse
estimates the covariance of the estimates, so

    std error_j = sqrt((I^{-1})_jj),   z_j = beta_j / std error_j,
    p-value_j   = P(|Z| > |z_j|) = erfc(|z_j| / sqrt 2)          (Wald test),
    interval    = beta_j -/+ q * std error_j,  q = the normal (1 - alpha/2) quantile.

``exp(beta_j)`` is an *odds ratio*: one more unit of ``x_j`` multiplies the odds
``p / (1 - p)`` by it. It is not a ratio of probabilities. Near ``p = 1/2`` the
probability moves by about ``beta_j / 4`` per unit, since ``dp/dz = p (1 - p) <= 1/4``.

Whole-model statistics compare the fit with the intercept-only ("null") model,
whose probability is the base rate ``mean(y)``: deviance ``-2 log L``, AIC
``-2 log L + 2k``, BIC ``-2 log L + k log n``, McFadden's pseudo-``R^2``
``1 - log L / log L0``, and the likelihood-ratio statistic ``2 (log L - log L0)``,
chi-square with ``d`` degrees of freedom under the null, its p-value from
``chi2_sf`` (the regularized upper incomplete gamma function, written here).

With K classes (``SoftmaxRegression``, chapter 19) ``summarize`` reports what
statsmodels' ``MNLogit`` reports: the first class is the reference, and for every
other class k a table of its parameters (intercept first), whose ``exp(beta)`` are
*relative-risk ratios*: one more unit of ``x_j`` multiplies ``P(k) / P(reference)`` by
it. The information is the same ``X1^T W X1`` built from the softmax Hessian's
blocks (chapter 6), the null model gives every row the class frequencies
(``log L0 = sum_k n_k log(n_k / n)``), and the likelihood-ratio test has
``(K - 1) d`` degrees of freedom. Only an unpenalized fit has such a table: a
penalized one keeps all K classes, whose parameters are not contrasts against a
reference.

When not to trust these numbers: with ``reg > 0`` the estimates are shrunk and the
intervals are not classical (the table says "penalized"); on separated data the
estimates do not exist (``summarize`` refuses, naming the infinite ones); an
unconverged fit is refused too.

**Beyond Wald** (chapter 21). ``conf_int(alpha, method="profile")`` gives
profile-likelihood intervals and ``likelihood_ratio_tests()`` a likelihood-ratio
test of each parameter, both by refitting with the parameter held;
``likelihood_ratio_test(full, restricted)`` compares two nested models fitted on
the same rows (``2 (log L_full - log L_restricted)`` on the difference in the number
of parameters, as R's ``anova(..., test = "Chisq")`` and statsmodels'
``compare_lr_test``).

**Firth fits** (``penalty="firth"``, chapter 12) are summarized with ``logistf``'s
conventions, and the table says "Firth": the covariance is ``I^{-1}`` at the
estimate (``vcov``), the log-likelihoods are penalized (``log L*``; the null model
is the intercept-only fit under the full model's penalty, as ``logistf``'s
``loglik[1]``), and likelihood-ratio tests and profile intervals keep the full
model's penalty while parameters are held (``logistf``'s ``prob`` and ``ci``; its
``anova`` "nested" method for two models).

Public names: ``summarize``, ``Summary``, ``SoftmaxSummary``, ``LikelihoodRatioTest``,
``likelihood_ratio_test``, ``normal_cdf``, ``normal_two_sided_p``,
``normal_quantile``, ``chi2_sf``, ``regularized_gamma_q``.
"""

import math
from dataclasses import dataclass, field, replace
from statistics import NormalDist
from typing import Any, Dict, List, Optional, Sequence, Tuple

from ..part1_mathematics.checks import check_matrix, check_vector, shown
from ..part1_mathematics.errors import NotFittedError, SingularMatrixError
from ..part1_mathematics.linalg import check_matrix_memory, inverse_spd
from ..part1_mathematics.links import odds, sigmoid
from ..part1_mathematics.loss import example_loss
from ..part1_mathematics.softmax import example_softmax_loss
from ..part1_mathematics.vectors import Matrix, max_abs, total
from ..part2_problem.firth import make_firth_problem
from ..part2_problem.problem import Point, Problem, make_problem
from ..part2_problem.softmax_problem import SoftmaxProblem, make_softmax_problem
from ..part3_solvers.solvers import auto_solver
from ..part4_estimators.multinomial import SoftmaxRegression
from .likelihood import (
    REFIT_TOL,
    ProfileInterval,
    likelihood_ratio_statistic,
    profile_interval,
    profile_statistics,
    restricted_fit,
)

__all__ = [
    "CI_METHODS",
    "LikelihoodRatioTest",
    "SoftmaxSummary",
    "Summary",
    "chi2_sf",
    "normal_cdf",
    "normal_quantile",
    "normal_two_sided_p",
    "observed_information",
    "likelihood_ratio_test",
    "regularized_gamma_q",
    "summarize",
    "summarize_softmax",
]

CI_METHODS = ("wald", "profile")

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

class WholeModelStatistics:
    """The statistics of a whole fit, from its log-likelihoods, the number of rows ``n``
    and of parameters ``k`` (``n_params``), and ``df_model``: shared by the binary and
    the K-class summaries, which differ only in how they count."""

    n_obs: int
    log_likelihood: float
    null_log_likelihood: float

    @property
    def n_params(self) -> int:
        raise NotImplementedError

    @property
    def df_model(self) -> int:
        raise NotImplementedError

    @property
    def df_resid(self) -> int:
        """Residual degrees of freedom: ``n - k``."""
        return self.n_obs - self.n_params

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
        """Akaike's criterion, ``-2 log L + 2 k``."""
        return self.deviance + 2.0 * self.n_params

    @property
    def bic(self) -> float:
        """The Bayesian criterion, ``-2 log L + k log n``."""
        return self.deviance + self.n_params * math.log(self.n_obs)

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
        """``P(chi-square with df_model degrees of freedom >= LLR)``."""
        return chi2_sf(max(self.llr, 0.0), self.df_model)


class RefitStatistics:
    """Profile intervals and likelihood-ratio tests by refitting the summary's problem with
    parameters held (chapter 21): shared by the binary and the K-class summaries, which
    differ only in how they lay out their parameters (``flat_parameters``)."""

    problem: Any
    tol: float
    log_likelihood: float
    _profiles: Dict[Tuple[float, int], ProfileInterval]

    def flat_parameters(self) -> Tuple[List[str], List[float], List[float]]:
        raise NotImplementedError

    def profile_intervals(self, alpha: float = 0.05) -> List[ProfileInterval]:
        """Profile-likelihood intervals (penalized for Firth), by refits (chapter 21).

        Each holds its ends, the estimate and a note when an end is infinite. Each is
        computed once per ``alpha`` and kept.
        """
        return [self.profile_interval(j, alpha) for j in range(len(self.flat_parameters()[0]))]

    def profile_interval(self, j: int, alpha: float = 0.05) -> ProfileInterval:
        """Parameter ``j``'s profile-likelihood interval (0 is the first intercept); see above."""
        names, estimates, _ = self.flat_parameters()
        key = (_check_alpha(alpha), _check_parameter(j, names))
        if key not in self._profiles:
            found = profile_interval(self._refittable("profile intervals"), estimates, j, key[0], tol=self.tol)
            self._profiles[key] = replace(found, name=names[j])
        return self._profiles[key]

    def likelihood_ratio_tests(self) -> List["LikelihoodRatioTest"]:
        """For each parameter (intercept first), the test that it is 0, by refitting the
        others with it held at 0 (penalized, with the full model's penalty, for Firth)."""
        problem = self._refittable("likelihood-ratio tests")
        names, estimates, _ = self.flat_parameters()
        return [LikelihoodRatioTest(f"{name} = 0",
                                    likelihood_ratio_statistic(problem, estimates, {j: 0.0}, tol=self.tol), 1)
                for j, name in enumerate(names)]

    def profile_log_likelihood(self, j: int, values: Sequence[float]) -> List[float]:
        """The profile log-likelihood of parameter ``j`` at each value: the largest (penalized)
        log-likelihood with ``theta_j`` held there, ``log L(theta_hat) - statistic / 2``."""
        names, estimates, _ = self.flat_parameters()
        j = _check_parameter(j, names)
        problem = self._refittable("the profile log-likelihood")
        statistics = profile_statistics(problem, estimates, j, check_vector(values, "values"), tol=self.tol)
        return [self.log_likelihood - s / 2.0 for s in statistics]

    def _refittable(self, what: str) -> Any:
        """The fitted problem, for refits; refused for hand-made summaries."""
        if self.problem is None:
            raise ValueError(f"{what} refit the model, so they need a summary made by "
                             f"summarize(model, X, y), which keeps the data")
        return self.problem


def _check_parameter(j: Any, names: Sequence[str]) -> int:
    if isinstance(j, bool) or not isinstance(j, int) or not 0 <= j < len(names):
        raise ValueError(f"j must number a parameter, 0 to {len(names) - 1} ({names[0]} to {names[-1]}), "
                         f"got {j!r}")
    return j


@dataclass(frozen=True)
class Summary(RefitStatistics, WholeModelStatistics):
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
    penalty: str = "l2"  # "l2" (maximum likelihood when reg = 0, else ridge) or "firth"
    problem: Any = field(default=None, repr=False, compare=False)  # the fitted problem, for refits
    tol: float = REFIT_TOL  # the fit's optimality tolerance: every refit must reach it too
    _profiles: Dict[Tuple[float, int], ProfileInterval] = field(default_factory=dict, repr=False, compare=False)
    standard_errors: Optional[List[float]] = field(default=None, repr=False)  # finite where covariance_jj is not

    @property
    def std_errors(self) -> List[float]:
        """``sqrt(covariance_jj)`` (kept from ``covariance_and_errors``: finite even where
        ``covariance_jj`` overflowed)."""
        if self.standard_errors is not None:
            return list(self.standard_errors)
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
    def n_params(self) -> int:
        """``k = d + 1``: the intercept and one weight per feature."""
        return len(self.params)

    @property
    def df_model(self) -> int:
        """Degrees of freedom of the model: the number of features, d."""
        return len(self.params) - 1

    @property
    def penalized(self) -> bool:
        """A ridge penalty (``reg > 0``): the table says so, and refits are refused."""
        return self.reg > 0.0

    @property
    def firth(self) -> bool:
        """Firth's penalized likelihood: log-likelihoods are penalized, as in ``logistf``."""
        return self.penalty == "firth"

    def conf_int(self, alpha: float = 0.05, method: str = "wald") -> List[Tuple[float, float]]:
        """Intervals for each parameter, intercept first.

        ``method="wald"``: ``beta -/+ q * std error``, q the normal ``1 - alpha/2`` quantile.
        ``method="profile"``: the profile-likelihood intervals of ``profile_intervals``
        (an end may be ``-inf`` or ``inf`` under separation; ``profile_intervals`` says why).
        """
        if method == "profile":
            return [(pi.lower, pi.upper) for pi in self.profile_intervals(alpha)]
        if method != "wald":
            raise ValueError(f"method must be one of {', '.join(map(repr, CI_METHODS))}, got {method!r}")
        q = normal_quantile(1.0 - _check_alpha(alpha) / 2.0)
        return [(b - q * s, b + q * s) for b, s in zip(self.params, self.std_errors)]

    def flat_parameters(self) -> Tuple[List[str], List[float], List[float]]:
        """Every parameter's name, estimate and standard error, intercept first."""
        return list(self.names), list(self.params), self.std_errors

    def _refittable(self, what: str) -> Any:
        """The fitted problem, for refits; refused for ridge fits and hand-made summaries."""
        if self.penalized:
            raise ValueError(f"{what} need an unpenalized or Firth fit: with reg={self.reg:g} the "
                             f"likelihood is not the one the penalty maximizes; refit with reg=0 "
                             f"or penalty='firth'")
        return super()._refittable(what)

    def odds_ratio_conf_int(self, alpha: float = 0.05, method: str = "wald") -> List[Tuple[float, float]]:
        """The intervals of ``conf_int`` on the odds-ratio scale: ``(exp(low), exp(high))``."""
        return [(odds(low), odds(high)) for low, high in self.conf_int(alpha, method)]

    def interpret(self, alpha: float = 0.05, method: str = "wald", unit: str = "unit") -> List[str]:
        """One plain sentence per coefficient (the intercept is left out); ``method`` picks
        the intervals, as in ``conf_int``; ``unit`` names what one step of a feature is
        ("standard deviation" for standardized features)."""
        level = f"{100 * (1 - _check_alpha(alpha)):g}%" + (" profile" if method == "profile" else "")
        sentences = []
        intervals = self.odds_ratio_conf_int(alpha, method)
        for name, beta, ratio, (low, high) in zip(self.names[1:], self.params[1:],
                                                   self.odds_ratios[1:], intervals[1:]):
            sentences.append(
                f"Each one-{unit.replace(' ', '-')} increase in {shown(name, quoted=False)} multiplies the odds (not the probability) "
                f"of {shown(self.target_name, quoted=False)} = 1 by {ratio:.3g} ({level} CI {low:.3g} to {high:.3g}); "
                f"{probability_reading(beta, unit)}"
            )
        return sentences

    def __str__(self) -> str:
        return format_summary(self)


def probability_reading(beta: float, unit: str = "unit") -> str:
    """What a coefficient does to a probability, said so that it holds: from 0.5, one more
    ``unit`` gives ``sigmoid(beta)``, exactly. The divide-by-four rule, ``beta / 4``, is the
    slope of the probability curve at 0.5 (its steepest, since ``dp/dz = p (1 - p) <= 1/4``):
    a change of ``beta / 4`` per unit holds only for steps small enough that it stays
    small; it is no change in probability when ``|beta| / 4`` approaches 1 or passes it.

    >>> probability_reading(0.0)
    'from a probability of 0.5, one more unit leaves it at 0.5.'
    >>> probability_reading(6.84)  # beta/4 = 1.71: a slope, not a change in probability
    'from a probability of 0.5, one more unit raises it to a probability of 0.999 (the slope there, beta/4 = 1.71 per unit, describes small changes only).'
    """
    p1 = sigmoid(beta)
    if p1 == 0.5:
        return f"from a probability of 0.5, one more {unit} leaves it at 0.5."
    direction = "raises" if beta > 0 else "lowers"
    text = f"from a probability of 0.5, one more {unit} {direction} it to a probability of {p1:.3g}"
    if abs(beta) / 4.0 < 0.05:  # the slope's change agrees with sigmoid(beta) - 1/2 to 1%
        return text + f" (beta/4 = {beta / 4.0:.3g} per {unit}: the divide-by-four rule holds here)."
    return text + f" (the slope there, beta/4 = {beta / 4.0:.3g} per {unit}, describes small changes only)."


def _check_alpha(alpha: float) -> float:
    if isinstance(alpha, bool) or not isinstance(alpha, (int, float)) or not 0.0 < alpha < 1.0:
        raise ValueError(f"alpha must be strictly between 0 and 1, got {alpha!r}")
    return float(alpha)


def _kind(summary: Summary) -> str:
    if summary.firth:
        return "Firth's penalized likelihood (logistf's conventions)"
    if summary.penalized:
        return f"penalized fit (reg={summary.reg:g}), not classical inference"
    return "maximum likelihood"


def format_summary(summary: Summary, alpha: float = 0.05, method: str = "wald") -> str:
    """The summary as an aligned table of at most 80 columns; ``method`` picks the intervals.

    Firth fits show penalized log-likelihoods ("log L*"). Profile intervals are marked
    as such, with a note under the table for each infinite end.
    """
    names = [shown(name, 20, quoted=False) for name in summary.names]  # escaped: names come from files
    width = max(len(name) for name in names)
    star = "*" if summary.firth else ""
    low_label, high_label = f"[{alpha / 2:g}", f"{1 - alpha / 2:g}]"
    rule = "-" * max(67, width + 58)
    lines = [
        f"Logistic regression: {_kind(summary)}",
        f"Dependent variable: {shown(summary.target_name, 20, quoted=False):<20} No. observations: {summary.n_obs:>8}",
        f"Converged: {('yes' if summary.converged else 'no'):<29} Df model: {summary.df_model:>16}",
        f"Log-likelihood{star}: {summary.log_likelihood:<{24 - len(star)}.4f} Df residuals: {summary.df_resid:>12}",
        f"Null log-likelihood{star}: {summary.null_log_likelihood:<{19 - len(star)}.4f} "
        f"Pseudo R-squared: {summary.pseudo_r2:>8.4f}",
        f"LLR statistic: {summary.llr:<25.4f} LLR p-value: {summary.llr_p_value:>13.4g}",
        f"AIC: {summary.aic:<35.4f} BIC: {summary.bic:>21.4f}",
        rule,
        f"{'':<{width}} {'coef':>10} {'std err':>9} {'z':>8} {'P>|z|':>8} {low_label:>9} {high_label:>8}",
        rule,
    ]
    for name, b, s, z, p, (low, high) in zip(names, summary.params, summary.std_errors,
                                             summary.z_values, summary.p_values,
                                             summary.conf_int(alpha, method)):
        lines.append(f"{name:<{width}} {b:>10.4f} {s:>9.4f} {z:>8.3f} {p:>8.4f} "
                     f"{low:>9.3f} {high:>8.3f}")
    lines.append(rule)
    return "\n".join(lines + _table_notes(summary, alpha, method))


def _table_notes(summary: Summary, alpha: float, method: str) -> List[str]:
    """What the table's symbols mean: penalized log-likelihoods, profile intervals."""
    notes = []
    if summary.firth:
        notes.append("* penalized: log L + (1/2) log det I (the null model under the full model's penalty)")
    if method == "profile":
        notes.append("Intervals: profile likelihood" + (" (penalized)" if summary.firth else "")
                     + "; z and P>|z| are Wald's")
        notes += [pi.note for pi in summary.profile_intervals(alpha) if pi.note]
    return notes


def format_likelihood_ratio_tests(summary: RefitStatistics) -> str:
    """Each parameter's likelihood-ratio test (penalized for Firth), as a short table."""
    names = [shown(name, 20, quoted=False) for name in summary.flat_parameters()[0]]  # escaped: from files
    width = max(len(name) for name in names)
    what = "penalized likelihood-ratio" if getattr(summary, "firth", False) else "likelihood-ratio"
    lines = [f"{what.capitalize()} tests, each parameter = 0 (the others refitted):",
             f"{'':<{width}} {'chi2':>10} {'df':>3} {'P>chi2':>10}"]
    for name, test in zip(names, summary.likelihood_ratio_tests()):
        lines.append(f"{name:<{width}} {test.statistic:>10.4f} {test.df:>3} {test.p_value:>10.4g}")
    return "\n".join(lines)


@dataclass(frozen=True)
class LikelihoodRatioTest:
    """A likelihood-ratio test: ``statistic = 2 (log L_full - log L_restricted)`` on ``df``
    degrees of freedom; ``p_value = P(chi-square(df) >= statistic)``."""

    hypothesis: str  # what the restricted model assumes, e.g. "NV = 0"
    statistic: float
    df: int

    @property
    def p_value(self) -> float:
        return chi2_sf(max(self.statistic, 0.0), self.df)

    def __str__(self) -> str:
        return f"{self.hypothesis}: LR = {self.statistic:.4f} on {self.df} df, p = {self.p_value:.4g}"


def likelihood_ratio_test(full: Summary, restricted: Summary) -> LikelihoodRatioTest:
    """Compare nested models fitted on the same rows: ``2 (log L_full - log L_restricted)``.

    As R's ``anova(restricted, full, test = "Chisq")`` and statsmodels'
    ``full.compare_lr_test(restricted)``. For Firth fits, ``logistf``'s "nested" method:
    the full model is refitted with the parameters the restricted one lacks held at 0,
    under the full model's penalty (the two fits' own penalized likelihoods have
    different penalties and are not comparable).

    Raises ``ValueError`` unless the restricted model has fewer parameters, all of
    them among the full model's, both were fitted on the same rows (same number,
    same labels when known) and by the same method (maximum likelihood, or Firth).
    """
    dropped = _nested_difference(full, restricted)
    if full.firth:
        held = {full.names.index(name): 0.0 for name in dropped}
        statistic = likelihood_ratio_statistic(full._refittable("a likelihood-ratio test"), full.params, held,
                                               tol=full.tol)
    else:
        statistic = 2.0 * (full.log_likelihood - restricted.log_likelihood)
    return LikelihoodRatioTest(f"{', '.join(dropped)} = 0", statistic, len(dropped))


def _nested_difference(full: Summary, restricted: Summary) -> List[str]:
    """The parameters of ``full`` that ``restricted`` lacks, after checking that it is nested."""
    if not isinstance(full, Summary) or not isinstance(restricted, Summary):
        raise TypeError("likelihood_ratio_test compares two summaries: summarize(model, X, y) of each model")
    _check_same_rows(full, restricted)
    if len(restricted.params) >= len(full.params):
        raise ValueError(f"the models are not nested: the restricted model has {len(restricted.params)} "
                         f"parameters and the full one {len(full.params)}; pass the larger model first")
    extra = [name for name in restricted.names if name not in full.names]
    if extra:
        raise ValueError(f"the models are not nested: the full model has no parameter {extra[0]!r}")
    return [name for name in full.names if name not in restricted.names]


def _check_same_rows(full: Summary, restricted: Summary) -> None:
    """Both models must have been fitted the same way (maximum likelihood, or Firth's) on the
    same rows: their number, and their labels when known."""
    if full.penalized or restricted.penalized or full.penalty != restricted.penalty:
        raise ValueError("a likelihood-ratio test compares two maximum-likelihood fits (reg=0) or two "
                         "Firth fits; refit both the same way")
    if full.n_obs != restricted.n_obs:
        raise ValueError(f"the models were fitted on different numbers of rows ({full.n_obs} and "
                         f"{restricted.n_obs}); a likelihood-ratio test needs the same rows for both")
    if full.problem is not None and restricted.problem is not None and full.problem.y != restricted.problem.y:
        raise ValueError("the models were fitted on different rows (their labels differ); "
                         "a likelihood-ratio test needs the same rows for both")


def observed_information(problem: Problem, point: Point) -> Matrix:
    """``X1^T W X1`` at ``point``, ``W = diag(s_i p_i (1 - p_i))``, intercept first.

    The curvature of the log-likelihood alone: ``S`` times the Hessian of chapter 5
    without the penalty, whatever ``problem``'s penalty. (For a penalized fit, the
    penalty's curvature would shrink the standard errors for no reason found in the
    data.)

    >>> problem = make_problem([[1.0], [-1.0]], [0, 1])
    >>> observed_information(problem, problem.at([0.0, 0.0]))  # p (1 - p) = 1/4 on both rows
    [[0.5, 0.0], [0.0, 0.5]]

    For a Firth fit this is the Fisher information whose inverse ``logistf`` reports
    as the covariance (its ``vcov``). It is built where every information matrix of the
    book is: ``problem.information`` (chapter 10, and chapter 11 for K classes).
    """
    return problem.information(point.theta, point.z)


def covariance_and_errors(information: Matrix, names: Sequence[str]) -> Tuple[Matrix, List[float]]:
    """``I^{-1}`` and the standard errors ``sqrt((I^{-1})_jj)``, by way of the equilibrated
    ``D I D`` (``D = diag(1 / sqrt(I_jj))``, unit diagonal): ``I^{-1} = D (D I D)^{-1} D``.

    Scaling first keeps every pivot near 1, and it lets a standard error be finite where
    its square is not: a column of values near 1e-155 has ``I_jj`` near 1e-310 and a
    standard error near 5e154, whose variance 2.5e309 overflows.

    >>> covariance_and_errors([[4.0, 0.0], [0.0, 0.25]], ["a", "b"])
    ([[0.25, 0.0], [0.0, 4.0]], [0.5, 2.0])

    Raises ``ValueError`` when ``I`` overflowed (features too large for floating point)
    and ``SingularMatrixError`` naming the column when it has no inverse.
    """
    _check_finite_information(information)
    diagonal = [information[j][j] for j in range(len(information))]
    if not all(v > 0.0 for v in diagonal):
        inverse_spd(information, names)  # a zero diagonal: singular, and the error names the column
    D = [1.0 / math.sqrt(v) for v in diagonal]
    inverse = inverse_spd(_scaled(information, D), names)
    return _scaled(inverse, D), [D[j] * math.sqrt(inverse[j][j]) for j in range(len(D))]


def _scaled(A: Matrix, D: Sequence[float]) -> Matrix:
    """``D A D`` for the diagonal ``D``."""
    return [[D[j] * v * D[k] for k, v in enumerate(row)] for j, row in enumerate(A)]


def _check_finite_information(information: Matrix) -> None:
    if not all(math.isfinite(v) for row in information for v in row):
        raise ValueError("the information matrix X1^T W X1 overflows: products of two feature values "
                         "exceed 1e308; standardize the features (--standardize) and summarize again")


def _check_summarizable(model: Any) -> None:
    """Refuse models whose estimates are not maximum-likelihood estimates, saying why."""
    if not hasattr(model, "coef_"):
        raise NotFittedError("summarize needs a fitted model: call fit(X, y) first")
    if getattr(model, "stop_reason_", "") == "separated":
        separation = getattr(model, "separation_", None)
        which = f": {', '.join(separation.infinite)}" if separation is not None and separation.separated else ""
        raise ValueError(
            f"the classes are separated, so the maximum-likelihood estimates do not exist (they "
            f"are infinite{which}) and neither do their standard errors; fit with "
            f"penalty='firth' for finite estimates with profile intervals, or "
            f"with reg > 0")
    if not model.converged_:
        raise ValueError(
            f"the fit did not converge ({model.stop_reason_}), so its estimates are not the "
            f"maximum-likelihood ones; {_unfinished_cure(model)} before summarizing")
    if model.penalty not in ("l2", "firth"):
        raise ValueError(f"summarize does not support penalty={model.penalty!r} (an estimate with an "
                         f"L1 part is not smooth in the data); refit with penalty='l2' or penalty='firth'")
    if getattr(model, "sample_weight_used_", False):
        raise ValueError("summarize supports unweighted fits only; refit without sample_weight "
                         "and class_weight")


def _unfinished_cure(model: Any) -> str:
    """What to do about a fit that stopped short: Newton's method or L-BFGS (what
    ``solver="auto"`` means for the penalties summarize takes) had its iterations; any
    other solver should make way for Newton's."""
    solver = getattr(model, "solver", "")
    if solver == "auto":
        solver = auto_solver(model.penalty, getattr(model, "l1_ratio", None), n_features=model.n_features_in_,
                             n_classes=len(getattr(model, "classes_", (0, 1))))
    return ("standardize the features or raise epochs" if solver in ("newton", "lbfgs")
            else "refit with solver='newton'")


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
    estimate is checked). Firth fits (``penalty="firth"``) follow ``logistf``'s
    conventions (see above). Raises ``NotFittedError`` for an unfitted model,
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
    rows = check_matrix(X, "X", n_features=model.n_features_in_)
    fast = getattr(model, "fast", True)
    if model.penalty == "firth":
        problem = make_firth_problem(rows, y, fast=fast, feature_names=names)
    else:
        problem = make_problem(rows, y, fast=fast, reg=model.reg, feature_names=names)  # the model's own objective
    coef, intercept = model.plain_parameters()
    point = problem.at([intercept] + list(coef))
    _check_training_data(model, point)
    check_matrix_memory(problem.n_features + 1, "summarize (the standard errors)",
                        "summarize a model with fewer features")
    try:
        covariance, errors = covariance_and_errors(observed_information(problem, point), problem.parameter_names)
    except SingularMatrixError as error:
        raise SingularMatrixError(f"the information matrix X1^T W X1 is singular: {error}; "
                                  f"drop the redundant column") from None
    tol = refit_tolerance(model)
    log_likelihood, null = _log_likelihoods(problem, point, tol)
    return Summary(problem.parameter_names, point.theta, covariance, log_likelihood, null, problem.n_rows,
                   model.converged_, model.stop_reason_, model.reg, str(target_name),
                   penalty=model.penalty, problem=problem, tol=tol, standard_errors=errors)


def refit_tolerance(model: Any) -> float:
    """The optimality every refit of a summary must reach: the model's own ``tol`` (a refit
    is held to a full fit's stop rule), or ``REFIT_TOL`` for a fit run with ``tol = 0``."""
    return float(model.tol) if model.tol > 0.0 else REFIT_TOL


def _log_likelihoods(problem: Problem, point: Point, tol: float) -> Tuple[float, float]:
    """``log L`` at the estimate and of the intercept-only model; penalized for Firth
    (``-S J``), the null model refitted under the full model's penalty (``logistf``)."""
    if problem.penalty == "firth":
        held = {j: 0.0 for j in range(1, problem.n_features + 1)}
        _, J_null = restricted_fit(problem, point.theta, held, tol=tol)
        return -problem.total_weight * point.objective, -problem.total_weight * J_null
    log_likelihood = -total(example_loss(yi, zi) for yi, zi in zip(problem.y, point.z))
    return log_likelihood, _null_log_likelihood(problem.y)


def _null_log_likelihood(labels: Sequence[float]) -> float:
    """``n (m log m + (1 - m) log(1 - m))`` with ``m = mean(y)``: every row gets the base rate."""
    n = len(labels)
    base_rate = total(labels) / n
    return n * (base_rate * math.log(base_rate) + (1 - base_rate) * math.log1p(-base_rate))


# ------------------------------------------------------------ K classes (MNLogit)

@dataclass(frozen=True)
class SoftmaxSummary(RefitStatistics, WholeModelStatistics):
    """The inference of an unpenalized ``SoftmaxRegression`` on its training data, as MNLogit's.

    ``params``, ``std_errors``, ``z_values``, ``p_values``, ``conf_int(alpha, method)`` and
    ``relative_risk_ratios`` hold one list per non-reference class (in the order of
    ``class_names``), intercept first within each, as in the binary table. Profile
    intervals and likelihood-ratio tests number the parameters in one list, class by
    class (``flat_parameters``), and refit the model with each held, as for two classes.
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
    problem: Any = field(default=None, repr=False, compare=False)  # the fitted problem, for refits
    tol: float = REFIT_TOL  # the fit's optimality tolerance: every refit must reach it too
    _profiles: Dict[Tuple[float, int], ProfileInterval] = field(default_factory=dict, repr=False, compare=False)
    standard_errors: Optional[List[float]] = field(default=None, repr=False)  # in theta's order

    def flat_parameters(self) -> Tuple[List[str], List[float], List[float]]:
        """Every parameter's name (``"class: feature"``), estimate and standard error, class by class."""
        names = [f"{label}: {name}" for label in self.class_names for name in self.names]
        errors = (list(self.standard_errors) if self.standard_errors is not None
                  else [math.sqrt(self.covariance[j][j]) for j in range(len(self.theta))])
        return names, list(self.theta), errors

    def _per_class(self, values: Sequence[Any]) -> List[List[Any]]:
        d1 = len(self.names)
        return [list(values[k * d1:(k + 1) * d1]) for k in range(len(self.class_names))]

    @property
    def params(self) -> List[List[float]]:
        return self._per_class(self.theta)

    @property
    def std_errors(self) -> List[List[float]]:
        """``sqrt(covariance_jj)``, per class."""
        return self._per_class(self.flat_parameters()[2])

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

    def conf_int(self, alpha: float = 0.05, method: str = "wald") -> List[List[Tuple[float, float]]]:
        """Intervals per class: Wald's ``beta -/+ q * std error`` (q the normal ``1 - alpha/2``
        quantile), or with ``method="profile"`` the profile-likelihood intervals (chapter 21)."""
        if method == "profile":
            return self._per_class([(pi.lower, pi.upper) for pi in self.profile_intervals(alpha)])
        if method != "wald":
            raise ValueError(f"method must be one of {', '.join(map(repr, CI_METHODS))}, got {method!r}")
        q = normal_quantile(1.0 - _check_alpha(alpha) / 2.0)
        return [[(b - q * s, b + q * s) for b, s in zip(bs, ss)] for bs, ss in zip(self.params, self.std_errors)]

    def rrr_conf_int(self, alpha: float = 0.05, method: str = "wald") -> List[List[Tuple[float, float]]]:
        """The intervals of ``conf_int`` on the relative-risk-ratio scale."""
        return [[(odds(low), odds(high)) for low, high in rows] for rows in self.conf_int(alpha, method)]

    @property
    def n_params(self) -> int:
        """``k = (K - 1)(d + 1)``: every non-reference class's intercept and weights."""
        return len(self.theta)

    @property
    def df_model(self) -> int:
        """``(K - 1) d``: the slopes of every non-reference class."""
        return len(self.class_names) * (len(self.names) - 1)

    def interpret(self, alpha: float = 0.05, method: str = "wald", unit: str = "unit") -> List[str]:
        """One plain sentence per class and feature (the intercepts are left out); ``method``
        picks the intervals and ``unit`` names one step of a feature, as for two classes."""
        level = f"{100 * (1 - _check_alpha(alpha)):g}%" + (" profile" if method == "profile" else "")
        sentences = []
        ratio_intervals = self.rrr_conf_int(alpha, method)
        for label, ratios, intervals in zip(self.class_names, self.relative_risk_ratios, ratio_intervals):
            for name, ratio, (low, high) in zip(self.names[1:], ratios[1:], intervals[1:]):
                target = shown(self.target_name, quoted=False)
                sentences.append(
                    f"Each one-{unit.replace(' ', '-')} increase in {shown(name, quoted=False)} multiplies "
                    f"P({target} = {shown(label, quoted=False)}) / "
                    f"P({target} = {shown(self.reference_class, quoted=False)}) by {ratio:.3g} "
                    f"({level} CI {low:.3g} to {high:.3g}).")
        return sentences

    def __str__(self) -> str:
        return format_softmax_summary(self)


def format_softmax_summary(summary: SoftmaxSummary, alpha: float = 0.05, method: str = "wald") -> str:
    """The summary as one aligned table per non-reference class, at most 80 columns wide;
    ``method`` picks the intervals (profile intervals are noted under the table)."""
    names = [shown(name, 12, quoted=False) for name in summary.names]  # escaped: names come from files
    target, reference = shown(summary.target_name, 20, quoted=False), shown(summary.reference_class, 23, quoted=False)
    width = max(len(name) for name in names)
    rule = "-" * (width + 68)
    lines = [
        "Multinomial logistic regression: maximum likelihood",
        f"Dependent variable: {target:<20} No. observations: {summary.n_obs:>8}",
        f"Classes: {len(summary.class_names) + 1:<31} Df model: {summary.df_model:>16}",
        f"Reference class: {reference:<23} Df residuals: {summary.df_resid:>12}",
        f"Converged: {('yes' if summary.converged else 'no'):<29} Pseudo R-squared: {summary.pseudo_r2:>8.4f}",
        f"Log-likelihood: {summary.log_likelihood:<24.4f} LLR statistic: {summary.llr:>11.4f}",
        f"Null log-likelihood: {summary.null_log_likelihood:<19.4f} LLR p-value: {summary.llr_p_value:>13.4g}",
        f"AIC: {summary.aic:<35.4f} BIC: {summary.bic:>21.4f}",
    ]
    header = (f"{'':<{width}} {'coef':>10} {'std err':>9} {'z':>8} {'P>|z|':>8} "
              f"{'[' + format(alpha / 2, 'g'):>9} {format(1 - alpha / 2, 'g') + ']':>8} {'exp(coef)':>9}")
    columns = zip(summary.class_names, summary.params, summary.std_errors, summary.z_values,
                  summary.p_values, summary.conf_int(alpha, method), summary.relative_risk_ratios)
    for label, bs, ss, zs, ps, intervals, ratios in columns:
        lines += [rule, f"{target} = {shown(label, quoted=False)} (against {reference})", header, rule]
        for name, b, s, z, p, (low, high), ratio in zip(names, bs, ss, zs, ps, intervals, ratios):
            lines.append(f"{name:<{width}} {b:>10.4f} {s:>9.4f} {z:>8.3f} {p:>8.4f} "
                         f"{low:>9.3f} {high:>8.3f} {ratio:>9.4g}")
    lines.append(rule)
    if method == "profile":
        lines.append("Intervals: profile likelihood; z and P>|z| are Wald's")
        lines += [pi.note for pi in summary.profile_intervals(alpha) if pi.note]
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
    point = problem.at(problem.pack(*model.plain_parameters()))
    _check_training_data(model, point)
    try:
        covariance, errors = covariance_and_errors(observed_information(problem, point), problem.parameter_names)
    except SingularMatrixError as error:
        raise SingularMatrixError(f"the information matrix is singular: {error}; "
                                  f"drop the redundant column") from None
    log_likelihood = -total(example_softmax_loss(k, s) for k, s in zip(problem.y, point.z))  # type: ignore[arg-type]
    null = _softmax_null_log_likelihood([problem.y.count(k) for k in range(problem.n_classes)])
    labels = [str(c) for c in model.classes_]
    return SoftmaxSummary(labels[1:], labels[0], ["intercept"] + problem.names, point.theta, covariance,
                          log_likelihood, null, problem.n_rows, model.converged_, model.stop_reason_,
                          str(target_name), problem=problem, tol=refit_tolerance(model), standard_errors=errors)


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
                                [position[label] for label in y], fast=model.fast, n_classes=len(model.classes_),
                                feature_names=names, class_names=model.classes_)
