"""Chapter 39 in a real browser: the written book, served from 127.0.0.1, runs the
library on Pyodide in headless Chromium; the demo button shows the report, a pasted
table is fitted, a bad one gets the command line's one-line message.

Needs Debian's Chromium and a Pyodide copy from npm (``npm install pyodide``), which
the README's test command does not install: without them this test is skipped, unless
LOGREG_REQUIRE_BROWSER=1 (as ``.ci/run`` sets, after installing both) makes that a
failure. LOGREG_PYODIDE_DIR names the Pyodide folder (default: node_modules/pyodide in
the project); LOGREG_CHROMIUM the browser (default: chromium on the PATH);
LOGREG_BROWSER_SHOTS a folder for screenshots of the page.
"""

import functools
import http.server
import json
import os
import re
import shutil
import sys
import threading
import time

import pytest

from logreg_pure.part7_book.book import write_book

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
REQUIRED = os.environ.get("LOGREG_REQUIRE_BROWSER") == "1"
PAGE_LOAD = 120  # seconds for Pyodide to load; about 5 here
OUTPUT = "document.querySelector('#output').textContent"


def need(condition, reason):
    if not condition:
        if REQUIRED:
            pytest.fail(f"{reason} (LOGREG_REQUIRE_BROWSER=1 makes this skip a failure)")
        pytest.skip(reason)


class QuietHandler(http.server.SimpleHTTPRequestHandler):
    extensions_map = dict(http.server.SimpleHTTPRequestHandler.extensions_map,
                          **{".wasm": "application/wasm", ".mjs": "text/javascript", ".js": "text/javascript"})

    def log_message(self, *args):
        pass  # the test reports what matters


@pytest.fixture(scope="module")
def served(tmp_path_factory, book_files):
    """The book with a local Pyodide, served over HTTP on 127.0.0.1: its base URL, its
    pages (paths in the book) and its folder."""
    if sys.platform == "emscripten":
        pytest.skip("Pyodide cannot start a browser (no processes, no threads)")
    pyodide = os.environ.get("LOGREG_PYODIDE_DIR") or os.path.join(ROOT, "node_modules", "pyodide")
    need(os.path.isfile(os.path.join(pyodide, "pyodide.js")), f"no Pyodide copy in {pyodide} (npm install pyodide)")
    need(os.environ.get("LOGREG_CHROMIUM") or shutil.which("chromium"), "no chromium (apt-get install chromium)")
    book = tmp_path_factory.mktemp("served") / "book"
    files = dict(book_files)
    write_book(str(book), files)
    os.symlink(os.path.abspath(pyodide), book / "pyodide")
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), functools.partial(QuietHandler, directory=str(book)))
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_address[1]}/", sorted(n for n in files if n.endswith(".html")), book
    server.shutdown()
    server.server_close()


@pytest.fixture(scope="module")
def served_book(served):
    """The served book's base URL."""
    return served[0]


@pytest.fixture(scope="module")
def browser():
    from cdp import Browser  # the test folder's DevTools client
    chromium = os.environ.get("LOGREG_CHROMIUM") or shutil.which("chromium")
    with Browser(chromium) as opened:
        yield opened


def shoot(browser, name):
    """A screenshot into LOGREG_BROWSER_SHOTS, if set: to look at what a reader sees."""
    folder = os.environ.get("LOGREG_BROWSER_SHOTS")
    if folder:
        browser.screenshot(os.path.join(folder, name))


def set_table(browser, text):
    browser.evaluate(f"(() => {{ const area = document.querySelector('#csv-input'); area.value = {json.dumps(text)};"
                     " area.dispatchEvent(new Event('input')); })()")


def test_the_demo_runs_in_the_page(served_book, browser):
    started = time.monotonic()
    browser.open(served_book + "try.html")
    browser.click("#run-demo")
    report = browser.wait_for(f"{OUTPUT}.includes('AUC') && {OUTPUT}", PAGE_LOAD)
    print(f"\nPyodide loaded and the demo ran in {time.monotonic() - started:.1f} s")
    assert "majority-class baseline" in report and "Traceback" not in report
    assert browser.evaluate("document.querySelectorAll('#plots img').length") == 4
    assert "Done: the demo" in browser.evaluate("document.querySelector('#status').textContent")
    shoot(browser, "try-demo.png")


def test_a_pasted_table_is_fitted_in_the_page(served_book, browser):
    browser.wait_for("document.querySelector('#status').textContent.includes('Done')", PAGE_LOAD)
    set_table(browser, "hours,sleep,passed\n0.5,8,no\n1,6,no\n1.5,7,no\n2,5,yes\n2.5,8,no\n"
                       "3,6,yes\n3.5,7,no\n4,5,yes\n4.5,8,yes\n5,6,yes\n")
    browser.click("#run-fit")
    fitted = browser.wait_for(f"{OUTPUT}.includes('odds ratio') && {OUTPUT}", 60)
    assert "target 'passed'" in fitted and "sleep" in fitted
    assert browser.evaluate("document.querySelectorAll('#plots img').length") == 3  # objective, ROC, boundary
    assert browser.evaluate("document.querySelector('#download a').download") == "model.json"
    shoot(browser, "try-fit.png")


def test_a_bad_table_gets_the_one_line_message(served_book, browser):
    set_table(browser, "hours,passed\n1,no\ntwo,yes\n")
    browser.click("#run-fit")
    message = browser.wait_for("(document.querySelector('#messages .error') || {}).textContent", 60)
    assert message.startswith("error: pasted.csv, line 3, column 'hours': 'two' is not a number")
    assert "Traceback" not in browser.evaluate("document.body.textContent")
    assert browser.evaluate("document.querySelectorAll('#plots img').length") == 0
    assert browser.evaluate("document.body.textContent.split(\"'two' is not a number\").length") == 2  # once
    assert browser.evaluate("document.querySelector('#status').textContent").startswith("Failed: the fit stopped")


SEPARATED = "x,passed\n1,no\n2,no\n3,yes\n4,yes\n"


def choose(browser, selector, value):
    browser.evaluate(f"(() => {{ const box = document.querySelector({json.dumps(selector)}); "
                     f"box.value = {json.dumps(value)}; box.dispatchEvent(new Event('change')); }})()")


def test_the_page_follows_its_own_advice_with_firths_penalty(served_book, browser):
    """Separated data: the plain fit warns and advises penalty='firth'; the page's penalty
    control takes that advice, and Firth's fit converges; Firth with gradient descent is
    refused in one message, and the status line says the fit failed."""
    set_table(browser, SEPARATED)
    browser.click("#run-fit")
    warning = browser.wait_for("(document.querySelector('#messages .warning') || {}).textContent", 60)
    assert "penalty='firth'" in warning
    choose(browser, "#penalty", "firth")
    browser.click("#run-fit")
    fitted = browser.wait_for(f"{OUTPUT}.includes('converged') && {OUTPUT}", 60)
    assert fitted.startswith("Fit 4 rows") and "Solver newton: converged" in fitted
    assert browser.evaluate("document.querySelectorAll('#messages .warning').length") == 0
    choose(browser, "#solver", "gd")
    browser.click("#run-fit")
    refusal = browser.wait_for("(document.querySelector('#messages .error') || {}).textContent", 60)
    assert "--solver gd cannot fit --penalty firth" in refusal
    assert browser.evaluate("document.querySelectorAll('#messages .error').length") == 1
    assert browser.evaluate("document.querySelector('#status').classList.contains('failed')")
    choose(browser, "#solver", "auto")
    choose(browser, "#penalty", "l2")


def test_opened_from_the_disk_the_page_says_to_serve_the_folder(served, browser):
    _, _, folder = served
    browser.open((folder / "try.html").as_uri())
    advice = browser.wait_for("document.querySelector('#status.failed') && "
                              "document.querySelector('#status').textContent", 30)
    assert "python -m http.server 8000" in advice and str(folder) in advice


# ------------------------------------------------------------------ every page, on a phone and a desktop

WIDER = """(() => {
  const width = document.documentElement.clientWidth, wide = [];
  for (const e of document.querySelectorAll('main *')) {
    const box = e.getBoundingClientRect();
    if (box.right > width + 1 && !(e.parentElement && e.parentElement.closest('pre, .table, .formula'))) {
      wide.push(e.tagName.toLowerCase() + ' ' + JSON.stringify((e.textContent || '').trim().slice(0, 40)));
    }
  }
  return [document.documentElement.scrollWidth, width, wide.slice(0, 3)];
})()"""


@pytest.mark.parametrize("width", [390, 1280])
def test_no_page_is_wider_than_the_screen(served, browser, width):
    """At a phone's 390 px and a desktop's 1280 px, no page of the book scrolls sideways
    (``scrollWidth`` is at most the viewport): listings, tables and formulas that do not
    fit scroll inside their own box. A failure names the page and what sticks out."""
    from cdp import console_errors
    base, pages, _ = served
    browser.viewport(width)
    try:
        wide, errors = {}, {}
        for page in pages:
            before = len(browser.events)
            browser.open(base + page)
            scroll_width, viewport, sticking_out = browser.evaluate(WIDER)
            if scroll_width > viewport:
                wide[page] = (scroll_width, sticking_out)
            browser.events, seen = browser.events[:before], browser.events[before:]
            errors.update({page: found for found in [console_errors(seen)] if found})
    finally:
        browser.viewport(1280, 1000)
    assert not wide, f"pages wider than {width} px: {wide}"
    assert not errors, f"console errors: {errors}"


LAYOUT = """(() => {
  const style = (selector) => { const e = document.querySelector(selector); return e && getComputedStyle(e); };
  return {listing: [style('pre.listing').whiteSpace, style('pre.listing').overflowX],
          formula: style('.formula') && style('.formula').overflowX};
})()"""


def test_listings_scroll_and_never_wrap_on_a_phone(served, browser):
    """A listing keeps each source line whole (Python's indentation is its block
    structure) and scrolls; a table scrolls inside its box; the page itself does not."""
    base, _, _ = served
    browser.viewport(390)
    try:
        browser.open(base + "loss.html")
        assert browser.evaluate(LAYOUT) == {"listing": ["pre", "auto"], "formula": "auto"}
        line = "[...document.querySelectorAll('pre.listing .line')].find(e => e.textContent.length > 80)"
        assert browser.evaluate(f"{line}.getBoundingClientRect().height") < 30  # one line of text, not wrapped
        browser.open(base + "mutants.html")
        box = "document.querySelector('table.mutants').parentElement"
        assert browser.evaluate(f"getComputedStyle({box}).overflowX") == "auto"
        assert browser.evaluate(f"{box}.scrollWidth > {box}.clientWidth")  # the table scrolls in its box
    finally:
        browser.viewport(1280, 1000)


MATHML = """(() => {
  const shown = [...document.querySelectorAll('main math')].filter(m => m.getBoundingClientRect().width > 0);
  const fraction = document.querySelector('main mfrac');
  const [top, bottom] = fraction ? [...fraction.children].map(c => c.getBoundingClientRect()) : [null, null];
  return {shown: shown.length, display: shown.length ? getComputedStyle(shown[0]).display : '',
          stacked: fraction ? top.bottom <= bottom.top + 1 : null,
          fits: document.documentElement.scrollWidth <= document.documentElement.clientWidth};
})()"""


@pytest.mark.parametrize("width", [390, 1280])
def test_formulas_are_drawn_as_mathml(served, browser, width):
    """Chromium draws the book's MathML itself (``display: math``, a fraction's numerator
    above its denominator), on a chapter's page and on the laws page, and the pages
    still fit the screen."""
    base, _, _ = served
    browser.viewport(width)
    try:
        browser.open(base + "loss.html")
        chapter = browser.evaluate(MATHML)
        assert chapter["shown"] > 20 and chapter["display"] in ("math", "inline math") and chapter["stacked"]
        assert chapter["fits"]
        browser.open(base + "laws.html")
        laws = browser.evaluate(MATHML)
        assert laws["shown"] > 10 and laws["display"] in ("math", "inline math") and laws["fits"]
        shoot(browser, f"formulas-{width}.png")
    finally:
        browser.viewport(1280, 1000)


def type_into(browser, selector, text):
    browser.evaluate(f"(() => {{ const box = document.querySelector({json.dumps(selector)}); box.focus(); "
                     f"box.value = {json.dumps(text)}; box.dispatchEvent(new Event('input')); }})()")


def test_the_search_box_finds_a_chapter_by_a_word_of_its_text(served, browser):
    """"Bernoulli" is in chapter 4's text, not its title; the box, which reads an index
    written beside the pages, lists that chapter; an entry's link opens it."""
    base, _, _ = served
    browser.open(base + "guide/python.html")
    type_into(browser, "form.search input", "bernoulli")
    found = browser.wait_for("[...document.querySelectorAll('.search-results a')].map(a => a.href)", 10)
    assert base + "loss.html" in found
    type_into(browser, "form.search input", "cholesky_solve")
    first = browser.wait_for("(document.querySelector('.search-results a') || {}).href", 10)
    assert first == base + "linalg.html#linalg.cholesky_solve"
    assert not browser.errors()


def test_dark_mode_changes_the_background(served, browser):
    base, _, _ = served
    background = "getComputedStyle(document.body).backgroundColor"
    browser.open(base + "links.html")
    light = browser.evaluate(background)
    browser.color_scheme("dark")
    try:
        dark = browser.evaluate(background)
        ink = browser.evaluate("getComputedStyle(document.body).color")
    finally:
        browser.color_scheme("light")
    assert light == "rgb(255, 253, 248)" and dark != light
    assert sum(map(int, re.findall(r"\d+", dark))) < 150 < sum(map(int, re.findall(r"\d+", ink)))  # light on dark


def test_the_chapters_figures_are_drawn_in_the_page(served, browser):
    """Each chapter that a picture explains shows one (loaded, not a broken image)."""
    base, _, _ = served
    for page in ("links.html", "loss.html", "softmax.html", "separation.html", "solvers.html", "metrics.html",
                 "path.html", "plots.html"):
        browser.open(base + page)
        sizes = browser.wait_for("(() => { const images = [...document.querySelectorAll('main figure img')]; "
                                 "return images.length && images.every(i => i.complete) && "
                                 "images.map(i => i.naturalWidth); })()", 10)
        assert sizes and all(width == 640 for width in sizes), page


RUNNER_OUTPUT = "(document.querySelector('.runner .run-output') || {}).textContent"


def test_a_docstring_examples_run_button_gives_the_doctests_output(served, browser):
    """The Run button at the start of a docstring's examples runs them in Pyodide, in
    a Web Worker, in the chapter's module: the transcript is the docstring's text. The
    example is editable, and runs again; an exercise's example runs to its hidden answer."""
    base, _, _ = served
    started = time.monotonic()
    browser.open(base + "links.html")
    example = browser.evaluate("document.querySelector('pre.listing .line[data-example]').dataset.example")
    browser.click("pre.listing .line[data-example] button.run-example")
    shown = browser.wait_for(f"{RUNNER_OUTPUT}.startsWith('>>>') && {RUNNER_OUTPUT}", PAGE_LOAD)
    status = browser.evaluate("document.querySelector('.runner .run-status').textContent")
    print(f"\nPyodide loaded in a worker and ran the first example in {time.monotonic() - started:.1f} s ({status})")
    assert example.startswith(">>> sigmoid(0.0)\n0.5\n") and shown == example.rstrip("\n")
    browser.evaluate("(() => { const box = document.querySelector('.runner textarea'); "
                     "box.value = '>>> logit(sigmoid(2.0)) > 1.99'; })()")
    browser.click(".runner .run-bar button")
    assert browser.wait_for(f"{RUNNER_OUTPUT}.includes('1.99\\n') && {RUNNER_OUTPUT}", 30).endswith("True")
    exercise = "section.exercises li[data-module]"
    answer = browser.evaluate(f"document.querySelector('{exercise} details pre').textContent")
    browser.click(f"{exercise} button.run-example")
    shown = f"(document.querySelector('{exercise} .run-output') || {{}}).textContent"
    ran = browser.wait_for(f"({shown} || '').startsWith('>>>') && {shown}", 30)
    assert ran.endswith(answer)
    assert not browser.errors()


def test_python_loads_once_per_visit(served, browser):
    """Python loads once per visit: the worker is a SharedWorker, every page (one that
    runs nothing too: the index, a guide page) holds it, and a later chapter, then
    try.html, find Python already loaded in it and run at once, where a worker per page
    would load Pyodide again (seconds)."""
    base, _, _ = served
    browser.open(base + "links.html")
    first = browser.evaluate("window.LogregPython.start().then(r => JSON.stringify(r))")
    assert browser.evaluate("typeof SharedWorker") == "function"
    for page in ("index.html", "guide/inference.html"):  # pages with nothing to run
        browser.open(base + page)
        time.sleep(1)
    started = time.monotonic()
    browser.open(base + "loss.html")
    second = json.loads(browser.evaluate("window.LogregPython.start().then(r => JSON.stringify(r))"))
    ran = browser.evaluate("window.LogregPython.call('run_examples_json', ['>>> example_loss(1, 0.0)'], "
                           "{module: 'part1_mathematics.loss'}).then(r => r.value.transcript)")
    elapsed = time.monotonic() - started
    print(f"\nfirst page: {first}; the next page found Python loaded and ran an example {elapsed:.2f} s after opening")
    assert second["shared"] is True and "0.693" in ran and elapsed < 3
    browser.open(base + "try.html")
    browser.click("#run-demo")
    browser.wait_for(f"{OUTPUT}.includes('AUC')", 60)
    assert "already loaded by another page" in browser.evaluate("document.querySelector('#status').textContent") \
        or "Done" in browser.evaluate("document.querySelector('#status').textContent")


FROZEN = """(async () => {
  let last = performance.now(), longest = 0;
  const tick = setInterval(() => { const now = performance.now(); longest = Math.max(longest, now - last); last = now; }, 5);
  const started = performance.now();
  const answer = await window.LogregPython.call('run_examples_json',
      ['>>> sum(sigmoid(k / 1000) for k in range(3000000)) > 0'], {module: 'part1_mathematics.links'});
  clearInterval(tick);
  return [longest, performance.now() - started, answer.value.transcript];
})()"""


def test_the_page_never_freezes_while_python_runs(served, browser):
    """Python runs in a worker: while an example computes for a good fraction of a
    second, the page's own timer keeps firing. Were Python on the page's thread, the
    longest pause would be the whole run; the bound is a quarter of the run (and 100 ms
    at least), because on a loaded machine the page's thread itself may wait for a core
    for a few hundred milliseconds (seen: 171 ms during a 2.6 s run under a load of 4),
    which is scheduling, not a freeze."""
    base, _, _ = served
    browser.open(base + "loss.html")
    browser.evaluate("window.LogregPython.start()")
    longest, ran, transcript = browser.evaluate(FROZEN)
    print(f"\nan example ran {ran:.0f} ms in the worker; the page's longest pause was {longest:.0f} ms")
    assert transcript.endswith("True") and ran > 200 and longest < max(100, ran / 4)


def test_a_three_class_fit_shows_its_regions_and_each_classs_roc(served_book, browser):
    browser.open(served_book + "try.html")
    rows = "".join(f"{x},{y},{'abc'[(x > 2) + (y > 2)]}\n" for x in range(5) for y in range(5))
    set_table(browser, "x,y,kind\n" + rows)
    choose(browser, "#reg", "0.1")
    browser.click("#run-fit")
    fitted = browser.wait_for(f"{OUTPUT}.includes('3 classes') && {OUTPUT}", PAGE_LOAD)
    assert "Class 'c'" in fitted
    names = browser.evaluate("[...document.querySelectorAll('#plots figcaption')].map(c => c.textContent)")
    assert names == ["objective.svg", "boundary.svg", "roc_0_a.svg", "roc_1_b.svg", "roc_2_c.svg"]
    shoot(browser, "try-three-classes.png")
