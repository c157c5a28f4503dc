"""Part 6. Files, plots and the command line: chapters 28 to 35.

The edge of the library, where it meets the user's files and terminal. Read the
chapters in this order:

28. ``outputs``: every output path checked before any work, every file written whole
    or not at all;
29. ``columns``: numbers, flags and categories, missing values, delimiters;
30. ``files``: CSV files in, JSON model files out and back;
31. ``datasets``: the embedded data sets (a folder of CSV files);
32. ``plots``: SVG plots written by hand;
33. ``explain``: one gradient-descent step with every number shown;
34. ``demo``: the main job, the whole book in one run on real data;
35. ``cli``: the command line, ``python -m logreg_pure`` (with the package's
    ``__main__``).

This part imports only parts 1 to 5.
"""
