"""Part 8. Appendix A: the same formulas arranged for speed.

``fast``: the chapters' formulas computed faster, each tested equal to its reference.
Read it last. It imports only parts 1 and 2, and no chapter imports it: the package's
``__init__.py`` hands its fast forms to the seam of chapter 10 (``problem.FAST_FORMS``).
"""
