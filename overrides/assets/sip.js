/* Copy-link control beside each activity: copies the absolute permanent link and marks the activity. */
document.addEventListener("click", function (event) {
  var link = event.target.closest && event.target.closest("a[data-sip-copy]");
  if (!link) return;
  event.preventDefault();
  var url = new URL(link.getAttribute("href"), window.location.href).href;
  history.replaceState(null, "", link.getAttribute("href"));
  // Re-apply :target styling, which replaceState alone does not update.
  window.location.hash = link.getAttribute("href");
  var done = function () {
    var label = link.textContent;
    link.textContent = link.getAttribute("data-sip-copy");
    link.classList.add("sip-copied");
    setTimeout(function () { link.textContent = label; link.classList.remove("sip-copied"); }, 2000);
  };
  if (navigator.clipboard && window.isSecureContext) {
    navigator.clipboard.writeText(url).then(done, function () { fallbackCopy(url); done(); });
  } else {
    fallbackCopy(url);
    done();
  }
});

/* file:// pages and old browsers have no async clipboard: copy through a hidden text field. */
function fallbackCopy(text) {
  var field = document.createElement("textarea");
  field.value = text;
  field.setAttribute("readonly", "");
  field.style.position = "absolute";
  field.style.left = "-9999px";
  document.body.appendChild(field);
  field.select();
  try { document.execCommand("copy"); } catch (e) { /* nothing more we can do */ }
  document.body.removeChild(field);
}

/* Material's search dialog has no accessible name: give it the search field's own label. */
document.querySelectorAll('.md-search[role="dialog"]').forEach(function (dialog) {
  var input = dialog.querySelector(".md-search__input");
  if (input && !dialog.hasAttribute("aria-label")) dialog.setAttribute("aria-label", input.getAttribute("aria-label"));
});

/* The language switcher keeps the element: its links (and any link marked data-sip-keep-fragment, whose target
   has the same anchors) carry the current fragment, online and from file://. Anchors are identical in both
   languages, so en/pillars/2.html#a-2.2.1.3 is the same activity as pillars/2.html#a-2.2.1.3. */
var SIP_KEEP_FRAGMENT = ".md-select__link[hreflang], a[data-sip-keep-fragment]";
function sipKeepFragment(link) {
  var href = link.getAttribute("data-sip-href");
  if (href === null) {
    href = link.getAttribute("href") || "";
    link.setAttribute("data-sip-href", href);
  }
  link.setAttribute("href", href.split("#")[0] + window.location.hash);
}
function sipKeepFragments() {
  document.querySelectorAll(SIP_KEEP_FRAGMENT).forEach(sipKeepFragment);
}
sipKeepFragments();
window.addEventListener("hashchange", sipKeepFragments);
// The fragment can also change without a hashchange event (history.replaceState, e.g. by "Copy link"): the
// link is brought up to date as it is used, before the browser (or Material) follows it.
["pointerdown", "focusin", "click"].forEach(function (type) {
  document.addEventListener(type, function (event) {
    var link = event.target.closest && event.target.closest(SIP_KEEP_FRAGMENT);
    if (link) sipKeepFragment(link);
  }, true);
});

/* A search result card is about one element: its page-level first line (the page or pillar title, the biggest
   target) leads to that element too, not to the top of the page. Material renders cards as the list scrolls. */
function sipLinkResultCards(list) {
  list.querySelectorAll(".md-search-result__item").forEach(function (item) {
    var links = item.querySelectorAll("a.md-search-result__link");
    var element = Array.prototype.find.call(links, function (a) { return a.querySelector("h2"); });
    if (element && links[0] !== element && links[0].href !== element.href) links[0].href = element.href;
  });
}
document.querySelectorAll(".md-search-result__list").forEach(function (list) {
  new MutationObserver(function () { sipLinkResultCards(list); }).observe(list, { childList: true, subtree: true });
});

/* A link to an anchor inside a collapsed block (the owners' activity lists) opens the block and lands on it. */
function sipOpenTarget() {
  var id = decodeURIComponent(window.location.hash.slice(1));
  var target = id && document.getElementById(id);
  if (!target) return;
  var closed = false;
  for (var block = target.closest("details"); block; block = block.parentElement.closest("details")) {
    if (!block.open) { block.open = true; closed = true; }
  }
  if (closed) target.scrollIntoView();
}
sipOpenTarget();
window.addEventListener("hashchange", sipOpenTarget);

/* An old link to an element renumbered onto another page lands on its note (overrides/partials/sip/moved_away.html):
   follow the note to the element, online and from file://. Without scripts the note's own link does it. */
function sipFollowMoved() {
  var id = decodeURIComponent(window.location.hash.slice(1));
  var note = id && document.getElementById(id);
  var target = note && note.getAttribute("data-sip-moved-to");
  if (target) window.location.replace(new URL(target, window.location.href).href);
}
sipFollowMoved();
window.addEventListener("hashchange", sipFollowMoved);
