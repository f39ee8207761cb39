/* The locations the search worker ranks first for each query, over a built index: `node tests/search/rank.js
 * INDEX.json QUERY…` prints one JSON list of locations per query (the worker as the browser runs it, in Node). */
"use strict";
const fs = require("fs");
const path = require("path");
const vm = require("vm");

const [indexPath, ...queries] = process.argv.slice(2);
const worker = fs.readFileSync(path.join(__dirname, "..", "..", "overrides", "assets", "javascripts", "search-worker.js"), "utf8");
let handler = null, answer = null;
const context = { addEventListener: (type, h) => { handler = h; }, postMessage: m => { answer = m; }, console };
vm.createContext(context);
vm.runInContext(worker, context);
handler({ data: { type: 0, data: JSON.parse(fs.readFileSync(indexPath, "utf8")) } });
for (const query of queries) {
  handler({ data: { type: 2, data: query } });
  console.log(JSON.stringify(answer.data.items.map(group => group[0].location)));
}
