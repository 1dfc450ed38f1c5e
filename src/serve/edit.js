// remiss serve: record, change and review positions from the preview's pages.
// Served only by the preview (never part of a built site). Every change is a POST to
// /_remiss/edit/position with the page's token; the server writes the statement's
// file and the live reload shows the result.
(function () {
  "use strict";
  var dataElement = document.getElementById("remiss-edit-data");
  var tokenElement = document.querySelector('meta[name="remiss-edit-token"]');
  if (!dataElement || !tokenElement) return;
  var data = JSON.parse(dataElement.textContent);
  var token = tokenElement.getAttribute("content");
  var strings = (data.strings && data.strings.edit) || {};
  var stances = (data.strings && data.strings.stance) || {};
  var STANCES = ["supports", "partly", "no-objection", "doubtful", "opposes"];

  function t(key) { return strings[key] || key; }

  function element(name, attributes, children) {
    var node = document.createElement(name);
    Object.keys(attributes || {}).forEach(function (key) {
      if (key === "text") node.textContent = attributes[key];
      else node.setAttribute(key, attributes[key]);
    });
    (children || []).forEach(function (child) { if (child) node.appendChild(child); });
    return node;
  }

  // Sends one edit; resolves with the server's answer, or shows why it was refused.
  function send(edit, status) {
    status.textContent = "";
    return fetch("/_remiss/edit/position", {
      method: "POST",
      headers: { "Content-Type": "application/json", "X-Remiss-Token": token },
      body: JSON.stringify(edit),
      credentials: "same-origin",
    }).then(function (response) {
      return response.json().then(function (answer) {
        if (response.ok) {
          status.textContent = t("saved");
          // The live reload follows the rebuild; this is for when it is not connected.
          setTimeout(function () { location.reload(); }, 3000);
          return answer;
        }
        status.textContent = t("failed") + " " + answer.error;
        if (response.status === 409) {
          var again = element("button", { type: "button", text: t("reload") });
          again.addEventListener("click", function () { location.reload(); });
          status.appendChild(document.createTextNode(" "));
          status.appendChild(again);
        }
        throw new Error(answer.error);
      });
    });
  }

  function stanceSelect(current, label) {
    var select = element("select", { "aria-label": label });
    STANCES.forEach(function (key) {
      var option = element("option", { value: key, text: stances[key] || key });
      if (key === current) option.selected = true;
      select.appendChild(option);
    });
    return select;
  }

  // Change, remove, accept, reject: controls for one existing position.
  function positionControls(position, statement, version, labelText) {
    var status = element("span", { role: "status", class: "remiss-edit-status" });
    var select = stanceSelect(position.stance, t("stance") + ": " + labelText);
    var change = element("button", { type: "button", text: t("change"), "data-action": "change" });
    var remove = element("button", { type: "button", text: t("remove"), "data-action": "remove" });
    var base = { statement: statement, proposal: position.proposal, version: version };
    function withBase(extra) { var edit = Object.assign({}, base); return Object.assign(edit, extra); }
    change.addEventListener("click", function () {
      send(withBase({ replace: position.proposal, stance: select.value }), status).catch(function () {});
    });
    remove.addEventListener("click", function () {
      if (!window.confirm(t("confirm_remove"))) return;
      send(withBase({ remove: true }), status).catch(function () {});
    });
    var controls = element("span", { class: "remiss-edit-controls" }, [select, change, remove]);
    if (position.suggested) {
      var accept = element("button", { type: "button", text: t("accept"), "data-action": "accept" });
      var reject = element("button", { type: "button", text: t("reject"), "data-action": "reject" });
      accept.addEventListener("click", function () { send(withBase({ accept: true }), status).catch(function () {}); });
      reject.addEventListener("click", function () { send(withBase({ reject: true }), status).catch(function () {}); });
      controls.insertBefore(element("span", { class: "remiss-suggested-label", text: t("suggested") }), select);
      controls.appendChild(accept);
      controls.appendChild(reject);
    }
    controls.appendChild(status);
    return controls;
  }

  // The dialog that records a position from a selection.
  function recordDialog(quote) {
    var addressed = {};
    (data.positions || []).forEach(function (position) { addressed[position.proposal] = true; });
    var dialog = element("dialog", { class: "remiss-edit-dialog", "aria-labelledby": "remiss-edit-title" });
    var form = element("form", { method: "dialog" });
    form.appendChild(element("h2", { id: "remiss-edit-title", text: t("dialog_title") }));
    form.appendChild(element("p", { class: "remiss-edit-label", text: t("quote") }));
    form.appendChild(element("blockquote", { class: "remiss-edit-quote" }, [element("p", { text: quote })]));

    var search = element("input", { type: "search", id: "remiss-edit-search", autocomplete: "off" });
    var list = element("select", { id: "remiss-edit-proposal", size: "8", required: "" });
    function fill() {
      var words = search.value.toLowerCase().split(/\s+/).filter(Boolean);
      list.textContent = "";
      var groups = [[t("addressed"), true], [t("others"), false]];
      groups.forEach(function (group) {
        var optgroup = element("optgroup", { label: group[0] });
        data.proposals.forEach(function (proposal) {
          if (Boolean(addressed[proposal.id]) !== group[1]) return;
          var haystack = (proposal.title + " " + proposal.area + " " + proposal.id).toLowerCase();
          if (!words.every(function (word) { return haystack.indexOf(word) >= 0; })) return;
          optgroup.appendChild(element("option", { value: proposal.id, text: proposal.title + " (" + proposal.area + ")" }));
        });
        if (optgroup.children.length) list.appendChild(optgroup);
      });
    }
    search.addEventListener("input", fill);
    fill();
    form.appendChild(element("label", { for: "remiss-edit-search", text: t("search_proposals") }));
    form.appendChild(search);
    form.appendChild(element("label", { for: "remiss-edit-proposal", text: t("proposal") }));
    form.appendChild(list);

    var stanceSet = element("fieldset", {}, [element("legend", { text: t("stance") })]);
    STANCES.forEach(function (key) {
      var id = "remiss-edit-stance-" + key;
      stanceSet.appendChild(element("div", {}, [
        element("input", { type: "radio", name: "stance", value: key, id: id }),
        element("label", { for: id, text: stances[key] || key }),
      ]));
    });
    form.appendChild(stanceSet);
    var widen = element("input", { type: "checkbox", id: "remiss-edit-widen" });
    form.appendChild(element("div", {}, [widen, element("label", { for: "remiss-edit-widen", text: t("widen") })]));

    var status = element("p", { role: "status", class: "remiss-edit-status" });
    var save = element("button", { type: "submit", value: "save", text: t("save"), id: "remiss-edit-save" });
    var cancel = element("button", { type: "button", text: t("cancel") });
    cancel.addEventListener("click", function () { dialog.close(); });
    form.appendChild(element("p", {}, [save, document.createTextNode(" "), cancel]));
    form.appendChild(status);
    form.addEventListener("submit", function (event) {
      event.preventDefault();
      var stance = form.querySelector('input[name="stance"]:checked');
      if (!list.value) { status.textContent = t("choose_proposal"); list.focus(); return; }
      if (!stance) { status.textContent = t("choose_stance"); return; }
      save.disabled = true;
      var edit = { statement: data.statement, proposal: list.value, stance: stance.value, quote: quote, widen: widen.checked, version: data.version };
      // A proposal the statement already addresses: the new passage replaces its quote.
      if (addressed[list.value]) edit.replace = list.value;
      send(edit, status).catch(function () { save.disabled = false; });
    });
    dialog.appendChild(form);
    // Closed with Escape or Cancel, it goes, so that the next selection makes a new one.
    dialog.addEventListener("close", function () { dialog.remove(); });
    document.body.appendChild(dialog);
    dialog.showModal();
    search.focus();
  }

  // On a statement page: selecting text in the statement offers to record it.
  function statementPage() {
    var text = document.querySelector(".statement-text");
    var button = element("button", { type: "button", class: "remiss-record", id: "remiss-record", text: t("record"), hidden: "" });
    document.body.appendChild(button);
    var selected = "";
    function offer() {
      var selection = window.getSelection();
      var inside = text && selection && selection.rangeCount && !selection.isCollapsed &&
        text.contains(selection.getRangeAt(0).commonAncestorContainer);
      if (!inside || document.querySelector("dialog.remiss-edit-dialog")) { button.hidden = true; return; }
      // A quote's mark holds a label for screen readers that is no part of the text.
      var fragment = selection.getRangeAt(0).cloneContents();
      var labels = fragment.querySelectorAll("mark.quote > .visually-hidden");
      var words = selection.toString();
      if (labels.length) {
        labels.forEach(function (label) { label.remove(); });
        var holder = document.createElement("div");
        holder.appendChild(fragment);
        words = holder.textContent;
      }
      selected = words.replace(/\s+/g, " ").trim();
      if (!selected) { button.hidden = true; return; }
      var box = selection.getRangeAt(0).getBoundingClientRect();
      button.style.top = (window.scrollY + box.bottom + 6) + "px";
      button.style.left = (window.scrollX + box.left) + "px";
      button.hidden = false;
    }
    document.addEventListener("mouseup", function () { setTimeout(offer, 0); });
    document.addEventListener("keyup", function (event) { if (event.shiftKey || event.key === "Shift") offer(); });
    button.addEventListener("click", function () { button.hidden = true; recordDialog(selected); });

    var suggestions = [];
    (data.positions || []).forEach(function (position) {
      if (position.suggested) { suggestions.push(position); return; }
      var link = document.querySelector('ul.addressed a[href="#svar-' + position.proposal + '"]');
      var item = link && link.closest("li");
      if (!item) return;
      var title = item.querySelector("a") ? item.querySelector("a").textContent : position.proposal;
      item.appendChild(positionControls(position, data.statement, data.version, title));
    });
    if (suggestions.length) suggestionPanel(suggestions);
  }

  // Suggestions are not published, so the page has no passage for them: list them
  // above the text, and mark each quote where it stands in the text.
  function suggestionPanel(suggestions) {
    var text = document.querySelector(".statement-text .prose");
    if (!text) return;
    var titles = {};
    data.proposals.forEach(function (proposal) { titles[proposal.id] = proposal.title; });
    var list = element("ul", { class: "remiss-suggestion-list" });
    suggestions.forEach(function (position) {
      var title = titles[position.proposal] || position.proposal;
      var item = element("li", { class: "remiss-suggestion", "data-proposal": position.proposal }, [
        element("strong", { text: title }),
        element("blockquote", {}, [element("p", { text: position.quote })]),
      ]);
      item.appendChild(positionControls(position, data.statement, data.version, title));
      list.appendChild(item);
      markQuote(text, position.quote, position.proposal);
    });
    var panel = element("section", { class: "remiss-suggestions", "aria-labelledby": "remiss-suggestions-title" }, [
      element("h2", { id: "remiss-suggestions-title", text: t("suggestions_title") }),
      list,
    ]);
    text.parentNode.insertBefore(panel, text);
  }

  // Wraps the text of `quote` (compared with runs of whitespace as one space) in marks,
  // one per text node it spans.
  function markQuote(container, quote, proposal) {
    var nodes = [];
    var walker = document.createTreeWalker(container, NodeFilter.SHOW_TEXT, {
      // A published quote's mark holds a label for screen readers, no part of the text.
      acceptNode: function (node) {
        var parent = node.parentElement;
        return parent && parent.matches("mark.quote > .visually-hidden") ? NodeFilter.FILTER_REJECT : NodeFilter.FILTER_ACCEPT;
      },
    });
    var flat = "";
    var starts = [];
    while (walker.nextNode()) {
      var node = walker.currentNode;
      for (var i = 0; i < node.data.length; i++) {
        var character = /\s/.test(node.data[i]) ? " " : node.data[i];
        if (character === " " && flat.endsWith(" ")) continue;
        flat += character;
        starts.push([node, i]);
      }
      nodes.push(node);
    }
    var wanted = quote.replace(/\s+/g, " ").trim();
    var at = flat.indexOf(wanted);
    if (at < 0) return;
    var first = starts[at], last = starts[at + wanted.length - 1];
    var pieces = [];
    nodes.forEach(function (node) {
      var inside = node.compareDocumentPosition(first[0]) & Node.DOCUMENT_POSITION_PRECEDING || node === first[0];
      var before = node.compareDocumentPosition(last[0]) & Node.DOCUMENT_POSITION_FOLLOWING || node === last[0];
      if (!inside || !before) return;
      var from = node === first[0] ? first[1] : 0;
      var to = node === last[0] ? last[1] + 1 : node.data.length;
      if (from < to) pieces.push([node, from, to]);
    });
    pieces.forEach(function (piece) {
      var range = document.createRange();
      range.setStart(piece[0], piece[1]);
      range.setEnd(piece[0], piece[2]);
      var mark = element("mark", { class: "remiss-suggested", "data-proposal": proposal });
      range.surroundContents(mark);
    });
  }

  // On a proposal page: each body's position can be changed or removed.
  function proposalPage() {
    (data.positions || []).forEach(function (position) {
      var item = document.getElementById("instans_" + position.statement);
      if (!item) return;
      var heading = item.querySelector("h3");
      item.appendChild(positionControls(position, position.statement, position.version, heading ? heading.textContent : position.statement));
    });
  }

  // Reloads the page once the preview serves it from a build that read `statement`'s
  // file after the edit (its version differs), or after ten seconds in any case.
  function reloadWhenRebuilt(statement, version) {
    var deadline = Date.now() + 10000;
    (function poll() {
      fetch(location.href, { credentials: "same-origin" }).then(function (response) { return response.text(); }).then(function (html) {
        var found = /<script type="application\/json" id="remiss-edit-data">([\s\S]*?)<\/script>/.exec(html);
        var current = found && JSON.parse(found[1]);
        var now = current && current.versions && current.versions[statement];
        if (now !== version || Date.now() > deadline) location.reload();
        else setTimeout(poll, 150);
      }).catch(function () { setTimeout(poll, 150); });
    })();
  }

  // The review list: accept or reject each suggestion.
  function reviewPage() {
    document.querySelectorAll(".remiss-suggestion").forEach(function (item) {
      var status = element("span", { role: "status", class: "remiss-edit-status" });
      item.querySelector(".remiss-edit-controls").appendChild(status);
      item.querySelectorAll("button[data-action]").forEach(function (button) {
        button.addEventListener("click", function () {
          var edit = { statement: item.dataset.statement, proposal: item.dataset.proposal, version: data.versions[item.dataset.statement] };
          edit[button.dataset.action] = true;
          // The list is not a page of the site: a rebuild that changes no published
          // page sends no reload, so the list reloads itself once the rebuild has
          // read the file anew.
          send(edit, status).then(function () { reloadWhenRebuilt(edit.statement, edit.version); }).catch(function () {});
        });
      });
    });
  }

  if (data.kind === "statement") statementPage();
  else if (data.kind === "proposal") proposalPage();
  else if (data.kind === "review") reviewPage();
})();
