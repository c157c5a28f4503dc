// The page's side of the book's Python: one Web Worker (worker.js) per page, started
// on first use and shared by every example on the page and by try.html's buttons.
// LogregPython.call(name, args, kwargs) calls chapter 39's function of that name in
// Pyodide and gives back its JSON text, parsed.
"use strict";

window.LogregPython = (function () {
  const root = document.body.dataset.root || "";
  const pyodideURL = document.body.dataset.pyodide || "";
  let worker = null;
  let ready = null; // a promise of {version, seconds}
  let nextId = 0;
  const waiting = new Map();

  function absolute(url) {
    return new URL(url, location.href).href;
  }

  function send(message) {
    return new Promise(function (resolve, reject) {
      message.id = ++nextId;
      waiting.set(message.id, { resolve: resolve, reject: reject });
      worker.postMessage(message);
    });
  }

  function answer(event) {
    const message = event.data;
    const promise = waiting.get(message.id);
    waiting.delete(message.id);
    if (message.error !== undefined) {
      promise.reject(new Error(message.error));
    } else {
      promise.resolve(message);
    }
  }

  // Opened from the disk (file://), a browser lets a page start no worker and fetch
  // no file: the cure is a web server for the book's folder, which Python itself has.
  function fromDiskAdvice() {
    const path = decodeURIComponent(location.pathname);
    const folder = path.slice(0, path.lastIndexOf("/")) || "/";
    const book = root ? folder.split("/").slice(0, -root.split("/").length + 1).join("/") : folder;
    return "This page was opened from the disk (" + location.href + "), and a browser does not let such " +
      "a page run Python. Serve the book's folder instead: in a terminal, run " +
      "cd '" + book + "' && python -m http.server 8000 then open http://localhost:8000/" +
      location.pathname.slice(book.length + 1);
  }

  function start() {
    if (ready === null) {
      if (location.protocol === "file:") {
        ready = Promise.reject(new Error(fromDiskAdvice()));
        ready.catch(function () {});
        return ready;
      }
      worker = new Worker(root + "worker.js", { type: "module" });
      worker.onmessage = answer;
      const pyodide = /^([a-z]+:|\/)/.test(pyodideURL) ? pyodideURL : root + pyodideURL;
      ready = send({ type: "start", pyodide: absolute(pyodide), library: absolute(root + "library.js") })
        .then(function (message) { return message.result; });
      ready.catch(function () { ready = null; worker.terminate(); }); // a later call tries again
    }
    return ready;
  }

  async function call(name, args, kwargs) {
    await start();
    const message = await send({ type: "call", call: name, args: args || [], kwargs: kwargs || {} });
    return { value: JSON.parse(message.result), seconds: message.seconds };
  }

  return { start: start, call: call, pyodideURL: pyodideURL, fromDisk: location.protocol === "file:" };
})();
