// Staff pages only (base.html links it for logged-in staff): drag and drop on the board and the
// goal tree, each beside a keyboard path that works without it.

// Colours of action fields and depths in the goal tree come as data attributes, since the
// Content-Security-Policy allows no style attributes; they become CSS custom properties here.
(function () {
  "use strict";
  Array.prototype.forEach.call(document.querySelectorAll("[data-field-colour]"), function (node) {
    node.style.setProperty("--field-colour", node.dataset.fieldColour);
  });
  Array.prototype.forEach.call(document.querySelectorAll("[data-depth]"), function (node) {
    node.style.setProperty("--depth", node.dataset.depth);
  });
})();

// The organisers' board (#board): drag a card onto a column or cluster. The drop sends the same
// move form as the card's own button (which works without this), then moves the card in the page.
(function () {
  "use strict";
  var board = document.getElementById("board");
  if (!board) { return; }
  var dragged = null;

  function zoneOf(node) { return node && node.closest ? node.closest("[data-target]") : null; }
  function unmark() {
    var marked = board.querySelectorAll(".board-drop");
    for (var i = 0; i < marked.length; i++) { marked[i].classList.remove("board-drop"); }
  }
  // The counts are the server's (a list may show only its first cards): a move adds and subtracts.
  function shift(card, step) {
    var zone = card.parentNode && card.parentNode.closest("[data-zone]");
    while (zone) {
      var count = zone.querySelector("[data-count]");
      if (count) { count.textContent = Number(count.textContent) + step; }
      zone = zone.parentNode && zone.parentNode.closest("[data-zone]");
    }
  }
  // "Show more": the next cards of that list, in place; a list about to run out loads them itself.
  function loadMore(item) {
    if (!item || item.dataset.loading) { return Promise.resolve(); }
    item.dataset.loading = "1";
    return fetch(item.dataset.moreUrl, { credentials: "same-origin" })
      .then(function (response) { if (!response.ok) { throw new Error(response.status); } return response.text(); })
      .then(function (html) {
        var fresh = document.createElement("template");
        fresh.innerHTML = html;
        item.replaceWith(fresh.content);
      })
      .catch(function () { delete item.dataset.loading; });
  }
  function topUp(list) {
    if (list && list.querySelectorAll(".board-card").length < 10) { loadMore(list.querySelector("[data-more-url]")); }
  }
  board.addEventListener("click", function (event) {
    var item = event.target.closest && event.target.closest("[data-more-url]");
    if (!item || !event.target.closest("a")) { return; }
    event.preventDefault();
    loadMore(item);
  });

  board.addEventListener("dragstart", function (event) {
    dragged = event.target.closest ? event.target.closest("[data-move-url]") : null;
    if (!dragged) { return; }
    event.dataTransfer.effectAllowed = "move";
    event.dataTransfer.setData("text/plain", dragged.id);
    dragged.classList.add("dragging");
  });
  board.addEventListener("dragend", function () {
    if (dragged) { dragged.classList.remove("dragging"); }
    dragged = null;
    unmark();
  });
  board.addEventListener("dragover", function (event) {
    var zone = dragged && zoneOf(event.target);
    if (!zone) { return; }
    event.preventDefault();
    event.dataTransfer.dropEffect = "move";
    if (!zone.classList.contains("board-drop")) { unmark(); zone.classList.add("board-drop"); }
  });
  board.addEventListener("drop", function (event) {
    var zone = dragged && zoneOf(event.target);
    if (!zone) { return; }
    event.preventDefault();
    move(dragged, zone.dataset.target);  // as the keys and the card's own form do
  });

  // Back from a card's own form without script: carry on from that card, by keyboard (after the
  // browser's own jump to the #anchor, which would take the focus away again).
  window.addEventListener("load", function () {
    var card = /^#idea-/.test(window.location.hash) && document.getElementById(window.location.hash.slice(1));
    if (card) { focusCard(card); }
  });

  // Keyboard first, no reloads: the cards are one roving tab stop; arrows go between cards and
  // columns, a digit moves the card to that field (the digit stands at the column), a/r accept or
  // reject its suggestion, space ticks it, m merges the ticked, ? shows the keys. The card's own
  // forms (move, suggestion) are sent the same way; the board says what happened (#board-status).
  var rtl = document.documentElement.dir === "rtl";

  function columnsNow() { return Array.prototype.slice.call(board.querySelectorAll(".board-column")); }
  function say(kind, place) {
    var status = document.getElementById("board-status");
    if (status) { status.textContent = (status.dataset[kind] || "").replace("{place}", place || ""); }
  }
  function cardsOf(column) { return Array.prototype.slice.call(column.querySelectorAll(".board-card")); }
  function focusCard(card) {
    if (!card) { return; }
    Array.prototype.forEach.call(board.querySelectorAll('.board-card[tabindex="0"]'), function (other) {
      other.tabIndex = -1;
    });
    card.tabIndex = 0;
    card.focus();
  }
  function placeName(target) {
    var heading = document.getElementById("heading-" + target) || document.querySelector('#cluster-' + target.replace("cluster-", "") + " h3 span");
    var name = heading && heading.querySelector ? heading.querySelector("span") || heading : heading;
    return name ? name.textContent.replace(/^\s*\d\s+/, "").trim() : target;
  }
  function post(url, fields) {
    var token = board.querySelector("input[name=csrf_token]").value;
    var body = new FormData();
    body.append("csrf_token", token);
    Object.keys(fields).forEach(function (key) { body.append(key, fields[key]); });
    return fetch(url, { method: "POST", body: body, credentials: "same-origin",
                        headers: { "Accept": "application/json", "X-CSRFToken": token } })
      .then(function (response) {
        if (!response.ok) { throw new Error(response.status); }
        return response.json();
      });
  }
  // Where the focus goes once a card leaves its column: the next card there, else the one before.
  function neighbourOf(card) {
    var cards = cardsOf(card.closest(".board-column")), index = cards.indexOf(card);
    return cards[index + 1] || cards[index - 1] || null;
  }
  function place(card, target, kind) {
    var list = board.querySelector('[data-cards="' + target + '"]');
    if (!list) { window.location.reload(); return; }
    var wasFocused = document.activeElement && card.contains(document.activeElement);
    var next = wasFocused ? neighbourOf(card) : null;
    var suggestion = card.querySelector("[data-suggestion]");
    if (target !== "unsorted" && suggestion) { suggestion.remove(); }
    var from = card.parentNode;
    shift(card, -1);
    list.insertBefore(card, list.querySelector(".board-more"));
    shift(card, 1);
    card.querySelector("select[name=to]").value = target;
    say(kind, placeName(target));
    if (wasFocused) { focusCard(next || card); }
    topUp(from);
  }
  function move(card, target) {
    if (!target || card.closest("[data-cards]").dataset.cards === target) { return; }
    post(card.dataset.moveUrl, { to: target }).then(function () { place(card, target, "moved"); })
      .catch(function () { say("failed"); });
  }
  function decide(card, which, runnerUp) {
    var form = card.querySelector(which === "accept" ? "[data-accept]" : "[data-reject]");
    if (!form) { return; }
    post(form.action, runnerUp ? { choice: "runner_up" } : {}).then(function (answer) {
      if (which === "accept") { place(card, answer.target, "accepted"); return; }
      form.closest("[data-suggestion]").remove();
      say("rejected");
    }).catch(function () { say("failed"); });
  }

  board.addEventListener("submit", function (event) {
    var form = event.target, card = form.closest(".board-card");
    if (!card) { return; }
    event.preventDefault();
    if (form.classList.contains("board-move")) { move(card, form.elements.to.value); return; }
    var runnerUp = event.submitter && event.submitter.value === "runner_up";
    decide(card, form.hasAttribute("data-accept") ? "accept" : "reject", runnerUp);
  });
  board.addEventListener("focusin", function (event) {
    var card = event.target.closest && event.target.closest(".board-card");
    if (card && card.tabIndex !== 0) {
      Array.prototype.forEach.call(board.querySelectorAll('.board-card[tabindex="0"]'), function (other) { other.tabIndex = -1; });
      card.tabIndex = 0;
    }
  });
  board.addEventListener("keydown", function (event) {
    var card = event.target;
    if (!card.classList || !card.classList.contains("board-card") || event.altKey || event.ctrlKey || event.metaKey) { return; }
    var column = card.closest(".board-column"), cards = cardsOf(column), index = cards.indexOf(card);
    var key = event.key, columns = columnsNow(), help = document.getElementById("board-help");
    if (key === "ArrowDown" || key === "ArrowUp") {
      focusCard(cards[index + (key === "ArrowDown" ? 1 : -1)]);
    } else if (key === "ArrowLeft" || key === "ArrowRight") {
      var step = (key === "ArrowRight") !== rtl ? 1 : -1, at = columns.indexOf(column) + step;
      while (columns[at] && !cardsOf(columns[at]).length) { at += step; }
      if (columns[at]) { var there = cardsOf(columns[at]); focusCard(there[Math.min(index, there.length - 1)]); }
    } else if (/^[0-9]$/.test(key)) {
      var to = columns[Number(key)];
      if (to) { move(card, to.dataset.target); }
    } else if (key === "a" || key === "r") {
      decide(card, key === "a" ? "accept" : "reject", false);
    } else if (key === " ") {
      var tick = card.querySelector("input[name=selected]");
      tick.checked = !tick.checked;
      say(tick.checked ? "ticked" : "unticked");
    } else if (key === "m") {
      var keep = card.querySelector("input[name=target]"), merge = document.querySelector("[formaction$='/board/merge']");
      if (!keep || !merge) { return; }
      card.querySelector("input[name=selected]").checked = true;
      keep.checked = true;
      merge.click();
    } else if (key === "?" && help) {
      help.showModal();
    } else { return; }
    event.preventDefault();
  });
  function offerHelp() {
    var helpButton = document.querySelector("[data-board-help]");
    if (helpButton) { helpButton.hidden = false; }
    var first = board.querySelector(".board-card");
    if (first && !board.querySelector('.board-card[tabindex="0"]')) { first.tabIndex = 0; }
  }
  document.addEventListener("click", function (event) {
    var help = document.getElementById("board-help");
    if (help && event.target.closest && event.target.closest("[data-board-help]")) { help.showModal(); }
  });
  offerHelp();

  // The board's other forms (ticked ideas moved or merged, clusters made, renamed or dissolved, a
  // merge or an "accept all" undone) are sent by script too: the answer's page is swapped in around
  // the same board, and the columns' scroll, the sideways scroll and the focus stay where they were.
  var SWAPPED = /\/board\/(move|merge|merges\/[^/]+\/undo|fields\/\d+\/clusters|clusters\/\d+\/(rename|delete))(\?|$)|\/suggestions\/accept-all\/undo(\?|$)|\/candidates\/\d+\/adopt(\?|$)/;
  function swapIn(html) {
    var fresh = new DOMParser().parseFromString(html, "text/html");
    var freshMain = fresh.getElementById("main"), freshBoard = fresh.getElementById("board");
    var main = document.getElementById("main");
    if (!freshMain || !freshBoard || !main) { window.location.reload(); return; }
    var scrolls = columnsNow().map(function (column) { return [column.id, column.scrollTop]; });
    var sideways = board.scrollLeft, down = window.scrollY;
    var focused = document.activeElement && document.activeElement.id;
    var marker = fresh.createComment("board");
    freshBoard.replaceWith(marker);
    board.replaceChildren.apply(board, Array.prototype.slice.call(freshBoard.childNodes));
    main.replaceChildren.apply(main, Array.prototype.slice.call(freshMain.childNodes).map(function (node) {
      return node === marker ? board : node;
    }));
    Array.prototype.forEach.call(main.querySelectorAll("[data-field-colour]"), function (node) {
      node.style.setProperty("--field-colour", node.dataset.fieldColour);
    });
    scrolls.forEach(function (pair) {
      var column = document.getElementById(pair[0]);
      if (column) { column.scrollTop = pair[1]; }
    });
    board.scrollLeft = sideways;
    window.scrollTo(0, down);
    var again = focused && document.getElementById(focused);
    if (again) { again.focus({ preventScroll: true }); }
    offerHelp();
  }
  document.addEventListener("submit", function (event) {
    var form = event.target, submitter = event.submitter;
    var action = (submitter && submitter.getAttribute("formaction")) || form.action;
    if (event.defaultPrevented || form.method.toLowerCase() !== "post" || !SWAPPED.test(new URL(action, location.href).pathname)) { return; }
    event.preventDefault();
    fetch(action, { method: "POST", body: new FormData(form, submitter), credentials: "same-origin" })
      .then(function (response) { return response.text(); })
      .then(swapIn)
      .catch(function () { say("failed"); });
  });
})();

// The goal tree (#goal-tree): drag a node onto another one: on its upper edge to go before it, on
// its lower edge after it, on its middle under it. The drop sends the node's own move form (which
// works without this, by keyboard) and shows the tree again, renumbered.
(function () {
  "use strict";
  var tree = document.getElementById("goal-tree");
  if (!tree) { return; }
  var dragged = null, marked = null;

  function unmark() {
    if (marked) { marked.classList.remove("drop-before", "drop-after", "drop-inside"); }
    marked = null;
  }
  function placeOf(event) {
    var card = dragged && event.target.closest ? event.target.closest("[data-drop]") : null;
    if (!card || dragged.contains(card)) { return null; }
    var box = card.getBoundingClientRect(), y = (event.clientY - box.top) / box.height;
    var node = card.parentNode, parentNode = node.parentNode.closest(".goal-node");
    var where = y < 0.25 ? "before" : (y > 0.75 ? "after" : "inside");
    if (!parentNode) { where = "inside"; }  // nothing goes beside the Leitziel
    return { card: card, node: node, parentNode: parentNode, where: where };
  }
  function showError(message) {
    var notice = document.getElementById("goal-tree-error") || document.createElement("div");
    notice.id = "goal-tree-error";
    notice.className = "notice notice-error";
    notice.setAttribute("role", "alert");
    notice.textContent = message;
    tree.parentNode.insertBefore(notice, tree);
  }

  tree.addEventListener("dragstart", function (event) {
    dragged = event.target.closest ? event.target.closest("[data-move-url]") : null;
    if (!dragged) { return; }
    event.dataTransfer.effectAllowed = "move";
    event.dataTransfer.setData("text/plain", dragged.id);
    dragged.classList.add("dragging");
  });
  tree.addEventListener("dragend", function () {
    if (dragged) { dragged.classList.remove("dragging"); }
    dragged = null;
    unmark();
  });
  tree.addEventListener("dragover", function (event) {
    var place = placeOf(event);
    if (!place) { unmark(); return; }
    event.preventDefault();
    event.dataTransfer.dropEffect = "move";
    unmark();
    marked = place.card;
    marked.classList.add("drop-" + place.where);
  });
  tree.addEventListener("drop", function (event) {
    var place = placeOf(event), node = dragged;
    unmark();
    if (!place) { return; }
    event.preventDefault();
    var parent, position = "";
    if (place.where === "inside") {
      parent = place.card.dataset.drop;
    } else {
      parent = place.parentNode.querySelector(":scope > [data-drop]").dataset.drop;
      var siblings = Array.prototype.filter.call(place.node.parentNode.children, function (li) { return li !== node; });
      position = siblings.indexOf(place.node) + (place.where === "after" ? 1 : 0);
    }
    var token = node.querySelector("input[name=csrf_token]").value;
    var body = new FormData();
    body.append("csrf_token", token);
    body.append("parent", parent);
    body.append("position", position);
    fetch(node.dataset.moveUrl, {
      method: "POST", body: body, credentials: "same-origin",
      headers: { "Accept": "application/json", "X-CSRFToken": token }
    }).then(function (response) {
      return response.json().then(function (data) {
        if (!response.ok) { showError(data.error || response.status); return; }
        window.location.hash = node.id;
        window.location.reload();
      });
    }).catch(function () { window.location.reload(); });
  });
})();
