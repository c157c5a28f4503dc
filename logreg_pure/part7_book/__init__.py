"""Part 7. The book, its guide and the browser page: chapters 36 to 39.

The library as a web site that shows its own source, the guide that says how to use
it, and a page that runs it on Pyodide. A reader of the mathematics never needs this
part. Read the chapters in this order:

36. ``markup``: prose, formulas, tables and Python source as HTML;
37. ``guide``: the user's guide, whose pages are Markdown files in ``pages/``, and the
    reference of every command, written from the command line's parser;
38. ``book``: the chapters and the guide as a static web site, ``python -m logreg_pure book``;
39. ``browser``: the library in a web page: what ``try.html`` runs.

The book's own files (the style sheet, the try page and its script) are in ``web/``.
This part imports only parts 1 to 6.
"""
