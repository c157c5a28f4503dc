// The book's search box: finds chapters, pages of the guide, headings, names and laws
// by the words of their titles and text. The index, search-index.js, is written by
// python -m logreg_pure book; it is a script, not a file the page fetches, so the box
// works from the disk with no server and no network. It loads when the box is first used.
"use strict";

(function () {
  const form = document.querySelector("form.search");
  if (!form) { return; }
  const input = form.querySelector("input");
  const results = form.querySelector("ol");
  const root = form.dataset.root;
  const LIMIT = 15;
  const KIND_WEIGHT = { chapter: 3, guide: 2.5, page: 2, heading: 1.5, law: 1, name: 1 };
  let index = null; // a promise of the entries: [kind, title, url, text]

  function load() {
    if (index === null) {
      index = new Promise(function (resolve, reject) {
        const script = document.createElement("script");
        script.src = root + "search-index.js";
        script.onload = function () { resolve(window.LOGREG_SEARCH || []); };
        script.onerror = function () { index = null; reject(new Error("could not load " + script.src)); };
        document.head.appendChild(script);
      });
    }
    return index;
  }

  function words(text) {
    return text.toLowerCase().split(/[^\p{L}\p{N}_]+/u).filter(Boolean);
  }

  // Each query word must start a word of the title (worth more) or of the text.
  function score(entry, query) {
    const title = " " + words(entry[1]).join(" ") + " " + entry[1].toLowerCase() + " ";
    const text = " " + entry[3] + " ";
    let total = 0;
    for (const word of query) {
      if (title.includes(" " + word) || title.includes("." + word) || title.includes("_" + word)) {
        total += 4;
      } else if (text.includes(" " + word)) {
        total += 1;
      } else {
        return 0;
      }
    }
    return total * (KIND_WEIGHT[entry[0]] || 1);
  }

  function show(found) {
    results.replaceChildren();
    for (const entry of found) {
      const link = document.createElement("a");
      link.href = root + entry[2];
      const kind = document.createElement("span");
      kind.className = "kind";
      kind.textContent = entry[0];
      link.append(kind, entry[1]);
      const item = document.createElement("li");
      item.append(link);
      results.append(item);
    }
  }

  async function search() {
    const query = words(input.value);
    if (query.length === 0) { show([]); return; }
    let entries;
    try {
      entries = await load();
    } catch (error) {
      show([]);
      results.append(Object.assign(document.createElement("li"), { textContent: error.message }));
      return;
    }
    if (words(input.value).join(" ") !== query.join(" ")) { return; } // the reader typed on
    const scored = [];
    for (const entry of entries) {
      const points = score(entry, query);
      if (points > 0) { scored.push([points, entry]); }
    }
    scored.sort(function (a, b) { return b[0] - a[0]; });
    show(scored.slice(0, LIMIT).map(function (pair) { return pair[1]; }));
  }

  input.addEventListener("focus", function () { load().catch(function () {}); });
  input.addEventListener("input", search);
  input.addEventListener("keydown", function (event) {
    if (event.key === "Escape") { input.value = ""; show([]); }
  });
  form.addEventListener("submit", function (event) {
    event.preventDefault();
    const first = results.querySelector("a");
    if (first) { window.location.href = first.href; }
  });
  document.addEventListener("click", function (event) {
    if (!form.contains(event.target)) { show([]); }
  });
})();
