/* The banner of a frozen revision's page (overrides/partials/sip-revision.html): its link follows the element named
   in the address's fragment into the current revision, under its new number or to its retirement note, online and
   from file://. The map (window.sipRevisionMap) is written from the data by scripts/build.py. */
(function () {
  var link = document.querySelector("a.sip-revision-current");
  var map = window.sipRevisionMap;
  if (!link || !map) return;
  var root = link.getAttribute("data-sip-root").replace(/index\.html$/, "");
  var page = link.getAttribute("data-sip-page");
  function update() {
    var hash = window.location.hash;
    var target = map.anchors[decodeURIComponent(hash.slice(1))];
    if (!target) target = map.pages.indexOf(page) >= 0 ? page + hash : "index.html";
    link.setAttribute("href", root + target);
  }
  update();
  window.addEventListener("hashchange", update);
})();
