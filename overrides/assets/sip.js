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
