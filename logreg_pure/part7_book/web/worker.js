// The book's Python: Pyodide in a Web Worker (a module worker: Pyodide supports no
// other kind), so that the page never freezes while a fit runs. python.js starts it and sends it calls of chapter 39's functions
// (logreg_pure/part7_book/browser.py); it answers each with the function's JSON text.
let browser = null; // logreg_pure.part7_book.browser, once Python is loaded

async function start(message) {
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

self.onmessage = async function (event) {
  const message = event.data;
  try {
    if (message.type === "start") {
      self.postMessage({ id: message.id, result: await start(message) });
      return;
    }
    const started = performance.now();
    const result = browser[message.call].callKwargs(...message.args, message.kwargs || {});
    self.postMessage({ id: message.id, result: result, seconds: (performance.now() - started) / 1000 });
  } catch (error) {
    self.postMessage({ id: message.id, error: String(error && error.message || error) });
  }
};
