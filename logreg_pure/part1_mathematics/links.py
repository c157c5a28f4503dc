"""Chapter 3. Log-odds and the sigmoid: what the linear part of the model means.

A probability ``p`` lives in (0, 1), but a linear score ``z = w . x + b`` can be any
real number. The bridge is the *log-odds*:

    logit(p) = log(p / (1 - p))        maps (0, 1) onto the whole real line,

and logistic regression assumes the linear score *is* the log-odds of class 1.
To turn a score back into a probability we invert the logit, which gives the
sigmoid (logistic) function:

    sigmoid(z) = 1 / (1 + exp(-z)).

So the sigmoid is not the model, it is only the last step that reads log-odds as a
probability. Its derivative is ``sigmoid(z) * (1 - sigmoid(z))``, which the gradient
chapter uses.

Numerical care. ``math.exp`` raises ``OverflowError`` above about 709.78, so the
textbook formula fails at ``z = -710``. Every function here branches on the sign of its
argument so that ``exp`` is only ever called with a non-positive number, and every
finite float is a valid input. The functions of ``z`` pass NaN through as NaN, as
``math`` does; ``logit`` refuses NaN, because NaN is not a probability.

``odds`` turns log-odds back into odds, ``exp(z)``; an odds ratio (chapter 22) is
the odds of a coefficient.

Public functions: ``sigmoid``, ``sigmoid_derivative``, ``logit``, ``softplus``,
``log_sigmoid``, ``odds``.
"""

import math

__all__ = ["log_sigmoid", "logit", "odds", "sigmoid", "sigmoid_derivative", "softplus"]

# exp(z) is the largest float for z = log(max float) = 709.78...; beyond it, inf.
LARGEST_LOG = math.log(2.0 ** 1023 * (2.0 - 2.0 ** -52))


def sigmoid(z: float) -> float:
    """The logistic function ``1 / (1 + exp(-z))``, the inverse of ``logit``.

    >>> sigmoid(0.0)
    0.5
    >>> sigmoid(math.log(3.0))  # log-odds log(3) means odds 3:1, so p = 3/4
    0.75
    >>> sigmoid(-1000.0), sigmoid(1000.0)
    (0.0, 1.0)

    Never raises for a float argument.
    """
    # For z >= 0, exp(-z) <= 1 cannot overflow. For z < 0 the same value is written
    # as exp(z) / (1 + exp(z)), again with a non-positive exponent.
    if z >= 0.0:
        return 1.0 / (1.0 + math.exp(-z))
    e = math.exp(z)
    return e / (1.0 + e)


def sigmoid_derivative(z: float) -> float:
    """``d sigmoid / dz = sigmoid(z) * (1 - sigmoid(z)) = sigmoid(z) * sigmoid(-z)``.

    Written with ``sigmoid(-z)`` instead of ``1 - sigmoid(z)`` so that the tails keep
    their relative accuracy (``1 - sigmoid(40)`` is 0.0, ``sigmoid(-40)`` is not).

    >>> sigmoid_derivative(0.0)
    0.25
    """
    return sigmoid(z) * sigmoid(-z)


def logit(p: float) -> float:
    """Log-odds ``log(p / (1 - p))``, the inverse of ``sigmoid``.

    >>> logit(0.5)
    0.0
    >>> math.isclose(logit(0.75), math.log(3.0))  # odds 3:1
    True

    Raises ``ValueError`` unless ``0 < p < 1``: the log-odds of a certain event are
    infinite, and that is an error in the caller's reasoning, not a number.
    """
    if not 0.0 < p < 1.0:
        raise ValueError(f"logit requires 0 < p < 1, got p={p!r}")
    # log(p) - log1p(-p) keeps full accuracy for p near 1, where 1 - p is tiny.
    return math.log(p) - math.log1p(-p)


def softplus(z: float) -> float:
    """``log(1 + exp(z))``, computed as ``max(z, 0) + log1p(exp(-|z|))``.

    The rewritten form never overflows and keeps its accuracy for large ``|z|``:
    softplus(z) is about z for large positive z and about exp(z) for large negative z.

    >>> softplus(0.0) == math.log(2.0)
    True
    >>> softplus(1000.0)
    1000.0
    """
    return max(z, 0.0) + math.log1p(math.exp(-abs(z)))


def log_sigmoid(z: float) -> float:
    """``log(sigmoid(z)) = -softplus(-z)``, finite for every finite ``z``.

    >>> log_sigmoid(0.0) == -math.log(2.0)
    True
    >>> log_sigmoid(-1000.0)
    -1000.0
    """
    return -softplus(-z)


def odds(z: float) -> float:
    """The odds ``p / (1 - p) = exp(z)`` for log-odds ``z``; ``inf`` beyond the float range.

    >>> odds(0.0)  # even odds: p = 1/2
    1.0
    >>> round(odds(math.log(3.0)), 12)  # log-odds log 3: odds 3 to 1
    3.0
    >>> odds(1000.0)
    inf

    ``math.exp`` raises ``OverflowError`` above about 709.78; odds that large are
    reported as ``inf``, never as an exception.
    """
    return math.exp(z) if z <= LARGEST_LOG else math.inf
