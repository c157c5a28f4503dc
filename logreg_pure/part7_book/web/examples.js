// A chapter's examples, run in the page: every docstring example (a listing's line
// that starts one, marked data-example by the book) and every example block of the
// text and the exercises gets a Run button. Running opens an editable copy below it;
// Python (python.js, in a worker shared by the page and the visit) runs it in the
// chapter's module as doctest would, and shows what doctest would have seen.
"use strict";

(function () {
  function moduleOf(element) {
    const holder = element.closest("[data-module]");
    return holder ? holder.dataset.module : "";
  }

  function button(words, className) {
    const made = document.createElement("button");
    made.type = "button";
    made.className = className;
    made.textContent = words;
    return made;
  }

  async function run(runner) {
    const output = runner.querySelector(".run-output");
    const again = runner.querySelector("button");
    again.disabled = true;
    output.classList.remove("failed");
    output.textContent = "Loading Python (Pyodide) in the background …";
    try {
      const answer = await window.LogregPython.call("run_examples_json", [runner.querySelector("textarea").value],
                                                    { module: runner.dataset.module });
      output.textContent = answer.value.transcript || "(no output)";
      output.classList.toggle("failed", answer.value.failed);
      runner.querySelector(".run-status").textContent = "ran in " + answer.seconds.toFixed(2) + " s";
    } catch (error) {
      output.textContent = error.message;
      output.classList.add("failed");
    } finally {
      again.disabled = false;
    }
  }

  // The runner: the example in an editable box, a Run button, and the output.
  function makeRunner(text, module, tag) {
    const runner = document.createElement(tag);
    runner.className = "runner";
    runner.dataset.module = module;
    const box = document.createElement("textarea");
    box.value = text.replace(/\n$/, "");
    box.rows = Math.min(12, box.value.split("\n").length + 1);
    box.spellcheck = false;
    box.setAttribute("aria-label", "the example, editable");
    const bar = document.createElement(tag === "span" ? "span" : "div");
    bar.className = "run-bar";
    const status = document.createElement("span");
    status.className = "run-status";
    bar.append(button("Run", "run"), status);
    const output = document.createElement(tag === "span" ? "span" : "pre");
    output.className = "run-output";
    runner.append(box, bar, output);
    bar.querySelector("button").addEventListener("click", function () { run(runner); });
    return runner;
  }

  function open(anchor, text, module, tag) {
    let runner = anchor.nextElementSibling;
    if (!runner || !runner.classList.contains("runner")) {
      runner = makeRunner(text, module, tag);
      anchor.after(runner);
    }
    run(runner);
  }

  // A listing's docstring examples: the Run button sits at the end of the line that
  // starts them; the runner opens after the example's last line.
  for (const line of document.querySelectorAll("pre.listing .line[data-example]")) {
    const text = line.dataset.example;
    let last = line;
    for (let k = 1; k < text.split("\n").length - 1 && last.nextElementSibling; k++) {
      last = last.nextElementSibling;
    }
    const start = button("Run", "run-example");
    start.title = "run this example in the page";
    start.addEventListener("click", function () { open(last, text, moduleOf(line), "span"); });
    line.append(start);
  }

  // The examples in the text and the exercises' examples.
  for (const block of document.querySelectorAll("main pre.doctest")) {
    if (block.closest("details")) { continue; } // an answer is not run: it is read
    const bar = document.createElement("p");
    bar.className = "run-bar";
    const start = button("Run", "run-example");
    bar.append(start);
    block.after(bar);
    start.addEventListener("click", function () { open(bar, block.textContent, moduleOf(block), "div"); });
  }
})();
