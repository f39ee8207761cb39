/* Unit tests of the search worker's query processing, in Node (`node --test tests/search/worker.test.js`, run by
 * tests/test_search_worker.py). Each test loads overrides/assets/javascripts/search-worker.js in a fresh context
 * with a small index, then speaks Material's protocol to it (SETUP, QUERY) or calls its functions. */
"use strict";
const test = require("node:test");
const assert = require("node:assert/strict");
const fs = require("fs");
const path = require("path");
const vm = require("vm");

const WORKER = fs.readFileSync(path.join(__dirname, "..", "..", "overrides", "assets", "javascripts", "search-worker.js"), "utf8");

// Values cross from the worker's context as JSON, so that they compare as this context's own.
const plainValue = value => JSON.parse(JSON.stringify(value));

function worker(lang, docs, synonyms) {
  let handler = null, answer = null;
  const context = { addEventListener: (type, h) => { handler = h; }, postMessage: m => { answer = m; }, console };
  vm.createContext(context);
  vm.runInContext(WORKER, context);
  // As Material sends it: the index's config (which carries the synonyms) and docs, nothing else.
  handler({ data: { type: 0, data: { config: { lang: [lang], synonyms: synonyms || [] }, docs: docs.map((d, i) => ({
    location: `p.html#d${i}`, title: "", kind: "activity", ...d })), options: {} } } });
  return {
    context,
    search(query) {
      handler({ data: { type: 2, data: query } });
      return plainValue(answer.data.items.map(group => group[0].location));
    },
    items(query) {
      handler({ data: { type: 2, data: query } });
      return plainValue(answer.data.items.map(group => group[0]));
    },
    words(query) { return plainValue(Array.from(context.queryWords(query), w => w.word)); }
  };
}

test("French elision: d'…, l’…, qu'… are the word itself, in the query and in the index", () => {
  const w = worker("fr", [{ text: "Assurer le déploiement d’experts." }, { text: "Les lacunes de l'évaluation." }]);
  for (const query of ["d'experts", "d’experts", "experts", "l'expert"]) assert.deepEqual(w.search(query), ["p.html#d0"], query);
  for (const query of ["l'évaluation", "l’évaluation", "d'évaluation", "qu'évaluation"]) assert.deepEqual(w.search(query), ["p.html#d1"], query);
  assert.deepEqual(w.words("qu’est-ce que l'évaluation"), ["evaluation"]);
  assert.deepEqual(w.words("jusqu'aux lorsqu'il"), []);
});

test("question words are function words in both languages", () => {
  const fr = worker("fr", [{ text: "Comment, quoi, où, quel, quelle, quels, quelles, qui : former." }]);
  for (const q of ["comment", "quoi", "où", "quel", "quelle", "quels", "quelles", "qui", "qu'est-ce que"])
    assert.deepEqual(fr.words(q), [], q);
  assert.deepEqual(fr.words("comment former les partenaires"), ["former", "partenaire"]);
  const en = worker("en", [{ text: "How, what, where, which, who: train." }]);
  for (const q of ["how", "what", "where", "which", "who"]) assert.deepEqual(en.words(q), [], q);
  assert.deepEqual(en.words("how do we train partners"), ["train", "partner"]);
});

test("acronym plurals and shorter forms find the acronym, from the glossary and the capitals of the index", () => {
  const docs = [{ text: "Emphasis on national NGOs and CBOs.", location: "pillars/1.html#a-1" },
                { title: "NNGO", text: "National non-governmental organisation", kind: "acronym", location: "glossary.html#acronym-nngo" },
                { title: "CBO", text: "Community-based organisation", kind: "acronym", location: "glossary.html#acronym-cbo" },
                { text: "Cabbage and cobs.", location: "pillars/1.html#a-2" }];
  const en = worker("en", docs);
  for (const query of ["NGOs", "ngos", "NGO", "CBOs", "cbos"]) {
    const found = en.search(query);
    assert.equal(found[0], "pillars/1.html#a-1", query);
    assert.ok(!found.includes("pillars/1.html#a-2"), query);
  }
  assert.ok(en.search("NGOs").includes("glossary.html#acronym-nngo"));
  assert.equal(en.search("NNGOs")[0], "glossary.html#acronym-nngo");
  const fr = worker("fr", [{ text: "L'accent sur les ONGN et les OBC.", location: "pillars/1.html#a-1" },
                           { title: "ONGN", text: "Organisation non gouvernementale nationale", kind: "acronym", location: "glossary.html#acronym-nngo" },
                           { text: "Les ongles et les obus.", location: "pillars/1.html#a-2" }]);
  for (const query of ["ONG", "ONGs", "ong", "OBCs", "ONGN"]) {
    const found = fr.search(query);
    assert.ok(found.length && !found.includes("pillars/1.html#a-2"), `${query}: ${found}`);
    assert.ok(found.includes("pillars/1.html#a-1"), query);
  }
});

test("forms of a word match; unrelated words that share a beginning do not", () => {
  const en = worker("en", [{ text: "Implementing it directly." }, { text: "A database of partners." },
                           { text: "Staff were recruited." }, { text: "Training formats." }]);
  assert.deepEqual(en.search("directory"), []);
  assert.deepEqual(en.search("directly"), ["p.html#d0"]);
  assert.deepEqual(en.search("recruitment"), ["p.html#d2"]);
  assert.deepEqual(en.search("format"), ["p.html#d3"]);
  const fr = worker("fr", [{ text: "Les commentaires des partenaires." }, { text: "Un personnel recruté." },
                           { text: "Former le personnel." }]);
  assert.deepEqual(fr.search("comment"), []);
  assert.deepEqual(fr.search("comment former"), ["p.html#d2"]);
  assert.deepEqual(fr.search("recrutement"), ["p.html#d1"]);
  assert.deepEqual(fr.search("commentaire"), ["p.html#d0"]);
});

test("a hyphenated word with a prefix or a single letter stays whole: its fragments never match short tokens", () => {
  const en = worker("en", [{ text: "Tools (e.g. RITA) and co-ordination, co chairs." }, { text: "Set up online training platforms." },
                           { text: "Bring together multiple stakeholders." }]);
  assert.deepEqual(en.words("e-learning"), ["elearning"]);
  assert.deepEqual(en.search("e-learning"), []);
  assert.ok(!en.search("co-hosting").includes("p.html#d0"));
  const synonyms = [{ plan: ["online training"], readers: ["e-learning"] }, { plan: ["multiple stakeholders"], readers: ["multi-stakeholder"] }];
  const withSynonyms = worker("en", [{ text: "Tools (e.g. RITA) and co-ordination." }, { text: "Set up online training platforms." },
                                     { text: "Bring together multiple stakeholders." }], synonyms);
  assert.deepEqual(withSynonyms.search("e-learning"), ["p.html#d1"]);
  assert.deepEqual(withSynonyms.search("multi-stakeholder")[0], "p.html#d2");
  // A hyphenated word whose parts are words keeps the parts as whole words when the plan never joins them.
  const fr = worker("fr", [{ text: "Le suivi et l'évaluation." }, { text: "Suivre la route." }]);
  assert.deepEqual(fr.search("suivi-évaluation"), ["p.html#d0"]);
});

test("synonyms: the reader's phrase finds the plan's, below the plan's own words", () => {
  const synonyms = [{ plan: ["capacity strengthening"], readers: ["capacity building"] }, { plan: ["monitoring and evaluation"], readers: ["M&E"] }];
  const en = worker("en", [{ text: "Capacity strengthening for partners." }, { text: "Capacity building for partners." },
                           { text: "A monitoring and evaluation framework." }, { text: "Me and everyone." }], synonyms);
  assert.deepEqual(en.search("capacity building").slice(0, 2), ["p.html#d1", "p.html#d0"]);
  assert.deepEqual(en.search("M&E"), ["p.html#d2"]);
  assert.deepEqual(en.search("m&e framework")[0], "p.html#d2");
  const fr = worker("fr", [{ text: "Plateformes de formation en ligne." }], [{ plan: ["formation en ligne"], readers: ["e-learning", "S&E"] }]);
  assert.deepEqual(fr.search("E-Learning"), ["p.html#d0"]);
  assert.deepEqual(fr.search("modules e-learning"), ["p.html#d0"]);
});

test("other pages' prose does not outrank the activity a query describes; their headings still do", () => {
  const docs = [{ kind: "section", location: "governance.html#management", title: "Management",
                  text: "The working groups track progress and monitor the implementation of the exit strategies." },
                { location: "pillars/4.html#a-4.3.1.1", text: "Develop exit strategies with partners." },
                { kind: "section", location: "governance.html#review", title: "Review of the plan", text: "The partners review it." }];
  const en = worker("en", docs);
  assert.equal(en.search("exit strategies")[0], "pillars/4.html#a-4.3.1.1");
  assert.equal(en.search("review")[0], "governance.html#review");
});

test("previews mark what matched, the elided word included", () => {
  const fr = worker("fr", [{ text: "<p>Le déploiement d’experts.</p>" }]);
  assert.match(fr.items("experts")[0].text, /<mark>d’experts<\/mark>/);
});

test("typos: a word the index does not hold finds the index words one edit away (two when long), below exact ones", () => {
  const fr = worker("fr", [{ text: "Plaidoyer auprès des donateurs." }, { text: "Renforcer la coordination." },
                           { text: "Le plan de la route." }, { text: "Les ONGN et la SOP." }]);
  assert.deepEqual(fr.search("plaidoier"), ["p.html#d0"]);         // substitution, 9 letters
  assert.deepEqual(fr.search("plaidoyre"), ["p.html#d0"]);         // two neighbours swapped
  assert.deepEqual(fr.search("coordiantion"), ["p.html#d1"]);
  assert.deepEqual(fr.search("cordination"), ["p.html#d1"]);       // deletion
  assert.deepEqual(fr.search("coordinnatoin"), ["p.html#d1"]);     // two edits on a long word
  assert.deepEqual(fr.search("coordination"), ["p.html#d1"]);
  // Never for short words, numbers or acronyms: one letter away from them is another word.
  assert.deepEqual(fr.search("plat"), []);
  assert.deepEqual(fr.search("rouet"), ["p.html#d2"]);             // 5 letters: one edit
  assert.deepEqual(fr.search("rouets"), ["p.html#d2"]);
  assert.deepEqual(fr.search("2.3.9"), []);
  assert.deepEqual(fr.search("ONGX"), []);
  assert.deepEqual(fr.words("plaidoier"), ["plaidoier"]);
  const en = worker("en", [{ text: "Advocacy with donors." }, { text: "Advocate for the advocasy campaign." },
                           { text: "Coordination of partners." }]);
  // A word the index holds is never read as a typo of another; three edits are too many for eight letters.
  assert.deepEqual(en.search("advocasy"), ["p.html#d1"]);
  assert.deepEqual(en.search("advocacy"), ["p.html#d0", "p.html#d1"], "advocacy, then advocate (one word), never advocasy");
  assert.deepEqual(en.search("adwokasy"), []);
  // A typo's entries come after the entries holding the words as typed.
  assert.deepEqual(en.search("coordination partnerz"), ["p.html#d2"]);
  const both = worker("en", [{ text: "Advocacy with donors." }, { text: "Donor advocacy and advocates." }]);
  assert.deepEqual(both.search("advocacyy donors").length, 2);
  const w = worker("en", [{ text: "Advocacy with donors." }]);
  assert.match(w.items("advocacu")[0].text, /<mark>Advocacy<\/mark>/);
});

test("typos: a word of the synonym list's readers is a known word, never a typo of an index word", () => {
  const en = worker("en", [{ text: "Build a database." }, { text: "Implemented directly." }, { text: "Setting up a registre." }],
                    [{ plan: ["database"], readers: ["directory", "registry"] }]);
  assert.deepEqual(en.search("directory"), ["p.html#d0"]);
  assert.deepEqual(en.search("registry"), ["p.html#d0"]);
  const bare = worker("en", [{ text: "Setting up a registre." }]);
  assert.deepEqual(bare.search("registry"), ["p.html#d0"]);
});

test("synonyms: an entry's plan phrases find each other, and a hyphenated reader's phrase is found typed with a space", () => {
  const synonyms = [{ plan: ["enseignements tirés", "leçons apprises"], readers: ["revue après-action"] }];
  const fr = worker("fr", [{ text: "Partager les leçons apprises." }, { text: "Suivre les enseignements tirés." },
                           { text: "Une revue de la route." }], synonyms);
  assert.deepEqual(fr.search("leçons apprises"), ["p.html#d0", "p.html#d1"]);
  assert.deepEqual(fr.search("enseignements tirés"), ["p.html#d1", "p.html#d0"]);
  assert.deepEqual(fr.search("revue après-action").slice(0, 2).sort(), ["p.html#d0", "p.html#d1"]);
  assert.deepEqual(fr.search("revue après action").slice(0, 2).sort(), ["p.html#d0", "p.html#d1"]);
});

test("an acronym typed with dots is the acronym", () => {
  const w = worker("fr", [{ text: "Les forums inter-clusters du CPI" }, { text: "Le PAM et les partenaires" }]);
  for (const q of ["C.P.I.", "c.p.i", "C.P.I"]) assert.deepEqual(w.search(q), ["p.html#d0"], q);
  assert.deepEqual(w.search("p.a.m."), ["p.html#d1"]);
  assert.deepEqual(w.words("C.P.I."), ["cpi"]);
  assert.deepEqual(w.words("1.2.3"), ["1.2.3"], "an id keeps its dots");
});

test("a short verb's forms are one word: vote and voting, share and shared, plan and planning, coordinate and coordination, advocate and advocacy", () => {
  const en = worker("en", [{ text: "Stakeholders have no voting rights." }, { text: "Stakeholders provide resources." },
                           { text: "Information is shared." }, { text: "Planning the response." },
                           { text: "Coordination of partners." }, { text: "Staff were identified." },
                           { text: "Caring for the helping hand." }]);
  assert.deepEqual(en.search("stakeholders vote")[0], "p.html#d0");
  assert.deepEqual(en.search("share"), ["p.html#d2"]);
  assert.deepEqual(en.search("sharing"), ["p.html#d2"]);
  assert.deepEqual(en.search("plan"), ["p.html#d3"]);
  assert.deepEqual(en.search("coordinate"), ["p.html#d4"]);
  assert.deepEqual(en.search("identify"), ["p.html#d5"]);
  assert.deepEqual(en.search("help"), ["p.html#d6"]);
  const advocacy = worker("en", [{ text: "Conduct advocacy on cluster activation." }, { text: "Activation procedures." }]);
  assert.deepEqual(advocacy.search("advocating for activation")[0], "p.html#d0");
  assert.deepEqual(advocacy.search("advocate"), ["p.html#d0"]);
  // A bare word of three letters is no base of an -ing form: a car is not caring.
  assert.deepEqual(en.search("car"), []);
  const fr = worker("fr", [{ text: "Le droit de vote." }, { text: "Voter le budget." }]);
  assert.deepEqual(fr.search("voter").sort(), ["p.html#d0", "p.html#d1"]);
});

test("prepositions are function words: entre, lors, pendant; between, about, during", () => {
  const fr = worker("fr", [{ text: "Le prêt de personnel." }]);
  assert.deepEqual(fr.words("prêt de personnel entre partenaires lors d'une crise"), ["pret", "personnel", "partenaire", "crise"]);
  const en = worker("en", [{ text: "Staff loans." }]);
  assert.deepEqual(en.words("difference between partners and stakeholders during a crisis"), ["difference", "partner", "stakeholder", "crisis"]);
});

test("a definition or owner question brings the glossary term, the acronym or the owner whose heading it names", () => {
  const fr = worker("fr", [
    { location: "pillars/1.html#a-1", text: "Mobiliser les ressources des partenaires et des parties prenantes." },
    { location: "pillars/3.html#a-2", text: "Soutenir les formations régionales des partenaires.", owners: "Équipe de Rome" },
    { location: "pillars/3.html#a-3", text: "Mettre en place des plateformes de formation en ligne.", owners: "Groupe de travail sur la formation" },
    { location: "glossary.html#term-partners", kind: "glossary", title: "Partenaires", text: "Organisations humanitaires.", answers: ["definition"] },
    { location: "glossary.html#term-stakeholders", kind: "glossary", title: "Parties prenantes", text: "Entités non humanitaires.", answers: ["definition"] },
    { location: "glossary.html#acronym-psea", kind: "acronym", title: "PSEA", text: "Protection contre l'exploitation et les abus sexuels", answers: ["definition"], aka: "Protection contre l'exploitation et les abus sexuels" },
    { location: "pillars/2.html#a-4", text: "Intégrer la PSEA et le genre." },
    { location: "owners.html#owner-training-wg", kind: "section", title: "Groupe de travail sur la formation", text: "GT formation 0 sur 2 terminée", answers: ["owner", "definition"], aka: "GT formation" }]);
  assert.deepEqual(fr.search("différence entre partenaire et partie prenante").slice(0, 2).sort(),
                   ["glossary.html#term-partners", "glossary.html#term-stakeholders"]);
  assert.equal(fr.search("partenaires et parties prenantes")[0], "pillars/1.html#a-1", "no question: the activity first");
  assert.equal(fr.search("qui pilote les activités de formation")[0], "owners.html#owner-training-wg");
  assert.equal(fr.search("formation responsable de")[0], "owners.html#owner-training-wg");
  assert.equal(fr.search("que veut dire PSEA")[0], "glossary.html#acronym-psea");
  assert.equal(fr.search("qu'est-ce que la PSEA ?")[0], "glossary.html#acronym-psea");
  assert.equal(fr.search("PSEA")[0], "pillars/2.html#a-4", "no question: the activity that uses it first");
  // A question whose words no answer's heading holds ranks as before; "organise" asks no owner.
  assert.equal(fr.search("qui pilote les formations régionales")[0], "pillars/3.html#a-2");
  const en = worker("en", [
    { location: "pillars/3.html#a-1", text: "Set up online training platforms.", owners: "Training Working Group" },
    { location: "pillars/1.html#a-2", text: "Maintain a directory of partners.", owners: "Partnerships Working Group" },
    { location: "pillars/1.html#a-3", text: "Hold regular Strategic Advisory Group (SAG) consultations." },
    { location: "glossary.html#acronym-sag", kind: "acronym", title: "SAG", text: "Strategic Advisory Group", answers: ["definition"], aka: "Strategic Advisory Group" },
    { location: "owners.html#owner-training-wg", kind: "section", title: "Training Working Group", text: "Training WG 0 of 2 completed", answers: ["owner", "definition"], aka: "Training WG" },
    { location: "owners.html#owner-partnerships-wg", kind: "section", title: "Partnerships Working Group", text: "Partnerships WG", answers: ["owner", "definition"], aka: "Partnerships WG" }]);
  assert.equal(en.search("activities owned by the training working group")[0], "owners.html#owner-training-wg");
  assert.equal(en.search("who leads training")[0], "owners.html#owner-training-wg");
  assert.equal(en.search("who is responsible for online training platforms")[0], "pillars/3.html#a-1",
               "the owner's heading holds too little of the question: the activity, which names its owner, first");
  assert.equal(en.search("what is the SAG")[0], "glossary.html#acronym-sag");
  assert.equal(en.search("what does SAG stand for")[0], "glossary.html#acronym-sag");
  assert.equal(en.search("SAG consultations")[0], "pillars/1.html#a-3");
  assert.equal(en.search("who maintains the partner directory")[0], "pillars/1.html#a-2");
});

test("a reader's phrase may hold question words (qui fait quoi, who does what), and 3W is one word", () => {
  const fr = worker("fr", [{ text: "Clarifier les rôles et responsabilités." }, { text: "Ce qui est fait." }],
                    [{ plan: ["rôles et responsabilités"], readers: ["qui fait quoi"] }]);
  assert.deepEqual(fr.search("qui fait quoi en préparation")[0], "p.html#d0");
  assert.deepEqual(fr.search("fait"), ["p.html#d1"], "the phrase's one content word alone is not the phrase");
  const en = worker("en", [{ text: "Map actors from all sectors." }, { text: "Pillar 3 and its 3 outputs." },
                           { text: "Clarify roles and responsibilities." }],
                    [{ plan: ["map actors"], readers: ["3W", "who does what where"] }, { plan: ["roles and responsibilities"], readers: ["who does what"] }]);
  assert.deepEqual(en.words("3W matrix"), ["3w", "matrix"]);
  assert.deepEqual(en.search("3W"), ["p.html#d0"]);
  assert.deepEqual(en.search("who does what")[0], "p.html#d2");
  assert.deepEqual(en.search("who does what where")[0], "p.html#d0");
  assert.deepEqual(en.search("what"), []);
});

test("synonyms: a query finds a reader's phrase in another form of its verb, never through a loose stem", () => {
  const en = worker("en", [{ text: "Support the phase-out of operations." }, { text: "Minimum commitments of members." },
                           { text: "Set up working groups." }],
                    [{ plan: ["phase-out"], readers: ["deactivation"] }, { plan: ["working groups"], readers: ["committees"] }]);
  assert.deepEqual(en.search("deactivated"), ["p.html#d0"]);
  assert.deepEqual(en.search("cluster deactivates"), ["p.html#d0"]);
  assert.deepEqual(en.search("committments"), ["p.html#d1"], "a typo of commitment, not the reader's committees");
  const fr = worker("fr", [{ text: "Le retrait progressif des opérations." }], [{ plan: ["retrait progressif"], readers: ["se retirer"] }]);
  assert.deepEqual(fr.search("quand le cluster se retire-t-il"), ["p.html#d0"]);
});

test("synonyms: a plan phrase longer than the reader's words weighs no more than they do", () => {
  const synonyms = [{ plan: ["digital advances", "innovation"], readers: ["drones"] }];
  const en = worker("en", [{ text: "Increase operational innovation." }, { text: "Keep abreast of digital advances." }], synonyms);
  assert.deepEqual(en.search("innovation"), ["p.html#d0", "p.html#d1"], "the plan's own word first, its other phrase after");
  assert.deepEqual(en.search("digital advances"), ["p.html#d1", "p.html#d0"]);
  assert.deepEqual(en.search("drones").sort(), ["p.html#d0", "p.html#d1"]);
});

test("the label that opens every heading of a kind (Activité 1.1, Output 2.3) says nothing of what an element is about", () => {
  const fr = worker("fr", [{ title: "Activité 1.1", ids: ["1.1"], text: "Former le cluster." },
                           { title: "Activité 1.2", ids: ["1.2"], text: "Expliquer les procédures d'activation du cluster." },
                           { title: "Activité 1.3", ids: ["1.3"], text: "Partager les pratiques." }]);
  assert.deepEqual(fr.search("cluster activé")[0], "p.html#d1", "activé is activation, not the label Activité");
  assert.equal(fr.search("activités").length, 3, "the label still finds its elements");
  assert.deepEqual(fr.search("1.3"), ["p.html#d2"]);
});

test("an activity's status and owners line is shown, but weighs as its status and owners, not as its text", () => {
  const meta = owner => `<p class="sip-search-meta">Not reported · Owner: ${owner}</p>`;
  const en = worker("en", [
    { text: "<p>Create a guidance note for partners.</p> " + meta("Partnerships Working Group"), owners: "Partnerships Working Group" },
    { text: "<p>Set up working groups on priority issues.</p> " + meta("Strategic Advisory Group"), owners: "Strategic Advisory Group" }]);
  assert.deepEqual(en.search("working groups")[0], "p.html#d1", "the activity about working groups, not one a working group owns");
  assert.deepEqual(en.search("partnerships working group")[0], "p.html#d0", "the owner still finds its activities");
  assert.match(en.items("partnerships")[0].text, /Owner: <mark>Partnerships<\/mark> Working Group/, "and the preview marks it");
});

test("synonyms: a French query finds a reader's adjective in its feminine too", () => {
  const fr = worker("fr", [{ text: "Représentées au niveau inter-groupes." }, { text: "La coordination des partenaires." }],
                    [{ plan: ["inter-groupes"], readers: ["intersectoriel"] }, { plan: ["partenaires"], readers: ["acteurs locaux"] }]);
  assert.deepEqual(fr.search("intersectorielle")[0], "p.html#d0");
  assert.deepEqual(fr.search("coordination intersectorielle").sort(), ["p.html#d0", "p.html#d1"]);
  assert.deepEqual(fr.search("actrices locales"), [], "a noun's feminine is another word");
  assert.deepEqual(fr.search("acteurs locaux"), ["p.html#d1"]);
});

test("a question's answers: the heading must hold its rarest word; a glossary term answers what, an owner who", () => {
  const en = worker("en", [
    { location: "pillars/1.html#a-1", text: "Organise Global Logistics Meetings for professionals.", owners: "Global Logistics Cluster Support Team" },
    { location: "pillars/3.html#a-2", text: "Set up online training platforms.", owners: "Training Working Group" },
    { location: "pillars/1.html#a-3", text: "Partners of the Logistics Cluster share data." },
    { location: "glossary.html#term-glc", kind: "glossary", title: "Global Logistics Cluster", text: "Teams, partners and stakeholders.", answers: ["definition"] },
    { location: "owners.html#owner-glc", kind: "section", title: "Global Logistics Cluster", text: "GLC", answers: ["owner", "definition"], aka: "GLC" },
    { location: "owners.html#owner-rome", kind: "section", title: "Global Logistics Cluster Support Team", text: "Support Team", answers: ["owner", "definition"], aka: "Support Team" },
    { location: "owners.html#owner-training-wg", kind: "section", title: "Training Working Group", text: "Training WG", answers: ["owner", "definition"], aka: "Training WG" }]);
  assert.equal(en.search("who leads the Global Logistics Meetings")[0], "pillars/1.html#a-1",
               "the owners' headings say Global Logistics, not Meetings");
  assert.equal(en.search("which group leads the training activities")[0], "owners.html#owner-training-wg");
  assert.deepEqual(en.search("what is the Global Logistics Cluster").slice(0, 2), ["glossary.html#term-glc", "owners.html#owner-glc"],
                   "the glossary term first, then the owner of that name");
  assert.equal(en.search("who leads the Global Logistics Cluster")[0], "owners.html#owner-glc");
  const fr = worker("fr", [
    { location: "pillars/3.html#a-1", text: "Soutenir les formations régionales." },
    { location: "owners.html#owner-training-wg", kind: "section", title: "Groupe de travail sur la formation", text: "GT formation", answers: ["owner", "definition"], aka: "GT formation" },
    { location: "glossary.html#term-sag", kind: "glossary", title: "Groupe consultatif stratégique (GCS)", text: "Groupe de partenaires.", answers: ["definition"] },
    { location: "pillars/1.html#a-2", text: "Consultations du GCS sur le rôle de la logistique." }]);
  assert.equal(fr.search("quel groupe pilote les formations")[0], "owners.html#owner-training-wg");
  assert.equal(fr.search("rôle du GCS")[0], "glossary.html#term-sag");
});

test("an activity comes before the output above it when both hold the query's words", () => {
  const docs = [
    { location: "pillars/2.html#output-2.2.1", kind: "output", ids: ["2.2.1"], title: "Output 2.2.1",
      text: "Good environmental practices in the humanitarian logistics community." },
    { location: "pillars/2.html#a-2.2.1.3", ids: ["2.2.1.3"], title: "Activity 2.2.1.3",
      text: "Adopt good environmental practices in supply chain activities.", owners: "Logistics Cluster teams",
      context: "Good environmental practices in the humanitarian logistics community." }];
  docs.push({ text: "Logistics meetings." });
  const en = worker("en", docs);
  assert.deepEqual(en.search("environmental practices logistics").slice(0, 2), ["pillars/2.html#a-2.2.1.3", "pillars/2.html#output-2.2.1"]);
  assert.deepEqual(en.search("2.2.1")[0], "pillars/2.html#output-2.2.1", "its id still lands on the output");
});

test("typos: a word one or two letters away from a reader's word is that word, when the index has nothing near it", () => {
  const synonyms = [{ plan: ["awareness-raising materials"], readers: ["brochures", "leaflets"] },
                    { plan: ["information products"], readers: ["sitreps"] }];
  const en = worker("en", [{ text: "Create awareness-raising materials." }, { text: "Staff management, information products." },
                           { text: "Brochures of the plan." }], synonyms);
  assert.deepEqual(en.search("leaflts"), ["p.html#d0"]);
  assert.deepEqual(en.search("sitrpes"), ["p.html#d1"]);
  assert.deepEqual(en.search("brochurez")[0], "p.html#d2", "a word near one the index holds is a typo of that word");
  assert.deepEqual(en.search("leaflets")[0], "p.html#d0");
  assert.deepEqual(en.words("leaflts"), ["leaflt"], "the word itself is unchanged");
});

test("a comparison (difference between A and B, A vs B) brings the answers for A and for B", () => {
  const fr = worker("fr", [
    { location: "pillars/4.html#a-1", text: "Soutien aux opérations dans les pays.", owners: "Équipe du Groupe sectoriel Logistique Rome · GSL Rome" },
    { location: "pillars/4.html#a-2", text: "Appui des équipes pays.", owners: "Équipes dans le monde" },
    { location: "glossary.html#term-gsl-rome", kind: "glossary", title: "Équipe de soutien (Rome) (GSL Rome)", text: "Située au siège, elle soutient les équipes.", answers: ["definition"] },
    { location: "glossary.html#term-gsl-country", kind: "glossary", title: "Équipe de soutien (pays) (GSL pays)", text: "Personnel travaillant dans un pays.", answers: ["definition"] }]);
  assert.deepEqual(fr.search("différence entre GSL Rome et GSL pays").slice(0, 2).sort(),
                   ["glossary.html#term-gsl-country", "glossary.html#term-gsl-rome"]);
  const en = worker("en", [
    { location: "pillars/1.html#a-1", text: "Mobilise partners and stakeholders." },
    { location: "glossary.html#term-partners", kind: "glossary", title: "Partners", text: "Humanitarian organisations.", answers: ["definition"] },
    { location: "glossary.html#term-stakeholders", kind: "glossary", title: "Stakeholders", text: "Non-humanitarian entities.", answers: ["definition"] }]);
  assert.deepEqual(en.search("partners vs stakeholders").slice(0, 2).sort(), ["glossary.html#term-partners", "glossary.html#term-stakeholders"]);
});

test("« responsable de » asks for an owner; « responsable désigné » does not (the rule ends at a word's end)", () => {
  const fr = worker("fr", [
    { location: "pillars/1.html#a-1", text: "Désigner des points focaux dans les activités de formation." },
    { location: "owners.html#owner-not-recorded", kind: "section", title: "Responsable non indiqué", text: "Activités terminées sans indiquer qui les a réalisées." },
    { location: "owners.html#owner-training-wg", kind: "section", title: "Groupe de travail sur la formation", text: "GT formation", answers: ["owner", "definition"], aka: "GT formation" }]);
  assert.equal(fr.context.queryIntent("activités sans responsable désigné"), null);
  assert.equal(fr.search("activités sans responsable désigné")[0], "owners.html#owner-not-recorded",
               "« responsable » is a word of the query, which the heading holds");
  assert.equal(fr.context.queryIntent("responsable des formations").answers, "owner");
  assert.equal(fr.search("responsable des formations")[0], "owners.html#owner-training-wg");
});

test("a French question's inverted subject and its auxiliary verbs say nothing: « peut-il être », « est-il », « se retire-t-il »", () => {
  const fr = worker("fr", [
    { location: "governance.html#review", kind: "section", title: "Examen du SIP", text: "Le SIP restera ouvert à des modifications." },
    { location: "pillars/4.html#a-1", text: "Les partenaires peuvent être formés ; chaque partenaire peut y participer." },
    { location: "pillars/4.html#a-2", text: "Retirer le cluster d'un pays." }]);
  assert.deepEqual(fr.words("comment le SIP peut-il être modifié ?"), ["sip", "modifie"]);
  assert.deepEqual(fr.words("le plan est-il mis à jour"), ["plan", "mis", "jour"]);
  assert.deepEqual(fr.words("quand le cluster se retire-t-il"), ["cluster", "retire"]);
  assert.deepEqual(fr.words("doit-on former les partenaires"), ["former", "partenaire"]);
  assert.equal(fr.search("comment le SIP peut-il être modifié ?")[0], "governance.html#review",
               "« peut » and « être » no longer find the activity that says them");
  assert.deepEqual(fr.words("peut-être"), ["peutetre"], "a hyphenated word that is no inversion stays whole");
});

test("a verb in -ifier / -ify and its noun in -ification are one word; specific is not specify", () => {
  const fr = worker("fr", [{ text: "Ouvert à des modifications et à la planification." }, { text: "Modalités spécifiques." }]);
  for (const q of ["modifié", "modifier", "modification", "planifier"]) assert.deepEqual(fr.search(q), ["p.html#d0"], q);
  const en = worker("en", [{ text: "Open to modification; identification of gaps." }, { text: "Specific modalities." },
                           { text: "Specify the needs." }]);
  for (const q of ["modify", "modified", "identify", "identified"]) assert.deepEqual(en.search(q), ["p.html#d0"], q);
  assert.deepEqual(en.search("specific"), ["p.html#d1"]);
});

test("how to become or join something asks what it is: the glossary term first; join, rejoindre read as the plan's participation", () => {
  const synonyms = { fr: [{ plan: ["participation", "adhésion"], readers: ["rejoindre", "adhérer", "devenir membre"] }],
                     en: [{ plan: ["participation", "membership"], readers: ["join", "become a member"] }] };
  const fr = worker("fr", [
    { location: "pillars/2.html#a-1", text: "Renforcer les capacités des partenaires du Groupe sectoriel Logistique." },
    { location: "pillars/1.html#a-2", text: "Faire connaître les engagements liés à la participation au Groupe sectoriel Logistique." },
    { location: "pillars/3.html#a-3", text: "Devenir une référence pour la logistique." },
    { location: "glossary.html#term-partners", kind: "glossary", title: "Partenaires", text: "Organisations humanitaires engagées dans l'approche sectorielle.", answers: ["definition"] }],
    synonyms.fr);
  assert.equal(fr.context.queryIntent("comment devenir partenaire du cluster logistique ?").answers, "definition");
  assert.equal(fr.search("comment devenir partenaire du Groupe sectoriel Logistique ?")[0], "glossary.html#term-partners");
  assert.equal(fr.search("partenaires du Groupe sectoriel Logistique")[0], "pillars/2.html#a-1", "no question: the activity first");
  assert.equal(fr.search("comment rejoindre le Groupe sectoriel Logistique")[0], "pillars/1.html#a-2");
  assert.equal(fr.search("devenir une référence")[0], "pillars/3.html#a-3", "« devenir » without « comment » is a word");
  const en = worker("en", [
    { location: "pillars/2.html#a-1", text: "Strengthen the capacities of Logistics Cluster partners." },
    { location: "pillars/1.html#a-2", text: "Make the commitments of participation in the Logistics Cluster known." },
    { location: "pillars/4.html#a-3", text: "Turn findings into recommendations, so that they become lessons learned." },
    { location: "glossary.html#term-partners", kind: "glossary", title: "Partners", text: "Humanitarian organisations engaged in the cluster approach.", answers: ["definition"] }],
    synonyms.en);
  assert.equal(en.search("how do I become a partner of the logistics cluster?")[0], "glossary.html#term-partners");
  assert.equal(en.search("how can my organisation join the logistics cluster")[0], "pillars/1.html#a-2");
  assert.deepEqual(en.words("how can my organisation join"), ["organisation", "join"], "my is a function word");
  assert.equal(en.search("become lessons learned")[0], "pillars/4.html#a-3");
});

test("an entry that holds most of a query's words in its own text comes before one that holds them all only in the text above it", () => {
  const context = "Une matrice commune et des stratégies pour la préparation et la réponse.";
  const fr = worker("fr", [
    { location: "pillars/2.html#a-1", text: "Élaborer une matrice des rôles pour la préparation et l'intervention." },
    { location: "pillars/4.html#a-2", text: "Élaborer une stratégie nationale en définissant les rôles.", context },
    { location: "pillars/4.html#a-3", text: "Former les logisticiens.", context },
    { location: "pillars/4.html#a-4", text: "Partager les données.", context },
    { location: "pillars/3.html#a-5", text: "Recruter des coordinateurs." }]);
  assert.deepEqual(fr.search("matrice des rôles en préparation et en réponse").slice(0, 2),
                   ["pillars/2.html#a-1", "pillars/4.html#a-2"], "3 of 4 words where they count, before 4 of 4 mostly above");
  assert.equal(fr.search("stratégie nationale préparation réponse")[0], "pillars/4.html#a-2",
               "all the words, some of them above it, still come before fewer of them");
  assert.equal(fr.search("matrice des rôles réponse")[0], "pillars/4.html#a-2",
               "one word missing of three: all of them first");
});

test("synonyms: a French verb finds a reader's noun in -ement or -ation (se désengage, désengagement), never formation for forme", () => {
  const synonyms = [{ plan: ["stratégies de sortie"], readers: ["désengagement"] },
                    { plan: ["supports de sensibilisation"], readers: ["formation"] }];
  const fr = worker("fr", [{ text: "Élaborer des stratégies de sortie." }, { text: "Des supports de sensibilisation." },
                           { text: "Le cluster prend une autre forme." }], synonyms);
  assert.equal(fr.search("comment le cluster se désengage-t-il ?")[0], "p.html#d0");
  assert.equal(fr.search("se désengager d'un pays")[0], "p.html#d0");
  assert.equal(fr.context.sameVerb("activer", "activation"), true);
  assert.equal(fr.context.sameVerb("recrute", "recrutement"), true);
  assert.equal(fr.context.sameVerb("forme", "formation"), false);
  assert.ok(!fr.search("forme").includes("p.html#d1"), "« forme » is not the reader's « formation »");
});

test("synonyms: a plan phrase of several words weighs half in an entry that holds only some of them", () => {
  const synonyms = [{ plan: ["stratégies de sortie"], readers: ["se retirer"] }];
  const docs = [{ location: "pillars/4.html#a-1", text: "Définir des stratégies claires pour les opérations, et enfin leur sortie." },
                { location: "pillars/4.html#a-2", text: "Ajuster la stratégie de réponse dans chaque pays concerné." }];
  for (let i = 0; i < 10; i++) docs.push({ location: `pillars/3.html#a-${i}`, text: `Soutenir les opérations ${i} dans le pays.` });
  const fr = worker("fr", docs, synonyms);
  assert.equal(fr.search("quand le cluster se retire-t-il d'un pays ?")[0], "pillars/4.html#a-1",
               "« stratégie » alone is not the phrase « stratégies de sortie »");
  assert.equal(fr.search("stratégie pays")[0], "pillars/4.html#a-2", "the plan's own words weigh whole");
});
