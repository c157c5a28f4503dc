// try.html: run chapter 39 (logreg_pure/part7_book/browser.py) when a button is pressed,
// in the book's Python (python.js: Pyodide in a Web Worker, with logreg_pure's files).
// Python returns JSON text; this script only shows it.
"use strict";

(function () {
  const pyodideURL = window.LogregPython.pyodideURL;
  const status = document.getElementById("status");
  const output = document.getElementById("output");
  const messages = document.getElementById("messages");
  const plots = document.getElementById("plots");
  const download = document.getElementById("download");
  const csvInput = document.getElementById("csv-input");

  function say(text, failed) {
    status.textContent = text;
    status.classList.toggle("failed", Boolean(failed));
  }

  // Python runs in a Web Worker (python.js, worker.js): the page stays responsive
  // while it loads and while a fit runs.
  function python() {
    return window.LogregPython.start().then(function (started) {
      say("Python " + started.version + " is ready (" + (started.shared ? "already loaded by another page of " +
          "the book" : started.seconds.toFixed(1) + " s") + "): logreg_pure runs in this page, in a worker.");
      return started;
    });
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

  async function run(button, what, name, args, kwargs) {
    button.disabled = true;
    try {
      await python();
      say("Running " + what + " …");
      const answer = await window.LogregPython.call(name, args, kwargs);
      const result = answer.value;
      const seconds = answer.seconds.toFixed(2);
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
      say(window.LogregPython.fromDisk ? error.message :
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
    run(event.currentTarget, "the demo", "demo_json", [], {});
  });

  document.getElementById("run-fit").addEventListener("click", function (event) {
    run(event.currentTarget, "the fit", "fit_json", [csvInput.value], fitArguments());
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
  say("Loading Python (Pyodide, about 12 MB) from " + pyodideURL + " …");
  python().catch(function (error) {
    if (window.LogregPython.fromDisk) {
      say(error.message, true);
      return;
    }
    say("Python could not be loaded from " + pyodideURL + " (" + error.message + "). " +
        "The page needs that address to be reachable, or a book written with " +
        "python -m logreg_pure book --pyodide pointing at a copy of Pyodide.", true);
  });
})();
