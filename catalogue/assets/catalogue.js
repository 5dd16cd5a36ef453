// The environment page's search box: shows the routes whose method, path, summary or API holds
// every word typed, and only the APIs that keep one.
(function () {
  var input = document.getElementById("search");
  var count = document.getElementById("count");
  var nothing = document.getElementById("nothing");
  var routes = Array.prototype.slice.call(document.querySelectorAll("tr.route"));
  function filter() {
    var words = input.value.toLowerCase().split(/\s+/).filter(Boolean);
    var shown = 0;
    routes.forEach(function (row) {
      var text = row.getAttribute("data-search");
      var match = words.every(function (w) { return text.indexOf(w) !== -1; });
      row.hidden = !match;
      if (match) shown++;
    });
    document.querySelectorAll("section.api").forEach(function (section) {
      section.hidden = words.length > 0 && !section.querySelector("tr.route:not([hidden])");
    });
    count.textContent = words.length ? shown + " of " + routes.length + " routes" : routes.length + " routes";
    nothing.hidden = shown > 0;
  }
  input.addEventListener("input", filter);
  var query = new URLSearchParams(location.search).get("q");
  if (query) input.value = query;
  filter();
})();
