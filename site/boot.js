// Runs before PyScript, from <head>. It shows the build's first picture (the
// default run's final fit) while Python starts, when the link asks for the
// default settings; it tells how the start is going (which of the preloaded
// files have arrived, on the message and the progress bar); and if PyScript,
// Pyodide or the page's Python never start (offline with the CDN build,
// opened from file://, blocked by a proxy), it says so in plain words instead
// of leaving a page that never becomes usable. app/loader.py takes over the
// message area and replaces the picture once Python runs.
(function () {
  "use strict";
  var SLOW_MS = 45000;
  var online = location.protocol === "http:" || location.protocol === "https:";

  // The picture is of the default settings: a link with settings of its own
  // (or embed=1, lessons...) keeps the empty chart until Python draws it. Set
  // here, before the body is parsed, so the first paint already has it.
  if (document.querySelector('meta[name="emgmm-first-picture"]')) {
    document.documentElement.dataset.firstPicture =
      location.search.replace(/^\?/, "") === "" ? "shown" : "off";
  }
  var offlineHint =
    "If you are offline, build a self-contained copy with " +
    "`python build.py --vendor` and open it with `python build.py serve --vendor`.";

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

  function fail(what, detail) {
    if (!loading()) return;
    document.body.dataset.status = "error";
    // the first picture stood for a start that is not happening
    if (document.documentElement.dataset.firstPicture === "shown") {
      document.documentElement.dataset.firstPicture = "off";
    }
    show(what + " " + offlineHint, "error", detail);
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
    if (!/pyodide|pyscript|interpreter|import|fetch|module/i.test(text)) return;
    var match = /(https?:\/\/\S+|\.\/\S+)/.exec(text);
    fail(
      (match ? describe(match[1]) : "The Python runtime failed to start") + ".",
      text
    );
  });

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
  // compete with the first load for bandwidth.
  function registerOfflineCopy() {
    var meta = document.querySelector('meta[name="emgmm-service-worker"]');
    if (!meta || !online || !("serviceWorker" in navigator)) return;
    navigator.serviceWorker
      .register(meta.content)
      .then(function () {
        return navigator.serviceWorker.ready;
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
