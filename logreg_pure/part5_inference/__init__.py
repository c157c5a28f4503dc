"""Part 5. Inference, evaluation and selection, and beyond one machine: chapters 21 to 27.

What a fitted model says about its parameters, how good its predictions are, how
to choose its penalty, and how the same fit runs on many machines or in another
library. Read the chapters in this order:

21. ``likelihood``: restricted fits, likelihood-ratio tests, profile-likelihood
    intervals;
22. ``inference``: standard errors, p-values, intervals, odds ratios, the summary table;
23. ``metrics``: accuracy to AUC and calibration;
24. ``multiclass_metrics``: the same for K classes;
25. ``selection``: splits and cross-validation;
26. ``path``: choosing the penalty: the regularization path and cross-validation;
27. ``distributed``: beyond one machine: J, its gradient and Hessian as sums over
    blocks of rows, what Spark MLlib does with them, and ``equivalent_settings``, the
    same fit in scikit-learn, statsmodels, glmnet and Spark.

This part imports only parts 1 to 4.
"""
