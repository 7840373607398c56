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

  // The fields typed into on this page: an autosave reports problems only for those.
  function touch(field) {
    var touched = document.getElementById("field-touched");
    if (!touched || !field.name || field.type === "hidden") return;
    var names = touched.value ? touched.value.split(" ") : [];
    if (names.indexOf(field.name) === -1) {
      names.push(field.name);
      touched.value = names.join(" ");
    }
  }

  document.addEventListener("input", function (event) {
    if (event.target && event.target.form && event.target.form.id === "step-form") {
      dirty = true;
      touch(event.target);
    }
  });
  document.addEventListener("change", function (event) {
    if (event.target && event.target.form && event.target.form.id === "step-form") touch(event.target);
  });
  document.addEventListener("submit", function () { dirty = false; });

  // An autosave answers with each field's messages only: a field's red border and aria-invalid
  // follow its messages, so a corrected field stops looking wrong.
  function markFields() {
    var lists = document.querySelectorAll("#step-form .field-errors");
    for (var i = 0; i < lists.length; i++) {
      var wrong = lists[i].textContent.trim() !== "";
      var id = lists[i].id.replace(/-errors$/, "");
      var wrap = document.getElementById(id + "-wrap");
      if (wrap) wrap.classList.toggle("field--error", wrong);
      var input = document.getElementById(id);
      if (input) {
        if (wrong) input.setAttribute("aria-invalid", "true");
        else input.removeAttribute("aria-invalid");
      }
    }
  }

  document.addEventListener("htmx:afterSettle", function (event) {
    if (isAutosave(event)) markFields();
  });

  document.addEventListener("htmx:afterRequest", function (event) {
    if (!isAutosave(event)) return;
    markFields();
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

/* The preview shows what an answer changed: the preview pane scrolls to the first clause the change
   added or changed, and on small screens, where the preview sits below the questions, the save bar
   links to it. */
(function () {
  "use strict";

  function scrollsItself(element) {
    var overflow = window.getComputedStyle(element).overflowY;
    return (overflow === "auto" || overflow === "scroll") && element.scrollHeight > element.clientHeight;
  }

  function headHeight(preview) {
    var head = preview.querySelector(".preview-head");
    return head && window.getComputedStyle(head).position === "sticky" ? head.offsetHeight : 0;
  }

  function noteBesideForm(preview) {
    var note = document.getElementById("footer-changes");
    if (!note) return;
    var title = preview.querySelector(".preview-changes-title");
    var links = preview.querySelectorAll(".changed-clause-link");
    note.textContent = "";
    if (!title) {
      note.hidden = true;
      return;
    }
    note.appendChild(document.createTextNode(title.textContent + " "));
    if (links.length) {
      var link = document.createElement("a");
      link.href = links[0].getAttribute("href");
      link.textContent = "Show " + links[0].textContent;
      note.appendChild(link);
    }
    note.hidden = false;
  }

  function revealChange() {
    var preview = document.getElementById("preview");
    var pane = document.getElementById("preview-pane");
    if (!preview || !pane) return;
    pane.style.scrollPaddingTop = headHeight(preview) + 8 + "px";
    noteBesideForm(preview);
    var first = preview.querySelector(".clause--changed, .clause--added");
    if (!first || !scrollsItself(pane)) return;
    var offset = first.getBoundingClientRect().top - pane.getBoundingClientRect().top;
    pane.scrollTop += offset - headHeight(preview) - 8;
  }

  document.addEventListener("htmx:afterSettle", function (event) {
    var elt = event.detail && event.detail.elt;
    if (elt && (elt.id === "preview-pane" || elt.id === "preview")) revealChange();
  });
})();

/* The sticky save bar never covers the element that has focus (WCAG 2.2, 2.4.11 Focus Not
   Obscured): the page keeps a bottom scroll padding as tall as the bar, and whatever still ends up
   under the bar when it takes focus is scrolled clear of it. */
(function () {
  "use strict";

  function bar() {
    return document.querySelector(".step-footer");
  }

  function keepPadding() {
    var footer = bar();
    document.documentElement.style.scrollPaddingBottom = footer ? footer.offsetHeight + 12 + "px" : "";
  }

  document.addEventListener("focusin", function (event) {
    var footer = bar();
    var target = event.target;
    if (!footer || !target || footer.contains(target) || !target.getBoundingClientRect) return;
    var box = target.getBoundingClientRect();
    var cover = footer.getBoundingClientRect();
    var overlaps = box.bottom > cover.top && box.top < cover.bottom && box.right > cover.left && box.left < cover.right;
    if (overlaps) window.scrollBy(0, box.bottom - cover.top + 12);
  });
  document.addEventListener("DOMContentLoaded", keepPadding);
  document.addEventListener("htmx:afterSettle", keepPadding);
  window.addEventListener("resize", keepPadding);
})();

/* Downloads can take a few seconds (a PDF is laid out on request): a click on an export link says
   so beside the link until the browser has had time to start the download. */
(function () {
  "use strict";

  document.addEventListener("click", function (event) {
    var link = event.target && event.target.closest ? event.target.closest(".export-list a[download]") : null;
    if (!link || link.getAttribute("aria-busy") === "true") return;
    link.setAttribute("aria-busy", "true");
    link.classList.add("is-busy");
    var note = document.createElement("span");
    note.className = "busy-note";
    note.textContent = " Preparing…";
    link.appendChild(note);
    window.setTimeout(function () {
      link.removeAttribute("aria-busy");
      link.classList.remove("is-busy");
      note.remove();
    }, 4000);
  });
})();
