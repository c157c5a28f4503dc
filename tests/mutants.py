"""A catalogue of plausible bugs ("mutants"), each paired with the law that catches it.

Each mutant is a small, realistic wrong version of a library function: the mistakes
people actually make when they write logistic regression by hand. ``applied(mutant)``
substitutes it for the real function everywhere that function is bound (the library's
modules and the test modules that imported it by name), then puts everything back.
``tests/test_mutants.py`` checks that every law fails on its mutant and passes on the
real code.

Run one mutant against its law, and see Hypothesis's counterexample:

    python tests/mutants.py naive_sigmoid
    python tests/mutants.py naive_sigmoid --generated-only   # skip the pinned @examples
    python tests/mutants.py --list
"""

import contextlib
import importlib
import math
import os
import random as global_random
import sys
import types
import unittest
from typing import Any, Callable, Iterator, List, NamedTuple, Optional, Tuple

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)
sys.path.insert(0, os.path.dirname(HERE))

from logreg_pure.part1_mathematics import checks  # noqa: E402
from logreg_pure.part1_mathematics import gradient as gradient_chapter  # noqa: E402
from logreg_pure.part1_mathematics import softmax as softmax_chapter  # noqa: E402
from logreg_pure.part1_mathematics import lp as lp_chapter  # noqa: E402
from logreg_pure.part1_mathematics.linalg import inverse_spd  # noqa: E402
from logreg_pure.part1_mathematics.links import sigmoid  # noqa: E402
from logreg_pure.part1_mathematics.vectors import dot, mean, subtract, total  # noqa: E402
from logreg_pure.part2_problem import driver  # noqa: E402
from logreg_pure.part2_problem import softmax_problem as softmax_problem_chapter  # noqa: E402
from logreg_pure.part3_solvers import coordinate  # noqa: E402
from logreg_pure.part3_solvers import solvers  # noqa: E402
from logreg_pure.part5_inference import inference  # noqa: E402
from logreg_pure.part5_inference import multiclass_metrics  # noqa: E402
from logreg_pure.part5_inference.likelihood import ProfileInterval, chi2_cut  # noqa: E402
from logreg_pure.part6_command_line import columns as columns_chapter  # noqa: E402


class Mutant(NamedTuple):
    name: str
    mistake: str  # one line: what was done wrong
    law: str  # "test_module:test_function", the property test that catches it
    target: str  # "module:attribute", the real object the mutant replaces
    replacement: object
    everywhere: bool = True  # also replace every other binding of the same object


# --------------------------------------------------------------- the mistakes

def naive_sigmoid(z):
    return 1.0 / (1.0 + math.exp(-z))  # overflows for z below about -709.78


def loss_through_probability(y, z):
    p = naive_sigmoid(z)
    return -(y * math.log(p) + (1.0 - y) * math.log(1.0 - p))  # log(0) once p rounds to 0 or 1


def naive_softplus(z):
    return math.log(1.0 + math.exp(z))  # overflows for z above about 709.78


def logit_without_domain_check(p):
    return math.log(p / (1.0 - p))  # 1 / 0 at p = 1, math domain error at p = 0


def _per_example_terms(w, b, X, y):
    return [gradient_chapter.example_gradient(x, yi, w, b) for x, yi in zip(X, y)]


def gradient_without_mean(w, b, X, y, reg=0.0, *, sample_weight=None):
    terms = _per_example_terms(w, b, X, y)  # sums the examples, forgets the 1/n
    grad_w = [math.fsum(g[j] for g, _ in terms) + reg * wj for j, wj in enumerate(w)]
    return grad_w, math.fsum(r for _, r in terms)


def gradient_with_wrong_sign(w, b, X, y, reg=0.0, *, sample_weight=None):
    grad_w, grad_b = REAL_GRADIENT(w, b, X, y, reg, sample_weight=sample_weight)
    return [-g for g in grad_w], -grad_b  # (y - p) x: the ascent direction


def gradient_penalizing_the_bias(w, b, X, y, reg=0.0, *, sample_weight=None):
    grad_w, grad_b = REAL_GRADIENT(w, b, X, y, reg, sample_weight=sample_weight)
    return grad_w, grad_b + reg * b  # the objective leaves b unpenalized; this does not


def forward_difference(f, theta, h=1e-6):
    base = f(theta)  # one-sided: error O(h) instead of O(h^2)
    result = []
    for j in range(len(theta)):
        moved = list(theta)
        moved[j] += h
        result.append((f(moved) - base) / h)
    return result


def loop_one_step_short(rule, problem, *, epochs, tol, progress=None, watch_separation=None, start=None):
    return REAL_ITERATE(rule, problem, epochs=epochs - 1, tol=tol, progress=progress,
                        watch_separation=watch_separation, start=start)


def loop_forgetting_the_start(rule, problem, **options):
    result = REAL_ITERATE(rule, problem, **options)
    return driver.FitResult(result.theta, result.loss_history[1:], result.n_iter, result.converged,
                            result.stop_reason, result.grad_max)  # J(0) left out of the history


def divergence_ignored_for_gradient_descent(rule, problem, history):
    if rule.name == "gradient descent":
        return  # one solver's copy of the loop forgot the check
    REAL_CHECK_DIVERGENCE(rule, problem, history)


def stop_rule_without_tolerance(problem, point, measure, tol, last, watch):
    return REAL_STOP_REASON(problem, point, measure, 0.0, last, watch)  # never converges early


class NewtonWithoutHalving(solvers.Newton):
    """Newton's method as often first written: always the full step."""

    def step(self, problem, point):
        return problem.at(subtract(point.theta, solvers._newton_direction(problem, point)))


class NewtonDividingByThree(solvers.Newton):
    """Newton's method whose step shrinks by 3 instead of 2 while J would rise: it still
    descends and converges, so only a law that states the step itself catches it."""

    def step(self, problem, point):
        delta = solvers._newton_direction(problem, point)
        if dot(delta, point.gradient) <= solvers.RESOLVABLE * (1.0 + abs(point.objective)):
            return problem.at(subtract(point.theta, delta))
        t = 1.0
        for _ in range(solvers.MAX_HALVINGS):
            candidate = problem.at(subtract(point.theta, [t * d for d in delta]))
            if candidate.objective <= point.objective:
                return candidate
            t /= 3.0
        return None


def sample_standard_deviation(a):
    centre = mean(a)  # divides by n - 1 where the population deviation (n) is documented
    return math.sqrt(math.fsum((v - centre) ** 2 for v in a) / (len(a) - 1)) if len(a) > 1 else 0.0


# The global generator in place of random.Random(seed): the seed is ignored.
GLOBAL_RANDOM = types.SimpleNamespace(Random=lambda seed=None: global_random._inst)


def auc_ignoring_ties(y_true, y_score):
    order = sorted(range(len(y_score)), key=lambda i: y_score[i])
    ranks = [0.0] * len(order)
    for rank, i in enumerate(order, start=1):
        ranks[i] = float(rank)  # tied scores get different ranks, by row order
    positives = sum(1 for t in y_true if t == 1)
    negatives = len(y_true) - positives
    rank_sum = math.fsum(r for r, t in zip(ranks, y_true) if t == 1)
    return (rank_sum - positives * (positives + 1) / 2) / (positives * negatives)


def roc_curve_staircase(y_true, y_score):
    positives = sum(1 for t in y_true if t == 1)
    negatives = len(y_true) - positives
    fpr, tpr, thresholds = [0.0], [0.0], [math.inf]
    tp = fp = 0
    for i in sorted(range(len(y_score)), key=lambda i: -y_score[i]):  # one point per row
        tp, fp = tp + (y_true[i] == 1), fp + (y_true[i] == 0)
        fpr.append(fp / negatives)
        tpr.append(tp / positives)
        thresholds.append(y_score[i])
    return fpr, tpr, thresholds


def log_loss_with_clipping(y_true, y_prob):
    eps = 1e-15
    clipped = [min(max(p, eps), 1 - eps) for p in y_prob]  # hides certain, wrong predictions
    return math.fsum(-math.log(p) if t == 1 else -math.log1p(-p) for t, p in zip(y_true, clipped)) / len(y_true)


def soft_threshold_ignoring_sign(v, threshold):
    return v - threshold if abs(v) > threshold else 0.0  # shrinks negatives away from 0


def chi2_sf_with_one_degree(x, df):
    return math.erfc(math.sqrt(x / 2.0)) if x > 0 else 1.0  # df = 1 whatever the model


def information_with_penalty(problem, point):
    # The penalized Hessian: the errors shrink for no reason found in the data.
    return [[problem.total_weight * h for h in row] for row in problem.hessian(point)]


def hessian_weighted_by_p(z):
    return sigmoid(z)  # p where p (1 - p) belongs


def plain_data_ignoring_pandas(value):
    return value  # a DataFrame taken as it is: iterating it gives its column names, not rows


def numpy_scalar_taken_as_it_is(value):
    return value  # np.True_ is not a numbers.Real: refused as "not a number"


def classes_in_order_of_appearance(y, n_rows=None, name="y"):
    labels, positions = REAL_CHECK_CLASSES(y, n_rows, name)
    seen = list(dict.fromkeys(labels[k] for k in positions))  # first seen, not sorted
    return seen, [seen.index(labels[k]) for k in positions]


REAL_CHECK_CLASSES = checks.check_classes


def softmax_without_the_maximum(scores):
    e = [math.exp(v) for v in scores]  # exp(710) overflows: the largest score was not subtracted
    return [v / math.fsum(e) for v in e]


def softmax_loss_without_the_maximum(label, scores):
    return math.log(math.fsum(math.exp(v) for v in scores)) - scores[label]  # overflows likewise


def softmax_gradient_y_minus_p(W, B, X, y, l2=0.0, *, sample_weight=None):
    grad_W, grad_B = REAL_SOFTMAX_GRADIENT(W, B, X, y, l2, sample_weight=sample_weight)
    return [[-g for g in row] for row in grad_W], [-g for g in grad_B]  # (Y - P): the ascent direction


def hessian_block_diagonal_only(P, X1, s, k, l):
    if k != l:  # as if raising one class's score left the others' probabilities alone
        return [[0.0] * len(X1[0]) for _ in X1[0]]
    return REAL_HESSIAN_BLOCK(P, X1, s, k, l)


def reference_never_fixed(reg):
    return False  # every class free even without a penalty: the optimum is a whole line


def null_with_equal_probabilities(counts):
    return sum(counts) * math.log(1.0 / len(counts))  # 1/K for every class, not the frequencies


class SummaryCountingTheReference(inference.SoftmaxSummary):
    """The K-class summary whose degrees of freedom count the reference class's slopes too."""

    @property
    def df_model(self):
        return (len(self.class_names) + 1) * (len(self.names) - 1)


def confusion_matrix_transposed(y_true, y_pred, labels=None):
    order, C = REAL_CONFUSION(y_true, y_pred, labels)
    return order, [list(column) for column in zip(*C)]  # rows the predictions, columns the truth


REAL_CONFUSION = multiclass_metrics.multiclass_confusion_matrix
REAL_SOFTMAX_GRADIENT = softmax_chapter.softmax_gradient
REAL_HESSIAN_BLOCK = softmax_chapter.hessian_block


def soft_threshold_with_the_wrong_sign(v, threshold):
    if v > threshold:
        return v + threshold  # pushed away from zero instead of towards it
    if v < -threshold:
        return v - threshold
    return 0.0


class QuadraticModelPenalizingTheIntercept(coordinate.QuadraticModel):
    """Coordinate descent that soft-thresholds the intercept like a weight."""

    def update(self, a):
        j, row = self.active[a], self.gram[a]
        u, h = self.theta[j], row[a]
        if not h > 0.0:
            return 0.0
        slope = self.g[a] + dot(row, self.delta)
        new = coordinate.soft_threshold(h * u - slope, self.problem.l1) / h  # j == 0 included
        self.theta[j] = new
        self.delta[a] = new - self.origin[j]
        return h * abs(new - u)


def full_quadratic_step(problem, point, target):
    return problem.at(target)  # the model's minimizer, taken even when J rises


def cold_start(result):
    return [0.0] * len(result.theta)  # each fit along the path starts from scratch


def null_gradient_without_centring(problem):
    weights = problem.sample_weight or [1.0] * problem.n_rows
    # -(1/S) sum s_i y_i x_ij: the labels' mean is never subtracted
    return [-total(s * yi * x[j] for s, yi, x in zip(weights, problem.y, problem.X)) / problem.total_weight
            for j in range(problem.n_features)]
class TableauIgnoringUpperBounds(lp_chapter._Tableau):
    """The simplex's ratio test as if every unknown were only bounded below."""

    def _row_limit(self, i, alpha):
        k = self.basis[i]
        if alpha > self.tol:
            return max((self.x[k] - self.lower[k]) / alpha, 0), self.lower[k]
        return math.inf, 0  # a basic unknown rising past its upper bound goes unnoticed


def signed_rows_without_intercept(X, y):
    return [[(2.0 * yi - 1.0) * v for v in x] for x, yi in zip(X, y)]  # the intercept's column forgotten


def certifying_every_fit(X, step, sample_weight=None):
    return True  # trusts any fit whose gradient is small: quasi-complete separation goes unseen


def leverages_forgotten(x1_columns, v, inverse):
    return [0.0] * len(v)  # no h (1/2 - p) term: the score is maximum likelihood's again


def profile_interval_from_wald(problem, theta_hat, j, alpha=0.05):
    S = problem.total_weight
    H = problem.hessian(problem.at(theta_hat))
    half = math.sqrt(chi2_cut(alpha) * inverse_spd([[S * h for h in row] for row in H])[j][j])
    return ProfileInterval(problem.parameter_names[j], theta_hat[j], theta_hat[j] - half,
                           theta_hat[j] + half, alpha, 0)  # the parabola's ends, not the likelihood's


def restricted_fit_without_refitting(problem, start, fixed, **options):
    theta = [fixed.get(j, v) for j, v in enumerate(start)]  # the others stay at the full estimate
    return theta, problem.objective(theta)


REAL_GRADIENT = gradient_chapter.gradient
def write_in_place(path, text):
    with open(path, "w", encoding="utf-8") as handle:  # empties the old file at once
        handle.write(text)


def write_leaving_temporary(path, text):
    temporary = path + ".tmp"
    with open(temporary, "w", encoding="utf-8") as handle:
        handle.write(text)  # a failure here leaves the temporary file behind
    os.replace(temporary, path)


def encode_every_level(column, cells, source):
    if column.kind != "categorical":
        return REAL_ENCODE_COLUMN(column, cells, source)
    return [[float(cell.strip() == level) for level in column.levels] for _, cell in cells]  # the dummy trap


def infer_levels_in_order_seen(name, cells, source):
    column = REAL_INFER_COLUMN(name, cells, source)
    if column.kind != "categorical":
        return column
    seen = list(dict.fromkeys(cell.strip() for _, cell in cells))  # the first row's level as the reference
    return column._replace(levels=tuple(seen))


REAL_ITERATE = driver.iterate
REAL_ENCODE_COLUMN = columns_chapter.encode_column
REAL_INFER_COLUMN = columns_chapter.infer_column
REAL_CHECK_DIVERGENCE = driver._check_divergence
REAL_STOP_REASON = driver._stop_reason


MUTANTS: List[Mutant] = [
    Mutant("naive_sigmoid", "sigmoid as 1 / (1 + exp(-z)), without branching on the sign of z",
           "test_links:test_sigmoid_is_symmetric", "logreg_pure.part1_mathematics.links:sigmoid", naive_sigmoid),
    Mutant("naive_softplus", "softplus as log(1 + exp(z)) instead of max(z, 0) + log1p(exp(-|z|))",
           "test_links:test_softplus_difference_is_identity", "logreg_pure.part1_mathematics.links:softplus", naive_softplus),
    Mutant("logit_without_domain_check", "logit as log(p / (1 - p)) with no check that 0 < p < 1",
           "test_links:test_logit_refuses_values_outside_the_open_interval", "logreg_pure.part1_mathematics.links:logit",
           logit_without_domain_check),
    Mutant("loss_through_probability", "the loss as -[y log p + (1 - y) log(1 - p)] with p = sigmoid(z)",
           "test_loss:test_loss_is_finite_and_non_negative", "logreg_pure.part1_mathematics.loss:example_loss",
           loss_through_probability),
    Mutant("gradient_without_mean", "the gradient sums the examples' (p - y) x and forgets the 1/n",
           "test_gradient:test_gradient_matches_central_differences", "logreg_pure.part1_mathematics.gradient:gradient",
           gradient_without_mean),
    Mutant("gradient_with_wrong_sign", "the gradient written as (y - p) x",
           "test_gradient:test_gradient_matches_central_differences", "logreg_pure.part1_mathematics.gradient:gradient",
           gradient_with_wrong_sign),
    Mutant("gradient_penalizing_the_bias", "the penalty's derivative reg * b added to the bias's gradient",
           "test_gradient:test_gradient_matches_central_differences", "logreg_pure.part1_mathematics.gradient:gradient",
           gradient_penalizing_the_bias),
    Mutant("forward_difference_checker", "the gradient checker uses (f(x + h) - f(x)) / h",
           "test_gradient:test_gradient_matches_central_differences", "reference:numeric_gradient",
           forward_difference),
    Mutant("hessian_weighted_by_p", "the Hessian's weights are p instead of p (1 - p)",
           "test_gradient:test_hessian_matches_central_differences_of_the_gradient",
           "logreg_pure.part1_mathematics.gradient:sigmoid_derivative", hessian_weighted_by_p, everywhere=False),
    Mutant("loop_one_step_short", "the iteration loop runs epochs - 1 steps (an off-by-one)",
           "test_gradient_descent:test_fidelity_on_random_data", "logreg_pure.part2_problem.driver:iterate",
           loop_one_step_short),
    Mutant("loop_forgetting_the_start", "the history of J leaves out its value at the start",
           "test_driver:test_history_starts_at_log_two_with_one_entry_per_step", "logreg_pure.part2_problem.driver:iterate",
           loop_forgetting_the_start),
    Mutant("divergence_ignored_for_gradient_descent", "the loop skips the divergence check for one solver",
           "test_driver:test_descent_rules_never_report_a_rising_objective",
           "logreg_pure.part2_problem.driver:_check_divergence", divergence_ignored_for_gradient_descent),
    Mutant("stop_rule_without_tolerance", "the stop rule ignores tol: fits run to the iteration limit",
           "test_driver:test_a_fit_stops_at_the_first_point_that_meets_tol",
           "logreg_pure.part2_problem.driver:_stop_reason", stop_rule_without_tolerance),
    Mutant("newton_without_halving", "Newton's method always takes the full step",
           "test_solvers:test_newton_never_increases_the_objective", "logreg_pure.part3_solvers.solvers:Newton",
           NewtonWithoutHalving),
    Mutant("newton_dividing_by_three", "Newton's step shrinks by 3, not 2, while J would rise",
           "test_stop_rules:test_each_newton_step_is_the_first_halving_that_does_not_raise_j",
           "logreg_pure.part3_solvers.solvers:Newton", NewtonDividingByThree),
    Mutant("soft_threshold_ignoring_sign", "the L1 proximal step subtracts the threshold whatever the sign",
           "test_solvers:test_l1_solution_satisfies_optimality_conditions",
           "logreg_pure.part3_solvers.solvers:soft_threshold", soft_threshold_ignoring_sign),
    Mutant("sgd_global_random", "SGD shuffles with the global random generator, ignoring random_state",
           "test_solvers:test_fixed_random_state_reproduces_sgd_exactly", "logreg_pure.part3_solvers.solvers:random",
           GLOBAL_RANDOM, everywhere=False),
    Mutant("standardizer_sample_deviation", "the Standardizer divides by the sample deviation (n - 1)",
           "test_features:test_standardized_columns_have_mean_zero_and_variance_one",
           "logreg_pure.part1_mathematics.vectors:population_std", sample_standard_deviation),
    Mutant("auc_ignoring_ties", "AUC from ordinal ranks, so tied scores are ranked by row order",
           "test_metrics:test_auc_is_the_fraction_of_correctly_ranked_pairs", "logreg_pure.part5_inference.metrics:roc_auc",
           auc_ignoring_ties),
    Mutant("roc_curve_staircase", "the ROC curve steps once per row, splitting tied scores",
           "test_metrics:test_roc_curve_runs_from_corner_to_corner_and_never_goes_down",
           "logreg_pure.part5_inference.metrics:roc_curve", roc_curve_staircase),
    Mutant("log_loss_with_clipping", "log loss clips probabilities to [1e-15, 1 - 1e-15]",
           "test_metrics:test_log_loss_is_infinite_when_a_label_gets_probability_zero",
           "logreg_pure.part5_inference.metrics:log_loss", log_loss_with_clipping),
    Mutant("chi2_with_one_degree", "the likelihood-ratio p-value uses 1 degree of freedom for any model",
           "test_inference:test_chi2_survival_matches_closed_forms", "logreg_pure.part5_inference.inference:chi2_sf",
           chi2_sf_with_one_degree),
    Mutant("standard_errors_from_penalized_hessian", "standard errors from the penalized Hessian",
           "test_inference:test_standard_errors_are_the_log_likelihood_curvature",
           "logreg_pure.part5_inference.inference:observed_information", information_with_penalty),
    Mutant("plain_data_ignoring_pandas", "a DataFrame is read as a sequence of rows (it yields column names)",
           "test_conventions:test_a_table_fits_exactly_as_its_rows", "logreg_pure.part1_mathematics.checks:plain_data",
           plain_data_ignoring_pandas),
    Mutant("numpy_scalar_taken_as_it_is", "a NumPy scalar is judged as it is, not as the number it holds",
           "test_conventions:test_numpy_scalars_are_the_numbers_they_hold", "logreg_pure.part1_mathematics.checks:_python_scalar",
           numpy_scalar_taken_as_it_is),
    Mutant("classes_in_order_of_appearance", "classes_ in the order the labels first appear, not sorted",
           "test_conventions:test_any_two_labels_fit_as_zero_and_one", "logreg_pure.part1_mathematics.checks:check_classes",
           classes_in_order_of_appearance),
    Mutant("softmax_without_the_maximum",
           "the softmax as exp(s_k) / sum exp(s_l), without subtracting the largest score",
           "test_softmax:test_probabilities_sum_to_one_and_ignore_a_common_shift", "logreg_pure.part1_mathematics.softmax:softmax",
           softmax_without_the_maximum),
    Mutant("softmax_loss_without_the_maximum", "the K-class loss as log(sum exp(s_l)) - s_k, computed naively",
           "test_softmax:test_loss_is_finite_and_non_negative", "logreg_pure.part1_mathematics.softmax:example_softmax_loss",
           softmax_loss_without_the_maximum),
    Mutant("softmax_gradient_y_minus_p", "the K-class gradient written with Y - P",
           "test_softmax:test_gradient_matches_central_differences", "logreg_pure.part1_mathematics.softmax:softmax_gradient",
           softmax_gradient_y_minus_p),
    Mutant("softmax_hessian_without_off_diagonal_blocks", "the K-class Hessian keeps only its diagonal blocks (k = l)",
           "test_softmax:test_hessian_matches_central_differences_of_the_gradient",
           "logreg_pure.part1_mathematics.softmax:hessian_block", hessian_block_diagonal_only, everywhere=False),
    Mutant("softmax_reference_not_fixed", "an unpenalized K-class fit leaves every class free (no reference class)",
           "test_multinomial:test_unpenalized_scores_are_log_odds_against_the_first_class",
           "logreg_pure.part2_problem.softmax_problem:fixes_reference", reference_never_fixed, everywhere=False),
    Mutant("softmax_null_with_equal_probabilities", "the K-class null model gives every class 1/K",
           "test_softmax_inference:test_the_null_model_is_the_best_intercept_only_model",
           "logreg_pure.part5_inference.inference:_softmax_null_log_likelihood", null_with_equal_probabilities),
    Mutant("softmax_df_counting_the_reference", "the LLR test's degrees of freedom count K d slopes, not (K - 1) d",
           "test_softmax_inference:test_two_class_summary_is_the_binary_summary",
           "logreg_pure.part5_inference.inference:SoftmaxSummary", SummaryCountingTheReference, everywhere=False),
    Mutant("confusion_matrix_transposed", "the K x K confusion matrix with predictions as rows",
           "test_multiclass_metrics:test_confusion_matrix_rows_are_the_truth_and_columns_the_predictions",
           "logreg_pure.part5_inference.multiclass_metrics:multiclass_confusion_matrix", confusion_matrix_transposed),
    Mutant("indicator_for_every_level", "a category becomes one indicator per level, the reference's too",
           "test_columns:test_a_category_becomes_one_indicator_per_level_but_the_first",
           "logreg_pure.part6_command_line.columns:encode_column", encode_every_level),
    Mutant("reference_level_first_seen", "the reference level is the first one in the file, not in sorted order",
           "test_columns:test_a_category_becomes_one_indicator_per_level_but_the_first",
           "logreg_pure.part6_command_line.columns:infer_column", infer_levels_in_order_seen),
    Mutant("write_in_place", "a file written by opening the target itself: a failure leaves half a file",
           "test_outputs:test_a_write_leaves_the_old_file_or_the_whole_new_one", "logreg_pure.part6_command_line.outputs:write_text",
           write_in_place),
    Mutant("write_leaving_temporary", "a temporary file and a rename, but a failed write leaves the temporary",
           "test_outputs:test_a_write_leaves_the_old_file_or_the_whole_new_one", "logreg_pure.part6_command_line.outputs:write_text",
           write_leaving_temporary),
    Mutant("cd_soft_threshold_wrong_sign", "coordinate descent's soft-threshold adds the threshold instead "
           "of subtracting it", "test_coordinate:test_cd_solution_satisfies_the_elastic_net_optimality_conditions",
           "logreg_pure.part3_solvers.coordinate:soft_threshold", soft_threshold_with_the_wrong_sign, everywhere=False),
    Mutant("cd_penalized_intercept", "coordinate descent soft-thresholds the intercept like a weight",
           "test_coordinate:test_cd_solution_satisfies_the_elastic_net_optimality_conditions",
           "logreg_pure.part3_solvers.coordinate:QuadraticModel", QuadraticModelPenalizingTheIntercept),
    Mutant("cd_without_halving", "coordinate descent always moves to the quadratic model's minimizer",
           "test_coordinate:test_cd_never_increases_the_objective", "logreg_pure.part3_solvers.coordinate:_damped_step",
           full_quadratic_step),
    Mutant("path_cold_start", "the path starts every fit from zero, ignoring the previous answer",
           "test_path:test_a_warm_start_at_a_solution_costs_no_step", "logreg_pure.part5_inference.path:warm_start", cold_start),
    Mutant("reg_max_without_centring", "reg_max from sum y_i x_ij instead of sum (ybar - y_i) x_ij",
           "test_path:test_every_weight_is_zero_at_reg_max_and_some_weight_is_not_just_below",
           "logreg_pure.part5_inference.path:null_gradient", null_gradient_without_centring),
    Mutant("simplex_ignoring_upper_bounds", "the simplex's ratio test ignores the basic unknowns' upper bounds",
           "test_lp:test_the_answer_is_feasible", "logreg_pure.part1_mathematics.lp:_Tableau", TableauIgnoringUpperBounds),
    Mutant("separation_without_intercept", "the signed rows leave out the intercept's column",
           "test_separation:test_one_feature_agrees_with_sorting", "logreg_pure.part2_problem.separation:signed_rows",
           signed_rows_without_intercept),
    Mutant("separation_trusting_the_gradient", "a fit with a small gradient is taken to prove that no "
           "separation exists", "test_separation:test_quasi_separation_names_exactly_the_infinite_estimate",
           "logreg_pure.part2_problem.separation:newton_step_certifies", certifying_every_fit),
    Mutant("firth_score_without_leverages", "Firth's score without the h (1/2 - p) term",
           "test_firth:test_the_modified_score_vanishes_at_the_estimate", "logreg_pure.part8_appendix.fast:column_leverages",
           leverages_forgotten),
    Mutant("profile_interval_from_wald_quadratic", "profile intervals from the Wald parabola's ends",
           "test_likelihood:test_profile_ends_solve_the_defining_equation",
           "logreg_pure.part5_inference.likelihood:profile_interval", profile_interval_from_wald),
    Mutant("likelihood_ratio_without_refit", "the restricted fit keeps the other parameters at the full "
           "estimate instead of refitting them", "test_likelihood:test_each_parameter_test_is_the_fit_without_its_column",
           "logreg_pure.part5_inference.likelihood:restricted_fit", restricted_fit_without_refitting),
]

# issue 23
import re  # noqa: E402

from logreg_pure.part6_command_line import files as files_chapter  # noqa: E402

# The number pattern as it was: "[0-9]+" and "[0-9]*" can share the digits of "111...1x" in
# every split before the match fails, quadratic in the cell's length.
BACKTRACKING_NUMERAL = re.compile(r"[+-]?(?:[0-9]+\.?[0-9]*|\.[0-9]+)(?:[eE][+-]?[0-9]+)?")


def column_found_by_searching_the_header(positions, header, name, source):
    found = [j + 1 for j, h in enumerate(header) if h == name]  # a search per name: d^2 for d columns
    if not found:
        raise ValueError(f"{source}: no column {name!r}")
    if len(found) > 1:
        raise ValueError(f"{source}: the header names columns {found[0]} and {found[1]} both {name!r}")


def same_file_by_spelling(first, second):
    return os.path.normpath(os.path.abspath(first)) == os.path.normpath(os.path.abspath(second))  # links missed


def escaped_not_at_all(text):
    return text  # an escape sequence in a column name reaches the terminal


def decimal_commas_unnoticed(text):
    return False  # "0,5" is text, so a column of them becomes a category


MUTANTS += [
    Mutant("backtracking_number_pattern", "the number pattern lets two runs of digits share a cell's digits",
           "test_hostile_input:test_every_pattern_that_reads_a_file_is_one_pass", "logreg_pure.part6_command_line.columns:_NUMERAL",
           BACKTRACKING_NUMERAL),
    Mutant("columns_searched_per_name", "each used column is found by searching the whole header (d^2 work)",
           "test_hostile_input:test_finding_the_columns_is_linear_in_their_number",
           "logreg_pure.part6_command_line.files:_check_used_column", column_found_by_searching_the_header),
    Mutant("same_file_by_spelling", "an output is compared with the inputs by its spelling, not as a file",
           "test_hostile_input:test_an_output_is_refused_whatever_its_spelling", "logreg_pure.part6_command_line.outputs:same_file",
           same_file_by_spelling),
    Mutant("names_printed_raw", "names from a file are printed to the terminal as they are",
           "test_hostile_input:test_no_name_reaches_the_terminal_unescaped", "logreg_pure.part1_mathematics.checks:escaped",
           escaped_not_at_all),
    Mutant("decimal_commas_unnoticed", "numbers with a decimal comma are taken for text",
           "test_hostile_input:test_numbers_with_decimal_commas_are_never_made_categories",
           "logreg_pure.part6_command_line.columns:looks_like_decimal_comma", decimal_commas_unnoticed),
]

# ------------------------------------------------------ issue 24, step C: the guide
# Mutants for the Markdown tables (chapter 36) and the reference of the commands that
# the guide writes from the parser (chapter 37).
import argparse  # noqa: E402


def table_row_without_escaping(cells):
    return "| " + " | ".join(cells) + " |"  # a bar in a help text or a choice ends its cell


def arguments_without_positionals(parser):
    return [a for a in parser._actions if a.option_strings and not isinstance(a, argparse._HelpAction)]


def default_of_a_required_option_as_given(action):
    if not action.option_strings and action.nargs != "?":
        return "required"
    if action.nargs == 0 or action.default in (None, argparse.SUPPRESS):
        return ""
    return str(action.default)  # a required option's row shows a default it never uses


MUTANTS += [
    Mutant("table_row_without_escaping", "a table's row written without escaping the bars inside its cells",
           "test_book:test_a_table_row_reads_back_as_the_cells_it_was_written_from",
           "logreg_pure.part7_book.markup:table_row", table_row_without_escaping),
    Mutant("reference_without_positional_arguments", "the reference of the commands lists their options but "
           "not their positional arguments (DATA.csv)", "test_pages:test_the_reference_shows_every_argument_once_"
           "with_its_default", "logreg_pure.part7_book.guide:_arguments", arguments_without_positionals),
    Mutant("reference_default_of_a_required_option", "the reference shows a required option's unused default "
           "instead of 'required'", "test_pages:test_the_reference_shows_every_argument_once_with_its_default",
           "logreg_pure.part7_book.guide:_default", default_of_a_required_option_as_given),
]

# ----------------------------------------------------------------------- issue 22
# Mutants for the chapters of coordinate descent, the path and softmax's L1 penalty:
# one contiguous block, appended to MUTANTS.

from logreg_pure.part5_inference import path as path_chapter  # noqa: E402


def fold_scores_with_the_intercept_subtracted(rows, labels, train, test, grid, options):
    X_train, X_test = [rows[i] for i in train], [rows[i] for i in test]
    if options["standardize"]:
        scaler = path_chapter.Standardizer().fit(X_train)
        X_train, X_test = scaler.transform(X_train), scaler.transform(X_test)
    path = REAL_PATH(X_train, [labels[i] for i in train], grid, l1_ratio=options["l1_ratio"], tol=options["tol"],
                     epochs=options["epochs"])
    y_test = [labels[i] for i in test]
    return [path_chapter.fold_score(options["scoring"], y_test, [dot(x, w) - b for x in X_test])  # - b: the sign
            for w, b in zip(path.coefs, path.intercepts)]


def softmax_problem_without_l1(X, y, *, fast=True, **options):
    problem = REAL_MAKE_SOFTMAX_PROBLEM(X, y, fast=fast, **options)
    problem.l1 = 0.0  # the penalty == "l1" test never true: the L1 penalty vanishes from the steps
    return problem


def softmax_problem_penalizing_intercepts(X, y, *, fast=True, **options):
    problem = REAL_MAKE_SOFTMAX_PROBLEM(X, y, fast=fast, **options)
    every = property(lambda self: [True] * len(self.free))  # j >= 0 where j > 0 belongs
    problem.__class__ = type("PenalizingIntercepts", (problem.__class__,), {"penalized": every})
    return problem


def path_without_the_unfinished_warning(grid, results):
    return None  # fits that stopped at epochs go unreported


class QuadraticModelLeavingFlatCoordinates(coordinate.QuadraticModel):
    """Coordinate descent that leaves a coordinate with no curvature where it is: a weight on
    a column of zeros keeps its start, and the L1 condition there is never met."""

    def update(self, a):
        if not self.gram[a][a] > 0.0:
            return 0.0
        return super().update(a)


class QuadraticModelWithoutBreak(coordinate.QuadraticModel):
    """Coordinate descent whose inner loop never stops early: MAX_CYCLES sweeps every step."""

    def minimize(self, tol, max_cycles=coordinate.MAX_CYCLES):
        for _ in range(max_cycles):
            self.sweep(range(len(self.active)))
        return self.theta


REAL_PATH = path_chapter.regularization_path
REAL_MAKE_SOFTMAX_PROBLEM = softmax_problem_chapter.make_softmax_problem

MUTANTS += [
    Mutant("cv_fold_intercept_subtracted", "each fold's log-odds written dot(x, w) - b: cross-validation scores "
           "the wrong models", "test_path_laws:test_each_fold_score_is_the_held_out_score_of_that_folds_own_fit",
           "logreg_pure.part5_inference.path:_fold_scores", fold_scores_with_the_intercept_subtracted),
    Mutant("softmax_l1_vanishes", "the K-class problem's L1 part is 0 whatever the penalty: no weight is "
           "soft-thresholded", "test_softmax:test_an_l1_softmax_fit_meets_its_optimality_conditions",
           "logreg_pure.part2_problem.softmax_problem:make_softmax_problem", softmax_problem_without_l1),
    Mutant("softmax_l1_penalizing_intercepts", "the K-class proximal step soft-thresholds the intercepts too",
           "test_softmax:test_an_l1_softmax_fit_meets_its_optimality_conditions",
           "logreg_pure.part2_problem.softmax_problem:make_softmax_problem", softmax_problem_penalizing_intercepts),
    Mutant("path_unfinished_fits_unreported", "the path says nothing when fits stop at the iteration limit",
           "test_path_laws:test_a_path_warns_exactly_when_a_fit_stops_early_and_names_its_regs",
           "logreg_pure.part5_inference.path:_warn_unfinished", path_without_the_unfinished_warning),
    Mutant("cd_leaving_flat_coordinates", "coordinate descent leaves a coordinate with no curvature (a zero "
           "column) where it started", "test_coordinate:test_an_all_zero_column_ends_at_zero_and_changes_nothing_else",
           "logreg_pure.part3_solvers.coordinate:QuadraticModel", QuadraticModelLeavingFlatCoordinates),
    Mutant("cd_inner_loop_without_break", "coordinate descent's inner loop sweeps MAX_CYCLES times whatever it moves",
           "test_coordinate:test_on_orthogonal_features_the_first_step_sweeps_the_model_three_times",
           "logreg_pure.part3_solvers.coordinate:QuadraticModel", QuadraticModelWithoutBreak),
]

# ------------------------------------------------------------------------ issue 21
# Wrong answers at the seams between features (refits, grids, flags, labels, readings,
# weights, extreme numbers): each mistake below was the library's own, and each is
# killed only by the law written for it.

from logreg_pure.part1_mathematics.errors import SingularMatrixError  # noqa: E402
from logreg_pure.part2_problem.fixed_problem import FixedProblem  # noqa: E402
from logreg_pure.part4_estimators import features as features_chapter  # noqa: E402
from logreg_pure.part5_inference import likelihood as likelihood_chapter  # noqa: E402
from logreg_pure.part5_inference import path as path_chapter  # noqa: E402
from logreg_pure.part6_command_line import cli as cli_chapter  # noqa: E402
from logreg_pure.part6_command_line import files as files_chapter  # noqa: E402
import argparse  # noqa: E402

REAL_RESTRICTED_FIT = likelihood_chapter.restricted_fit
REAL_WARN_AT_EDGE = path_chapter.warn_at_edge
REAL_PRINT_SUMMARY_TAIL = cli_chapter._print_summary_tail


def restricted_fit_from_the_full_estimate(problem, start, fixed, *, tol=1e-11, warm=()):
    if warm:  # along a profile: the real refit (this mistake is about the first start)
        return REAL_RESTRICTED_FIT(problem, start, fixed, tol=tol, warm=warm)
    restricted = FixedProblem(problem, fixed, start)  # the full estimate, as it is
    try:
        result = driver.iterate(solvers.Newton(), restricted, epochs=200, tol=1e-11)
    except SingularMatrixError:
        raise ValueError("the refit has a singular Hessian") from None
    if result.stop_reason not in ("converged", "no further decrease"):  # "no further decrease" trusted
        raise ValueError(f"the refit ended '{result.stop_reason}'")
    return restricted.full(result.theta), result.loss_history[-1]


def halving_that_stops_at_an_unevaluable_point(problem, point, direction):
    t = 1.0
    for _ in range(solvers.MAX_HALVINGS):
        candidate = problem.at([a + t * d for a, d in zip(point.theta, direction)])  # may raise
        if candidate.objective <= point.objective:
            return candidate
        t /= 2.0
    return None


def grid_stopping_at_a_thousandth(problem, regs, l1_ratio, n_regs, min_ratio):
    if regs is not None:
        return sorted(regs, reverse=True)
    largest = max(abs(g) for g in path_chapter.null_gradient(problem)) / max(l1_ratio, 1e-3)
    return path_chapter.reg_grid(largest, n_regs, min_ratio)  # reg_max / 1000 for every penalty


def warning_only_at_the_bottom_edge(regs, best, scoring):
    if best == regs[-1]:  # a best at the top edge (every weight near 0) passes in silence
        REAL_WARN_AT_EDGE(regs, best, scoring)


def refusing_nothing_for_classes(args, data):
    return None  # summary --firth, --reg on K classes: the plain table, exit 0


def divide_by_four_as_a_change(beta, unit="unit"):
    direction = "raises" if beta >= 0 else "lowers"  # a slope read as a change: 1.71 "of probability"
    return f"near a probability of 0.5 it {direction} the probability by about {abs(beta) / 4:.3g} (beta/4)."


def summary_tail_in_units_whatever_the_scale(args, result, out):
    REAL_PRINT_SUMMARY_TAIL(argparse.Namespace(**dict(vars(args), standardize=False)), result, out)


def label_mapping_by_spelling(values, source, target, multiclass=False):
    distinct = sorted(set(values))  # Yes, YES and yes: three classes
    numeric = all(map(columns_chapter.is_plain_number, distinct))
    if numeric or len(distinct) != 2:
        return files_chapter.class_mapping(values)
    lowered = {v.lower(): v for v in distinct}
    for pair in ({"false": 0, "true": 1}, {"no": 0, "yes": 1}):
        if set(lowered) == set(pair):
            return {lowered[key]: code for key, code in pair.items()}
    return {distinct[0]: 0, distinct[1]: 1}


def c_over_the_row_count(reg, n_rows, sample_weight=None):
    return 1.0 / (n_rows * reg)  # the unweighted translation, whatever the weights' total


class StandardizerMultiplyingFirst(features_chapter.Standardizer):
    def inverse_transform(self, X):
        return [[v * s + m for v, m, s in zip(row, self.mean_, self.scale_)] for row in self._check(X)]  # -inf


def covariance_without_equilibration(information, names):
    covariance = inverse_spd(information, names)  # a variance of 2.5e309 is inf, and so its root
    return covariance, [math.sqrt(covariance[j][j]) for j in range(len(covariance))]


def total_weight_of_any_size(sample_weight, n):
    return float(n) if sample_weight is None else total(sample_weight)  # 5e-324 each: a "converged" zero fit


def log_odds_unchecked(z, source):
    return z  # evaluate prints its first lines, then fails on y_score[0] = inf


class ProfileTrustingEveryCrossing(likelihood_chapter._Profile):
    def confirmed(self, inside, outside):
        return inside, outside  # a refit from afar that lands on a worse local optimum is taken as the crossing


MUTANTS += [
    Mutant("refit_from_the_full_estimate", "a restricted fit starts at the full estimate and accepts "
           "'no further decrease' wherever it stops",
           "test_refits:test_the_likelihood_ratio_is_twice_the_difference_of_two_separate_fits",
           "logreg_pure.part5_inference.likelihood:restricted_fit", restricted_fit_from_the_full_estimate),
    Mutant("halving_stopped_by_an_unevaluable_point", "step halving lets a trial point whose J cannot be "
           "evaluated (a singular information matrix) end the fit",
           "test_refits:test_a_trial_point_that_cannot_be_evaluated_is_a_step_to_halve",
           "logreg_pure.part3_solvers.solvers:first_descending_step", halving_that_stops_at_an_unevaluable_point),
    Mutant("profile_trusting_every_crossing", "a non-convex (Firth) profile takes the first refit past the cut "
           "as the crossing, though it may sit on a worse local optimum",
           "test_refits:test_firth_profile_intervals_exist_on_separated_data_and_end_at_the_cut",
           "logreg_pure.part5_inference.likelihood:_Profile", ProfileTrustingEveryCrossing),
    Mutant("ridge_grid_stopping_at_a_thousandth", "the pure-L2 grid ends at a thousandth of its top, as "
           "the penalties with an L1 part do", "test_cv_grid:test_the_pure_l2_grid_runs_from_zero_weights_to_the_"
           "unpenalized_fit", "logreg_pure.part5_inference.path:_grid", grid_stopping_at_a_thousandth),
    Mutant("edge_warning_only_at_the_bottom", "cross-validation warns when its best reg is the grid's "
           "smallest, but not when it is the largest", "test_cv_grid:test_a_best_reg_at_either_edge_of_the_grid_"
           "is_named_in_a_warning", "logreg_pure.part5_inference.path:warn_at_edge", warning_only_at_the_bottom_edge),
    Mutant("k_class_summary_ignoring_flags", "summary on K classes ignores --firth and --reg instead of "
           "refusing them by name", "test_flags:test_every_summary_flag_works_or_is_refused_by_name",
           "logreg_pure.part6_command_line.cli:_refuse_for_classes", refusing_nothing_for_classes),
    Mutant("divide_by_four_as_a_change", "the sentence reads beta/4, the slope at p = 1/2, as a change in "
           "probability (1.71 for beta = 6.84)", "test_summary_statistics:test_each_interpretation_says_what_"
           "its_coefficient_does", "logreg_pure.part5_inference.inference:probability_reading", divide_by_four_as_a_change),
    Mutant("sentences_per_unit_after_standardizing", "summary --standardize says 'each one-unit increase' of "
           "a coefficient per standard deviation", "test_flags:test_every_summary_flag_works_or_is_refused_by_name",
           "logreg_pure.part6_command_line.cli:_print_summary_tail", summary_tail_in_units_whatever_the_scale),
    Mutant("target_labels_by_spelling", "a target's yes, Yes and YES are three classes (a feature's are one flag)",
           "test_labels:test_a_target_of_flag_words_reads_as_the_same_cells_in_a_feature_column",
           "logreg_pure.part6_command_line.files:_label_mapping", label_mapping_by_spelling),
    Mutant("sklearn_c_over_the_row_count", "scikit-learn's C is 1 / (n reg) even with sample weights",
           "test_translation:test_the_weighted_optimum_is_scikit_learns_with_c_over_the_total_weight",
           "logreg_pure.part4_estimators.model:sklearn_C", c_over_the_row_count),
    Mutant("inverse_transform_multiplying_first", "inverse_transform computes x * scale + mean even where "
           "x * scale overflows", "test_extremes:test_standardizing_and_back_returns_the_column_at_any_magnitude",
           "logreg_pure.part4_estimators.features:Standardizer", StandardizerMultiplyingFirst),
    Mutant("covariance_without_equilibration", "standard errors as sqrt of the plain inverse's diagonal, "
           "inf where the variance overflows", "test_extremes:test_standard_errors_scale_with_the_feature_"
           "down_to_the_smallest_floats", "logreg_pure.part5_inference.inference:covariance_and_errors",
           covariance_without_equilibration),
    Mutant("subnormal_weights_accepted", "weights of 5e-324 are taken as they are: every s (p - y) rounds to 0",
           "test_extremes:test_weights_matter_only_through_their_ratios_or_are_refused",
           "logreg_pure.part2_problem.problem:_total_weight", total_weight_of_any_size),
    Mutant("evaluate_printing_before_checking", "evaluate prints its first lines before an infinite log-odds "
           "stops it with an internal name", "test_extremes:test_commands_at_any_feature_scale_answer_or_refuse_"
           "in_their_own_words", "logreg_pure.part6_command_line.cli:_finite_log_odds", log_odds_unchecked),
]


# ----------------------------------------------------------------- the lead's merge
# The separation program reported "unbounded" on data whose columns spread over many
# scales: a reduced cost of rounding size was taken for an improving direction.


class TableauWithAnAbsoluteCostTolerance(lp_chapter._Tableau):
    """The simplex's reduced costs compared with tol alone, whatever the column's size."""

    def _improving(self, j):
        if self.basic[j] or self.lower[j] == self.upper[j]:
            return 0
        if self.d[j] < -self.tol and self.x[j] == self.lower[j]:  # rounding of a column of 1e7 passes
            return 1
        if self.d[j] > self.tol and self.x[j] == self.upper[j]:
            return -1
        return 0


MUTANTS += [
    Mutant("reduced_cost_with_an_absolute_tolerance", "the simplex compares each reduced cost with an absolute "
           "tolerance, though its rounding grows with its tableau column", "test_separation:"
           "test_the_separation_program_always_has_an_answer", "logreg_pure.part1_mathematics.lp:_Tableau",
           TableauWithAnAbsoluteCostTolerance),
]

# ------------------------------------------------------------------------ issue 24
# The seams of the redesign: the questions a rule puts to a problem, written as
# protocols and checked by the loop; the one seam through which the chapters reach
# the appendix's fast forms; and coordinate descent's curvature for K classes.

from logreg_pure.part8_appendix import fast as fast_chapter  # noqa: E402

REAL_BLOCK_HESSIAN_COLUMN = fast_chapter.block_hessian_column


def questions_never_checked(rule, problem):
    return None  # the loop trusts every rule with every problem: a missing answer fails mid-fit


class CoordinateDescentAskingNothing(coordinate.CoordinateDescent):
    """Coordinate descent that asks every problem for its curvature without declaring it."""

    asks = ()


def seam_always_reference(reference, *, fast=True):
    return reference  # fast=True ignored: every fit runs the reference formulas, slowly


def block_hessian_column_within_its_class(x1_columns, v, free, a, l2, among):
    """The K-class Hessian's column with the blocks between classes left out (k != l: 0),
    as a per-class Newton step would have it."""
    real = REAL_BLOCK_HESSIAN_COLUMN(x1_columns, v, free, a, l2, among)
    return [h if free[b][0] == free[a][0] else 0.0 for h, b in zip(real, among)]


def auto_always_newton(penalty, l1_ratio=None, **size):
    return "newton"  # solver="auto" forgets that Newton's method cannot fit an L1 part


def refusing_coordinate_descent_for_classes(args, data):
    """The command line's old refusal: --solver cd only for two classes, though the table
    (and SoftmaxRegression) fits K."""
    if len(data.label_mapping) > 2 and args.solver == "cd":
        args.parser.error("--solver cd (coordinate descent) is for two classes")
    REAL_REFUSE_FOR_FIT_CLASSES(args, data)


REAL_REFUSE_FOR_FIT_CLASSES = cli_chapter._refuse_for_fit_classes

MUTANTS += [
    Mutant("auto_always_newton", "solver='auto' is Newton's method whatever the penalty: an L1 fit with the "
           "default solver is refused", "test_solvers:test_the_default_solver_fits_every_penalty_each_model_takes",
           "logreg_pure.part3_solvers.solvers:auto_solver", auto_always_newton),
    Mutant("cli_restating_the_solver_table", "the command line refuses --solver cd for K classes on its own, "
           "where the table and SoftmaxRegression fit them",
           "test_flags:test_the_command_line_refuses_what_the_estimators_refuse_and_fits_the_rest",
           "logreg_pure.part6_command_line.cli:_refuse_for_fit_classes", refusing_coordinate_descent_for_classes),
    Mutant("questions_never_checked", "the loop runs a rule on a problem that cannot answer its questions: "
           "an AttributeError, or a call of None, in the middle of the fit",
           "test_driver:test_a_rule_is_refused_a_question_its_problem_cannot_answer",
           "logreg_pure.part2_problem.driver:check_questions", questions_never_checked),
    Mutant("rule_asking_undeclared_questions", "coordinate descent asks for each point's curvature without "
           "declaring HasCurvature, so the loop cannot refuse a problem that has none",
           "test_driver:test_every_rule_declares_the_questions_it_asks",
           "logreg_pure.part3_solvers.coordinate:CoordinateDescent", CoordinateDescentAskingNothing),
    Mutant("seam_ignoring_fast", "the seam hands out the reference problem when the fast one was asked for",
           "test_fast:test_fast_true_fits_through_the_appendix_and_fast_false_never",
           "logreg_pure.part2_problem.problem:problem_class", seam_always_reference),
    Mutant("softmax_curvature_without_cross_blocks", "coordinate descent's K-class Hessian columns leave out "
           "the blocks between classes", "test_fast_softmax:test_softmax_hessian_columns_are_the_hessians_columns",
           "logreg_pure.part8_appendix.fast:block_hessian_column", block_hessian_column_within_its_class,
           everywhere=False),
]

# ------------------------------------------------------- the lead's merge, after issue 24
# Firth's penalty on fewer rows than parameters blamed a column for a singular I.

from logreg_pure.part2_problem import firth as firth_chapter  # noqa: E402


class FirthProblemCountingFeaturesAlone(firth_chapter.FirthProblem):
    """The count forgets the intercept: d rows for d + 1 parameters pass."""

    def check_rows_cover_parameters(self):
        rows = sum(1 for s in self.row_weights if s > 0.0)
        if rows < self.n_features:
            raise SingularMatrixError(f"X has {rows} such rows and {self.n_features + 1} parameters")


MUTANTS += [
    Mutant("firth_rows_without_the_intercept", "Firth's problem counts its parameters without the intercept: "
           "d rows of positive weight for d + 1 parameters pass the check, and a column is blamed later",
           "test_firth:test_firth_refuses_fewer_rows_of_positive_weight_than_parameters",
           "logreg_pure.part2_problem.firth:FirthProblem", FirthProblemCountingFeaturesAlone),
]

# A class whose rows all weigh 0 was fitted to a finite, solver-dependent intercept.

from logreg_pure.part2_problem import problem as problem_chapter  # noqa: E402


def class_totals_checked_after_the_reference(totals):
    """The check skips class 0, as if it were the reference class of the intercepts."""
    for k, weight in enumerate(totals):
        if k > 0 and not weight > 0.0:
            raise ValueError(f"class {k} (position {k} of the sorted labels) has total weight 0: ...; give its "
                             f"rows weight")


MUTANTS += [
    Mutant("class_totals_from_the_reference_on", "the check of each class's total weight skips class 0, so a "
           "weightless class 0 is fitted to a finite intercept", "test_weights:"
           "test_a_class_of_total_weight_zero_is_refused_by_every_problem",
           "logreg_pure.part2_problem.problem:check_class_totals", class_totals_checked_after_the_reference),
]

# ------------------------------------------------------------------------ issue 28
# Beyond one machine: J, its gradient and Hessian from blocks of rows, and the same J
# in other libraries.

from logreg_pure.part5_inference import distributed  # noqa: E402

REAL_BLOCK_SUMS = distributed.block_sums
REAL_FIT_OF = distributed._fit_of


def averaging_block_means(problem, theta, rows):
    """Each block sends its mean, not its sum: the driver averages averages, and a small
    block weighs as much as a large one."""
    sums = REAL_BLOCK_SUMS(problem, theta, rows)
    if sums.weight == 0.0:
        return sums
    share = 1.0 / sums.weight
    return distributed.BlockSums(sums.weight, sums.loss * share, [g * share for g in sums.gradient],
                                 [[h * share for h in row] for row in sums.hessian])


def penalty_in_every_block(problem, theta, rows):
    """Each block adds the L2 penalty's gradient to its sum, and the driver adds it again."""
    sums = REAL_BLOCK_SUMS(problem, theta, rows)
    gradient = [g + (problem.l2 * t if pen else 0.0) for g, t, pen in zip(sums.gradient, theta, problem.penalized)]
    return sums._replace(gradient=gradient)


def total_weight_as_row_count(params, y, sample_weight, softmax):
    """S taken as the number of rows: scikit-learn's C = 1 / (n reg) whatever the weights."""
    fit = REAL_FIT_OF(params, y, sample_weight, softmax)
    return fit._replace(total_weight=float(fit.n_rows))


MUTANTS += [
    Mutant("averaging_block_means", "each block of rows sends its mean loss, gradient and Hessian instead of "
           "its sums, so the driver averages averages",
           "test_distributed:test_every_partition_of_the_rows_gives_the_reference_j_gradient_and_hessian",
           "logreg_pure.part5_inference.distributed:block_sums", averaging_block_means),
    Mutant("penalty_in_every_block", "every block adds the L2 penalty's gradient to its sum, and the driver "
           "adds it once more", "test_distributed:test_every_partition_of_the_rows_gives_the_k_class_reference",
           "logreg_pure.part5_inference.distributed:block_sums", penalty_in_every_block),
    Mutant("total_weight_as_row_count", "equivalent_settings takes S, the total weight, to be the number of "
           "rows: scikit-learn's C and statsmodels' alpha are wrong for weighted fits",
           "test_distributed:test_equivalent_settings_give_a_multiple_of_our_objective_at_every_theta",
           "logreg_pure.part5_inference.distributed:_fit_of", total_weight_as_row_count),
]

# issue 25
from logreg_pure.part4_estimators.model import LogisticRegression as _BinaryModel  # noqa: E402


class LogisticRegressionOneMinus(_BinaryModel):
    """predict_proba's class-0 column as 1 - P(class 1): zero wherever class 1 is nearly sure."""

    def predict_proba(self, X):
        return [[1.0 - p, p] for p in self.probability(X)]


def labels_allowing_fractions(classes):
    return None  # every number is a class, 0.37 too: a measurement taken for a label


MUTANTS += [
    Mutant("predict_proba_one_minus", "predict_proba's first column is 1 - P(class 1), which rounds a small "
           "probability of class 0 to 0", "test_model:test_predict_proba_gives_each_class_its_own_probability",
           "logreg_pure.part4_estimators.model:LogisticRegression", LogisticRegressionOneMinus),
    Mutant("continuous_labels_taken_as_classes", "a label with a fractional part is taken as one more class",
           "test_model:test_a_label_with_a_fractional_part_is_a_continuous_target",
           "logreg_pure.part4_estimators.estimator:_refuse_continuous", labels_allowing_fractions),
]

# ------------------------------------------------------------------------ issue 26
# L-BFGS (chapter 15, continued): the two-loop recursion, the line search's Wolfe
# conditions; and solver="auto" by the problem's size.

from logreg_pure.part3_solvers import quasi_newton  # noqa: E402

REAL_AUTO_SOLVER = solvers.auto_solver


def two_loop_without_scaling(pairs, gradient):
    """The two-loop recursion from B_0 = I, not gamma I: the curvature's scale forgotten."""
    q = list(gradient)
    alphas = []
    for s, y, rho in reversed(pairs):
        alpha = rho * sum(a * b for a, b in zip(s, q))
        alphas.append(alpha)
        q = [a - alpha * b for a, b in zip(q, y)]
    for (s, y, rho), alpha in zip(pairs, reversed(alphas)):
        beta = rho * sum(a * b for a, b in zip(y, q))
        q = [a + (alpha - beta) * b for a, b in zip(q, s)]
    return q


def backtracking_without_curvature(problem, point, direction, t=1.0):
    """Armijo's backtracking: halve t until J falls enough, and never ask whether the slope
    has flattened, so a step far too short is taken (and its pair spoils B)."""
    slope = sum(a * b for a, b in zip(point.gradient, direction))
    for _ in range(quasi_newton.MOST_TRIALS):
        trial = problem.at([a + t * b for a, b in zip(point.theta, direction)])
        if quasi_newton.sufficient_decrease(point, trial, t, slope):
            return t, trial
        t /= 2.0
    return None


def auto_ignoring_size(penalty, l1_ratio=None, **size):
    return REAL_AUTO_SOLVER(penalty, l1_ratio)  # Newton's Hessian, however many parameters


MUTANTS += [
    Mutant("two_loop_without_scaling", "the two-loop recursion starts from B_0 = I instead of gamma I",
           "test_quasi_newton:test_the_two_loop_recursion_is_the_inverse_bfgs_matrix_times_the_gradient",
           "logreg_pure.part3_solvers.quasi_newton:two_loop", two_loop_without_scaling),
    Mutant("line_search_without_curvature", "L-BFGS's line search backtracks until J falls enough (Armijo) and "
           "never checks the curvature condition",
           "test_quasi_newton:test_every_accepted_lbfgs_step_meets_the_strong_wolfe_conditions",
           "logreg_pure.part3_solvers.quasi_newton:wolfe_step", backtracking_without_curvature),
    Mutant("auto_ignoring_size", "solver='auto' is Newton's method for an L2 fit however many parameters its "
           "Hessian has", "test_quasi_newton:test_auto_is_newton_while_the_hessian_is_cheap_and_lbfgs_beyond",
           "logreg_pure.part3_solvers.solvers:auto_solver", auto_ignoring_size),
]

# ------------------------------------------------------- the lead's merge, after issue 26
# solver='auto' chose L-BFGS above 40 parameters and left it stopped short on raw columns.

from logreg_pure.part4_estimators import estimator as estimator_chapter  # noqa: E402
from logreg_pure.part3_solvers.solvers import solve as _solve_any  # noqa: E402


def auto_without_newtons_finish(problem, params, progress):
    """auto's L-BFGS answer stands, whether or not it reached the optimum."""
    solver = estimator_chapter._solver_of(params, problem)
    result = _solve_any(problem, estimator_chapter.make_rule(solver, params), epochs=params["epochs"],
                        tol=params["tol"], progress=progress)
    return result, solver


MUTANTS += [
    Mutant("auto_without_newtons_finish", "solver='auto' takes L-BFGS above 40 parameters and keeps its answer "
           "when it runs out of iterations on badly scaled columns", "test_quasi_newton:"
           "test_auto_reaches_the_optimum_where_lbfgs_stops_short", "logreg_pure.part4_estimators.estimator:_solve",
           auto_without_newtons_finish),
]

# issue 27b
# The book's notation: a formula's row broken anywhere; the article "a" set as mathematics.

from logreg_pure.part7_book import markup as markup_chapter  # noqa: E402


def chunks_at_every_space(nodes):
    """A formula cut into pieces at every space, not only after an operator."""
    chunks = [[]]
    for node in nodes:
        chunks[-1].append(node)
        if node.kind in ("op", "space"):  # "a − b" may now break before "− b", a new equation on a phone
            chunks.append([])
    return [chunk for chunk in chunks if any(n.kind != "space" for n in chunk)]


def every_a_a_variable(text, tokens, k):
    return False  # "a" is always a variable: "the gradient is a p = sigmoid(z)" sets "a p = ..." as the formula


MUTANTS += [
    Mutant("formula_broken_at_every_space", "a displayed formula may break at any space, so a row can "
           "continue with \"− b\" that reads as a new equation",
           "test_book:test_a_formula_is_well_formed_mathml_that_keeps_its_text",
           "logreg_pure.part7_book.markup:_chunks", chunks_at_every_space),
    Mutant("article_a_set_as_mathematics", "the laws page takes the article \"a\" before a formula as its "
           "first variable", "test_book:test_a_formula_inside_a_sentence_is_found_whole_and_alone",
           "logreg_pure.part7_book.book:_is_article", every_a_a_variable),
]


# ------------------------------------------------------------------------ issue 26b
# Typed columns: the CSV reader keeps a column's levels as it reads row by row, and the
# fast problems read a ColumnTable's columns and rows as array('d').

from array import array as _array  # noqa: E402

from logreg_pure.part6_command_line import files as files_chapter  # noqa: E402
from logreg_pure.part8_appendix import fast as fast_appendix  # noqa: E402

REAL_COLUMN_CELLS = files_chapter._ColumnCells
REAL_TYPED_ROWS = fast_appendix.typed_rows


from logreg_pure.part4_estimators.features import Standardizer as _RealStandardizer  # noqa: E402


class StandardizerDividingFirst(_RealStandardizer):
    """A table standardized as v / s - m / s: the same number in exact arithmetic, rounded apart."""

    def _standardized_table(self, table):
        arrays = [_array("d", [v / s - m / s for v in column])
                  for column, m, s in zip(table.arrays, self.mean_, self.scale_)]
        return checks.ColumnTable(arrays)


def plain_row_reading_underscores(cells):
    """The reader's quick path for a row of numbers, checking the values but not the text."""
    try:
        numbers = list(map(float, cells))
    except ValueError:
        return None
    return numbers if all(map(math.isfinite, numbers)) else None


def plain_value_of_the_unstripped_cell(cell):
    """A cell's value if it is a plain finite number, judging the cell with its white space."""
    try:
        value = float(cell)
    except ValueError:
        return None
    return value if math.isfinite(value) and cell.isascii() and "_" not in cell else None


class CellsKeepingDroppedLevels(REAL_COLUMN_CELLS):  # type: ignore[misc, valid-type]
    """A dropped row's cell is forgotten, but a level it was the first to show stays a level."""

    def undo(self, line):
        self.values.pop()
        if self.codes is not None:
            self.codes.pop()


def typed_rows_in_single_precision(X, columns):
    """Rows of array('f'): half the memory, every value rounded to 24 bits."""
    if isinstance(X, checks.ColumnTable):
        return [_array("f", row) for row in zip(*columns)]
    return REAL_TYPED_ROWS(X, columns)


MUTANTS += [
    Mutant("reader_keeping_dropped_levels", "the row-by-row reader drops a row with a missing cell but keeps a "
           "level first seen on it, so a category of dropped rows only gets an indicator of zeros",
           "test_columns:test_reading_row_by_row_is_the_columns_rules_applied_to_every_cell",
           "logreg_pure.part6_command_line.files:_ColumnCells", CellsKeepingDroppedLevels),
    Mutant("typed_rows_in_single_precision", "the fast problems keep a ColumnTable's rows as array('f'), rounding "
           "every value to single precision", "test_fast:test_a_fast_problem_on_typed_columns_answers_exactly_as_on_rows",
           "logreg_pure.part8_appendix.fast:typed_rows", typed_rows_in_single_precision),
    Mutant("table_standardized_dividing_first", "a ColumnTable is standardized as x / s - m / s (the overflow "
           "fallback's form), not as the rows are, (x - m) / s", "test_fast:"
           "test_standardizing_typed_columns_is_standardizing_their_rows",
           "logreg_pure.part4_estimators.features:Standardizer", StandardizerDividingFirst),
    Mutant("plain_row_reading_underscores", "the reader's quick path for a row of numbers takes whatever float() "
           "reads, so '1_000' (or a non-ASCII digit) is read as a number after the first row",
           "test_columns:test_reading_row_by_row_is_the_columns_rules_applied_to_every_cell",
           "logreg_pure.part6_command_line.files:_plain_row", plain_row_reading_underscores),
    Mutant("plain_value_of_the_unstripped_cell", "the reader judges a number by the cell with its white space, so "
           "'4' and a no-break space is kept as a 0.0 placeholder (and the column's later inf is never refused)",
           "test_columns:test_reading_row_by_row_is_the_columns_rules_applied_to_every_cell",
           "logreg_pure.part6_command_line.files:_plain_value", plain_value_of_the_unstripped_cell),
]

BY_NAME = {m.name: m for m in MUTANTS}


# ---------------------------------------------------------------- applying one

def _ours(module: types.ModuleType) -> bool:
    """The library's modules and the test modules (which import functions by name)."""
    name = getattr(module, "__name__", "") or ""
    path = getattr(module, "__file__", "") or ""
    in_tests = bool(path) and os.path.dirname(os.path.abspath(path)) == HERE
    this_catalogue = bool(path) and os.path.abspath(path) == os.path.abspath(__file__)
    # The catalogue keeps the real functions (REAL_GRADIENT, ...) for the mutants to call.
    return (name.startswith("logreg_pure") or in_tests) and not this_catalogue


def _resolve(spec: str) -> Tuple[types.ModuleType, str]:
    module_name, attribute = spec.split(":")
    return importlib.import_module(module_name), attribute


def law_function(mutant: Mutant) -> Callable[[], None]:
    module_name, function = mutant.law.split(":")
    return getattr(importlib.import_module(module_name), function)


@contextlib.contextmanager
def applied(mutant: Mutant) -> Iterator[None]:
    """Within the block, the mutant replaces the real object wherever it is bound."""
    module, attribute = _resolve(mutant.target)
    law_function(mutant)  # import the law's module first, so that its bindings are found
    original = getattr(module, attribute)
    places = [(module, attribute)]
    if mutant.everywhere:
        for other in list(sys.modules.values()):
            if other is not None and _ours(other):
                for name, value in list(vars(other).items()):
                    if value is original and (other, name) not in places:
                        places.append((other, name))
    for where, name in places:
        setattr(where, name, mutant.replacement)
    try:
        yield
    finally:
        for where, name in places:
            setattr(where, name, original)


KILL_EXAMPLES = 50


def kill(mutant: Mutant, generated_only: bool = False, shrink: bool = True) -> Optional[BaseException]:
    """Run the mutant's law with the mutant in place; return the failure, or None if it
    survived. ``generated_only`` skips the law's pinned ``@example`` cases, to see
    what Hypothesis finds by itself; ``shrink=False`` skips shrinking the
    counterexample (a kill is a kill: the test suite only needs to know that)."""
    from hypothesis import Phase, settings
    from hypothesis.database import InMemoryExampleDatabase

    law = law_function(mutant)
    phases = [Phase.generate, Phase.target] if generated_only else [Phase.explicit, Phase.reuse,
                                                                     Phase.generate, Phase.target]
    # A test can carry only one settings decorator, so the law's own settings are
    # extended in place (and restored below). A mutant gets at least KILL_EXAMPLES tries
    # whatever the profile: the search stops at the first failure, so a kill costs
    # little, and a quick profile must not let a mutant survive by chance.
    own = law._hypothesis_internal_use_settings
    examples = InMemoryExampleDatabase()  # where Hypothesis keeps the killing example
    law._hypothesis_internal_use_settings = settings(own, phases=phases + ([Phase.shrink] if shrink else []),
                                                     max_examples=max(own.max_examples, KILL_EXAMPLES),
                                                     database=examples)
    try:
        with applied(mutant):
            law()
    except (KeyboardInterrupt, SystemExit):
        raise
    except BaseException as failure:  # any failure kills it (pytest.fail's is a BaseException)
        _real_code_passes(law, own, examples, mutant)
        return failure
    finally:
        law._hypothesis_internal_use_settings = own
    return None


def _real_code_passes(law: Callable, own: Any, examples: Any, mutant: Mutant) -> None:
    """A kill counts only if the real code passes the example that killed the mutant:
    the law's pinned examples and the killing one, replayed without the mutant."""
    from hypothesis import Phase, settings

    law._hypothesis_internal_use_settings = settings(own, phases=[Phase.explicit, Phase.reuse],
                                                     database=examples)
    try:
        law()
    except unittest.SkipTest:
        pass  # no generated example to replay (the kill was a pinned one; those passed above)
    except Exception as error:
        raise AssertionError(f"{mutant.law} fails on the real code too, at the example that killed "
                             f"{mutant.name}: the law is wrong, not (only) the mutant: {error}") from None


def main(argv: List[str]) -> int:
    import conftest  # noqa: F401  (registers and loads the Hypothesis profiles)

    if not argv or argv[0] in ("-h", "--help", "--list"):
        print(__doc__.strip().split("\n\n")[-1])
        print()
        for m in MUTANTS:
            print(f"{m.name:<40} {m.mistake}\n{'':<40} law: {m.law}")
        return 0
    generated_only = "--generated-only" in argv[1:]
    mutant = BY_NAME.get(argv[0])
    if mutant is None:
        print(f"no mutant {argv[0]!r}; python tests/mutants.py --list shows them", file=sys.stderr)
        return 2
    print(f"Mutant {mutant.name}: {mutant.mistake}\nLaw: {mutant.law}\n")
    failure = kill(mutant, generated_only)
    if failure is None:
        print("The mutant SURVIVED: the law passed. Strengthen the law.")
        return 1
    print("Killed.")
    _report(failure)
    return 0


def _report(failure: BaseException, indent: str = "") -> None:
    """Print a failure, its notes (where Hypothesis puts the falsifying example) and,
    for a group of distinct failures, each member."""
    message = str(failure).splitlines()[0] if str(failure) else ""
    print(f"{indent}{type(failure).__name__}: {message}")
    for note in getattr(failure, "__notes__", []):
        for line in str(note).splitlines():
            print(f"{indent}  {line}")
    for member in getattr(failure, "exceptions", []):
        _report(member, indent + "    ")


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
