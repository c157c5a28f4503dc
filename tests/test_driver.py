"""Chapter 14: one loop for every solver; its stop rules hold whichever rule it runs."""

import math
import warnings

import pytest
from hypothesis import assume, given, strategies as st

from logreg_pure import DivergenceError, LogisticRegression
from logreg_pure.part2_problem.driver import RESOLVABLE, iterate
from logreg_pure.part2_problem.problem import Problem, make_problem
from logreg_pure.part3_solvers.solvers import GradientDescent, Newton, solve
from strategies import at_most, datasets

SOLVERS = st.sampled_from(["gd", "newton", "sgd", "cd"])


def quiet_fit(X, y, **options):
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        return LogisticRegression(**options).fit(X, y)


@at_most(30)
@given(datasets(max_rows=8), SOLVERS, st.integers(1, 6), st.sampled_from([0.0, 1e-4]))
def test_history_starts_at_log_two_with_one_entry_per_step(data, solver, epochs, tol):
    """Law: loss_history_ holds J at the start, log 2 (every p is 1/2 at theta = 0),
    then one value per step: len(loss_history_) == n_iter_ + 1, whatever the solver.

    Exact: at theta = 0 every loss term is log 2 exactly, and so is their mean.
    Precondition: reg > 0 (no separation stop, no Newton singularity).
    """
    X, y = data
    model = quiet_fit(X, y, solver=solver, epochs=epochs, tol=tol, reg=0.1, random_state=0, lr=0.05)
    assert model.loss_history_[0] == math.log(2.0)
    assert len(model.loss_history_) == model.n_iter_ + 1


@at_most(30)
@given(datasets(max_rows=8, max_abs=20.0), st.sampled_from([0.1, 1.0, 10.0, 100.0]))
def test_descent_rules_never_report_a_rising_objective(data, lr):
    """Law: a descent rule's recorded J never rises beyond its rounding: a step that
    would raise it ends the fit with DivergenceError instead.

    No precondition on lr: large steps on large features (up to 20) often raise J,
    and then the error must come. Tolerance: RESOLVABLE (1 + |J|), the driver's own
    threshold for a rise.
    """
    X, y = data
    try:
        history, diverged = quiet_fit(X, y, solver="gd", lr=lr, epochs=30, tol=0.0, reg=0.01).loss_history_, False
    except DivergenceError as error:
        history, diverged = error.loss_history, True
    recorded = history[:-1] if diverged else history  # a fit that diverged returns no model
    for before, after in zip(recorded, recorded[1:]):
        assert after <= before + RESOLVABLE * (1.0 + abs(before))
    if diverged:  # the error came at the first rise, and for it
        before, after = history[-2], history[-1]
        assert after > before + RESOLVABLE * (1.0 + abs(before)) or not math.isfinite(after)


@at_most(30)
@given(datasets(max_rows=8), SOLVERS, st.integers(1, 12))
def test_tol_zero_runs_exactly_epochs_steps(data, solver, epochs):
    """Law: with tol = 0 no stop rule fires early: n_iter_ == epochs (the original
    algorithm's contract), for every solver.

    Precondition: reg > 0, so that no iterate is 'separated' and Newton's Hessian
    is invertible; lr = 0.05, small enough not to diverge on these features.
    """
    X, y = data
    model = quiet_fit(X, y, solver=solver, epochs=epochs, tol=0.0, reg=0.1, lr=0.05, random_state=1)
    assert model.n_iter_ == epochs and model.stop_reason_ == "iteration limit"


@at_most(30)
@given(datasets(max_rows=8), st.sampled_from([1e-3, 1e-6, 1e-9]))
def test_a_fit_stops_at_the_first_point_that_meets_tol(data, tol):
    """Law: a fit stops at the first iterate whose optimality measure is at most tol:
    it reports converged with grad_max <= tol, and the same fit given one step
    fewer does not converge.

    The stop rule is the loop's, the same for every rule; Newton's method shows it
    because with reg > 0 (J strongly convex) it must converge within the 100 steps
    allowed. Its steps are deterministic, so the shorter fit repeats the longer
    one's iterates exactly.
    """
    X, y = data
    problem = make_problem(X, y, reg=0.1)
    result = iterate(Newton(), problem, epochs=100, tol=tol)
    assert result.converged and result.stop_reason == "converged" and result.grad_max <= tol
    assume(result.n_iter >= 1)  # a fit that had to move
    shorter = iterate(Newton(), problem, epochs=result.n_iter - 1, tol=tol)
    assert not shorter.converged and shorter.grad_max > tol


def test_separation_stops_the_loop_only_without_a_penalty():
    X, y = [[-2.0], [-1.0], [1.0], [2.0]], [0, 0, 1, 1]  # separated at 0
    free = iterate(Newton(), make_problem(X, y), epochs=100, tol=1e-10)
    assert free.stop_reason == "separated" and not free.converged
    penalized = iterate(Newton(), make_problem(X, y, reg=0.1), epochs=100, tol=1e-10)
    assert penalized.stop_reason == "converged"


def test_progress_is_reported_once_per_step_with_the_recorded_objective():
    seen = []
    X, y = [[0.0], [1.0], [2.0], [3.0]], [0, 1, 0, 1]
    result = iterate(GradientDescent(0.5), make_problem(X, y), epochs=4, tol=0.0,
                     progress=lambda step, J: seen.append((step, J)))
    assert seen == list(enumerate(result.loss_history))


def test_no_further_decrease_is_a_stop_reason():
    class Stuck(GradientDescent):
        def step(self, problem, point):
            return None  # this rule finds nothing better

    result = iterate(Stuck(0.1), make_problem([[0.0], [1.0]], [0, 1]), epochs=10, tol=1e-12)
    assert result.stop_reason == "no further decrease" and result.n_iter == 0


def test_a_stochastic_rule_may_rise_but_not_stay_high():
    from logreg_pure.part3_solvers.solvers import StochasticGradientDescent

    X = [[float(i), float(-i)] for i in range(-5, 6)]
    y = [float(i % 2) for i in range(11)]
    with pytest.raises(DivergenceError, match=r"stayed above twice its start \(0.693147\) for 10 steps.*lr <= 0.0784 is safe"):
        iterate(StochasticGradientDescent(500.0, 1, 0), make_problem(X, y, reg=0.01), epochs=50, tol=1e-9)


# ------------------------------------------------------------- the questions, as code (issue 24)

from logreg_pure.part2_problem import problem as problem_chapter  # noqa: E402
from logreg_pure.part2_problem.firth import make_firth_problem  # noqa: E402
from logreg_pure.part2_problem.fixed_problem import FixedProblem  # noqa: E402
from logreg_pure.part2_problem.softmax_problem import make_softmax_problem  # noqa: E402
from logreg_pure.part3_solvers.coordinate import CoordinateDescent  # noqa: E402
from logreg_pure.part3_solvers.solvers import ProximalGradient, StochasticGradientDescent  # noqa: E402
from strategies import overlapping_datasets  # noqa: E402

PROTOCOLS = (problem_chapter.HasObjective, problem_chapter.HasHessian, problem_chapter.HasBatchGradient,
             problem_chapter.HasCurvature, problem_chapter.HasSafeStep)
RULES = {  # made at call time, so that tests/mutants.py can stand in for a rule
    "gd": lambda: GradientDescent(0.1),
    "proximal": lambda: ProximalGradient(0.1),
    "newton": lambda: Newton(),
    "sgd": lambda: StochasticGradientDescent(0.1, 2, 0),
    "cd": lambda: CoordinateDescent(),
}
PROBLEMS = {
    "binary": lambda X, y, fast: make_problem(X, y, reg=0.1, fast=fast),
    "elastic net": lambda X, y, fast: make_problem(X, y, reg=0.1, penalty="elasticnet", l1_ratio=0.5, fast=fast),
    "K classes": lambda X, y, fast: make_softmax_problem(X, [i % 3 for i in range(len(y))], reg=0.1, penalty="l1",
                                                         fast=fast),
    "Firth's": lambda X, y, fast: make_firth_problem(X, y, fast=fast),
    "held": lambda X, y, fast: FixedProblem(make_problem(X, y, reg=0.1, fast=fast), {1: 0.0}, [0.0] * (len(X[0]) + 1)),
    "Firth's, held": lambda X, y, fast: FixedProblem(make_firth_problem(X, y, fast=fast), {0: 0.0},
                                                     [0.0] * (len(X[0]) + 1)),
}


@given(overlapping_datasets(max_rows=4), st.sampled_from(sorted(RULES)), st.sampled_from(sorted(PROBLEMS)),
       st.booleans())
def test_a_rule_is_refused_a_question_its_problem_cannot_answer(data, rule_name, problem_name, fast):
    """Law: a rule runs on a problem exactly when the problem answers every group of
    questions the rule asks (its ``asks``, and chapter 10's ``HasObjective``); otherwise
    the loop refuses it before the first step with a ``TypeError`` that names the rule,
    the questions and the problem, never an ``AttributeError`` or a call of ``None``
    mid-fit. A problem that answers may still be refused by the solver table of chapter
    15 (``rule.check``: Firth's penalty is Newton's, an L1 part not Newton's; plain
    gradient descent cannot follow ``|w|``), in a ``ValueError`` sentence that says so.

    Precondition: overlapping classes (a finite optimum, so three steps run without a
    separation stop getting in the way). Exact: a refusal or a run, nothing between.
    """
    X, y = data
    rule, problem = RULES[rule_name](), PROBLEMS[problem_name](X, y, fast)
    answered = all(isinstance(problem, protocol) for protocol in (problem_chapter.HasObjective,) + rule.asks)
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            iterate(rule, problem, epochs=3, tol=0.0)
    except TypeError as refusal:
        message = str(refusal)
        assert not answered and message.startswith(f"{rule.name} asks for "), message
        assert f"{type(problem).__name__} does not answer it" in message
        return
    except ValueError as refusal:
        assert answered and " cannot f" in str(refusal), str(refusal)  # "cannot fit", "cannot follow |w|"
        return
    assert answered


class _Asked:
    """A problem seen through a window that notes every question put to it: the names of
    chapter 10's protocols that the problem answers, and nothing else."""

    def __init__(self, problem):
        self.asked = set()
        names = {name for protocol in PROTOCOLS for name in problem_chapter.questions(protocol)
                 if problem_chapter.unanswered(problem, protocol) == []}

        def window(name):
            def read(_):
                self.asked.add(name)
                return getattr(problem, name)
            return property(read)

        self.problem = type("Window", (), {name: window(name) for name in names})()


@at_most(30)
@given(overlapping_datasets(max_rows=4), st.sampled_from(sorted(RULES)), st.sampled_from(["binary", "K classes"]))
def test_every_rule_declares_the_questions_it_asks(data, rule_name, problem_name):
    """Law: in the loop (its check, its steps), a rule asks a problem only the questions of
    chapter 10's protocols it declares in ``asks`` (and ``HasObjective``'s, which every
    problem answers): what a rule needs is written in its code, not only in its prose.

    Precondition: a problem that answers every protocol (two classes, or K with a penalty
    the rule fits: L1 for proximal gradient and coordinate descent, L2 for the others,
    plain gradient descent among them), seen through a window that
    shows exactly the protocols' names and notes each one read. Exact: a set of names.
    """
    X, y = data
    rule = RULES[rule_name]()
    penalty = "l1" if rule_name in ("proximal", "cd") else "l2"
    if problem_name == "binary":
        problem = make_problem(X, y, reg=0.1, penalty=penalty)
    else:
        problem = make_softmax_problem(X, [i % 3 for i in range(len(y))], reg=0.1, penalty=penalty)
    seen = _Asked(problem)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        iterate(rule, seen.problem, epochs=3, tol=0.0)
    declared = {name for protocol in (problem_chapter.HasObjective,) + rule.asks
                for name in problem_chapter.questions(protocol)}
    assert seen.asked <= declared, seen.asked - declared


# ------------------------------------------------ the lead's review: what the loop is given

@pytest.mark.parametrize("options, error, words", [
    (dict(epochs=-1, tol=0.0), ValueError, "epochs must be at least 0"),
    (dict(epochs=2.5, tol=0.0), TypeError, "epochs must be a whole number of steps, got 2.5"),
    (dict(epochs="10", tol=0.0), TypeError, "epochs must be a whole number of steps, got '10'"),
    (dict(epochs=True, tol=0.0), TypeError, "epochs must be a whole number of steps, got True"),
    (dict(epochs=10, tol=float("nan")), ValueError, "tol must be finite"),
    (dict(epochs=10, tol="1e-6"), TypeError, "tol must be a number"),
    (dict(epochs=10, tol=-1.0), ValueError, "tol must be at least 0"),
    (dict(epochs=10, tol=0.0, progress="x"), TypeError, "progress must be a function progress"),
])
def test_the_loop_refuses_run_options_under_which_it_could_never_stop(options, error, words):
    """With epochs=-1 (or 2.5, or '10') and tol=0 the stop rule step == epochs never fired
    and solve ran for ever; a tol of NaN was silently 0; a progress that is not a function
    failed mid-fit. Each is refused before the first step, naming the argument."""
    with pytest.raises(error, match=words):
        solve(make_problem([[0.0], [1.0], [2.0], [3.0]], [0, 1, 0, 1]), GradientDescent(0.1), **options)


def test_a_problem_that_answers_no_hessian_is_settled_by_the_linear_program():
    """A problem that declines the Hessian as chapter 10 teaches (hessian = None) is fitted by
    a rule that does not ask for it, and the loop's epilogue (is the fit separated?) asks
    the linear program instead of Newton's certificate: no call of None."""
    class NoHessian(Problem):
        hessian = None

    result = solve(NoHessian([[0.0], [1.0], [2.0], [3.0]], [0, 1, 0, 1]), GradientDescent(0.5), epochs=5, tol=1e-6)
    assert result.stop_reason == "iteration limit" and result.separation is not None
    assert not result.separation.separated


@pytest.mark.parametrize("options, words", [
    (dict(reg=True), "reg must be a number, got True"),
    (dict(penalty="elasticnet", l1_ratio=True), "l1_ratio must be a number, got True"),
    (dict(class_weight={0: True}), r"class_weight\[0\] must be a number, got True"),
])
def test_a_bool_is_not_taken_for_a_number_option(options, words):
    """reg=True was fitted as reg=1.0, and l1_ratio=True as a pure L1 penalty: a bool where a
    number belongs is a slip, refused as the whole-number options already refused it."""
    with pytest.raises(TypeError, match=words):
        LogisticRegression(**options).fit([[0.0], [1.0], [2.0], [3.0]], [0, 1, 0, 1])


@pytest.mark.parametrize("solver, params, error, words", [
    ("gd", {}, ValueError, r"make_rule\('gd', params\) needs params\['lr'\]"),
    ("sgd", {"lr": 0.1}, ValueError, r"needs params\['batch_size'\]"),
    ("gd", None, TypeError, "make_rule's params must be a dict"),
    ("gd", {"lr": -1, "penalty": "l2", "l1_ratio": None}, ValueError, r"params\['lr'\] must be greater than 0"),
    ("gd", {"lr": "x", "penalty": "l2", "l1_ratio": None}, TypeError, r"params\['lr'\] must be a number"),
    ("sgd", {"lr": 0.1, "batch_size": 0, "random_state": None}, ValueError, r"params\['batch_size'\] must be at"),
    (["gd"], {}, ValueError, "make_rule makes the rules of"),
])
def test_make_rule_names_what_its_parameters_lack(solver, params, error, words):
    """make_rule (chapter 17's door from parameters to an update rule) raised KeyError on a
    missing parameter and took lr=-1 or batch_size=0 as given: each is refused by name."""
    from logreg_pure.part4_estimators.estimator import make_rule
    with pytest.raises(error, match=words):
        make_rule(solver, params)
