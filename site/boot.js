// Runs before PyScript, from <head>. It shows the build's first picture (the
// default run's final fit) while Python starts, when the link asks for the
// default settings; it tells how the start is going (which of the preloaded
// files have arrived, on the message and the progress bar); where the browser
// denies storage (a sandboxed frame, blocked site data) it lets PyScript run
// without; and if PyScript, Pyodide or the page's Python never start (offline
// with the CDN build, opened from file://, blocked by a proxy, a
// Content-Security-Policy without 'unsafe-eval', the WebAssembly runtime
// missing on the server), it says so in plain words within seconds instead
// of leaving a page that never becomes usable. app/loader.py takes over the
// message area and replaces the picture once Python runs.
(function () {
  "use strict";
  var SLOW_MS = 45000;
  var UPDATE_CHECK_MS = 30 * 60 * 1000;
  var online = location.protocol === "http:" || location.protocol === "https:";

  // The picture is of the default settings: a link with settings of its own
  // (or embed=1, lessons...) keeps the empty chart until Python draws it. Set
  // here, before the body is parsed, so the first paint already has it.
  if (document.querySelector('meta[name="emgmm-first-picture"]')) {
    document.documentElement.dataset.firstPicture =
      location.search.replace(/^\?/, "") === "" ? "shown" : "off";
  }
  // The link's theme and presenter mode, before the first paint (once Python
  // runs, app/views/controls.py keeps these classes from the page state).
  var params = new URLSearchParams(location.search);
  var theme = (params.get("theme") || "").trim().toLowerCase();
  if (theme === "dark" || theme === "light") {
    document.documentElement.classList.add("theme-" + theme);
  }
  if (/^(1|true|yes|on)$/i.test((params.get("present") || "").trim())) {
    document.documentElement.classList.add("present");
  }
  var offlineHint =
    "If you are offline, build a self-contained copy with " +
    "`python build.py --vendor` and open it with `python build.py serve --vendor`.";

  // Storage. A frame sandboxed without allow-same-origin (as learning
  // platforms embed pages) or site data blocked in the browser's settings
  // deny IndexedDB: indexedDB.open throws, or its request fails. PyScript
  // keeps a package cache there (IDBMapSync, read before Pyodide starts) and
  // never starts without it. The cache only saves downloads, so the page
  // runs without it: opens that fail get an in-memory database instead, and
  // nothing is kept after the page closes.
  var storageDenied = "";

  function denyStorage(reason) {
    if (storageDenied) return;
    storageDenied = String(reason || "storage is denied");
    document.documentElement.dataset.storage = "memory";
    console.info(
      "This page may not use the browser's storage (" + storageDenied + "): " +
        "it runs without it; nothing is cached between visits."
    );
  }

  // A request that answers on a later task, as IndexedDB's do: the caller
  // sets onsuccess / onerror after the call returns.
  function answer(result) {
    var request = { result: result, error: null, readyState: "pending" };
    setTimeout(function () {
      request.readyState = "done";
      if (request.onsuccess) request.onsuccess({ type: "success", target: request });
    }, 0);
    return request;
  }

  // The subset of IndexedDB that PyScript's IDBMap uses: one object store
  // per database, keys and values in a Map.
  var memoryDatabases = {};
  function memoryDatabase(name) {
    var entries = memoryDatabases[name] || (memoryDatabases[name] = new Map());
    var store = {
      count: function () { return answer(entries.size); },
      clear: function () { entries.clear(); return answer(undefined); },
      delete: function (key) { entries.delete(key); return answer(undefined); },
      get: function (key) { return answer(entries.get(key)); },
      getKey: function (key) { return answer(entries.has(key) ? key : undefined); },
      getAllKeys: function () { return answer(Array.from(entries.keys())); },
      put: function (value, key) { entries.set(key, value); return answer(key); },
    };
    return {
      name: name,
      objectStoreNames: { length: 1, contains: function () { return true; } },
      createObjectStore: function () { return store; },
      transaction: function () { return { objectStore: function () { return store; } }; },
      close: function () {},
    };
  }

  function checkStorage() {
    var factory = null;
    try {
      factory = window.indexedDB;
      void window.localStorage; // throws where site data are blocked
    } catch (err) {
      denyStorage(err && err.message);
    }
    if (!factory) denyStorage(storageDenied || "this browser has no IndexedDB");
    var open = function (name, version) {
      if (!storageDenied) {
        try {
          var request = factory.open(name, version);
          // a denial may come as the request's error: registered before the
          // caller's onerror, this listener answers with memory instead
          request.addEventListener("error", function (event) {
            denyStorage(request.error && request.error.message);
            event.stopImmediatePropagation();
            event.preventDefault();
            if (request.onsuccess) {
              request.onsuccess({ type: "success", target: { result: memoryDatabase(name) } });
            }
          });
          return request;
        } catch (err) {
          denyStorage(err && err.message);
        }
      }
      return answer(memoryDatabase(name));
    };
    var shim = factory ? Object.create(factory) : {};
    shim.open = open;
    ["deleteDatabase", "cmp", "databases"].forEach(function (method) {
      if (factory && typeof factory[method] === "function") {
        shim[method] = factory[method].bind(factory);
      }
    });
    try {
      Object.defineProperty(window, "indexedDB", { value: shim, configurable: true });
    } catch (err) {
      console.warn("IndexedDB could not be wrapped:", err);
    }
  }
  checkStorage();

  function loading() {
    return document.body && document.body.dataset.status === "loading";
  }

  function show(text, kind, detail) {
    var el = document.getElementById("message");
    if (!el) return;
    el.textContent = text;
    el.dataset.kind = kind;
    if (kind === "error") el.setAttribute("role", "alert");
    var progress = document.getElementById("load-progress");
    if (progress && kind === "error") progress.hidden = true;
    if (detail) {
      var box = document.getElementById("message-details");
      var pre = document.getElementById("message-detail");
      if (box && pre) {
        pre.textContent = String(detail);
        box.hidden = false;
      }
    }
  }

  function fail(what, detail, hint) {
    if (!loading()) return;
    document.body.dataset.status = "error";
    // the first picture stood for a start that is not happening
    if (document.documentElement.dataset.firstPicture === "shown") {
      document.documentElement.dataset.firstPicture = "off";
    }
    var text = what + " " + (hint === undefined ? offlineHint : hint);
    if (storageDenied && hint !== STORAGE_HINT) {
      text += " " + STORAGE_HINT;
    }
    show(text.trim(), "error", detail);
  }

  var CSP_HINT =
    "The page's host must allow them (or embed the page without its own policy).";
  var STORAGE_HINT =
    "This browser also denies the page its storage (a sandboxed frame or " +
    "blocked site data); the page tries to run without it.";

  // Say what a start-up error means, in plain words (false if it is not one the
  // page knows): the site's Content-Security-Policy, a runtime file missing
  // on the server, the network, or the browser's storage.
  function explain(text) {
    if (/unsafe-eval|Content.Security.Policy|EvalError/i.test(text)) {
      fail(
        "This site's Content-Security-Policy forbids what Python in the browser " +
          "needs ('unsafe-eval' and 'wasm-unsafe-eval' in script-src).",
        text,
        CSP_HINT
      );
    } else if (/status code is not ok|\b404\b|not found/i.test(text)) {
      fail(
        "A file of the Python runtime is missing on the server (the WebAssembly " +
          "runtime or one of its files): the site was not deployed whole.",
        text,
        "Rebuild and redeploy it with `python build.py --vendor`."
      );
    } else if (/failed to fetch|NetworkError|network|load failed/i.test(text)) {
      fail(
        "A file the page needs could not be downloaded: the network failed " +
          "while Python was starting. Reload the page to try again.",
        text
      );
    } else if (/Indexed.?DB|IDBFactory|IDBOpenDBRequest|localStorage/i.test(text)) {
      fail(
        "The browser denies this page its storage (IndexedDB), and the runtime " +
          "could not start without it.",
        text,
        STORAGE_HINT
      );
    } else {
      return false;
    }
    return true;
  }

  function describe(url) {
    if (/pyodide/i.test(url)) return "The Python runtime (Pyodide) could not be loaded";
    if (/pyscript|core\.(js|css)/i.test(url)) return "PyScript could not be loaded";
    return "A file the page needs could not be loaded";
  }

  // Resource errors (script/link elements) do not bubble: catch them early.
  window.addEventListener(
    "error",
    function (event) {
      var target = event.target;
      if (target && target !== window && (target.src || target.href)) {
        var url = target.src || target.href;
        if (/\.(m?js|css)(\?|$)/.test(url)) fail(describe(url) + " (" + url + ").", url);
        return;
      }
      if (event.error || event.message) {
        var text = String(event.message || event.error);
        if (explain(text)) return;
        if (/pyodide|pyscript|interpreter|import/i.test(text)) {
          fail("The Python runtime failed to start.", text);
        }
      }
    },
    true
  );

  // PyScript reports a failed interpreter import as an unhandled rejection.
  window.addEventListener("unhandledrejection", function (event) {
    var reason = event.reason;
    var text = reason && reason.message ? reason.message : String(reason);
    if (explain(text)) return;
    if (!/pyodide|pyscript|interpreter|import|fetch|module/i.test(text)) return;
    var match = /(https?:\/\/\S+|\.\/\S+)/.exec(text);
    fail(
      (match ? describe(match[1]) : "The Python runtime failed to start") + ".",
      text
    );
  });

  // A policy that forbids eval (PyScript builds functions with Function())
  // or WebAssembly compilation: the browser says so here at once.
  document.addEventListener("securitypolicyviolation", function (event) {
    var blocked = String(event.blockedURI || "");
    var runtime = /pyodide|pyscript|core[-.]/i;
    if (
      ((blocked === "eval" || blocked === "wasm-eval") &&
        runtime.test(String(event.sourceFile || ""))) ||
      runtime.test(blocked)
    ) {
      explain(
        "Content-Security-Policy: " + event.effectiveDirective + " blocks " +
          blocked + " (" + event.originalPolicy + ")"
      );
    }
  });

  // Pyodide logs a failed WebAssembly start and then waits for ever: the
  // failure is read here instead, where the runtime is compiled.
  function watchWasm(name) {
    var original = window.WebAssembly && WebAssembly[name];
    if (typeof original !== "function") return;
    WebAssembly[name] = function () {
      var result = original.apply(WebAssembly, arguments);
      result.catch(function (err) {
        var text = String(err);
        if (!explain(text)) fail("The Python runtime (WebAssembly) failed to start.", text);
      });
      return result;
    };
  }
  watchWasm("instantiateStreaming");
  watchWasm("compileStreaming");

  // Progress while Python starts: the build preloads the runtime's files;
  // each one that arrives moves the bar. A determinate bar: an indeterminate one repaints every frame,
  // which WebKit painting on the CPU pays for with the main thread.
  var DOWNLOADED = 80; // the bar's value (of 100) once every file is in
  var pythonUp = false;
  var expected = {};
  var arrived = 0;
  var wanted = 0;

  function setProgress(value) {
    var progress = document.getElementById("load-progress");
    if (progress) progress.value = Math.max(progress.value, value);
  }

  function downloading() {
    if (!loading() || pythonUp || wanted === 0) return;
    setProgress(2 + ((DOWNLOADED - 2) * arrived) / wanted);
    var text =
      arrived < wanted
        ? "Starting Python: downloading the runtime (" + arrived + " of " +
          wanted + " files)…"
        : "Starting Python: setting up the runtime, numpy and the simulator…";
    show(text, "info");
  }

  // the hints are read once the page is parsed (buffered: files that arrived
  // before count too)
  function followDownloads() {
    Array.prototype.forEach.call(
      document.querySelectorAll('link[rel="preload"], link[rel="modulepreload"]'),
      function (link) {
        expected[link.href] = true;
        wanted += 1;
      }
    );
    if (wanted === 0 || !("PerformanceObserver" in window)) return;
    try {
      new PerformanceObserver(function (list) {
        list.getEntries().forEach(function (entry) {
          if (expected[entry.name]) {
            delete expected[entry.name];
            arrived += 1;
          }
        });
        downloading();
      }).observe({ type: "resource", buffered: true });
    } catch (err) {
      // an engine without resource entries: the message stays as it is
    }
  }
  document.addEventListener("DOMContentLoaded", followDownloads);

  function started() {
    pythonUp = true;
    if (!loading()) return;
    show("Python started; setting up the simulator…", "info");
    setProgress(DOWNLOADED + 5);
  }
  window.addEventListener("py:ready", started);
  document.addEventListener("py:ready", started);

  document.addEventListener("DOMContentLoaded", function () {
    if (!online) {
      fail(
        "This page was opened from a file, and browsers do not let it load its " +
          "Python runtime that way. Serve it with `python build.py serve`."
      );
      return;
    }
    setTimeout(function () {
      if (loading()) {
        show(
          "Still loading the Python runtime after " + SLOW_MS / 1000 + " s. A slow " +
            "connection may need more time. " + offlineHint,
          "warn"
        );
      }
    }, SLOW_MS);
  });

  // The self-contained build caches itself for use with no network after the
  // first visit. Register only once the page is up, so the copy does not
  // compete with the first load for bandwidth. The worker installs a new
  // deploy only once all of it has arrived, then takes over: a page it did
  // not start from says that a reload brings the new version.
  var workers = null;
  var hadWorker = false;
  if (online && !storageDenied) {
    try {
      workers = "serviceWorker" in navigator ? navigator.serviceWorker : null;
      hadWorker = Boolean(workers && workers.controller);
    } catch (err) {
      workers = null; // a sandboxed frame: no service worker there
    }
  }
  if (workers) {
    workers.addEventListener("controllerchange", function () {
      if (hadWorker) newVersionReady();
    });
  }

  function newVersionReady() {
    document.documentElement.dataset.update = "ready";
    if (document.readyState === "loading") {
      document.addEventListener("DOMContentLoaded", newVersionReady);
      return;
    }
    var panel = document.querySelector(".status-panel");
    if (!panel || document.getElementById("update-notice")) return;
    var note = document.createElement("p");
    note.id = "update-notice";
    note.className = "update-notice";
    note.setAttribute("role", "status");
    var reload = document.createElement("button");
    reload.type = "button";
    reload.textContent = "reload to update";
    reload.addEventListener("click", function () {
      location.reload();
    });
    note.append("A new version is ready: ", reload, ".");
    var line = panel.querySelector(".status-line");
    panel.insertBefore(note, line ? line.nextSibling : panel.firstChild);
  }

  function registerOfflineCopy() {
    var meta = document.querySelector('meta[name="emgmm-service-worker"]');
    if (!meta || !workers) return;
    workers
      .register(meta.content)
      .then(function (registration) {
        // ask for a new deploy now and every half hour while the page is
        // open (offline: the current copy stays)
        var check = function () {
          registration.update().catch(function () {});
        };
        check();
        setInterval(check, UPDATE_CHECK_MS);
        return workers.ready;
      })
      .then(function () {
        document.body.dataset.offline = "ready";
      })
      .catch(function (err) {
        console.warn("The offline copy could not be installed:", err);
      });
  }
  var waitForPage = setInterval(function () {
    if (document.body && !loading()) {
      clearInterval(waitForPage);
      registerOfflineCopy();
    }
  }, 500);
})();
