// The page's side of the book's Python: one worker (worker.js), started on first use and
// shared by every example on the page and by try.html's buttons; a SharedWorker where
// the browser has one, so that every page of the visit shares one Python (it loads once
// per visit), else a Web Worker of the page's own.
// LogregPython.call(name, args, kwargs) calls chapter 39's function of that name in
// Pyodide and gives back its JSON text, parsed.
"use strict";

window.LogregPython = (function () {
  const root = document.body.dataset.root || "";
  const pyodideURL = document.body.dataset.pyodide || "";
  let worker = null; // {post, stop}: the shared worker's port, or the page's own worker
  let sharedFailed = false; // a browser whose SharedWorker could not start: use a Worker
  let ready = null; // a promise of {version, seconds, shared}
  let nextId = 0;
  const waiting = new Map();

  function absolute(url) {
    return new URL(url, location.href).href;
  }

  function send(message) {
    return new Promise(function (resolve, reject) {
      message.id = ++nextId;
      waiting.set(message.id, { resolve: resolve, reject: reject });
      worker.post(message);
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

  function failAll(text) {
    for (const promise of waiting.values()) {
      promise.reject(new Error(text));
    }
    waiting.clear();
  }

  // A SharedWorker if the browser has one (and it starts), else a worker of this page.
  function connect() {
    const url = root + "worker.js";
    if (typeof SharedWorker === "function" && !sharedFailed) {
      try {
        const shared = new SharedWorker(url, { type: "module", name: "logreg_pure" });
        shared.port.onmessage = answer;
        shared.onerror = function () { sharedFailed = true; failAll("the shared worker did not start"); };
        shared.port.start();
        return { post: function (m) { shared.port.postMessage(m); }, stop: function () { shared.port.close(); },
                 shared: true };
      } catch (error) {
        sharedFailed = true;
      }
    }
    const own = new Worker(url, { type: "module" });
    own.onmessage = answer;
    return { post: function (m) { own.postMessage(m); }, stop: function () { own.terminate(); }, shared: false };
  }

  // Once Python has loaded in the shared worker, every page of the visit connects to it
  // as it opens (python.js is on every page), even a page that runs nothing: a shared
  // worker lives while some page holds it, so Python is still there for the next page.
  const LOADED = "logreg_pure.python";

  function remember(loaded) {
    try {
      if (loaded) {
        sessionStorage.setItem(LOADED, "shared");
      } else {
        sessionStorage.removeItem(LOADED);
      }
    } catch (error) {
      // no session storage (a private window may refuse it): each page connects on first use
    }
  }

  function loadedEarlier() {
    try {
      return sessionStorage.getItem(LOADED) === "shared";
    } catch (error) {
      return false;
    }
  }

  function start() {
    if (ready === null) {
      if (location.protocol === "file:") {
        ready = Promise.reject(new Error(fromDiskAdvice()));
        ready.catch(function () {});
        return ready;
      }
      worker = worker || connect();
      const pyodide = /^([a-z]+:|\/)/.test(pyodideURL) ? pyodideURL : root + pyodideURL;
      ready = send({ type: "start", pyodide: absolute(pyodide), library: absolute(root + "library.js") })
        .then(function (message) { remember(worker.shared); return message.result; });
      ready.catch(function () { ready = null; worker.stop(); worker = null; remember(false); }); // a later call tries again
    }
    return ready;
  }

  async function call(name, args, kwargs) {
    await start();
    const message = await send({ type: "call", call: name, args: args || [], kwargs: kwargs || {} });
    return { value: JSON.parse(message.result), seconds: message.seconds };
  }

  if (location.protocol !== "file:" && typeof SharedWorker === "function" && loadedEarlier()) {
    worker = connect(); // hold the visit's Python (nothing is sent until a call)
  }

  return { start: start, call: call, pyodideURL: pyodideURL, fromDisk: location.protocol === "file:" };
})();
