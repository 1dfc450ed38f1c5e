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

    (data.positions || []).forEach(function (position) {
      var link = document.querySelector('ul.addressed a[href="#svar-' + position.proposal + '"]');
      var item = link && link.closest("li");
      if (!item) return;
      var title = item.querySelector("a") ? item.querySelector("a").textContent : position.proposal;
      item.appendChild(positionControls(position, data.statement, data.version, title));
      if (position.suggested) {
        // A passage that starts inside a block another quote has marked is anchored by
        // an empty element: outline the block it lies in.
        var anchor = document.getElementById("svar-" + position.proposal);
        var passage = anchor && (anchor.closest(".quoted") || anchor);
        if (passage) passage.classList.add("remiss-suggested");
      }
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

  // The review list: accept or reject each suggestion.
  function reviewPage() {
    document.querySelectorAll(".remiss-suggestion").forEach(function (item) {
      var status = element("span", { role: "status", class: "remiss-edit-status" });
      item.querySelector(".remiss-edit-controls").appendChild(status);
      item.querySelectorAll("button[data-action]").forEach(function (button) {
        button.addEventListener("click", function () {
          var edit = { statement: item.dataset.statement, proposal: item.dataset.proposal, version: data.versions[item.dataset.statement] };
          edit[button.dataset.action] = true;
          send(edit, status).catch(function () {});
        });
      });
    });
  }

  if (data.kind === "statement") statementPage();
  else if (data.kind === "proposal") proposalPage();
  else if (data.kind === "review") reviewPage();
})();
