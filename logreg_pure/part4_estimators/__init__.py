"""Part 4. The estimators, the classes a user fits: chapters 17 to 20.

Read the chapters in this order:

17. ``estimator``: the conventions an estimator keeps (parameters, ``classes_``,
    scikit-learn's tags), and ``LinearClassifier``, the base of the two classifiers:
    softmax regression, whose ``K = 2`` member is logistic regression;
18. ``model``: ``LogisticRegression``, what two classes add;
19. ``multinomial``: ``SoftmaxRegression``, what K classes add;
20. ``features``: standardizing, interactions, polynomial features.

This part imports only parts 1 to 3.
"""
