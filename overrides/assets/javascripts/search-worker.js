/* The plan's search: a web worker that speaks Material's search protocol (SETUP -> READY, QUERY -> RESULT)
 * over the index written by overrides/hooks/search_index.py, and ranks entries as the README ("Search") says:
 * the words found first (all the query's words above some of them), then where they were found and how rare
 * they are. Accents, case and singular/plural are forgiven; function words and hyphen fragments never count.
 * No network access: over file:// the iframe-worker shim runs this file in a hidden frame. */
"use strict";

var SETUP = 0, READY = 1, QUERY = 2, RESULT = 3;

/* Function words: a query's words that say nothing about which element is meant. */
var STOPWORDS = {
  fr: "a au aux avec c ce ces cet cette d dans de des du elle en est et il ils j l la le les leur leurs lui m ma " +
      "mais me meme mes n ne ni nos notre nous on ou par pas pour qu que qui s sa se ses si son sont sur t ta te " +
      "tes toi ton tu un une vos votre vous y",
  en: "a an and are as at be been but by for from has have in into is it its of on or our such that the their " +
      "them then there these they this to was were which will with within"
};
/* How much a word weighs where it is found (title: the heading; context: the output, outcome and pillar). */
var FIELDS = { ids: 0, title: 2, text: 1, owners: 0.6, acronyms: 0.5, status: 0.5, context: 0.3 };
/* Activities first, then the elements above them, then other sections; the glossary explains, it comes after. */
var KINDS = { activity: 1, outcome: 0.9, output: 0.9, pillar: 0.9, commitment: 0.85, section: 0.8, page: 0.75,
              glossary: 0.45 };
var ID_EXACT = 60, ID_PREFIX = 20;

var lang = "fr", docs = [], vocabulary = new Map(), pages = new Map();

function fold(word) {
  return word.toLowerCase().replace(/œ/g, "oe").replace(/æ/g, "ae").normalize("NFD").replace(/[\u0300-\u036f]/g, "");
}

/* The singular of a folded word, so that a plural and its singular are one word (as the Python hook once did). */
function singular(word) {
  if (/^\d/.test(word) || word.length <= 3) return word;
  if (lang === "fr") {
    if (/eaux$/.test(word)) return word.slice(0, -1);
    if (/aux$/.test(word) && word.length > 5) return word.slice(0, -3) + "al";
    if (/eux$/.test(word)) return word.slice(0, -1);
    return /[sx]$/.test(word) && word.length > 4 ? word.slice(0, -1) : word;
  }
  // British and American spellings are one word: "localization" is "localisation".
  word = word.replace(/(.{3})iz(e|es|ed|ing|ation|ations|er|ers)$/, "$1is$2");
  if (/ies$/.test(word) && word.length > 4) return word.slice(0, -3) + "y";
  if (/(ss|us|is)$/.test(word)) return word;
  return /s$/.test(word) && word.length > 4 ? word.slice(0, -1) : word;
}

function unescape(html) {
  return html.replace(/<[^>]*>/g, " ").replace(/&lt;/g, "<").replace(/&gt;/g, ">").replace(/&quot;/g, '"')
    .replace(/&#0?39;/g, "'").replace(/&amp;/g, "&");
}

var TOKEN = /\d+(?:\.\d+)*|[\p{L}\p{N}]+(?:-[\p{L}\p{N}]+)*/gu;

/* The words of a text, folded and singular; a hyphenated word also counts as one joined word ("phase-out"). */
function tokenize(text) {
  var words = [], match;
  TOKEN.lastIndex = 0;
  while ((match = TOKEN.exec(fold(text))) !== null) {
    var parts = match[0].split("-");
    if (parts.length > 1) words.push({ word: singular(parts.join("")), joined: true, at: words.length });
    for (var i = 0; i < parts.length; i++) words.push({ word: singular(parts[i]), joined: false, at: words.length });
  }
  return words;
}

function setup(index) {
  lang = (index.config.lang || ["fr"])[0] === "en" ? "en" : "fr";
  docs = index.docs.map(function (doc, order) {
    var fields = {};
    Object.keys(FIELDS).forEach(function (name) {
      if (name === "ids") return;
      var value = doc[name];
      if (typeof value !== "string" || !value) return;
      var tokens = tokenize(unescape(value));
      fields[name] = tokens;
      tokens.forEach(function (token) {
        if (!vocabulary.has(token.word)) vocabulary.set(token.word, new Set());
        vocabulary.get(token.word).add(order);
      });
    });
    // The heading shown above a page's results: the page itself, or the pillar whose heading opens it.
    var location = doc.location, page = location.split("#")[0];
    if (location === page || doc.kind === "pillar") pages.set(page, doc);
    return { doc: doc, order: order, fields: fields, ids: doc.ids || [],
             boost: (KINDS[doc.kind] || KINDS.section) * (typeof doc.boost === "number" ? doc.boost : 1) };
  });
}

/* How well a word of the index answers a word of the query: 1 the same word, less a form or the start of one. */
function quality(query, word, prefixes) {
  if (word === query) return 1;
  if (!prefixes || query.length < 3 || /^\d/.test(query)) return 0;
  if (word.indexOf(query) === 0) return 0.6 + 0.3 * query.length / word.length;
  var common = 0, shortest = Math.min(query.length, word.length);
  while (common < shortest && query[common] === word[common]) common++;
  return common >= 5 && common >= 0.75 * shortest ? 0.8 : 0;
}

/* The query's words that decide, each with the forms of the index it matches and their quality. */
function parse(query) {
  var typed = query.trim().split(/\s+/).filter(Boolean), terms = [];
  typed.forEach(function (raw, position) {
    var tokens = tokenize(raw), joined = tokens.filter(function (t) { return t.joined; });
    var words = joined.length ? joined : tokens;
    words.forEach(function (token) {
      terms.push({ raw: raw.toLowerCase(), word: token.word, last: position === typed.length - 1,
                   parts: joined.length ? tokens.filter(function (t) { return !t.joined; }) : null });
    });
  });
  var stop = new Set(STOPWORDS[lang].split(" "));
  var meaningful = terms.filter(function (t) { return !stop.has(t.word) && !(t.word.length < 2 && !/\d/.test(t.word)); });
  terms = meaningful;  // a query of function words alone decides nothing
  var expanded = [];
  terms.forEach(function (term) {
    term.matches = matches(term.word, term.word.length >= 3 || term.last);
    // A hyphenated word the plan never writes: its parts, as whole words only (never "out" in "outcome").
    if (!term.matches.size && term.parts) {
      term.parts.filter(function (p) { return !stop.has(p.word); }).forEach(function (part) {
        expanded.push({ raw: term.raw, word: part.word, matches: matches(part.word, false) });
      });
    } else expanded.push(term);
  });
  return expanded;
}

function matches(word, prefixes) {
  var found = new Map();
  vocabulary.forEach(function (_, candidate) {
    var q = quality(word, candidate, prefixes);
    if (q > 0) found.set(candidate, q);
  });
  return found;
}

/* 1 when `query` is the element's id, less when it is the start of it ("2.3" for output 2.3.1), else 0. */
function idScore(query, ids) {
  var best = 0;
  ids.forEach(function (id) {
    if (id === query) best = Math.max(best, ID_EXACT);
    else if (id.indexOf(query + ".") === 0)
      best = Math.max(best, ID_PREFIX / (id.slice(query.length).split(".").length - 1));
  });
  return best;
}

function score(entry, terms) {
  var covered = 0, total = 0, positions = [];
  terms.forEach(function (term) {
    var best = idScore(term.word, entry.ids), found = best > 0, at = null;
    Object.keys(entry.fields).forEach(function (name) {
      entry.fields[name].forEach(function (token) {
        var q = term.matches.get(token.word);
        if (!q) return;
        found = true;
        if (FIELDS[name] * q > best) best = FIELDS[name] * q;
        if (name === "text" && at === null) at = token.at;
      });
    });
    if (!found) { term.hit = false; return; }
    term.hit = true;
    covered += 1;
    total += best * term.idf;
    positions.push(at);
  });
  // Words that follow each other in the text as in the query ("suivi et évaluation") weigh a little more.
  var near = 0;
  for (var i = 1; i < positions.length; i++)
    if (positions[i] !== null && positions[i - 1] !== null && positions[i] > positions[i - 1] &&
        positions[i] - positions[i - 1] <= 3) near++;
  if (positions.length > 1) total *= 1 + 0.5 * near / (positions.length - 1);
  return { covered: covered, score: total * entry.boost };
}

function escape(text) {
  return text.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;");
}

/* The entry's escaped HTML with the words that matched marked, as Material marks them. */
function highlight(html, terms) {
  return html.replace(/(^|>)([^<]+)/g, function (_, before, text) {
    return before + escape(unescape(text)).replace(/[\p{L}\p{N}]+(?:[-.][\p{L}\p{N}]+)*/gu, function (word) {
      var tokens = tokenize(word);
      var hit = tokens.some(function (token) {
        return terms.some(function (term) { return term.matches.has(token.word) || term.word === token.word; });
      });
      return hit ? "<mark>" + word + "</mark>" : word;
    });
  });
}

function search(query) {
  var terms = parse(query);
  if (!terms.length) return { items: [] };
  terms.forEach(function (term) {
    var holders = new Set();
    term.matches.forEach(function (_, word) { vocabulary.get(word).forEach(function (d) { holders.add(d); }); });
    term.idf = Math.log(1 + docs.length / (1 + holders.size));
  });
  var ranked = [];
  docs.forEach(function (entry) {
    var result = score(entry, terms);
    if (!result.covered) return;
    var shown = {};
    terms.forEach(function (term) { shown[term.raw] = shown[term.raw] || term.hit; });
    ranked.push({ entry: entry, covered: result.covered, score: result.score, terms: shown });
  });
  ranked.sort(function (a, b) {
    return b.covered - a.covered || b.score - a.score || a.entry.order - b.entry.order;
  });
  // One result per element, under the title of its page (Material shows the first item as the page heading).
  var items = ranked.map(function (found) {
    var doc = found.entry.doc;
    var item = { location: doc.location, title: highlight(doc.title, terms), text: highlight(doc.text, terms),
                 score: found.score, terms: found.terms };
    var page = pages.get(doc.location.split("#")[0]);
    if (!page || page === doc) return [item];
    return [item, { location: page.location, title: page.title, text: "", score: 0, terms: {} }];
  });
  return { items: items };
}

addEventListener("message", function (event) {
  var message = event.data;
  if (message.type === SETUP) {
    setup(message.data);
    postMessage({ type: READY });
  } else if (message.type === QUERY) {
    var data;
    try {
      data = search(message.data);
    } catch (error) {
      console.warn("search failed for " + JSON.stringify(message.data), error);
      data = { items: [] };
    }
    postMessage({ type: RESULT, data: data });
  }
});
