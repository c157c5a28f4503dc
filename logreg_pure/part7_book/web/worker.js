// The book's Python: Pyodide in a worker (a module worker: Pyodide supports no other
// kind), so that the page never freezes while a fit runs. python.js starts it and sends
// it calls of chapter 39's functions (logreg_pure/part7_book/browser.py); it answers each
// with the function's JSON text.
//
// Started as a SharedWorker (where the browser has one), it serves every page of the
// book open on this site: Python loads once per visit, not once per page. Chromium keeps
// a shared worker alive while the reader goes from one page of the book to the next, so
// the next page finds Python loaded (test_browser.py checks this). Started as a plain
// Worker (a browser without SharedWorker), it serves its own page only.
let browser = null; // logreg_pure.part7_book.browser, once Python is loaded
let loading = null; // the promise of {version, seconds}: Python, loading or loaded

async function load(message) {
  const started = performance.now();
  await import(message.library); // sets self.LOGREG_PURE_FILES
  const { loadPyodide } = await import(message.pyodide + "pyodide.mjs");
  const pyodide = await loadPyodide({ indexURL: message.pyodide });
  for (const [path, text] of Object.entries(self.LOGREG_PURE_FILES)) {
    const full = "/home/pyodide/lib/" + path;
    pyodide.FS.mkdirTree(full.slice(0, full.lastIndexOf("/")));
    pyodide.FS.writeFile(full, text);
  }
  pyodide.runPython("import sys; sys.path.insert(0, '/home/pyodide/lib')");
  browser = pyodide.pyimport("logreg_pure.part7_book.browser");
  const version = pyodide.runPython("import sys; sys.version.split()[0]");
  return { version: version, seconds: (performance.now() - started) / 1000 };
}

// The first page to ask loads Python; a later one (another page of the visit) shares it.
async function start(message) {
  const shared = loading !== null;
  if (!shared) {
    loading = load(message);
    loading.catch(function () { loading = null; }); // a later page tries again
  }
  const loaded = await loading;
  return { version: loaded.version, seconds: shared ? 0 : loaded.seconds, shared: shared };
}

async function handle(message, reply) {
  try {
    if (message.type === "start") {
      reply({ id: message.id, result: await start(message) });
      return;
    }
    const started = performance.now();
    const result = browser[message.call].callKwargs(...message.args, message.kwargs || {});
    reply({ id: message.id, result: result, seconds: (performance.now() - started) / 1000 });
  } catch (error) {
    reply({ id: message.id, error: String(error && error.message || error) });
  }
}

if (typeof SharedWorkerGlobalScope !== "undefined" && self instanceof SharedWorkerGlobalScope) {
  self.onconnect = function (event) {
    const port = event.ports[0];
    port.onmessage = function (message) { handle(message.data, function (answer) { port.postMessage(answer); }); };
  };
} else {
  self.onmessage = function (message) { handle(message.data, function (answer) { self.postMessage(answer); }); };
}
