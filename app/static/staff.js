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
  function recount() {
    Array.prototype.forEach.call(board.querySelectorAll("[data-count]"), function (count) {
      count.textContent = count.closest("[data-zone]").querySelectorAll(".board-card").length;
    });
  }

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
    var card = dragged, target = zone.dataset.target;
    var token = card.querySelector("input[name=csrf_token]").value;
    var body = new FormData();
    body.append("csrf_token", token);
    body.append("to", target);
    fetch(card.dataset.moveUrl, {
      method: "POST", body: body, credentials: "same-origin",
      headers: { "Accept": "application/json", "X-CSRFToken": token }
    }).then(function (response) {
      if (!response.ok) { throw new Error(response.status); }
      board.querySelector('[data-cards="' + target + '"]').appendChild(card);
      card.querySelector("select[name=to]").value = target;
      recount();
    }).catch(function () { window.location.reload(); });
  });

  // Back from a card's own move form: carry on from that card's list, by keyboard (after the
  // browser's own jump to the #anchor, which would take the focus away again).
  window.addEventListener("load", function () {
    var card = /^#idea-/.test(window.location.hash) && document.getElementById(window.location.hash.slice(1));
    if (card) { card.querySelector("select[name=to]").focus(); }
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
