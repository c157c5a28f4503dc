// try.html: load Pyodide, copy logreg_pure's files into its file system, and run
// chapter 39 (logreg_pure/part7_book/browser.py) when a button is pressed. Python returns JSON
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

  function say(text) {
    status.textContent = text;
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

  function show(result) {
    messages.replaceChildren();
    for (const line of result.errors) { messages.append(paragraph("error", line)); }
    for (const line of result.warnings) { messages.append(paragraph("warning", line)); }
    output.textContent = result.output || result.errors.join("\n");
    output.classList.toggle("failed", result.status !== 0);
    showPlots(result.plots);
    showModel(result.model);
  }

  async function run(button, what, call) {
    button.disabled = true;
    try {
      const browser = await python();
      say("Running " + what + " …");
      await new Promise(function (resolve) { setTimeout(resolve, 20); }); // let the status show
      const started = performance.now();
      show(JSON.parse(call(browser)));
      say("Done: " + what + " in " + ((performance.now() - started) / 1000).toFixed(2) + " s.");
    } catch (error) {
      const lines = String(error && error.message || error).trim().split("\n");
      output.textContent = "error: " + lines[lines.length - 1];
      say("Something went wrong; the message is below.");
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
      reg: document.getElementById("reg").value || "0",
    };
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

  suggestColumns();
  python().catch(function (error) {
    say("Python could not be loaded from " + pyodideURL + " (" + error.message + "). " +
        "The page needs that address to be reachable, or a book written with " +
        "python -m logreg_pure book --pyodide pointing at a copy of Pyodide.");
  });
})();
