// try.html: load Pyodide, copy logreg_pure's files into its file system, and run
// chapter 38 (logreg_pure/part7_book/browser.py) when a button is pressed. Python returns JSON
// text; this script only shows it.
"use strict";

(function () {
  const page = document.getElementById("try");
  const pyodideURL = page.dataset.pyodide;
  const status = document.getElementById("status");
  const output = document.getElementById("output");
  const messages = document.getElementById("messages");
  const plots = document.getElementById("plots");
  const download = document.getElementById("download");
  const csvInput = document.getElementById("csv-input");
  let browserModule = null; // a promise of logreg_pure.part7_book.browser, once Python is loaded

  function say(text, failed) {
    status.textContent = text;
    status.classList.toggle("failed", Boolean(failed));
  }

  function loadScript(src) {
    return new Promise(function (resolve, reject) {
      const script = document.createElement("script");
      script.src = src;
      script.onload = resolve;
      script.onerror = function () { reject(new Error("could not load " + src)); };
      document.head.appendChild(script);
    });
  }

  async function startPython() {
    const started = performance.now();
    say("Loading Python (Pyodide, about 12 MB) from " + pyodideURL + " …");
    await loadScript(pyodideURL + "pyodide.js");
    const pyodide = await loadPyodide({ indexURL: pyodideURL });
    for (const [path, text] of Object.entries(window.LOGREG_PURE_FILES)) {
      const full = "/home/pyodide/lib/" + path;
      pyodide.FS.mkdirTree(full.slice(0, full.lastIndexOf("/")));
      pyodide.FS.writeFile(full, text);
    }
    pyodide.runPython("import sys; sys.path.insert(0, '/home/pyodide/lib')");
    const version = pyodide.runPython("import sys; sys.version.split()[0]");
    const seconds = ((performance.now() - started) / 1000).toFixed(1);
    say("Python " + version + " is ready (" + seconds + " s): logreg_pure runs in this page.");
    return pyodide.pyimport("logreg_pure.part7_book.browser");
  }

  function python() {
    if (browserModule === null) {
      browserModule = startPython();
      browserModule.catch(function () { browserModule = null; }); // a later click tries again
    }
    return browserModule;
  }

  function paragraph(className, text) {
    const p = document.createElement("p");
    p.className = className;
    p.textContent = text;
    return p;
  }

  function showPlots(list) {
    plots.replaceChildren();
    for (const [name, svg] of list) {
      const figure = document.createElement("figure");
      const image = document.createElement("img");
      image.src = URL.createObjectURL(new Blob([svg], { type: "image/svg+xml" }));
      const title = /<title>([^<]*)<\/title>/.exec(svg);
      image.alt = title ? title[1] : name;
      const caption = document.createElement("figcaption");
      caption.textContent = name;
      figure.append(image, caption);
      plots.append(figure);
    }
  }

  function showModel(text) {
    download.replaceChildren();
    if (text) {
      const link = document.createElement("a");
      link.href = URL.createObjectURL(new Blob([text], { type: "application/json" }));
      link.download = "model.json";
      link.textContent = "Download the model (model.json)";
      download.append(link);
    }
  }

  // Each message is shown once, above the output; a command that failed leaves the
  // output box saying so rather than repeating its message.
  function show(result) {
    messages.replaceChildren();
    for (const line of result.errors) { messages.append(paragraph("error", line)); }
    for (const line of result.warnings) { messages.append(paragraph("warning", line)); }
    const failed = result.status !== 0;
    output.textContent = result.output || (failed ? "No output: the command stopped (its message is above)." : "");
    output.classList.toggle("failed", failed);
    showPlots(result.plots);
    showModel(result.model);
    return failed;
  }

  async function run(button, what, call) {
    button.disabled = true;
    try {
      const browser = await python();
      say("Running " + what + " …");
      await new Promise(function (resolve) { setTimeout(resolve, 20); }); // let the status show
      const started = performance.now();
      const result = JSON.parse(call(browser));
      const seconds = ((performance.now() - started) / 1000).toFixed(2);
      if (show(result)) {
        say("Failed: " + what + " stopped with exit status " + result.status + " after " + seconds +
            " s; the message is above the output.", true);
      } else {
        say("Done: " + what + " in " + seconds + " s.");
      }
    } catch (error) {
      const lines = String(error && error.message || error).trim().split("\n");
      messages.replaceChildren(paragraph("error", "error: " + lines[lines.length - 1]));
      output.textContent = "";
      say(location.protocol === "file:" ? fromDiskAdvice() :
          "Failed: " + what + " could not run; the message is above the output.", true);
    } finally {
      button.disabled = false;
    }
  }

  function fitArguments() {
    const delimiter = document.getElementById("delimiter").value;
    return {
      target: document.getElementById("target").value.trim(),
      name: csvInput.dataset.name || "pasted.csv",
      delimiter: delimiter === "tab" ? "\t" : delimiter,
      standardize: document.getElementById("standardize").checked,
      reg: document.getElementById("reg").value.trim() || "0",
      solver: document.getElementById("solver").value,
      penalty: document.getElementById("penalty").value,
      l1_ratio: document.getElementById("l1-ratio").value,
      drop_missing: document.getElementById("drop-missing").checked,
    };
  }

  function showL1Ratio() {
    document.getElementById("l1-ratio-box").hidden = document.getElementById("penalty").value !== "elasticnet";
  }

  // Opened from the disk (file://), the browser will not let the page fetch Python's
  // files: the cure is a web server for the book's folder, which Python itself has.
  function fromDiskAdvice() {
    const path = decodeURIComponent(location.pathname);
    const folder = path.slice(0, path.lastIndexOf("/")) || "/";
    return "This page was opened from the disk (" + location.href + "), and a browser does not let such " +
      "a page load Python's files. Serve the book's folder instead: in a terminal, run " +
      "cd '" + folder + "' && python -m http.server 8000 then open http://localhost:8000/try.html";
  }

  function suggestColumns() {
    const delimiter = document.getElementById("delimiter").value;
    const header = csvInput.value.replace(/^\uFEFF/, "").split(/\r?\n/)[0] || "";
    const list = document.getElementById("columns");
    list.replaceChildren();
    for (const name of header.split(delimiter === "tab" ? "\t" : delimiter)) {
      const option = document.createElement("option");
      option.value = name.trim().replace(/^"|"$/g, "");
      list.append(option);
    }
  }

  document.getElementById("run-demo").addEventListener("click", function (event) {
    run(event.currentTarget, "the demo", function (browser) { return browser.demo_json(); });
  });

  document.getElementById("run-fit").addEventListener("click", function (event) {
    const options = fitArguments();
    run(event.currentTarget, "the fit", function (browser) {
      return browser.fit_json.callKwargs(csvInput.value, options);
    });
  });

  document.getElementById("csv-file").addEventListener("change", async function (event) {
    const file = event.currentTarget.files[0];
    if (file) {
      csvInput.value = await file.text();
      csvInput.dataset.name = file.name;
      suggestColumns();
    }
  });

  csvInput.addEventListener("input", function () {
    csvInput.dataset.name = "pasted.csv";
    suggestColumns();
  });
  document.getElementById("delimiter").addEventListener("change", suggestColumns);
  document.getElementById("penalty").addEventListener("change", showL1Ratio);

  suggestColumns();
  showL1Ratio();
  python().catch(function (error) {
    if (location.protocol === "file:") {
      say(fromDiskAdvice(), true);
      return;
    }
    say("Python could not be loaded from " + pyodideURL + " (" + error.message + "). " +
        "The page needs that address to be reachable, or a book written with " +
        "python -m logreg_pure book --pyodide pointing at a copy of Pyodide.", true);
  });
})();
