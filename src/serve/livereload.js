// remiss serve: reloads the page after a rebuild, swaps stylesheets when only CSS
// changed, and shows build errors over the page until they are fixed.
(function () {
  "use strict";
  var overlayId = "remiss-errors";

  function showErrors(errors) {
    var overlay = document.getElementById(overlayId);
    if (!overlay) {
      overlay = document.createElement("div");
      overlay.id = overlayId;
      overlay.setAttribute("role", "alert");
      overlay.style.cssText = "position:fixed;inset:0 0 auto 0;max-height:70vh;overflow:auto;z-index:2147483647;" +
        "background:#2b0b0b;color:#fff;font:15px/1.5 system-ui,sans-serif;padding:1rem 1.5rem;border-bottom:4px solid #ff6b6b";
      document.body.appendChild(overlay);
    }
    overlay.textContent = "";
    var heading = document.createElement("strong");
    heading.textContent = "remiss: the site could not be rebuilt (" + errors.length + ")";
    overlay.appendChild(heading);
    var list = document.createElement("ul");
    errors.forEach(function (error) {
      var item = document.createElement("li");
      var place = document.createElement("code");
      place.textContent = error.location;
      item.appendChild(place);
      item.appendChild(document.createTextNode(": " + error.message + (error.help ? " (" + error.help + ")" : "")));
      list.appendChild(item);
    });
    overlay.appendChild(list);
  }

  function hideErrors() {
    var overlay = document.getElementById(overlayId);
    if (overlay) overlay.remove();
  }

  function swapStylesheets() {
    document.querySelectorAll('link[rel="stylesheet"]').forEach(function (link) {
      var url = new URL(link.href);
      url.searchParams.set("remiss", Date.now().toString());
      link.href = url.toString();
    });
  }

  function connect() {
    var scheme = location.protocol === "https:" ? "wss://" : "ws://";
    var socket = new WebSocket(scheme + location.host + "/__remiss/livereload");
    socket.onmessage = function (event) {
      var message = JSON.parse(event.data);
      if (message.kind === "reload") location.reload();
      else if (message.kind === "css") { hideErrors(); swapStylesheets(); }
      else if (message.kind === "errors") showErrors(message.errors);
    };
    socket.onclose = function () { setTimeout(connect, 1000); };
  }

  var initial = document.getElementById("remiss-initial-errors");
  if (initial) showErrors(JSON.parse(initial.textContent));
  connect();
})();
