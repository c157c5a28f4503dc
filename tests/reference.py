"""Plain transcriptions used as oracles by the tests (never imported by the library)."""

import math


def original_fit(X, y, lr=0.1, epochs=1000, reg=0.0):
    """The original NumPy class's ``fit``, transcribed line by line into plain Python.

    Starts at zero; every epoch: z = X w + b, p = sigmoid(z),
    dw = (1/n) X^T (p - y) + reg w, db = mean(p - y), then w -= lr dw, b -= lr db.
    The textbook sigmoid is kept: the data used here keep |z| small.
    """
    n, d = len(X), len(X[0])
    w, b = [0.0] * d, 0.0
    for _ in range(epochs):
        z = [sum(xj * wj for xj, wj in zip(x, w)) + b for x in X]
        p = [1.0 / (1.0 + math.exp(-zi)) for zi in z]
        error = [pi - yi for pi, yi in zip(p, y)]
        dw = [(1.0 / n) * sum(x[j] * e for x, e in zip(X, error)) + reg * w[j] for j in range(d)]
        db = sum(error) / n
        w = [wj - lr * g for wj, g in zip(w, dw)]
        b = b - lr * db
    return w, b


def numeric_gradient(f, theta, h=1e-6):
    """Central differences: (f(theta + h e_j) - f(theta - h e_j)) / (2h) for each j."""
    grad = []
    for j in range(len(theta)):
        up = list(theta)
        down = list(theta)
        up[j] += h
        down[j] -= h
        grad.append((f(up) - f(down)) / (2.0 * h))
    return grad


def standardize(X):
    """Columns scaled to mean 0 and population standard deviation 1."""
    columns = list(zip(*X))
    centres = [math.fsum(c) / len(c) for c in columns]
    spreads = [math.sqrt(math.fsum((v - m) ** 2 for v in c) / len(c)) for c, m in zip(columns, centres)]
    return [[(v - m) / s for v, m, s in zip(row, centres, spreads)] for row in X]


def safe_step(X, reg):
    """The step 4 / (mean ||[x, 1]||^2 + 4 reg) = 1 / L.

    J's Hessian is (1/n) sum p(1-p) x1 x1^T + reg I with p(1-p) <= 1/4, so its largest
    eigenvalue is at most L = mean ||x1||^2 / 4 + reg (the trace bounds the largest
    eigenvalue). By the descent lemma a step of at most 2 / L never increases J.
    """
    mean_sq = math.fsum(1.0 + math.fsum(v * v for v in x) for x in X) / len(X)
    return 4.0 / (mean_sq + 4.0 * reg)


def safe_sgd_step(X, reg):
    """The step 4 / (max ||[x, 1]||^2 + 4 reg): the safe step for a single example.

    With batch_size = 1 each update follows one example's loss, whose curvature is
    at most ||x1||^2 / 4 + reg, so the bound takes the largest row instead of the mean.
    """
    largest = max(1.0 + math.fsum(v * v for v in x) for x in X)
    return 4.0 / (largest + 4.0 * reg)


def firth_score(X, y, theta):
    """Firth's modified score U* = sum_i (y_i - p_i + h_i (1/2 - p_i)) x1_i, written out.

    p_i = 1 / (1 + exp(-z_i)) (|z| stays moderate in the tests that use it),
    I = sum_i p_i (1 - p_i) x1_i x1_i^T, inverted by Gauss-Jordan elimination with
    partial pivoting, and h_i = p_i (1 - p_i) x1_i^T I^{-1} x1_i.
    """
    rows = [[1.0] + list(x) for x in X]
    k = len(rows[0])
    p = [1.0 / (1.0 + math.exp(-math.fsum(a * t for a, t in zip(row, theta)))) for row in rows]
    info = [[math.fsum(pi * (1 - pi) * row[a] * row[b] for pi, row in zip(p, rows)) for b in range(k)]
            for a in range(k)]
    inverse = gauss_jordan_inverse(info)
    h = [pi * (1 - pi) * math.fsum(row[a] * inverse[a][b] * row[b] for a in range(k) for b in range(k))
         for pi, row in zip(p, rows)]
    return [math.fsum((yi - pi + hi * (0.5 - pi)) * row[j] for yi, pi, hi, row in zip(y, p, h, rows))
            for j in range(k)]


def gauss_jordan_inverse(M):
    """The inverse of a small non-singular matrix, by Gauss-Jordan with partial pivoting."""
    k = len(M)
    work = [list(row) + [1.0 if i == j else 0.0 for j in range(k)] for i, row in enumerate(M)]
    for col in range(k):
        pivot = max(range(col, k), key=lambda i: abs(work[i][col]))
        work[col], work[pivot] = work[pivot], work[col]
        work[col] = [v / work[col][col] for v in work[col]]
        for i in range(k):
            if i != col:
                f = work[i][col]
                work[i] = [a - f * b for a, b in zip(work[i], work[col])]
    return [row[k:] for row in work]
def full_batch_sgd(X, y, lr, reg, epochs, sample_weight=None):
    """SGD with one batch per epoch, transcribed: gradient descent on J whose steps
    follow the SGD schedule (``sgd_learning_rate`` with one batch per epoch), the
    weights' step decaying with ``reg`` and the unpenalized intercept's as for reg = 0.

    Every epoch: p = sigmoid(X w + b), g_w = sum_i s_i (p_i - y_i) x_i / S + reg w,
    g_b = sum_i s_i (p_i - y_i) / S, then w -= eta_t g_w and b -= eta_b_t g_b.
    """
    from logreg_pure.part1_mathematics.links import sigmoid
    from logreg_pure.part3_solvers.solvers import sgd_learning_rate

    n, d = len(X), len(X[0])
    s = sample_weight or [1.0] * n
    S = math.fsum(s)
    w, b = [0.0] * d, 0.0
    for t in range(epochs):
        error = [si * (sigmoid(math.fsum(xj * wj for xj, wj in zip(x, w)) + b) - yi) / S
                 for x, yi, si in zip(X, y, s)]
        g_w = [math.fsum(e * x[j] for e, x in zip(error, X)) + reg * w[j] for j in range(d)]
        g_b = math.fsum(error)
        eta, eta_b = sgd_learning_rate(lr, reg, t, 1), sgd_learning_rate(lr, 0.0, t, 1)
        w = [wj - eta * g for wj, g in zip(w, g_w)]
        b = b - eta_b * g_b
    return w, b


def check_elastic_net_conditions(model, X, y, reg, l1_ratio, slack):
    """g_b = 0; g_j + l1 sign(w_j) = 0 where w_j != 0; |g_j| <= l1 where w_j = 0, with g the
    reference gradient of the mean loss plus the L2 part (chapter 5's, the one oracle here
    taken from the library: the conditions, not the gradient, are what is checked)."""
    from logreg_pure.part1_mathematics.gradient import gradient

    l1, l2 = reg * l1_ratio, reg * (1.0 - l1_ratio)
    grad_w, grad_b = gradient(model.coef_, model.intercept_, X, y, l2)
    assert abs(grad_b) <= slack
    for g, w in zip(grad_w, model.coef_):
        if w == 0.0:
            assert abs(g) <= l1 + slack
        else:
            assert abs(g + l1 * math.copysign(1.0, w)) <= slack
