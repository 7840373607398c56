/* The little the page needs beyond htmx: focus after swaps, the autosave status and its retries. */
(function () {
  "use strict";

  var retryDelay = 2000;
  var retryTimer = null;
  var dirty = false;

  function setStatus(text) {
    var status = document.getElementById("save-status");
    if (status) status.textContent = text;
  }

  function scheduleRetry() {
    if (retryTimer) return;
    setStatus("Not saved — retrying");
    retryTimer = window.setTimeout(function () {
      retryTimer = null;
      var autosave = document.getElementById("autosave");
      if (autosave && window.htmx) window.htmx.trigger(autosave, "lb:retry");
    }, retryDelay);
    retryDelay = Math.min(retryDelay * 2, 30000);
  }

  function isAutosave(event) {
    return event.detail && event.detail.elt && event.detail.elt.id === "autosave";
  }

  // After a step is swapped in, move focus where a keyboard or screen-reader user needs it.
  document.addEventListener("htmx:afterSettle", function (event) {
    if (!event.target || event.target.id !== "wizard") return;
    var target = document.getElementById("error-summary") ||
      document.getElementById("conflict") ||
      document.getElementById("step-heading");
    if (target) target.focus();
  });

  document.addEventListener("input", function (event) {
    if (event.target && event.target.form && event.target.form.id === "step-form") dirty = true;
  });
  document.addEventListener("submit", function () { dirty = false; });

  document.addEventListener("htmx:afterRequest", function (event) {
    if (!isAutosave(event)) return;
    if (event.detail.successful) {
      retryDelay = 2000;
      dirty = false;
    } else {
      scheduleRetry();
    }
  });
  ["htmx:sendError", "htmx:timeout", "htmx:responseError"].forEach(function (name) {
    document.addEventListener(name, function (event) { if (isAutosave(event)) scheduleRetry(); });
  });

  // Typing not yet autosaved: ask before the page is left.
  window.addEventListener("beforeunload", function (event) {
    if (dirty && document.getElementById("autosave")) {
      event.preventDefault();
      event.returnValue = "";
    }
  });
})();
