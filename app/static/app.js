// Small progressive enhancements; every core flow works without this file.
(function () {
  "use strict";

  // A double tap must not send a plain form twice (the idea form has its own outbox below).
  document.addEventListener("submit", function (event) {
    var form = event.target;
    if (form.id === "idea-form" || form.dataset.vote || form.dataset.undoable) { return; }  // sent by script
    if (form.dataset.submitted) { event.preventDefault(); return; }
    form.dataset.submitted = "1";
    setTimeout(function () { delete form.dataset.submitted; }, 4000);
  });

  // Live pages (participant's table, moderator console, projector) poll a small JSON with an
  // ETag; when the revision moves they fetch one HTML fragment and swap its sections in by id.
  // A phone's JSON names the shared fragment of its view (fragment_url), the same for everyone at
  // its table; onSwap then puts the phone's own marks back in.
  var clockOffset = 0; // server time minus this device's time, in ms
  var PAGE_MS = 10000; // how long the projector shows one page of the rotation plan

  function pad(n) { return (n < 10 ? "0" : "") + n; }

  function tick() {
    var clocks = document.querySelectorAll("time[data-ends-at]");
    for (var i = 0; i < clocks.length; i++) {
      var clock = clocks[i];
      if (!clock.dataset.endsAt) { continue; }
      var left = Math.max(0, Math.round((Date.parse(clock.dataset.endsAt) - Date.now() - clockOffset) / 1000));
      clock.textContent = left === 0 ? clock.dataset.timeUp : Math.floor(left / 60) + ":" + pad(left % 60);
    }
    // The projector's rotation plan turns its pages by the clock, so a swapped-in plan keeps step.
    var paged = document.querySelectorAll("[data-pages]");
    for (var k = 0; k < paged.length; k++) {
      var pages = paged[k].children;
      var shown = Math.floor((Date.now() + clockOffset) / PAGE_MS) % pages.length;
      for (var m = 0; m < pages.length; m++) { pages[m].hidden = m !== shown; }
    }
    // Offers that lapse (the console's undo) go when they do, not at the next change.
    var lapsing = document.querySelectorAll("[data-hidden-at]");
    for (var j = 0; j < lapsing.length; j++) {
      if (Date.now() + clockOffset > Date.parse(lapsing[j].dataset.hiddenAt)) { lapsing[j].hidden = true; }
    }
  }

  function startLive(root, onState, onSwap) {
    var etag = null;
    var interval = Number(root.dataset.pollMs) || 3000;
    var revisionNode = document.getElementById("round-info");
    var revision = revisionNode ? (revisionNode.dataset.view || Number(revisionNode.dataset.revision)) : null;

    function refresh(url) {
      return fetch(url || root.dataset.fragmentUrl, { credentials: "same-origin", cache: "no-store" })
        .then(function (response) { return response.ok ? response.text() : null; })
        .then(function (html) {
          if (html === null) { return; }
          var fresh = document.createElement("template");
          fresh.innerHTML = html;
          // Copy the list first: moving a node out of the template shrinks the live collection.
          Array.prototype.slice.call(fresh.content.children).forEach(function (section) {
            var old = section.id && document.getElementById(section.id);
            if (old) { old.replaceWith(section); }
          });
          tick();
          if (onSwap) { onSwap(); }
        })
        .catch(function () {});
    }

    function poll() {
      var headers = { "Accept": "application/json" };
      if (etag) { headers["If-None-Match"] = etag; }
      fetch(root.dataset.liveUrl, { headers: headers, credentials: "same-origin", cache: "no-store" })
        .then(function (response) {
          if (response.status === 304 || !response.ok) { return null; }
          etag = response.headers.get("ETag");
          return response.json();
        })
        .then(function (state) {
          if (!state) { return; }
          if (state.server_time) { clockOffset = Date.parse(state.server_time) - Date.now(); }
          if (onState && onState(state) === false) { return; }
          var seen = state.fragment_url || state.revision;
          if (revision !== seen) { refresh(state.fragment_url); }
          revision = seen;
        })
        .catch(function () {})
        .then(function () { setTimeout(poll, document.hidden ? 5 * interval : interval); });
    }

    setInterval(tick, 1000);
    tick();
    poll();
    return { refresh: refresh };
  }

  var staffLive = document.getElementById("console") || document.getElementById("projector");
  if (staffLive) { startLive(staffLive); }

  // The vote page follows the moderator: it shows the buttons once the vote opens and the result
  // once it closes. Other people's dots change nothing here, so only a new vote state reloads it.
  var votePage = document.getElementById("vote-page");
  if (votePage) {
    startLive(votePage, function (state) {
      if (state.vote_state && state.vote_state !== votePage.dataset.voteState) { window.location.reload(); }
      return false;
    });
  }

  // A participant's "Löschen" waits a few seconds with "undo" in the idea's place, then sends;
  // leaving the page sends at once. Without script the form deletes straight away.
  var UNDO_DELETE_MS = 6000;
  var pendingDeletes = [];

  function sendDelete(entry, beacon) {
    clearTimeout(entry.timer);
    pendingDeletes = pendingDeletes.filter(function (other) { return other !== entry; });
    if (beacon) { navigator.sendBeacon(entry.form.action, new FormData(entry.form)); return; }
    entry.note.remove();
    fetch(entry.form.action, { method: "POST", body: new FormData(entry.form), credentials: "same-origin",
                               headers: { "Accept": "application/json" } })
      .then(function (response) { if (!response.ok) { throw new Error(response.status); } })
      .catch(function () { entry.item.hidden = false; });
  }

  document.addEventListener("submit", function (event) {
    var form = event.target;
    if (!form.dataset.undoable || !window.fetch || !navigator.sendBeacon) { return; }
    event.preventDefault();
    var item = form.closest("li") || form.parentNode;
    var note = document.createElement("p");
    note.className = "undo-note";
    note.setAttribute("role", "status");
    note.textContent = form.dataset.deletedLabel + " ";
    var undo = document.createElement("button");
    undo.type = "button";
    undo.className = "link-button";
    undo.textContent = form.dataset.undoLabel;
    note.appendChild(undo);
    item.hidden = true;
    item.parentNode.insertBefore(note, item.nextSibling);
    undo.focus();
    var entry = { form: form, item: item, note: note };
    entry.timer = setTimeout(function () { sendDelete(entry, false); }, UNDO_DELETE_MS);
    pendingDeletes.push(entry);
    undo.addEventListener("click", function () {
      clearTimeout(entry.timer);
      pendingDeletes = pendingDeletes.filter(function (other) { return other !== entry; });
      note.remove();
      item.hidden = false;
      var again = item.querySelector("button[type=submit]");
      if (again) { again.focus(); }
    });
  });
  window.addEventListener("pagehide", function () {
    pendingDeletes.slice().forEach(function (entry) { sendDelete(entry, true); });
  });

  // Copy buttons (the return link): shown where the script runs; the field stays selectable anyway.
  // The clipboard API needs HTTPS, which a venue's own server may not have: then the older way.
  Array.prototype.forEach.call(document.querySelectorAll("[data-copy]"), function (button) {
    var field = document.getElementById(button.dataset.copy);
    var status = button.parentNode.querySelector(".copy-status");
    button.hidden = false;
    button.addEventListener("click", function () {
      function copied() { if (status) { status.textContent = button.dataset.copied; } }
      function select() {
        field.select();
        try { if (document.execCommand("copy")) { copied(); } } catch (e) { /* left selected */ }
      }
      if (navigator.clipboard && window.isSecureContext) {
        navigator.clipboard.writeText(field.value).then(copied, select);
      } else { select(); }
    });
  });

  var page = document.getElementById("table-page");
  if (!page) { return; }
  var form = document.getElementById("idea-form");
  var tableNumber = null;
  var personal = null; // the latest live JSON: which ideas are this phone's own, whether it moved

  // The shared fragment marks nobody's ideas; mark this phone's own as the page does (the label,
  // and the delete form while the round is open), and show "please go to table N" if it moved.
  function markOwn() {
    var section = document.getElementById("table-ideas");
    var notice = document.querySelector("[data-moved-notice]");
    if (!personal) { return; }
    if (notice) { notice.hidden = !personal.moved; }
    if (!section || !personal.own) { return; }
    var tokenField = page.querySelector("input[name=csrf_token]");
    var list = section.querySelector("ul.ideas");
    // Own ideas first, the newest on top (the live JSON lists them oldest first), as the page does;
    // an item already in its place is not moved, so a focused button keeps its focus.
    if (list) {
      personal.own.slice().reverse().map(function (uuid) {
        return list.querySelector('li[data-idea="' + uuid + '"]');
      }).filter(Boolean).forEach(function (item, index) {
        if (list.children[index] !== item) { list.insertBefore(item, list.children[index] || null); }
      });
    }
    personal.own.forEach(function (uuid) {
      var item = section.querySelector('li[data-idea="' + uuid + '"]');
      if (!item || item.classList.contains("idea-own")) { return; }
      item.classList.add("idea-own");
      var meta = item.querySelector(".idea-meta");
      if (meta) { meta.textContent = section.dataset.ownLabel; }
      if (!section.dataset.deleteUrl) { return; }
      var remove = document.createElement("form");
      remove.method = "post";
      remove.action = section.dataset.deleteUrl.replace("00000000-0000-0000-0000-000000000000", uuid);
      remove.className = "inline-form";
      remove.dataset.undoable = "1";
      remove.dataset.deletedLabel = section.dataset.deletedLabel;
      remove.dataset.undoLabel = section.dataset.undoLabel;
      if (tokenField) {
        var token = document.createElement("input");
        token.type = "hidden";
        token.name = "csrf_token";
        token.value = tokenField.value;
        remove.appendChild(token);
      }
      var button = document.createElement("button");
      button.type = "submit";
      button.className = "link-button";
      button.textContent = section.dataset.deleteLabel;
      remove.appendChild(button);
      item.appendChild(remove);
    });
  }

  // Rotation moves a phone to another table: the heading comes with the live parts, the rest of
  // the page follows here, so a full hall does not reload its pages at once.
  function followTable() {
    var heading = document.getElementById("table-heading");
    var title = heading && heading.querySelector("h1");
    var select = document.getElementById("switch-table");
    if (!title || !heading.dataset.table) { return; }
    document.title = document.title.replace(/^[^\u2013]*\u2013/, title.textContent.trim() + " \u2013");
    if (select) { select.value = heading.dataset.table; }
  }

  var live = startLive(page, function (state) {
    var newTable = state.table ? state.table.number : null;
    // Sitting down for the first time, or no longer, changes the page around the live parts.
    if ((tableNumber !== null && newTable === null) || (state.accepting_ideas && !form)) {
      window.location.reload();
      return false;
    }
    tableNumber = newTable;
    if (form) {
      var hasError = form.querySelector("[aria-invalid]");
      form.hidden = !state.accepting_ideas && !hasError && !outbox().length;
      if (state.round) { form.elements.round_id.value = state.round.id; }
    }
    personal = state;
    markOwn();
    return true;
  }, function () { followTable(); markOwn(); });
  var refreshFragment = live.refresh;

  if (!form) { return; }

  // The outbox: an idea is kept on the phone until the server says it is stored.
  var textarea = form.elements.text;
  var statusLine = form.querySelector(".outbox-status");
  var outboxList = document.getElementById("outbox");
  var outboxKey = "wc-outbox-" + page.dataset.outbox;
  var draftKey = "wc-draft-" + page.dataset.outbox;
  var csrfToken = form.elements.csrf_token ? form.elements.csrf_token.value : "";
  var flushing = false;
  var holdUntil = 0; // after a 429 the outbox waits as long as Retry-After says, then sends again

  function outbox() {
    try { return JSON.parse(localStorage.getItem(outboxKey) || "[]"); } catch (e) { return []; }
  }

  function saveOutbox(items) {
    try { localStorage.setItem(outboxKey, JSON.stringify(items)); } catch (e) { /* private mode */ }
    outboxList.textContent = "";
    items.forEach(function (item) {
      var li = document.createElement("li");
      li.className = "idea idea-pending";
      var text = document.createElement("p");
      text.textContent = item.text;
      var note = document.createElement("p");
      note.className = "idea-meta muted";
      note.textContent = statusLine.dataset.waiting;
      li.appendChild(text);
      li.appendChild(note);
      outboxList.appendChild(li);
    });
  }

  function say(kind) { statusLine.textContent = statusLine.dataset[kind] || ""; }

  function newKey() {
    var bytes = new Uint8Array(16);
    (window.crypto || window.msCrypto).getRandomValues(bytes);
    return Array.prototype.map.call(bytes, function (b) { return (b < 16 ? "0" : "") + b.toString(16); }).join("");
  }

  function showError(message) {
    var field = textarea.closest(".field");
    var error = field.querySelector(".error-message");
    if (!error) {
      error = document.createElement("span");
      error.className = "error-message";
      error.id = "text-error";
      field.insertBefore(error, textarea);
    }
    error.textContent = message;
    statusLine.textContent = "";  // an earlier "saved" must not stand beside the error
    field.classList.add("field-error");
    textarea.setAttribute("aria-invalid", "true");
    textarea.focus();
  }

  function clearError() {
    var field = textarea.closest(".field");
    var error = field.querySelector(".error-message");
    if (error) { error.remove(); }
    field.classList.remove("field-error");
    textarea.removeAttribute("aria-invalid");
  }

  function freshToken() {
    return fetch(page.dataset.csrfUrl, { credentials: "same-origin", cache: "no-store" })
      .then(function (response) { return response.json(); })
      .then(function (data) { csrfToken = data.csrf_token; form.elements.csrf_token.value = csrfToken; });
  }

  // Resolves to "stored", "offline" (keep and retry later), "held" (too many at once: kept, sent
  // again after Retry-After) or {error: message} (refused for good).
  function send(item, retried) {
    var body = new FormData();
    body.append("csrf_token", csrfToken);
    body.append("text", item.text);
    body.append("key", item.key);
    body.append("round_id", item.round_id || "");
    return fetch(form.action, {
      method: "POST", body: body, credentials: "same-origin",
      headers: { "Accept": "application/json", "X-CSRFToken": csrfToken }
    }).then(function (response) {
      if (response.ok) { return "stored"; }
      if (response.status === 429) {
        var seconds = Number(response.headers.get("Retry-After")) || 10;
        holdUntil = Date.now() + seconds * 1000;
        setTimeout(flush, seconds * 1000 + 50);
        // The server's own words (the idea stays in the outbox); "offline" when it sent none.
        return response.json().then(function (data) {
          if (!data.error) { return "offline"; }
          statusLine.textContent = data.error;
          return "held";
        }, function () { return "offline"; });
      }
      if (response.status >= 500) { return "offline"; }
      return response.json().then(function (data) {
        // A token from a page left open for hours: fetch a fresh one and try once more.
        if (response.status === 400 && !retried) {
          return freshToken().then(function () { return send(item, true); }, function () { return "offline"; });
        }
        return { error: data.error };
      }, function () { return "offline"; });
    }, function () { return "offline"; });
  }

  function flush() {
    var items = outbox();
    if (flushing || !items.length || Date.now() < holdUntil) { return; }
    flushing = true;
    say("sending");
    var item = items[0];
    send(item, false).then(function (result) {
      flushing = false;
      if (result === "held") { return; }
      if (result === "offline") { say("offline"); return; }
      saveOutbox(outbox().filter(function (other) { return other.key !== item.key; }));
      if (result !== "stored") {
        // Refused (e.g. too long): the text goes back into the box, nothing is lost.
        textarea.value = textarea.value ? item.text + "\n" + textarea.value : item.text;
        showError(result.error);
        return;
      }
      say("saved");
      var returnLink = document.getElementById("return-link");
      if (returnLink) { returnLink.hidden = false; }  // offered from the first idea on
      refreshFragment();
      flush();
    });
  }

  form.addEventListener("submit", function (event) {
    event.preventDefault();
    if (!textarea.value.trim()) { showError(textarea.dataset.empty); return; }
    clearError();
    var items = outbox();
    items.push({ key: form.elements.key.value, text: textarea.value, round_id: form.elements.round_id.value });
    saveOutbox(items);
    textarea.value = "";
    try { localStorage.removeItem(draftKey); } catch (e) { /* private mode */ }
    form.elements.key.value = newKey();
    updateCounter();
    flush();
  });

  // A draft survives a reload, a dead battery or a closed tab.
  var counter = form.querySelector("[data-counter]");
  function updateCounter() {
    counter.textContent = counter.dataset.template
      .replace("{count}", textarea.value.length).replace("{max}", counter.dataset.max);
  }
  textarea.addEventListener("input", function () {
    try { localStorage.setItem(draftKey, textarea.value); } catch (e) { /* private mode */ }
    updateCounter();
  });
  try {
    var draft = localStorage.getItem(draftKey);
    if (draft && !textarea.value) { textarea.value = draft; }
  } catch (e) { /* private mode */ }
  updateCounter();
  saveOutbox(outbox());

  window.addEventListener("online", flush);
  setInterval(flush, 10000);
  flush();
})();

// The vote page: a dot goes out without reloading the page; the answer's numbers update the
// idea, the dots left and the buttons. Taps are sent one after another, in the order made. Where
// the script cannot send (no connection, an old page), the form goes out as a plain POST.
(function () {
  "use strict";
  var list = document.querySelector(".vote-ideas[data-template]");
  var left = document.getElementById("vote-left");
  if (!list || !left || !window.fetch) { return; }
  var max = Number(list.dataset.max);
  var queue = Promise.resolve();

  function fill(template, values) {
    return template.replace(/%\((\w+)\)d/g, function (_, name) { return values[name]; });
  }

  function show(idea, own, dotsLeft, total) {
    idea.dataset.own = own;
    idea.classList.toggle("idea-voted", own > 0);
    idea.querySelector(".vote-own-text").textContent = fill(list.dataset.template, { n: own, max: max });
    idea.querySelector(".vote-dots").textContent = new Array(own + 1).join("\u25CF") + new Array(max - own + 1).join("\u25CB");
    left.textContent = fill(left.dataset.template, { n: dotsLeft, total: total });
    Array.prototype.forEach.call(list.querySelectorAll("li[data-own]"), function (other) {
      other.querySelector("[data-vote=give] button").disabled = dotsLeft === 0 || Number(other.dataset.own) >= max;
      other.querySelector("[data-vote=take-back] button").disabled = Number(other.dataset.own) === 0;
    });
  }

  function complain(idea, message) {
    var notice = idea.querySelector(".notice-error") || document.createElement("p");
    notice.className = "notice notice-error";
    notice.setAttribute("role", "alert");
    notice.textContent = message;
    idea.insertBefore(notice, idea.querySelector(".vote-buttons"));
  }

  function send(form) {
    var idea = form.closest("li");
    var token = form.elements.csrf_token.value;
    var button = form.querySelector("button");
    var focused = document.activeElement === button;
    return fetch(form.action, {
      method: "POST", body: new FormData(form), credentials: "same-origin",
      headers: { "Accept": "application/json", "X-CSRFToken": token }
    }).then(function (response) {
      return response.json().then(function (data) {
        var old = idea.querySelector(".notice-error");
        if (old) { old.remove(); }
        if (!response.ok) { complain(idea, data.error || response.status); return; }
        show(idea, data.own_dots, data.dots_left, data.dots);
        // A button that can take no more keeps no focus: the idea's other button takes it.
        if (focused && button.disabled) {
          var other = idea.querySelector(".vote-buttons button:not(:disabled)");
          if (other) { other.focus(); }
        }
      });
    }).catch(function () { form.submit(); });
  }

  list.addEventListener("submit", function (event) {
    var form = event.target;
    if (!form.dataset.vote) { return; }
    event.preventDefault();
    queue = queue.then(function () { return send(form); });
  });
})();
