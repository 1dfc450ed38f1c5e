// Starts Pagefind's search box. A file of its own, not an inline script, so that the
// pages' Content-Security-Policy can allow scripts from the site only.
window.addEventListener("DOMContentLoaded", function () {
  "use strict";
  var box = document.getElementById("sok");
  if (!box || typeof PagefindUI === "undefined") return;
  new PagefindUI({ element: "#sok", baseUrl: box.dataset.baseUrl, showSubResults: true, showImages: false, resetStyles: false });
  document.getElementById("sok-utan-javascript").hidden = true;
});
