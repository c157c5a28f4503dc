"""Part 7. The book and the browser page: chapters 35 to 37.

The library as a web site that shows its own source, and a page that runs it on
Pyodide. A reader of the mathematics never needs this part. Read the chapters in
this order:

35. ``markup``: prose, formulas and Python source as HTML;
36. ``book``: the chapters as a static web site, ``python -m logreg_pure book``;
37. ``browser``: the library in a web page: what ``try.html`` runs.

The book's own files (the style sheet, the try page and its script) are in ``web/``.
This part imports only parts 1 to 6.
"""
