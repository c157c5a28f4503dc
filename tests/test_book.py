"""Chapters 36 to 39: the book is well-formed, every link lands, and the page's
Python answers bad tables with the command line's one-line messages.

The book is built once for the module (about a second: the demo draws its plots)."""

import ast
import html
import json
import os
import posixpath
import re
import shutil
import subprocess
import sys
import xml.etree.ElementTree as ElementTree
from urllib.parse import unquote, urlsplit

import pytest
from hypothesis import example, given, strategies as st

from logreg_pure.part7_book import book as book_chapter
from logreg_pure.part7_book.book import CHAPTERS, index_words, page_of, write_book
from logreg_pure.part7_book.browser import fit_json
from logreg_pure.part7_book.guide import GUIDE, PAGES
from logreg_pure.part7_book.markup import (GREEK, formula_html, formula_row_html, inline_html, is_formula, prose_html, source_tokens,
                                           table_cells, table_row)

from processes import python_env

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
PACKAGE = os.path.join(ROOT, "logreg_pure")


class Page:
    """The ids a page defines and the links (href, src) it makes. Read as XML (every
    page is well-formed XML, tested below): expat reads the book in a tenth of the
    time html.parser takes."""

    def __init__(self, text=""):
        self.ids, self.links = [], []
        for element in ElementTree.fromstring(text).iter() if text else []:
            if "id" in element.attrib:
                self.ids.append(element.attrib["id"])
            self.links += [element.attrib[name] for name in ("href", "src") if name in element.attrib]


@pytest.fixture(scope="module")
def site(tmp_path_factory, book_files):
    """The book, written to a folder, and each page parsed."""
    out = tmp_path_factory.mktemp("book")
    files = dict(book_files)
    write_book(str(out), files)
    pages = {}
    for name, text in files.items():
        if name.endswith(".html"):
            pages[name] = Page(text)
    return out, files, pages


@pytest.fixture(scope="module")
def book_modules():
    """Every module of the book, the tests included, read once for the tests that need them."""
    return book_chapter.read_modules(book_chapter.find_tests())


def test_every_page_and_picture_is_well_formed_xml(site):
    _, files, _ = site
    for name, text in files.items():
        if name.endswith((".html", ".svg")):
            try:
                ElementTree.fromstring(text)
            except ElementTree.ParseError as error:
                pytest.fail(f"{name}: {error}")


def test_every_relative_link_and_anchor_resolves(site):
    out, files, pages = site
    broken = []
    for name, page in pages.items():
        for link in page.links:
            parts = urlsplit(link)
            if parts.scheme or link.startswith("//"):
                continue  # the only absolute links: pyodide.org and the default Pyodide URL
            target = posixpath.normpath(posixpath.join(posixpath.dirname(name), unquote(parts.path))) \
                if parts.path else name
            if not (out / target).exists():
                broken.append(f"{name}: {link} (no file)")
            elif parts.fragment and unquote(parts.fragment) not in pages.get(target, Page()).ids:
                broken.append(f"{name}: {link} (no anchor)")
    assert broken == []


def test_ids_are_unique_on_every_page(site):
    _, _, pages = site
    repeated = {name: sorted({i for i in page.ids if page.ids.count(i) > 1}) for name, page in pages.items()}
    assert {name: ids for name, ids in repeated.items() if ids} == {}


def test_one_page_per_chapter_in_the_reading_order(site):
    _, files, pages = site
    index = files["index.html"]
    positions = [index.index(f'href="{page_of(chapter)}"') for chapter in CHAPTERS]
    assert positions == sorted(positions)
    for k, chapter in enumerate(CHAPTERS):
        text = files[page_of(chapter)]
        if k > 0:
            assert f'rel="prev" class="prev" href="{page_of(CHAPTERS[k - 1])}"' in text
        if k + 1 < len(CHAPTERS):
            assert f'rel="next" class="next" href="{page_of(CHAPTERS[k + 1])}"' in text


def test_every_public_name_has_an_anchor(site):
    _, _, pages = site
    missing = []
    for chapter in CHAPTERS:
        for module in chapter.modules:
            path = book_chapter.module_path(module)
            exported = book_chapter._exported(book_chapter.read_module(module, path, ""))
            ids = pages[page_of(chapter)].ids
            short = module.split(".")[-1]  # anchors are named by the module, not its part: links.sigmoid
            missing += [f"{short}.{name}" for name in exported if f"{short}.{name}" not in ids]
    assert missing == []


def test_names_in_the_code_link_to_their_definitions(site):
    _, files, _ = site
    # gradient.py imports sigmoid from links.py; the test of chapter 3 imports sigmoid via the package.
    assert '<a class="name" href="links.html#links.sigmoid">sigmoid</a>' in files["gradient.html"]
    assert 'href="../links.html#links.sigmoid"' in files["tests/test_links.html"]
    # estimator.py picks the update rules from solvers.py: the class names link to their definitions.
    assert 'id="solvers.Newton"' in files["solvers.html"]
    assert '<a class="name" href="solvers.html#solvers.Newton">Newton</a>' in files["estimator.html"]


def chapter_imports():
    """(module, the chapter module it imports from, the name) for each relative import."""
    for chapter in CHAPTERS:
        for module in chapter.modules:
            tree = ast.parse(open(book_chapter.module_path(module), encoding="utf-8").read())
            for node in ast.walk(tree):
                if isinstance(node, ast.ImportFrom) and node.level and node.module:
                    source = book_chapter._import_source(node, module)
                    yield from ((module, source, alias.name) for alias in node.names)


def test_every_imported_chapter_name_links_to_its_definition(site):
    _, files, pages = site
    page_of_module = {module: page_of(chapter) for chapter in CHAPTERS for module in chapter.modules}
    missing = []
    for module, source, name in chapter_imports():
        anchor, target = f"{source.split('.')[-1]}.{name}", page_of_module[source]
        if anchor in pages[target].ids:  # defined there, not imported from elsewhere
            if f'href="{target}#{anchor}"' not in files[page_of_module[module]]:
                missing.append(f"{module}: {anchor}")
    assert missing == []


def _listing_text(page_html):
    """The listing's lines as plain text: line numbers and tags removed."""
    start = r'<span class="line"(?: data-example="[^"]*")?>'  # a line that starts a docstring's example
    line = start + r'<span class="ln" aria-hidden="true">(\d+)</span>(.*?)</span>'
    rows = re.findall(line + f"(?={start}|</code>)", page_html, re.S)
    return {int(n): html.unescape(re.sub(r"<[^>]+>", "", body)) for n, body in rows}


@pytest.mark.parametrize("module", ["part7_book.markup", "part3_solvers.solvers", "part6_command_line.cli",
                                    "__main__"])
def test_the_listing_is_the_source_line_for_line(site, module):
    _, files, _ = site
    with open(book_chapter.module_path(module), encoding="utf-8") as handle:
        source = handle.read().splitlines()
    page = files[[page_of(c) for c in CHAPTERS if module in c.modules][0]]
    after_heading = page.split(f'<h3 class="source">logreg_pure/{module.replace(".", "/")}.py</h3>', 1)[1]
    shown = _listing_text(after_heading.split("</pre>", 1)[0] + "</pre>")
    assert shown and all(shown[n] == source[n - 1] for n in shown)
    assert max(shown) == len(source)


def test_tokens_cover_the_source_exactly():
    # Every module, on this interpreter's tokenize (f-strings are tokens of their own since 3.12).
    for folder, _, names in sorted(os.walk(PACKAGE)):
        for name in sorted(n for n in names if n.endswith(".py")):
            with open(os.path.join(folder, name), encoding="utf-8") as handle:
                source = handle.read()
            assert "".join(token.text for token in source_tokens(source)) == source, name


def _math(text):
    """The MathML of a formula without its ``<math>`` wrappers: the structure a test reads."""
    return re.sub(r"<math[^>]*>|</math> ?", "", formula_html(text))


def test_formulas_are_set_in_mathml():
    assert _math("X^T (p - y)") == ('<msup><mi>X</mi><mi mathvariant="normal">T</mi></msup><mspace width="0.2em"/>'
                                    "<mrow><mo>(</mo><mi>p</mi><mo>−</mo><mi>y</mi><mo>)</mo></mrow>")
    assert _math("sqrt((I^{-1})_jj)") == ("<msqrt><mrow><msub><mrow><mo>(</mo><msup><mi>I</mi><mrow><mo>−</mo><mn>1</mn>"
                                          "</mrow></msup><mo>)</mo></mrow><mrow><mi>jj</mi></mrow></msub></mrow></msqrt>")
    assert _math("a < b & c") == "<mi>a</mi><mo>&lt;</mo><mi>b</mi><mo>&amp;</mo><mi>c</mi>"  # escaped, never markup
    assert formula_html('x < "y"').startswith('<math alttext="x &lt; &quot;y&quot;">')  # the text, for a reader without MathML
    assert _math("(1/n) sum_i") == ("<mrow><mo>(</mo><mfrac><mrow><mn>1</mn></mrow><mrow><mi>n</mi></mrow></mfrac>"
                                    "<mo>)</mo></mrow><mspace width=\"0.2em\"/><msub><mo>Σ</mo><mrow><mi>i</mi></mrow></msub>")
    assert is_formula("theta <- theta - lr * grad J(theta)") and not is_formula("sum(map(operator.mul, a, b))")
    assert inline_html("<script>") == "&lt;script&gt;"
    # One notation across the chapters: Greek letters, differentials and means, in code spans too
    assert _math("dtheta_j = ybar - delta_kl") == (
        '<msub><mrow><mi mathvariant="normal">d</mi><mi>θ</mi></mrow><mrow><mi>j</mi></mrow></msub><mo>=</mo>'
        '<mover accent="true"><mi>y</mi><mo>\u00af</mo></mover><mo>−</mo><msub><mi>δ</mi><mrow><mi>kl</mi></mrow></msub>')
    assert "<mover accent=\"true\"><mi>θ</mi><mo>\u02c6</mo></mover>" in _math("log L(theta_hat)")
    assert "<msub><mi>θ</mi><mi>restricted</mi></msub>" in _math("log L(theta_restricted)")
    assert _math("reg_max = max_j |g_j| / l1_ratio").startswith("<mi>reg_max</mi><mo>=</mo>")  # the code's names, whole
    assert _math("l1_ratio").endswith("<mi>l1_ratio</mi>")
    assert inline_html("``theta``, ``ybar``, ``lambda``") == (
        '<span class="math"><math alttext="theta"><mi>θ</mi></math></span>, <span class="math"><math alttext="ybar">'
        '<mover accent="true"><mi>y</mi><mo>\u00af</mo></mover></math></span>, <code>lambda</code>')


_PIECE_END = re.compile(r'(?:<mo>[=−+·≤≥≠→←±∓,;≈&lt;&gt;]+</mo>|<mspace width="1em"/>)</math>$')


def test_a_displayed_formula_breaks_only_after_an_operator(site):
    """On a phone a formula's row wraps; a break between ``a`` and ``− b`` would read as a
    new equation. A row is a run of ``<math>`` pieces (each unbreakable), and every piece
    but the last ends with an operator, a comma or a wide gap."""
    _, files, _ = site
    row = formula_row_html("loss(y, z) = log(1 + exp(z)) - y z")
    assert re.findall(r'alttext="([^"]*)"', row) == ["loss(y, z) =", "log(1 + exp(z)) -", "y z"]
    rows = re.findall(r'<span class="row">(.*?)</span>', "".join(files[page_of(c)] for c in CHAPTERS))
    pieces = [re.split(r"(?<=</math>) (?=<math)", row)[:-1] for row in rows]
    assert len(rows) > 40 and all(_PIECE_END.search(piece) for row in pieces for piece in row)
    assert sum(map(len, pieces)) > 100


def test_the_chapter_pages_show_formulas_and_plots(site):
    out, files, _ = site
    assert "<msub><mo>Σ</mo><mrow><mi>i</mi></mrow></msub>" in files["gradient.html"]
    assert '<mi mathvariant="normal">T</mi></msup>' in files["gradient.html"]
    for name in ("objective.svg", "roc.svg", "sigmoid.svg", "boundary.svg"):
        assert f'src="plots/{name}"' in files["demo.html"] and (out / "plots" / name).exists()


def property_tests():
    """(test file's stem, the test's node) of every property test: a test run by ``@given``."""
    for path in sorted(os.listdir(os.path.join(ROOT, "tests"))):
        if path.startswith("test_") and path.endswith(".py"):
            tree = ast.parse(open(os.path.join(ROOT, "tests", path), encoding="utf-8").read())
            for node in tree.body:
                if isinstance(node, ast.FunctionDef) and any(
                        isinstance(d, ast.Call) and getattr(d.func, "id", "") == "given" for d in node.decorator_list):
                    yield path[:-3], node


def test_every_property_test_states_its_law():
    unstated = [f"{stem}::{node.name}" for stem, node in property_tests()
                if not (ast.get_docstring(node) or "").startswith("Law")]
    assert unstated == []


def test_the_laws_page_lists_every_property_test_and_links_its_source(site):
    """The book's laws page is the index of the laws (the README once kept a copy by hand)."""
    _, files, pages = site
    missing = [f"{stem}::{node.name}" for stem, node in property_tests()
               if f'href="tests/{stem}.html#{stem}.{node.name}"' not in files["laws.html"]
               or f"{stem}.{node.name}" not in pages[f"tests/{stem}.html"].ids]
    assert missing == []


def test_every_page_has_the_search_box_the_icon_and_long_pages_their_contents(site):
    _, files, pages = site
    for name, text in files.items():
        if name.endswith(".html"):
            root = "../" * name.count("/")
            assert f'<link rel="icon" href="{root}favicon.svg"' in text and f'src="{root}search.js"' in text, name
            assert '<form class="search" role="search"' in text, name
            assert ('<nav class="contents"' in text) == (text.count("<h2 id=") >= 3), name
    contents = re.search(r'<nav class="contents".*?</nav>', files["laws.html"], re.S).group(0)
    assert '<a href="#test_links">' in contents and "<a href=\"#" in contents
    ElementTree.fromstring(files["favicon.svg"])
    assert "prefers-color-scheme: dark" in files["book.css"]


def test_the_search_index_has_every_page_name_and_law(site):
    _, files, _ = site
    text = files["search-index.js"]
    entries = json.loads(text[text.index("=") + 1:].strip().rstrip(";"))
    by_url = {url: (kind, title, words) for kind, title, url, words in entries}
    assert {name for name in files if name.endswith(".html")} <= set(by_url)
    assert by_url["loss.html"][0] == "chapter" and "bernoulli" in by_url["loss.html"][2].split()
    assert by_url["guide/python.html"][0] == "guide"
    assert by_url["links.html#links.sigmoid"][:2] == ("name", "links.sigmoid")
    assert by_url["laws.html#test_links.test_sigmoid_inverts_logit"][0] == "law"
    assert any(kind == "heading" and url.startswith("guide/separation.html#") for kind, _, url, _ in entries)
    assert index_words("<p>The <em>sigmoid</em> of z</p><pre>hidden()</pre><p>the end</p>") == "the sigmoid end"


def test_the_mutants_and_exercises_pages(site):
    _, files, _ = site
    assert files["mutants.html"].count('<tr id="') >= 19
    assert 'id="naive_sigmoid"' in files["mutants.html"] and 'href="answers.html"' in files["exercises.html"]


def test_the_try_page_and_the_library_bundle(site):
    _, files, pages = site
    assert {"run-demo", "csv-input", "run-fit", "output", "csv-file", "target"} <= set(pages["try.html"].ids)
    assert 'data-pyodide="pyodide/"' in files["try.html"]
    bundle = files["library.js"]
    library = json.loads(bundle[bundle.index("=") + 1:].strip().rstrip(";"))
    for folder, _, names in os.walk(PACKAGE):
        for name in names:
            if name.endswith((".py", ".csv")) and "__pycache__" not in folder:
                relative = os.path.relpath(os.path.join(folder, name), ROOT).replace(os.sep, "/")
                assert relative in library


def test_the_book_refuses_a_file_as_its_folder(tmp_path, capsys):
    from logreg_pure.part6_command_line.cli import main
    target = tmp_path / "taken"
    target.write_text("mine", encoding="utf-8")
    assert main(["book", "--out", str(target)]) == 1
    assert "is a file, not a folder" in capsys.readouterr().err
    assert target.read_text(encoding="utf-8") == "mine"


@pytest.mark.skipif(sys.platform == "emscripten", reason="starts python in a subprocess; Pyodide has none")
def test_an_installed_copy_without_tests_writes_the_chapters_and_says_so(tmp_path):
    shutil.copytree(PACKAGE, tmp_path / "site" / "logreg_pure", ignore=shutil.ignore_patterns("__pycache__"))
    result = subprocess.run([sys.executable, "-m", "logreg_pure", "book", "--out", str(tmp_path / "out")],
                            cwd=tmp_path, env=python_env(str(tmp_path / "site")),
                            capture_output=True, text=True, timeout=120)
    assert result.returncode == 0, result.stderr
    assert "need a source checkout" in result.stderr and "Traceback" not in result.stderr
    assert (tmp_path / "out" / "links.html").exists() and not (tmp_path / "out" / "laws.html").exists()
    separation = (tmp_path / "out" / "guide" / "separation.html").read_text(encoding="utf-8")
    assert '<p class="figure-missing">The profile penalized' in separation  # its picture is in tests/
    index = (tmp_path / "out" / "index.html").read_text(encoding="utf-8")
    assert "installed without its tests/ folder" in index and 'href="laws.html"' not in index


def test_the_package_data_includes_the_books_files():
    setup = open(os.path.join(ROOT, "setup.cfg"), encoding="utf-8").read()
    assert "logreg_pure.part7_book = web/*.css, web/*.js, web/*.html, pages/*.md" in setup
    assert {"book.css", "try.js", "try.html"} <= set(os.listdir(os.path.join(PACKAGE, "part7_book", "web")))


# ------------------------------------------------------------------ the guide (chapter 37)

def test_the_guide_is_its_files_in_order_and_the_index_lists_every_page(site):
    _, files, pages = site
    assert sorted(name[:-3] for name in os.listdir(PAGES) if name.endswith(".md")) == sorted(GUIDE)
    index = files["index.html"]
    positions = [index.index(f'href="guide/{name}.html"') for name in GUIDE]
    assert positions == sorted(positions)
    assert "guide" in pages["index.html"].ids and 'href="../index.html#guide"' in files["guide/python.html"]


def test_the_guide_links_its_names_files_and_pages(site):
    _, files, _ = site
    page = files["guide/python.html"]
    assert '<a href="../model.html#model.LogisticRegression"><code>LogisticRegression</code></a>' in page
    assert 'href="../tests/test_interop.html"' in page  # a test file named in the text
    assert 'href="k-classes.html"' in page  # another page, linked as k-classes.md
    assert 'href="commands.html"' in files["guide/command-line.html"]


def test_the_reference_of_the_commands_is_a_table_per_command(site):
    _, files, pages = site
    page = files["guide/commands.html"]
    assert {"fit", "predict", "summary", "book", "separation"} <= set(pages["guide/commands.html"].ids)
    assert page.count('<table class="prose">') == 11  # the list of commands, then one table per command
    assert "<td><code>--l1-ratio R</code></td>" in page and "<td><code>--ci {wald,profile}</code></td>" in page
    assert '<a href="#fit">fit</a>' in page  # a link to a heading of the same page


def test_a_picture_of_the_guide_is_copied_into_the_book(site):
    out, files, _ = site
    assert '<img src="pictures/profile_nv.svg"' in files["guide/separation.html"]
    assert (out / "guide" / "pictures" / "profile_nv.svg").exists()


# Cell text: the characters Markdown gives a meaning to in a table, and any others that
# fit on one line (no control characters or line separators).
CELL = st.text(st.one_of(st.sampled_from("|\\ `*-a"), st.characters(blacklist_categories=("Cc", "Cs", "Zl", "Zp"))),
               max_size=10).map(str.strip)


@given(st.lists(CELL, min_size=1, max_size=5))
@example(["gd|newton", "two"])
@example(["a\\", "\\|", ""])
def test_a_table_row_reads_back_as_the_cells_it_was_written_from(cells):
    """Law: ``table_cells(table_row(cells)) == cells``: a bar inside a cell is written
    ``\\|`` and read back as a bar, so no cell's text can end it early or add a cell,
    whatever bars, backslashes and backquotes it holds (the reference of the commands
    writes its help texts this way).

    Precondition: one line of text per cell (no control characters or line separators)
    without spaces at its ends, which the reader strips as Markdown does. Exact: text
    in, the same text out, so no tolerance.
    """
    assert table_cells(table_row(cells)) == cells


def test_markdown_tables_and_pictures():
    table = prose_html("| option | values |\n|---|:---:|\n| `--solver` | `gd\\|newton` |\n| x | y |")
    assert table == ('<div class="table"><table class="prose"><thead><tr><th>option</th><th>values</th></tr></thead>'
                     '<tbody><tr><td><code>--solver</code></td><td><code>gd|newton</code></td></tr>'
                     '<tr><td>x</td><td>y</td></tr></tbody></table></div>')
    assert prose_html("a | b\nc") == "<p>a | b c</p>"  # a bar alone makes no table
    assert prose_html("![a [1, 2] curve](p.svg)", lambda name: "img/p.svg" if name == "p.svg" else None) == \
        '<figure><img src="img/p.svg" alt="a [1, 2] curve"/></figure>'
    assert prose_html("![a curve](missing.svg)") == '<p class="figure-missing">a curve</p>'


# ------------------------------------------------------------------ the page's Python (chapter 39)

EXAM = [(0.5, 8, "no"), (1.0, 6, "no"), (1.5, 7, "no"), (2.0, 5, "yes"), (2.5, 8, "no"),
        (3.0, 6, "yes"), (3.5, 7, "no"), (4.0, 5, "yes"), (4.5, 8, "yes"), (5.0, 6, "yes")]


def test_fit_json_fits_a_pasted_table():
    text = "hours,sleep,passed\n" + "".join(f"{h},{s},{p}\n" for h, s, p in EXAM)
    result = json.loads(fit_json(text, standardize=True, reg="0.1"))
    assert result["status"] == 0 and result["errors"] == []
    assert "odds ratio" in result["output"] and "target 'passed'" in result["output"]
    assert [name for name, _ in result["plots"]] == ["objective.svg", "roc.svg", "boundary.svg"]
    assert json.loads(result["model"])["feature_names"] == ["hours", "sleep"]


def test_fit_json_takes_a_chosen_target_and_separator():
    text = "passed;hours\n" + "".join(f"{p};{h}\n" for h, _, p in EXAM)
    result = json.loads(fit_json(text, target="passed", delimiter=";", reg="0.1"))
    assert result["status"] == 0 and "target 'passed'" in result["output"]
    assert [name for name, _ in result["plots"]] == ["objective.svg", "roc.svg", "sigmoid.svg"]


@pytest.mark.parametrize("text, message", [
    ("x,y\n1,0\nabc,1\n", "'abc' is not a number"),
    ("x,y\n1,0\n2\n", "line 3"),
    ("", "is empty"),
    ("x,y\n1,0\n2,0\n", "only one value"),
    ("x,y\n1,0\n,1\n", "missing"),
])
def test_bad_tables_give_the_command_lines_one_line_message(text, message):
    result = json.loads(fit_json(text, name="mine.csv"))
    assert result["status"] == 1 and result["plots"] == [] and result["model"] is None
    assert len(result["errors"]) == 1 and result["errors"][0].startswith("error: mine.csv")
    assert message in result["errors"][0] and "Traceback" not in result["errors"][0]


def test_a_bad_option_is_one_line_too():
    result = json.loads(fit_json("x,y\n1,0\n2,1\n", reg="lots"))
    assert result["status"] == 2 and result["errors"] == [
        "python -m logreg_pure fit: error: argument --reg: must be a finite number >= 0, or 'cv', got 'lots'"]


def test_fit_json_takes_the_pages_solver_penalty_and_missing_value_choices():
    """try.html's controls are the command's options: Firth's penalty on separated data
    (the advice of the plain fit's warning), an elastic net's L1 share, --drop-missing."""
    separated = "x,passed\n1,no\n2,no\n3,yes\n4,yes\n"
    plain = json.loads(fit_json(separated))
    assert plain["status"] == 0 and "penalty='firth'" in plain["warnings"][0]
    firth = json.loads(fit_json(separated, penalty="firth", solver="auto"))
    assert firth["status"] == 0 and firth["warnings"] == [] and "Solver newton: converged" in firth["output"]
    assert json.loads(firth["model"])["options"]["penalty"] == "firth"
    net = json.loads(fit_json("hours,sleep,passed\n" + "".join(f"{h},{s},{p}\n" for h, s, p in EXAM),
                              penalty="elasticnet", l1_ratio="0.25", reg="0.1", solver="cd"))
    assert net["status"] == 0 and "Solver cd:" in net["output"]
    assert json.loads(net["model"])["options"]["l1_ratio"] == 0.25
    gaps = "x,y\n1,0\n,1\n2,1\n3,0\n4,1\n0,0\n"
    assert json.loads(fit_json(gaps))["status"] == 1
    kept = json.loads(fit_json(gaps, drop_missing=True))
    assert kept["status"] == 0 and "dropped 1 of 6 rows" in kept["output"]


def test_the_try_pages_choices_are_the_command_lines(site):
    from logreg_pure.part3_solvers.solvers import SOLVERS
    from logreg_pure.part4_estimators.estimator import MODEL_PENALTIES
    page = site[1]["try.html"]
    for box, values in (("solver", ("auto",) + SOLVERS), ("penalty", MODEL_PENALTIES)):
        select = re.search(f'<select id="{box}">(.*?)</select>', page).group(1)
        assert re.findall(r'<option value="([^"]+)"', select) == list(values)
    assert 'value="l2" selected="selected"' in page and 'value="auto" selected="selected"' in page


FIGURED_CHAPTERS = ("links.html", "loss.html", "softmax.html", "separation.html", "solvers.html", "metrics.html",
                    "path.html", "plots.html")  # the sigmoid, loss, softmax, separation, descent, ROC, path, plots


def test_every_chapter_that_a_picture_explains_has_one_beside_its_text(site):
    """The figures are drawn at build time by chapter 32's plots and set after the
    paragraph each illustrates: every place's phrase is found, every figure shown."""
    from logreg_pure.part7_book.book import FIGURE_PLACES
    out, files, _ = site
    for page in FIGURED_CHAPTERS:
        assert re.search(r'<img src="(?:figures|plots)/\w+\.svg"', files[page]), page
    for place in FIGURE_PLACES:
        page = files[page_of(next(c for c in CHAPTERS if place.module in c.modules))]
        for name in place.names:
            path = posixpath.normpath(posixpath.join("figures", name))
            assert f'<img src="{path}"' in page and (out / path).exists(), (place.module, name)
    links = files["links.html"]
    assert links.index("So the sigmoid is not the model") < links.index('src="figures/sigmoid.svg"') \
        < links.index("Numerical care")
    assert "<title>Complete separation" in files["figures/separation.svg"]


def test_each_chapter_ends_with_exercises_whose_answers_are_hidden(site):
    _, files, _ = site
    without = []
    for chapter in CHAPTERS:
        section = re.search(r'<section class="exercises">.*?</section>', files[page_of(chapter)], re.S)
        if section is None:
            without.append(chapter.label)
            continue
        items = re.findall(r"<li[ >].*?</li>", section.group(0), re.S)
        assert items and all("<details><summary>Answer</summary>" in item for item in items), chapter.label
    assert without == ["0", "31", "34"]  # no short docstring example and no mutant: nothing to ask


def test_an_exercises_answer_is_what_its_code_prints(book_modules):
    """The hidden answer of every "predict the output" exercise is the output of its
    code, run in its chapter's module as a doctest would; every "find the bug" variant
    is a function of the mutant catalogue, named as the function it replaces."""
    import doctest
    import importlib
    from logreg_pure.part7_book.book import chapter_exercises, find_tests, names_of, Book
    modules = book_modules
    book = Book(modules, [], [], find_tests(), "pyodide/", names_of(modules))
    kinds = set()
    for chapter in CHAPTERS:
        for exercise in chapter_exercises(book, chapter):
            kinds.add(exercise.kind)
            if exercise.kind == "bug":
                assert exercise.code.startswith(f"def {exercise.name}(") and "#" not in exercise.code
                continue
            text = exercise.code + "\n" + exercise.answer + "\n"
            module = importlib.import_module(f"logreg_pure.{exercise.module}")
            test = doctest.DocTestParser().get_doctest(text, dict(vars(module)), exercise.name, None, 0)
            runner = doctest.DocTestRunner(optionflags=doctest.ELLIPSIS)
            runner.run(test, out=lambda _: None)
            assert runner.failures == 0, (exercise.module, exercise.name)
    assert kinds == {"predict", "bug"}


def test_every_docstring_example_runs_in_the_page_as_doctest_runs_it():
    """Chapter 39's ``run_examples_json``, which the pages' Run buttons call in Pyodide,
    gives for every docstring example of every chapter (as the listing marks it) the
    output doctest compares with the docstring's (ELLIPSIS, as the pages' doctests)."""
    import doctest
    from logreg_pure.part7_book.book import docstring_examples, module_path
    from logreg_pure.part7_book.browser import run_examples_json
    checker, count, wrong = doctest.OutputChecker(), 0, []
    for chapter in CHAPTERS:
        for module in chapter.modules:
            with open(module_path(module), encoding="utf-8") as handle:
                examples = docstring_examples(ast.parse(handle.read()))
            for line, text in examples.items():
                got = json.loads(run_examples_json(text, module=module))
                want = "".join(example.want for example in doctest.DocTestParser().get_examples(text))
                count += 1
                if not checker.check_output(want, "".join(got["outputs"]), doctest.ELLIPSIS):
                    wrong.append(f"{module}, line {line}")
    assert count > 150 and not wrong


def test_an_edited_example_is_run_and_an_error_is_shown_as_doctest_shows_it():
    from logreg_pure.part7_book.browser import run_examples_json
    result = json.loads(run_examples_json("x = 2\nsigmoid(x) > 0.5", module="part1_mathematics.links"))
    assert result == {"outputs": ["", "True\n"], "transcript": ">>> x = 2\n>>> sigmoid(x) > 0.5\nTrue",
                      "failed": False}
    failed = json.loads(run_examples_json(">>> logit(1.5)\n>>> 1 + 1", module="part1_mathematics.links"))
    assert failed["failed"] and len(failed["outputs"]) == 1  # the run stops at the error
    assert failed["transcript"].endswith("ValueError: logit requires 0 < p < 1, got p=1.5")
    with pytest.raises(ValueError, match="a chapter's module"):
        run_examples_json("1", module="os")
    with pytest.raises(TypeError, match="text must be the examples as a string"):
        run_examples_json(None, module="part1_mathematics.links")


def test_a_three_class_fit_in_the_page_shows_its_regions_and_a_roc_per_class():
    rows = [(x, y, "abc"[(x > 2) + (y > 2)]) for x in range(5) for y in range(5)]
    result = json.loads(fit_json("x,y,kind\n" + "".join(f"{x},{y},{k}\n" for x, y, k in rows), reg="0.1"))
    assert result["status"] == 0 and "with 3 classes" in result["output"]
    assert [name for name, _ in result["plots"]] == ["objective.svg", "boundary.svg", "roc_0_a.svg", "roc_1_b.svg",
                                                     "roc_2_c.svg"]
    regions = dict(result["plots"])["boundary.svg"]
    assert regions.count('class="region"') == 49 * 31 and "ROC of class 'b' against the rest" in \
        dict(result["plots"])["roc_1_b.svg"]


def test_a_displayed_formula_links_to_the_code_that_computes_it_and_back(site):
    _, files, pages = site
    links, loss = files["links.html"], files["loss.html"]
    assert '<div class="formula" id="formula-links.sigmoid">' in links
    assert '<a class="to-code" href="#links.sigmoid"' in links
    assert '<a class="to-formula" href="#formula-links.sigmoid">formula</a>' in links  # on the def's line
    for name in ("example_loss_from_probability", "example_loss", "objective"):
        assert f'id="formula-loss.{name}"' in loss and f'href="#formula-loss.{name}"' in loss
    assert "formula-links.sigmoid" in pages["links.html"].ids


def _chapter_formulas(modules):
    """(module, first row) of every displayed formula of every chapter's text."""
    from logreg_pure.part7_book.markup import parse_blocks
    for chapter in CHAPTERS:
        for key in chapter.modules:
            module = modules[key]
            for block in parse_blocks(ast.get_docstring(module.tree) or ""):
                if block.kind == "formula":
                    yield module, block.lines[0]


def test_every_displayed_formula_has_exactly_one_code(site, book_modules):
    """Each displayed formula of a chapter is computed by one definition of its module
    (book.FORMULA_CODE, data): exactly one entry matches it, the entry names a definition,
    no entry is left over; on the page the formula links to the code and the code's first
    line links back."""
    _, files, pages = site
    found, used = 0, set()
    for module, row in _chapter_formulas(book_modules):
        names = book_chapter.formula_code(module, row)
        assert len(names) == 1 and names[0] in module.anchors, (module.key, row, names)
        used.add((module.key, names[0]))
        anchor = f"{module.short}.{names[0]}"
        page = files[module.page]
        assert f'<div class="formula" id="formula-{anchor}">' in page and f'class="to-code" href="#{anchor}"' in page
        assert f'<a class="to-formula" href="#formula-{anchor}">formula</a>' in page and anchor in pages[module.page].ids
        found += 1
    assert used == {(key, name) for key, table in book_chapter.FORMULA_CODE.items() for name in table.values()}
    assert found == sum(map(len, book_chapter.FORMULA_CODE.values())) >= 36
    every = "".join(files[page_of(chapter)] for chapter in CHAPTERS)
    assert every.count('<div class="formula"') == every.count('<div class="formula" id="formula-') == found


def test_every_indented_formula_of_a_chapter_is_set_as_mathematics():
    """A chapter's displayed formulas (indented lines) are all set as formulas, none as
    code, even with the code's snake_case names in them (reg_max, theta_hat)."""
    from logreg_pure.part7_book.markup import parse_blocks
    for chapter in CHAPTERS:
        for module in chapter.modules:
            with open(book_chapter.module_path(module), encoding="utf-8") as handle:
                doc = ast.get_docstring(ast.parse(handle.read())) or ""
            assert [b.lines for b in parse_blocks(doc) if b.kind == "code"] == [], module


def test_a_law_that_opens_with_its_formula_shows_it_as_one(site):
    _, files, _ = site
    laws_page = files["laws.html"]
    assert '<span class="math"><math alttext="sigmoid(logit(p)) = p">' in laws_page
    assert laws_page.count('<li id="') > 200 and laws_page.count("<li id=\"test_links.") >= 5


def _formulas(fragment):
    """The text of each formula (a ``<span class="math">``) in HTML: its pieces' alttexts."""
    return [" ".join(html.unescape(text) for text in re.findall(r'alttext="([^"]*)"', span))
            for span in re.findall(r'<span class="math">(.*?)</span>', fragment)]


# Words of English that the laws use around their formulas: none may be set as mathematics.
ENGLISH = {"the", "is", "for", "and", "of", "to", "in", "at", "with", "when", "every", "by", "on", "its", "are",
           "be", "or", "as", "then", "where", "than", "times", "up", "from", "each", "that", "which", "it", "an",
           "not", "no", "all", "any", "if", "so", "some", "one", "two", "fit", "row", "rows", "step", "steps", "holds",
           "gradient", "mean", "sign", "change", "changes", "square", "odds", "intercept", "every", "than"}


LAWS_OWN = {"hits_k", "one_se_reg", "best_reg"}  # the laws' own names, in their formulas


def _variable(word, vocabulary):
    """x1, g_kj, n_c, theta_hat: a letter or a known name with a short subscript."""
    base, _, subscript = word.partition("_")
    if word.startswith("_") or re.fullmatch(r"d[A-Za-z](?:_\w{1,3})?|[A-Z]{2,4}", word) or word in LAWS_OWN:
        return True  # ||H^-1||_inf: a subscript; dL/dw_j: differentials; AUC(s)
    return re.fullmatch(r"[A-Za-z]\d+", word) is not None or (
        (len(base) == 1 or base in vocabulary) and (re.fullmatch(r"[A-Za-z0-9]{1,3}|hat|\{.*\}", subscript) is not None))


def test_the_laws_set_their_formulas_as_the_chapters_do(site, book_modules):
    """Law statements set their mathematics as math, formulas inside sentences too, in
    the chapters' notation (the same renderer), and nothing else: no English word is set
    as a formula, every word of a formula is a name the chapters' formulas or code use
    (or one of a few names of mathematics), and a formula the chapters set as math
    (``p = sigmoid(z)``) that a law quotes is set as math there."""
    _, files, _ = site
    chapters = "".join(files[page_of(chapter)] for chapter in CHAPTERS)
    pieces = [html.unescape(text) for text in re.findall(r'alttext="([^"]*)"', chapters)]
    rows = [" ".join(html.unescape(text) for text in re.findall(r'alttext="([^"]*)"', row))
            for row in re.findall(r'<span class="row">(.*?)</span>', chapters)]
    chapter_formulas = {text for text in _formulas(chapters) + rows
                        if len(text) >= 5 and re.search(r" [-+=<>/] |<=|>=|!=", text)}
    modules = book_modules
    vocabulary = set(re.findall(r"[A-Za-z_]\w*", " ".join(pieces))) | book_chapter.MATH_WORDS | set(GREEK)
    vocabulary |= {name.rsplit(".", 1)[-1] for name in book_chapter.names_of(modules).known}
    items = dict(re.findall(r'<li id="([^"]+)">(.*?)</li>', files["laws.html"], re.S))
    quotes = [(text, re.compile(r"(?<![\w(])" + re.escape(text) + r"(?![\w(])")) for text in chapter_formulas]
    found, quoted = 0, 0
    for law in book_chapter.laws(modules):
        formulas = _formulas(items[f"{law.module.short}.{law.test}"])
        bare = [re.sub(r"(?<=\w\()\w+(?=\))|_\{[^{}]*\}", "", text) for text in formulas]  # exp(low): an argument
        words = {word for text in bare for word in re.findall(r"[A-Za-z_]\w*", text) if len(word) > 1}
        uncalled = {word for text in bare for word in re.findall(r"[A-Za-z_]\w*(?![\w(])", text)}
        assert not uncalled & ENGLISH, (law.test, uncalled & ENGLISH)  # gradient(w, b) is a call
        unknown = {word for word in words - vocabulary if not _variable(word, vocabulary)}
        print(law.test, unknown) if unknown else None
        statement = " ".join(law.statement.split())
        for text, pattern in quotes:
            if text in statement and pattern.search(statement):
                quoted += 1
                assert any(text in formula for formula in formulas), (law.test, text, formulas)
        found += len(formulas)
    assert found > 600 and quoted >= 10, (found, quoted)


# ------------------------------------------------------------------ the notation's laws

def _terms(children):
    """A term of a formula as the chapters write them: a call, a bracket, a power, a sum."""
    return st.one_of(
        st.builds("{}({})".format, st.sampled_from(["log", "exp", "sigmoid", "sqrt", "J"]), children),
        st.builds("({})".format, children),
        st.builds("{}^{}".format, children, st.sampled_from(["2", "T", "{-1}"])),
        st.builds("{} {} {}".format, children, st.sampled_from(["+", "-", "*", ".", "/", "<=", "="]), children))


VARIABLES = st.sampled_from(["p", "z", "y", "x", "w", "b", "n", "S", "theta", "beta", "delta_kl", "ybar", "x_i",
                             "w_j", "g_kj", "theta_hat", "reg", "l1_ratio", "eps", "1", "2", "0.5", "1e-6", "1/n"])
FORMULAS = st.recursive(VARIABLES, _terms, max_leaves=12)
FORMULA_TEXT = st.text(st.sampled_from(list("abpxyz_^{}()[]|<>=&\"'+-*/., 0123")), min_size=0, max_size=60)


@given(st.one_of(FORMULAS, FORMULA_TEXT))
@example('x < "y" & z')
@example("loss(y, z) = log(1 + exp(z)) - y z = softplus(z) - y z,")
def test_a_formula_is_well_formed_mathml_that_keeps_its_text(text):
    """Law: for any text, formula_html gives well-formed MathML, one ``<math>`` per piece,
    whose ``alttext`` attributes, joined, give back the text's characters (spaces aside:
    a piece's text has its runs of spaces read as one); and a row breaks only after an
    operator: each piece but the last ends with one (=, −, +, ·, ≤, a comma...) or a
    wide gap.  Exact: markup, no arithmetic."""
    shown = formula_html(text)
    pieces = ElementTree.fromstring(f"<p>{shown}</p>").findall("math")
    assert all(piece.get("alttext") == " ".join(piece.get("alttext").split()) for piece in pieces)
    assert "".join(piece.get("alttext") for piece in pieces).replace(" ", "") == text.replace(" ", "")
    assert all(_PIECE_END.search(piece) for piece in re.split(r"(?<=</math>) (?=<math)", shown)[:-1])


PROSE = st.lists(st.sampled_from(["the", "a", "is", "for", "every", "holds", "when", "gradient", "fit", "rows",
                                  "sign", "mean", "changes", "log-odds", "chi-square", "intercept's", "and", "Newton"]),
                 min_size=1, max_size=4).map(" ".join)


@given(PROSE, FORMULAS.filter(lambda f: re.search(r" [-+*./<=] ", f) is not None), PROSE)
@example("the gradient is a", "p = sigmoid(z)", "for every row")
def test_a_formula_inside_a_sentence_is_found_whole_and_alone(before, formula, after):
    """Law: in a law's sentence "<English> <formula> <English>.", ``law_math`` finds the
    formula, exactly it and nothing of the English around it (not the article "a", not
    "sign" or "mean" unless called, not a hyphenated word), for every formula built from
    the chapters' names, operators, calls and brackets.  Exact: positions in a string."""
    text = f"{before} {formula} {after}."
    found = [text[i:j] for i, j in book_chapter.law_math(text, {"sigmoid", "gradient", "fit"})]
    assert found == [formula]


# The ASCII spellings of the book's mathematics: a Greek letter's name, a differential, a
# mean, a subscript, a comparison, a power. In a chapter's prose they are set as math.
ASCII_MATH = re.compile(r"(?<![\w.-])(?:d?(?:" + "|".join(GREEK) + r")|[a-z]bar|[A-Za-z]\w*_(?:[A-Za-z0-9]{1,3}|hat)"
                        r"|d[a-z]\w*/d\w+)(?![\w(-])(?! function)|!=|<=|>=|\w\^\w|\*\*")


def _prose_of(page):
    """A page's words outside code, listings, formulas and exercises (which show code)."""
    text = re.sub(r'<pre.*?</pre>|<code>.*?</code>|<math.*?</math>|<head>.*?</head>|<nav.*?</nav>|'
                  r'<section class="exercises">.*?</section>|<script.*?</script>', " ", page, flags=re.S)
    return html.unescape(re.sub(r"<[^>]+>", " ", text))


def test_no_chapter_shows_the_ascii_spelling_of_its_mathematics(site):
    """One notation across the book: no chapter's prose shows theta, dtheta, ybar,
    delta_kl, x_j, ``beta != 0`` or R^2 as plain words; they are set as mathematics (θ,
    dθ, ȳ, δ_kl), or as code where they are the code's names. (The chi-square test and
    the gamma function are English.)"""
    _, files, _ = site
    assert ASCII_MATH.search(_prose_of("<p>the step theta - lr g, with ybar and x_j, beta != 0</p>"))
    found = {page_of(chapter): [match.group() for match in ASCII_MATH.finditer(_prose_of(files[page_of(chapter)]))]
             for chapter in CHAPTERS}
    assert {page: words for page, words in found.items() if words} == {}
