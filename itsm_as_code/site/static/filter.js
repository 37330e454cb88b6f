// Known error search: filters the entries as you type. Without JavaScript the input
// stays hidden and every entry is on the page (the browser's find still works).
(function () {
  "use strict";
  var input = document.getElementById("kedb-search");
  var count = document.getElementById("kedb-count");
  if (!input) { return; }
  var list = document.querySelector(input.getAttribute("data-filter"));
  var entries = list ? Array.prototype.slice.call(list.querySelectorAll("[data-text]")) : [];
  input.classList.remove("hidden");
  count.classList.remove("hidden");
  function apply() {
    var words = input.value.toLowerCase().split(/\s+/).filter(Boolean);
    var shown = 0;
    entries.forEach(function (entry) {
      var text = entry.getAttribute("data-text");
      var match = words.every(function (word) { return text.indexOf(word) !== -1; });
      entry.classList.toggle("hidden", !match);
      if (match) { shown += 1; }
    });
    count.textContent = shown + " of " + entries.length + " known errors";
  }
  input.addEventListener("input", apply);
  apply();
}());
