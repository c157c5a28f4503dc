"""Part 2. The problem, and the one loop that iterates on it: chapters 9 to 14.

A fit is a problem (the data, checked once, and the penalty) that answers a few
questions at a point of parameter space, and one loop that asks them until a stop
rule says it is done. Read the chapters in this order:

9. ``separation``: when the maximum-likelihood estimate does not exist, decided by a
   linear program;
10. ``problem``: the problem of one fit: the questions a solver may ask of it, as
    protocols; the one base every problem shares (rows, labels, weights, penalty);
    the two-class problem; and the seam through which every chapter makes its
    problems (the fast forms of the appendix, part 8, come through it);
11. ``softmax_problem``: the problem for K classes;
12. ``firth``: Firth's penalized likelihood, finite even under separation;
13. ``fixed_problem``: a problem with some parameters held, for restricted fits;
14. ``driver``: the one loop: what a rule is (a protocol too), the check that a
    problem answers what its rule asks, history, stop rules, divergence, separation,
    progress.

This part imports only part 1.
"""
