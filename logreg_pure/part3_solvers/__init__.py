"""Part 3. The solvers, as short update rules handed to the loop: chapters 15 and 16.

Each solver is a rule, "from theta, take one step", that the loop of chapter 14 runs.
Read the chapters in this order:

15. ``solvers``: the table of which solver fits which penalty (and ``solver="auto"``);
    gradient descent (the original), proximal gradient (L1), Newton's method, SGD,
    and ``solve``, which hands a rule to the loop; then ``quasi_newton``: L-BFGS,
    Newton's direction from curvature learned out of gradients;
16. ``coordinate``: coordinate descent, glmnet's algorithm, for L1 and elastic-net fits,
    of two classes or K.

This part imports only parts 1 and 2.
"""
