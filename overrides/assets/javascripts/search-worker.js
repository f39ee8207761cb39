/* The plan's search: a web worker that speaks Material's search protocol (SETUP -> READY, QUERY -> RESULT)
 * over the index written by overrides/hooks/search_index.py, and ranks entries as the README ("Search") says:
 * where the query's words were found and how rare they are, times the square of the share of them found (an entry
 * missing one word of a long description can still come first when it holds the rare ones where they count).
 * Accents, case, singular/plural, French elision and acronym plurals are forgiven; function and question
 * words and hyphen fragments never count; the reviewed synonyms of data/search-synonyms.yaml (in the index's
 * config) offer the plan's words for a reader's, for less than the plan's own; a word the index does not hold at
 * all finds the index words one or two letters away (a typo), for less again.
 * No network access: over file:// the iframe-worker shim runs this file in a hidden frame. */
"use strict";

var SETUP = 0, READY = 1, QUERY = 2, RESULT = 3;

/* Function words: a query's words that say nothing about which element is meant. */
var STOPWORDS = {
  fr: "a au aux avec c ce ces cet cette d dans de des du elle en est et il ils j l la le les leur leurs lui m ma " +
      "mais me meme mes n ne ni nos notre nous on ou par pas pour qu que qui s sa se ses si son sont sur t ta te " +
      "tes toi ton mon tu un une vos votre vous y entre lors pendant chez vers afin",
  en: "a an and are as at be been but by for from has have in into is it its of on or our such that the their " +
      "them then there these they this to was were which will with within between about during via"
};
/* Question words: a reader asks "how", "where", « comment », « où »; they say nothing about the element either. */
var QUESTIONS = {
  fr: "comment quoi ou quel quelle quels quelles qui que pourquoi quand combien estce questce " +
      // the verbs a French question is built on: « le SIP peut-il être modifié », « doit-on », « faut-il »
      "peut peuvent pourrait doit doivent devrait faut etre",
  en: "how what where which who whom whose why when do does did can could should would we you i my me your us"
};
/* Prefixes that open a hyphenated word (`co-…`, `multi-…`): such a word stays whole, its prefix never a word. */
var PREFIXES = new Set(("anti auto bi co contre cross ex extra inter intra macro micro mini multi non pluri post " +
                        "pre pro re self semi sous sub super sur trans tri").split(" "));
/* Endings that make a form of the same word (after folding and the singular): `recrutement` and `recruté` share
 * `recrut`, `learning` and `learned` share `learn`, while `directory` and `directly` stay apart. */
var SUFFIXES = {
  fr: ("issements issement ations ation ements ement atrices atrice ateurs ateur itions ition ions ion euses euse " +
       "eurs eur ites ite ives ive ifs if elles elle els el ales ale aux al antes ante ants ant ances ance ees ee es " +
       "er ez e s").split(" "),
  en: ("ations ation ments ment ings ing ions ion ers er edly ed ies ity ive ally ly al es e s").split(" ")
};
var STEM_MIN = 5;           // a shorter common stem says too little (`form` is in formation and in forme)
var SYNONYM = 0.6;          // a word reached through a synonym or an acronym's family weighs this much of its own
/* A typo: the edits (Damerau-Levenshtein) a word of so many letters may be away from an index word it stands for,
 * when no index word matches it otherwise; such a word weighs TYPO of its own, per edit. Short words, ids, numbers
 * and acronyms never count as typos: one letter away from them is another word. */
// Two edits only from ten letters: at nine, "directory" would already be "directly".
var TYPO_EDITS = function (length) { return length < 5 ? 0 : length <= 9 ? 1 : 2; };
var TYPO = 0.5;
var ELISION = /(^|[^\p{L}\p{N}])(?:l|d|j|m|n|s|t|c|qu|jusqu|lorsqu|puisqu|quoiqu)['’](?=[\p{L}\p{N}])/gu;
/* How much a word weighs where it is found (title: the heading; context: the output, outcome and pillar). */
var FIELDS = { ids: 0, title: 2, text: 1, owners: 0.6, acronyms: 0.5, status: 0.5, context: 0.3, label: 0.1 };
/* A heading's label: the word that opens the headings of most numbered elements of a kind ("Activité 1.1.1.1",
 * "Output 2.3.3", "Pilier 2 : …") says what kind the element is, not what it is about: it weighs `label`, so that
 * "activé" finds the activity about activation before every "Activité". LABEL_SHARE of a kind's headings, a kind
 * of LABEL_MIN elements or more. */
var LABEL_SHARE = 0.5, LABEL_MIN = 3;
var META = /<p class="sip-search-meta">[\s\S]*?<\/p>/g;
/* Activities first, then the annex's commitments, then the elements above activities as other sections (whose prose
 * weighs less, PROSE); the glossary explains, it comes after. */
var KINDS = { activity: 1, outcome: 0.8, output: 0.8, pillar: 0.8, commitment: 0.85, section: 0.8, page: 0.75,
              glossary: 0.45, acronym: 0.45 };
/* What a query asks beyond its words: what something is ("definition": "what is", « qu'est-ce que », "difference
 * between", « à quoi sert ») or who answers for it ("owner": "who leads", « qui pilote », "owned by", « responsable
 * de »). Each rule: `when` it holds of the query (folded, apostrophes straight), the words it drops (they say what
 * is asked, not about what). The entries that answer such a question (the index's `answers`: glossary terms and
 * acronyms, owners) come first when their heading holds the query's words (INTENT_SHARE of their weight, or the
 * whole heading). The owner rules come first: "who is responsible for" asks for an owner. */
var INTENTS = {
  fr: [
    { answers: "owner", when: /\b(?:qui|quel(?:le)?s?(?: [\w']+){1,3}?) (?:s'|se )?(?:pilote|pilotent|porte|portent|dirige|dirigent|mene|menent|gere|gerent|anime|animent|supervise|supervisent|occupe|occupent|coordonne|coordonnent)\b/,
      drop: "pilote pilotent porte portent dirige dirigent mene menent gere gerent anime animent supervise supervisent occupe occupent coordonne coordonnent" },
    { answers: "owner", when: /\b(?:qui|quel(?:le)?s?(?: [\w']+){1,3}?) (?:est|sont|en est|en sont) (?:responsables?|charges?|en charge)\b|\bqui a la charge\b|\bresponsables? (?:de|du|des)\b|\bresponsables? d'|\b(?:pilot|port|dirig|men|ger|anim|supervis|coordonn)ee?s? par\b|\bsous la responsabilite\b/,
      drop: "responsable responsables charge charges responsabilite pilote pilotee pilotes pilotees porte portee portes portees dirige dirigee diriges dirigees mene menee menes menees gere geree geres gerees anime animee supervise supervisee coordonne coordonnee" },
    { answers: "definition", when: /\bqu'? ?est[- ]ce (?:que|qu)\b|\bc'? ?est quoi\b|\bque (?:veut|veulent) dire\b|\bque signifi|\bsignification\b|\bdefinitions?\b|\bdefinir\b|\ba quoi (?:sert|servent)\b|\bque (?:fait|font)\b|\bdifferences?\b|\bdistinctions?\b|^qui (?:est|sont)\b/,
      drop: "veut veulent dire signifie signifient signification definition definir sert servent fait font difference distinction" },
    { answers: "definition", when: /\bquel(?:le)?s? (?:est|sont) (?:le |la |les )?(?:role|fonction|mission)s?\b|^(?:le |la |les )?(?:role|fonction|mission)s? (?:du|de|des|d')/,
      drop: "role fonction mission" },
    // How to become or join something asks what it is (« comment devenir partenaire »: the glossary's partners);
    // « rejoindre », « adhérer » stay words, which the synonyms read as the plan's participation.
    { answers: "definition", when: /\b(?:comment|pour|puis-je|peut-on|veux|voudrais|souhaite|souhaitons)\b.*\b(?:devenir|rejoindre|adherer|integrer|s'inscrire|participer)\b|^(?:devenir|rejoindre|adherer)\b/,
      drop: "devenir" }
  ],
  en: [
    { answers: "owner", when: /\b(?:who|which(?: [\w']+){1,4}?)(?:'s| is| are| does| do)? (?:leads?|leading|owns?|runs?|manages?|heads?|oversees?|drives?|handles?|pilots?|looks after)\b/,
      drop: "lead leads leading own owns run runs manage manages head heads oversee oversees drive drives handle handles pilot pilots look looks" },
    { answers: "owner", when: /\b(?:who|which(?: [\w']+){1,3}?)(?: is| are)? (?:responsible|accountable|in charge)\b|\b(?:responsible|accountable) for\b|\bin charge of\b|\bowners? of\b|\b(?:owned|led|run|managed|headed|overseen|driven|handled|piloted) by\b/,
      drop: "responsible accountable charge owner owners owned led run managed headed overseen driven handled piloted" },
    { answers: "definition", when: /^(?:what|who)(?:'s|s| is| are| was| were)\b|\bwhat (?:does|do|did)\b.*\b(?:mean|stand for|do)\W*$|\bmeaning\b|\bdefinitions?\b|\bdefine\b|\bdifferences?\b|\bdistinguish\b|\bdiffer\b|\bversus\b|\bvs\b|\bstands? for\b|\bmeant by\b/,
      drop: "mean means meaning meant stand stands definition define difference distinguish differ versus vs" },
    { answers: "definition", when: /\bwhat (?:is|are) the (?:role|purpose|job|function|mandate)s? of\b|^(?:the )?(?:role|purpose|mandate)s? of\b/,
      drop: "role purpose job function mandate" },
    { answers: "definition", when: /\bhow (?:do|can|could|does|should|would|might|to)\b.*\b(?:become|join|sign up|register|enrol|enroll)\b|^(?:becoming|joining|to become|to join)\b/,
      drop: "become becoming" }
  ]
};
var INTENT_SHARE = 0.5;
var COMPARE = /\b(?:differences?|distinctions?|distinguish|differ|versus|vs)\b/;
var SIDES = /\s(?:et|and|ou|or|vs\.?|versus)\s|\s?\/\s?/i;
/* The prose of other pages (governance, notes, introductions) is long: a word met there by chance weighs this much
 * of a word in an element's text, so that the activity a query describes comes before it; headings keep theirs. */
var PROSE = { section: 0.45, page: 0.45 };
var ID_EXACT = 60, ID_PREFIX = 20;
/* An entry's rank: its score times the share of the query's words it holds, to this power. All the words still
 * come before some of them unless the score says much more (a fifth of the words missing needs half as much again);
 * a long description's passing word ("proposés aux partenaires") no longer outranks where its key words are. */
var COVERAGE_POWER = 2;
/* A plan phrase of several words that a reader's word was read as ("stratégies de sortie" for « se retirer ») weighs
 * this much of its weight in an entry that holds only some of its words: "stratégie" alone is not the phrase. */
var PARTIAL_PHRASE = 0.5;

var lang = "fr", docs = [], vocabulary = new Map(), pages = new Map(), stopwords = new Set(), questions = new Set();
var acronyms = new Set(), glossaryAcronyms = [], synonyms = [];
var byLength = new Map();  // the index's words of letters only, by length: the only ones a typo is compared with
var readerWords = new Set();  // the words of the synonym list's readers' phrases: known words, never typos
var readerByLength = new Map();  // those of letters only, by length: a typo of a reader's word is that word
var phraseWords_ = [];  // every word of the synonym list's phrases, readers' and plan's

function fold(word) {
  return word.toLowerCase().replace(/œ/g, "oe").replace(/æ/g, "ae").normalize("NFD").replace(/[\u0300-\u036f]/g, "");
}

/* The singular of a folded word, so that a plural and its singular are one word (as the Python hook once did). */
function singular(word) {
  // An acronym's plural is the acronym ("NGOs", "ONGs", "sops" for SOP), whatever its length.
  if (/s$/.test(word) && !acronyms.has(word) && isAcronym(word.slice(0, -1))) return word.slice(0, -1);
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

/* A folded word that is one of the plan's acronyms, or the longer part of a glossary acronym ("ong" of ONGN,
 * "ngo" of NNGO): the form a reader types for it. */
function isAcronym(word) {
  if (acronyms.has(word)) return true;
  return word.length >= 3 && glossaryAcronyms.some(function (a) { return a.length - word.length <= 1 && a.indexOf(word) >= 0; });
}

/* The glossary acronyms a reader's shorter form stands for ("ngo" -> nngo), not counting the word itself. */
function acronymFamily(word) {
  if (word.length < 3 || /\d/.test(word)) return [];
  return glossaryAcronyms.filter(function (a) { return a !== word && a.length - word.length <= 1 && a.indexOf(word) >= 0; });
}

/* The stem of a folded singular word: one ending of the language removed, twice at most, never below STEM_MIN. */
var stems = new Map();
function stem(word) {
  var known = stems.get(word);
  if (known !== undefined) return known;
  var original = word;
  for (var round = 0; round < 2; round++) {
    var cut = SUFFIXES[lang].find(function (s) { return word.length - s.length >= STEM_MIN && word.slice(-s.length) === s; });
    if (!cut) break;
    word = word.slice(0, -cut.length);
  }
  // A verb in -ifier / -ify and its noun in -ification are one word: « modifié », « modifications »; "identify",
  // "identified", "identification".
  // ("specific" stays apart from "specify").
  if (/ification$/.test(original)) word = word.replace(/(.{3}if)ic$/, "$1i");
  else if (lang === "en") word = word.replace(/(.{3}if)y$/, "$1i");
  stems.set(original, word);
  return word;
}

function unescape(html) {
  return html.replace(/<[^>]*>/g, " ").replace(/&lt;/g, "<").replace(/&gt;/g, ">").replace(/&quot;/g, '"')
    .replace(/&#0?39;/g, "'").replace(/&amp;/g, "&");
}

var TOKEN = /\d+(?:\.\d+)*(?![\p{L}\p{N}])|[\p{L}\p{N}]+(?:&[\p{L}\p{N}]+)+|[\p{L}\p{N}]+(?:[-‐‑][\p{L}\p{N}]+)*/gu;

/* French elision: « l'activité », « d’experts », « qu'il » are the word itself, with either apostrophe. */
function elide(text) {
  return lang === "fr" ? text.replace(ELISION, "$1") : text;
}

/* The words of a text, folded and singular; a hyphenated word also counts as one joined word ("phase-out"), and
 * "m&e" is one word. `prefixed` marks a hyphenated word whose first part is a letter or a prefix (`e-…`, `co-…`). */
function tokenize(text) {
  var words = [], match, folded = elide(fold(text));
  TOKEN.lastIndex = 0;
  while ((match = TOKEN.exec(folded)) !== null) {
    if (match[0].indexOf("&") > 0) { words.push({ word: match[0], joined: false, at: words.length }); continue; }
    var parts = match[0].split(/[-‐‑]/);
    if (parts.length > 1) {
      var prefixed = parts[0].length === 1 || PREFIXES.has(parts[0]);
      words.push({ word: singular(parts.join("")), joined: true, prefixed: prefixed, at: words.length });
    }
    for (var i = 0; i < parts.length; i++) words.push({ word: singular(parts[i]), joined: false, at: words.length });
  }
  return words;
}

/* The plan's acronyms, folded: the glossary's, those written in capitals in the index ("NGOs" gives ngo), and the
 * readers' acronyms of the synonym list ("SOP"). Their plurals are the acronym itself. */
function collectAcronyms(index) {
  acronyms = new Set();
  var capitals = /(?:^|[^\p{L}\p{N}])(\p{Lu}{2,}[\p{Lu}\p{N}]*)s?(?![\p{L}\p{N}])/gu, match;
  function scan(text) {
    capitals.lastIndex = 0;
    while ((match = capitals.exec(text)) !== null) acronyms.add(fold(match[1]));
  }
  index.docs.forEach(function (doc) {
    ["title", "text", "owners", "acronyms"].forEach(function (name) { if (typeof doc[name] === "string") scan(unescape(doc[name])); });
  });
  (index.config.synonyms || []).forEach(function (entry) { (entry.readers || []).forEach(scan); });
  glossaryAcronyms = [];
  index.docs.forEach(function (doc) {
    if (doc.kind !== "acronym") return;
    unescape(doc.title).split(/[,\s]+/).forEach(function (abbr) {
      var word = fold(abbr).replace(/[^\p{L}\p{N}]/gu, "");
      if (word.length >= 2) { acronyms.add(word); glossaryAcronyms.push(word); }
    });
  });
}

/* A phrase of the synonym list as the words a query would give for it (function words dropped). A reader's phrase
 * keeps its question words: "who does what", « qui fait quoi » are phrases, never the word "fait" alone. */
function phraseWords(phrase, reader) {
  return queryWords(phrase, reader).map(function (w) { return w.word; });
}

function meaningful(word) {
  return !stopwords.has(word) && !(word.length < 2 && !/\d/.test(word));
}

function setup(index) {
  lang = (index.config.lang || ["fr"])[0] === "en" ? "en" : "fr";
  stopwords = new Set((STOPWORDS[lang] + " " + QUESTIONS[lang]).split(" "));
  questions = new Set(QUESTIONS[lang].split(" "));
  vocabulary = new Map();
  pages = new Map();
  stems = new Map();
  collectAcronyms(index);
  var labels = headingLabels(index.docs);
  docs = index.docs.map(function (doc, order) {
    var fields = {};
    Object.keys(FIELDS).forEach(function (name) {
      if (name === "ids" || name === "label") return;
      var value = doc[name];
      if (typeof value !== "string" || !value) return;
      // An activity's last line (status · owners) is shown, but its words are the entry's status and owners,
      // indexed apart with their own weights: as text they would make every activity of an owner about it.
      if (name === "text") value = value.replace(META, " ");
      var tokens = tokenize(unescape(value));
      fields[name] = tokens;
      tokens.forEach(function (token) {
        if (!vocabulary.has(token.word)) vocabulary.set(token.word, new Set());
        vocabulary.get(token.word).add(order);
      });
    });
    var label = labels.get(doc.kind);
    if (label && fields.title) {
      fields.label = fields.title.filter(function (t) { return label.has(t.word); });
      fields.title = fields.title.filter(function (t) { return !label.has(t.word); });
    }
    // The heading shown above a page's results: the page itself, or the pillar whose heading opens it.
    var location = doc.location, page = location.split("#")[0];
    if (location === page || doc.kind === "pillar") pages.set(page, doc);
    // An answer's heading: its title and the other name it goes by (an acronym's expansion, an owner's short name).
    var answers = Array.isArray(doc.answers) ? doc.answers : [];
    var heading = answers.length ? (fields.title || []).concat(typeof doc.aka === "string" ? tokenize(unescape(doc.aka)) : []) : [];
    return { doc: doc, order: order, fields: fields, ids: doc.ids || [], prose: PROSE[doc.kind] || 1,
             answers: answers, heading: heading.filter(function (t) { return !t.joined && meaningful(t.word); }),
             boost: (KINDS[doc.kind] || KINDS.section) * (typeof doc.boost === "number" ? doc.boost : 1) };
  });
  byLength = new Map();
  vocabulary.forEach(function (_, word) {
    if (word.length < 4 || !/^\p{L}+$/u.test(word) || acronyms.has(word)) return;
    if (!byLength.has(word.length)) byLength.set(word.length, []);
    byLength.get(word.length).push(word);
  });
  synonyms = (index.config.synonyms || []).map(function (entry) {
    // A hyphenated reader's phrase is also typed with a space ("after-action review", "after action review").
    var readers = [];
    (entry.readers || []).forEach(function (phrase) {
      readers.push(phraseWords(phrase, true));
      if (/[-‐‑]/.test(phrase)) readers.push(phraseWords(phrase.replace(/[-‐‑]/g, " "), true));
    });
    return { plan: (entry.plan || []).map(function (p) { return phraseWords(p); }).filter(function (w) { return w.length; }),
             readers: readers.filter(function (w) { return w.some(function (r) { return !questions.has(r); }) ||
                                                            w.length > 1; }) };
  }).filter(function (entry) { return entry.plan.length && entry.readers.length; });
  readerWords = new Set();
  synonyms.forEach(function (entry) { entry.readers.forEach(function (r) { r.forEach(function (w) { readerWords.add(w); }); }); });
  var all = new Set(readerWords);
  synonyms.forEach(function (entry) { entry.plan.forEach(function (p) { p.forEach(function (w) { all.add(w); }); }); });
  phraseWords_ = Array.from(all);
  verbBases = new Map();
  readerByLength = new Map();
  readerWords.forEach(function (word) {
    if (word.length < 5 || !/^\p{L}+$/u.test(word) || acronyms.has(word) || questions.has(word)) return;
    if (!readerByLength.has(word.length)) readerByLength.set(word.length, []);
    readerByLength.get(word.length).push(word);
  });
}

/* Per kind of numbered element (entries with ids), the word that opens most of its headings (LABEL_SHARE of them,
 * a kind of LABEL_MIN or more). */
function headingLabels(entries) {
  var byKind = new Map();
  entries.forEach(function (doc) {
    if (typeof doc.title !== "string" || !Array.isArray(doc.ids) || !doc.ids.length) return;
    var kind = byKind.get(doc.kind) || { count: 0, words: new Map() };
    byKind.set(doc.kind, kind);
    kind.count += 1;
    var first = tokenize(unescape(doc.title))[0];
    if (first && /^\p{L}/u.test(first.word)) kind.words.set(first.word, (kind.words.get(first.word) || 0) + 1);
  });
  var labels = new Map();
  byKind.forEach(function (kind, name) {
    if (kind.count < LABEL_MIN) return;
    var words = new Set();
    kind.words.forEach(function (n, word) { if (n >= LABEL_SHARE * kind.count) words.add(word); });
    if (words.size) labels.set(name, words);
  });
  return labels;
}

/* The base of a short verb's forms, which the stems leave apart (they keep five letters): English "vote", "voting"
 * and "voted" are "vot", "share" and "sharing" "shar", "plan" and "planning" "plan", "identify" and "identified"
 * "identify", "coordinate" and "coordination" "coordinat", "advocacy" and "advocate" "advocat"; French "vote" and
 * "voter" "vot". {base, bare}: `bare`
 * when no ending was removed; a bare word is a form of another only when that other has an ending and, unless
 * it doubled the last letter ("planning"), the base has four letters ("help", "helping"; never "car", "caring"). */
var verbBases = new Map();
function verbBase(word) {
  var known = verbBases.get(word);
  if (known) return known;
  known = verbBaseOf(word);
  verbBases.set(word, known);
  return known;
}

function verbBaseOf(word) {
  var m;
  if (lang === "en") {
    if ((m = /^(.{2,}([bdgklmnprtvz]))\2(?:ing|ed)$/.exec(word))) return { base: m[1], bare: false, doubled: true };
    if ((m = /^(.{3,})ied$/.exec(word))) return { base: m[1] + "y", bare: false };
    // "agree", "agreed" and "agreeing" are "agr": an e that ends the base goes too.
    if ((m = /^(.{3,})(?:ing|ed)$/.exec(word))) return { base: m[1].replace(/^(.{3,}?)e+$/, "$1"), bare: false };
    if ((m = /^(.{4,}at)ion$/.exec(word))) return { base: m[1], bare: false };
    if ((m = /^(.{4,})acy$/.exec(word))) return { base: m[1] + "at", bare: false };  // advocacy, advocate
    if ((m = /^(.{3,}?)e+$/.exec(word))) return { base: m[1], bare: false };
    return { base: word, bare: true };
  }
  // A French verb's noun in -ement or -ation (five letters before it: « formation » is no form of « forme »):
  // « se désengage » finds a reader's « désengagement », « activer » an « activation ».
  if ((m = /^(.{5,})(?:ement|ation)$/.exec(word))) return { base: m[1], bare: false };
  if ((m = /^(.{3,}?)(?:er|ez|ee|e)$/.exec(word))) return { base: m[1], bare: false };
  return { base: word, bare: true };
}

function sameVerb(a, b) {
  var x = verbBase(a), y = verbBase(b);
  if (x.base !== y.base || x.base.length < 3 || (x.bare && y.bare)) return false;
  if (lang === "fr") return !x.bare && !y.bare;
  var bare = x.bare ? y : y.bare ? x : null;
  return !bare || bare.doubled || x.base.length >= 4;
}

/* How well a word of the index answers a word of the query: 1 the same word, less a form of it. A word the reader
 * is still typing (the last one) also finds the words it begins, when it is most of them. */
function quality(query, word, typing) {
  if (word === query) return 1;
  if (query.length < 3 || /^\d/.test(query) || /&/.test(query)) return 0;
  var s = stem(word);
  if (s.length >= STEM_MIN && s === stem(query)) return 0.8;
  if (/^\p{L}+$/u.test(query) && /^\p{L}+$/u.test(word) && sameVerb(query, word)) return 0.8;
  if (word.indexOf(query) !== 0) return 0;
  var rest = word.slice(query.length);
  if (query.length >= STEM_MIN - 1 && (SUFFIXES[lang].indexOf(rest) >= 0 || s === query))
    return 0.6 + 0.3 * query.length / word.length;
  if (typing && query.length >= 4 && query.length >= 0.6 * word.length) return 0.5 + 0.3 * query.length / word.length;
  return 0;
}

/* The edits (insertion, deletion, substitution, two neighbours swapped) from `a` to `b`, or limit + 1 when more. */
function edits(a, b, limit) {
  if (Math.abs(a.length - b.length) > limit) return limit + 1;
  var before = null, previous = [], row, i, j;
  for (j = 0; j <= b.length; j++) previous.push(j);
  for (i = 1; i <= a.length; i++) {
    row = [i];
    var least = i;
    for (j = 1; j <= b.length; j++) {
      var cost = a[i - 1] === b[j - 1] ? 0 : 1;
      var d = Math.min(previous[j] + 1, row[j - 1] + 1, previous[j - 1] + cost);
      if (before && i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1]) d = Math.min(d, before[j - 2] + 1);
      row.push(d);
      if (d < least) least = d;
    }
    if (least > limit) return limit + 1;
    before = previous;
    previous = row;
  }
  return previous[b.length];
}

/* The index words nearest a word the index does not hold, within the edits its length allows: {distance, words}. */
function nearest(word) {
  if (!TYPO_EDITS(word.length) || !/^\p{L}+$/u.test(word) || isAcronym(word) || readerWords.has(word))
    return { distance: 0, words: [] };
  return closest(word, byLength);
}

/* The words of `buckets` (words by length) fewest edits away from `word`, within TYPO_EDITS: {distance, words}. */
function closest(word, buckets) {
  var limit = TYPO_EDITS(word.length), best = limit + 1, words = [];
  for (var length = word.length - limit; length <= word.length + limit; length++) {
    (buckets.get(length) || []).forEach(function (candidate) {
      var d = edits(word, candidate, Math.min(limit, best));
      if (d < best) { best = d; words = [candidate]; }
      else if (d === best && d <= limit) words.push(candidate);
    });
  }
  return { distance: best, words: best <= limit ? words : [] };
}

/* The readers' words a typed word is a typo of, when the index has neither it nor a word near it:
 * {distance, words}, as nearest() finds index words ("brochurs" is the reader's "brochure"). */
var readerTypoCache = new Map();
function readerTypo(word) {
  if (readerTypoCache.has(word)) return readerTypoCache.get(word);
  var limit = TYPO_EDITS(word.length);
  var result = limit && /^\p{L}+$/u.test(word) && !readerWords.has(word) && !isAcronym(word) && !questions.has(word) &&
               !matches(word, false).size ? closest(word, readerByLength) : { distance: limit + 1, words: [] };
  readerTypoCache.set(word, result);
  return result;
}

/* The words of the synonym list's phrases a typed word stands for, with what it weighs as each: 1 for the word,
 * a form of its verb or its feminine (sameWord), TYPO per edit for a reader's word it is a typo of. */
var equivalentCache = new Map();
function equivalents(typed) {
  if (equivalentCache.has(typed)) return equivalentCache.get(typed);
  var found = new Map();
  phraseWords_.forEach(function (word) { if (sameWord(typed, word)) found.set(word, 1); });
  var typo = readerTypo(typed);
  typo.words.forEach(function (word) { if (!found.has(word)) found.set(word, Math.pow(TYPO, typo.distance)); });
  equivalentCache.set(typed, found);
  return found;
}

var matchCache = new Map();  // per query: the readings of a query share their words
function matches(word, typing) {
  var key = (typing ? "+" : "-") + word;
  if (matchCache.has(key)) return matchCache.get(key);
  var found = new Map();
  matchCache.set(key, found);
  vocabulary.forEach(function (_, candidate) {
    var q = quality(word, candidate, typing);
    if (q > 0) found.set(candidate, q);
  });
  // Only a word that finds nothing is taken for a typo, so that a word of the plan is never read as another.
  if (!found.size) {
    var near = nearest(word), weight = Math.pow(TYPO, near.distance);
    near.words.forEach(function (intended) {
      matches(intended, false).forEach(function (q, candidate) {
        if (!found.has(candidate) || found.get(candidate) < q * weight) found.set(candidate, q * weight);
      });
    });
  }
  return found;
}

/* The query as the words that decide, in order: each {word, raw, last, weight}. A hyphenated word is one joined
 * word; when the plan never writes it, its parts count as whole words, except a prefix or a single letter.
 * With `questions`, the question words stay too, marked `question` (they never count, but a reader's phrase of the
 * synonym list may hold them). */
var DOTTED = /^(?:\p{L}\.){2,}$|^(?:\p{L}\.)+\p{L}$/u;  // "C.P.I.", "w.f.p", "O.N.G."
/* A French question puts its subject after the verb, joined to it: « est-il », « peut-on », « se retire-t-il ». */
var INVERSION = /[-‐‑](?:t[-‐‑])?(?:il|ils|elle|elles|on)(?=[?!.,;:]*$)/i;

function queryWords(query, keepQuestions) {
  // An acronym typed with dots is the acronym ("C.P.I." is CPI): its letters alone are no words.
  var typed = query.trim().split(/\s+/).filter(Boolean).map(function (raw) {
    return DOTTED.test(raw) ? raw.replace(/\./g, "") : lang === "fr" ? raw.replace(INVERSION, "") : raw;
  }).filter(Boolean), words = [];
  typed.forEach(function (raw, position) {
    var tokens = tokenize(raw), joined = tokens.filter(function (t) { return t.joined; });
    var last = position === typed.length - 1;
    if (!joined.length) {
      tokens.forEach(function (t) { words.push({ word: t.word, raw: raw.toLowerCase(), last: last }); });
      return;
    }
    joined.forEach(function (j) {
      var parts = tokens.filter(function (t) { return !t.joined && t.at > j.at && t.at <= j.at + raw.split(/[-‐‑]/).length; });
      if (j.prefixed) parts = parts.slice(1);  // "e-learning": never "e"; "co-hosting": "hosting" at most
      words.push({ word: j.word, raw: raw.toLowerCase(), last: last,
                   parts: parts.map(function (p) { return p.word; }).filter(function (w) { return w.length >= 3 && meaningful(w); }) });
    });
  });
  return words.filter(function (w) {
    if (meaningful(w.word)) return true;
    w.question = !!keepQuestions && questions.has(w.word);
    return w.question;
  });
}

/* A query's word is a phrase's word when it is that word, a form of its verb ("deactivated" is the reader's
 * "deactivation", « retire » the reader's « retirer ») or, in French, its feminine (« intersectorielle »,
 * « intersectoriel »); stems are too loose here ("committee", "commitment"). */
function sameWord(typed, word) {
  return typed === word || (!questions.has(typed) && !questions.has(word) && /^\p{L}+$/u.test(typed) &&
                            /^\p{L}+$/u.test(word) && (sameVerb(typed, word) || masculine(typed) === masculine(word)));
}

/* A French adjective's masculine (the words are singular already): « intersectorielle » is « intersectoriel »,
 * « locale » « local », « active » « actif ». English words are themselves. */
function masculine(word) {
  if (lang !== "fr" || word.length < 5) return word;
  return word.replace(/elle$/, "el").replace(/enne$/, "en").replace(/ive$/, "if").replace(/([^e])e$/, "$1");
}

/* A term of one reading: its word, the index words it matches with their quality, and what it weighs. */
function term(word, raw, last, weight) {
  return { word: word, raw: raw, weight: weight, matches: matches(word, last) };
}

/* The readings of a query: as typed, then with each reader's phrase of the synonym list replaced by the plan's
 * (or one of an entry's plan phrases by the others; one at a time, then all together), and each short acronym by the glossary acronym it stands for. */
function readings(typed) {
  // A hyphenated word the plan never writes is its parts, for the synonyms too ("se retire-t-il": "retire"),
  // unless a reader's phrase writes it whole ("multi-acteurs").
  var words = [];
  typed.forEach(function (w) {
    if (w.question || !w.parts || !w.parts.length || matches(w.word, w.last).size || readerWords.has(w.word)) words.push(w);
    else w.parts.forEach(function (p) { words.push({ word: p, raw: w.raw, last: false }); });
  });
  var own = words.map(function (w) {
    if (w.question) return [];
    var t = term(w.word, w.raw, w.last, 1);
    if (t.matches.size || !w.parts || !w.parts.length) return [t];
    return w.parts.map(function (p) { return term(p, w.raw, false, 1); });
  });
  var replacements = [];
  // The plan phrases of one entry are the plan's own words for one thing: a query holding one finds the others too.
  synonyms.forEach(function (entry) {
    entry.readers.concat(entry.plan.length > 1 ? entry.plan : []).forEach(function (reader) {
      for (var i = 0; i + reader.length <= words.length; i++) {
        // A word typed one or two letters away from a reader's word is that word, for TYPO of it per edit.
        var factor = 1;
        var same = reader.every(function (r, k) {
          var weight = equivalents(words[i + k].word).get(r);
          if (!weight) return false;
          factor *= weight;
          return true;
        });
        if (same) entry.plan.forEach(function (plan) {
          if (plan !== reader) replacements.push({ from: i, to: i + reader.length, plan: plan, factor: factor });
        });
      }
    });
  });
  words.forEach(function (w, i) {
    if (!w.question) acronymFamily(w.word).forEach(function (a) { replacements.push({ from: i, to: i + 1, plan: [a] }); });
  });
  function replaced(chosen) {
    var terms = [];
    for (var i = 0; i < words.length; i++) {
      var r = chosen.find(function (c) { return c.from === i; });
      if (!r) { terms = terms.concat(own[i]); continue; }
      var raw = words.slice(r.from, r.to).map(function (w) { return w.raw; }).join(" ");
      // The plan's phrase weighs what the reader's words it replaces weigh, never more: "innovation" read as
      // "digital advances" gives each of the two words half of its weight.
      var weight = SYNONYM * Math.min(1, (r.to - r.from) / r.plan.length) * (r.factor || 1);
      r.plan.forEach(function (p) {
        var t = term(p, raw, false, weight);
        if (r.plan.length > 1) t.phrase = r;  // the terms of one plan phrase share it
        terms.push(t);
      });
      i = r.to - 1;
    }
    return terms;
  }
  var result = [[].concat.apply([], own)];
  replacements.slice(0, 12).forEach(function (r) { result.push(replaced([r])); });
  var together = [];
  replacements.forEach(function (r) { if (!together.some(function (c) { return c.from < r.to && r.from < c.to; })) together.push(r); });
  if (together.length > 1) result.push(replaced(together));
  return result.filter(function (terms) { return terms.length; });
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
  var covered = 0, total = 0, positions = [], hits = [];
  // The plan phrases of this reading that the entry holds only some words of.
  var partial = new Set();
  terms.forEach(function (term) { if (term.phrase && !term.holders.has(entry.order)) partial.add(term.phrase); });
  terms.forEach(function (term) {
    var best = idScore(term.word, entry.ids), found = best > 0, at = null;
    Object.keys(entry.fields).forEach(function (name) {
      var weight = FIELDS[name] * (name === "text" ? entry.prose : 1);
      entry.fields[name].forEach(function (token) {
        var q = term.matches.get(token.word);
        if (!q) return;
        found = true;
        if (weight * q > best) best = weight * q;
        if (name === "text" && at === null) at = token.at;
      });
    });
    hits.push(found);
    if (!found) return;
    covered += 1;
    total += best * term.idf * term.weight * (partial.has(term.phrase) ? PARTIAL_PHRASE : 1);
    positions.push(at);
  });
  // Words that follow each other in the text as in the query ("suivi et évaluation") weigh a little more.
  var near = 0;
  for (var i = 1; i < positions.length; i++)
    if (positions[i] !== null && positions[i - 1] !== null && positions[i] > positions[i - 1] &&
        positions[i] - positions[i - 1] <= 3) near++;
  if (positions.length > 1) total *= 1 + 0.5 * near / (positions.length - 1);
  return { covered: terms.length ? covered / terms.length : 0, score: total * entry.boost, hits: hits };
}

function escape(text) {
  return text.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;");
}

/* The entry's escaped HTML with the words that matched marked, as Material marks them. */
function highlight(html, terms) {
  return html.replace(/(^|>)([^<]+)/g, function (_, before, text) {
    return before + escape(unescape(text)).replace(/[\p{L}\p{N}]+(?:['’][\p{L}\p{N}]+)?(?:[-.&][\p{L}\p{N}]+)*/gu, function (word) {
      var tokens = tokenize(word);
      var hit = tokens.some(function (token) {
        return terms.some(function (term) { return term.matches.has(token.word) || term.word === token.word; });
      });
      return hit ? "<mark>" + word + "</mark>" : word;
    });
  });
}

/* The question a query asks ({answers, drop}), or null: the first rule of the language that holds of it. */
function queryIntent(query) {
  var text = fold(query).replace(/[’‘`]/g, "'").replace(/\s+/g, " ").trim(), found = null;
  INTENTS[lang].forEach(function (rule) {
    if (!rule.when.test(text)) return;
    if (!found) found = { answers: rule.answers, drop: new Set(), sides: [] };
    if (rule.answers === found.answers) rule.drop.split(" ").forEach(function (w) { found.drop.add(w); });
  });
  // "The difference between A and B" asks about A and about B: each side's answer answers it.
  if (found && found.answers === "definition" && COMPARE.test(text)) {
    var sides = query.split(SIDES).filter(function (side) { return side.trim(); });
    if (sides.length > 1) found.sides = sides;
  }
  return found;
}

/* How well the entry answers the question the query asks, when its heading holds the query's words (most of their
 * weight and the rarest of them, or all the heading's words): 2 when that question is the first it answers (a
 * glossary term for "what is", an owner for "who leads"), 1 when it answers it too (an owner for "what is"),
 * else 0. "Who leads the Global Logistics Meeting" asks about the meeting, not about the owners whose names say
 * "Global Logistics". */
function answers(entry, terms, intent) {
  if (!intent || entry.answers.indexOf(intent.answers) < 0 || !entry.heading.length || !terms.length) return 0;
  var held = 0, all = 0, rarest = null, rarestHeld = false;
  terms.forEach(function (term) {
    var weight = term.idf * term.weight, holds = entry.heading.some(function (t) { return term.matches.has(t.word); });
    all += weight;
    if (holds) held += weight;
    if (rarest === null || term.idf > rarest) { rarest = term.idf; rarestHeld = holds; }
    else if (term.idf === rarest && holds) rarestHeld = true;
  });
  var whole = entry.heading.every(function (t) { return terms.some(function (term) { return term.matches.has(t.word); }); });
  if (!(held > 0 && ((held >= INTENT_SHARE * all && rarestHeld) || whole))) return 0;
  return entry.answers[0] === intent.answers ? 2 : 1;
}

/* The words of `text` that say what it asks about: the question's own words (`intent.drop`) left out. */
function asked(text, intent) {
  return queryWords(text, true).filter(function (w) { return !intent || !intent.drop.has(w.word) && !intent.drop.has(w.raw); });
}

function rank(found) {
  return found.score * Math.pow(found.covered, COVERAGE_POWER);
}

function search(query) {
  matchCache = new Map();
  readerTypoCache = new Map();
  equivalentCache = new Map();
  var intent = queryIntent(query);
  var words = asked(query, intent);
  var all = words.some(function (w) { return !w.question; }) || synonyms.length ? readings(words) : [];
  if (!all.length) return { items: [] };
  // The readings of each side of a comparison, for its answers only.
  var sides = intent ? [].concat.apply([], intent.sides.map(function (side) {
    return readings(asked(side, intent));
  })) : [];
  all.concat(sides).forEach(function (terms) {
    terms.forEach(function (term) {
      var holders = new Set();
      term.matches.forEach(function (_, word) { vocabulary.get(word).forEach(function (d) { holders.add(d); }); });
      term.idf = Math.log(1 + docs.length / (1 + holders.size));
      term.holders = holders;
    });
  });
  var ranked = [];
  docs.forEach(function (entry) {
    // The reading that answers this entry best: the highest rank (score and share of its words).
    var best = null;
    all.forEach(function (terms) {
      var result = score(entry, terms);
      if (result.covered && (!best || rank(result) > rank(best)))
        best = { covered: result.covered, score: result.score, hits: result.hits, terms: terms };
    });
    if (!best) return;
    var shown = {};
    best.terms.forEach(function (term, i) { shown[term.raw] = shown[term.raw] || best.hits[i]; });
    ranked.push({ entry: entry, covered: best.covered, score: best.score, terms: shown, matched: best.terms,
                  answer: Math.max.apply(null, all.concat(sides).map(function (terms) { return answers(entry, terms, intent); })) });
  });
  ranked.sort(function (a, b) {
    return b.answer - a.answer || rank(b) - rank(a) || b.covered - a.covered || a.entry.order - b.entry.order;
  });
  // One result per element, under the title of its page (Material shows the first item as the page heading).
  var items = ranked.map(function (found) {
    var doc = found.entry.doc;
    var item = { location: doc.location, title: highlight(doc.title, found.matched),
                 text: highlight(doc.text, found.matched), score: found.score, terms: found.terms };
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
