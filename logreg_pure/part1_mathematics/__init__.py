"""Part 1. The model and its mathematics: chapters 0 to 8.

Everything a fit computes, each formula stated once in its plainest form, on plain
lists of floats: the model ``p = sigmoid(b + w . x)``, its loss, its derivatives, and
the linear algebra the solvers need. Read the chapters in this order:

0. ``errors``: the ways things go wrong, named;
1. ``vectors``: vectors as lists, every operation checking lengths;
2. ``checks``: the caller's data checked at the door, rows become lists of floats;
3. ``links``: the sigmoid and its inverse, the logit, in stable forms;
4. ``loss``: the Bernoulli likelihood, cross-entropy from the logit, the objective J;
5. ``gradient``: the gradient ``(p - y) x`` and the Hessian, one example at a time;
6. ``softmax``: more than two classes: the softmax, its loss, gradient and Hessian;
7. ``linalg``: Cholesky, for solving ``H x = g``;
8. ``lp``: linear programs, which decide separation in part 2.

This part imports nothing from the others.
"""
