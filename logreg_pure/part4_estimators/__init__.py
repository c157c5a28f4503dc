"""Part 4. The estimators, the classes a user fits: chapters 17 to 20.

Read the chapters in this order:

17. ``estimator``: the conventions an estimator keeps (parameters, ``classes_``,
    scikit-learn's tags);
18. ``model``: ``LogisticRegression``, tying parts 1 to 3 together;
19. ``multinomial``: ``SoftmaxRegression``, the same for K classes;
20. ``features``: standardizing, interactions, polynomial features.

This part imports only parts 1 to 3.
"""
