"""Part 5. Inference, evaluation and selection: chapters 21 to 26.

What a fitted model says about its parameters, how good its predictions are, and
how to choose its penalty. Read the chapters in this order:

21. ``likelihood``: restricted fits, likelihood-ratio tests, profile-likelihood
    intervals;
22. ``inference``: standard errors, p-values, intervals, odds ratios, the summary table;
23. ``metrics``: accuracy to AUC and calibration;
24. ``multiclass_metrics``: the same for K classes;
25. ``selection``: splits and cross-validation;
26. ``path``: choosing the penalty: the regularization path and cross-validation.

This part imports only parts 1 to 4.
"""
