"""A synthetic plan of N activities that looks like data/sip.yaml, for the benchmark (`make bench`).

Everything but the pillars is the real plan's (statuses, owners, acronyms, sections, glossary, annex). The four
real pillars keep their titles and goals; their outcomes, outputs and activities are generated with the real
plan's shape: each pillar's share of the activities, outputs per outcome and activities per output drawn from
the real counts, owner lists (none, one, several, with roles) copied from real activities and spread over the
real owners, statuses drawn from the real ones, and every text as long (in words, per language) as a real text
of the same kind, made of words drawn from the real texts of that language. The same N and seed give the
same file.

    python scripts/synthetic_plan.py 5000 -o bench/work/plan-5000.yaml
"""
from __future__ import annotations

import argparse
import random
import re
import sys
from collections import Counter
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parent.parent
REAL_PLAN = ROOT / "data" / "sip.yaml"
LANGUAGES = ("fr", "en")
# Markdown the real texts use sparingly (emphasis, footnote references): a random word must not open one.
_MARKUP = re.compile(r"[*\[\]()^]")

try:  # libyaml writes a 20,000-activity file in seconds rather than a minute
    from yaml import CSafeDumper as _BaseDumper
except ImportError:  # pragma: no cover
    from yaml import SafeDumper as _BaseDumper


class _Dumper(_BaseDumper):
    """Writes shared values (a role copied to several activities) out in full: the validator refuses aliases."""

    def ignore_aliases(self, data) -> bool:
        return True


def _activities(data: dict) -> list[dict]:
    return [a for p in data["pillars"] for oc in p["outcomes"] for op in oc["outputs"] for a in op["activities"]]


class _Texts:
    """Random texts with the word counts of real texts of one kind, from the real vocabulary of each language."""

    def __init__(self, real: dict, rng: random.Random):
        self.rng = rng
        self.vocabulary = {lang: [] for lang in LANGUAGES}
        self.lengths: dict[str, list[tuple[int, int]]] = {}
        for kind, items in (("outcome", [oc for p in real["pillars"] for oc in p["outcomes"]]),
                            ("output", [op for p in real["pillars"] for oc in p["outcomes"] for op in oc["outputs"]]),
                            ("activity", _activities(real))):
            self.lengths[kind] = [(len(i["text"]["fr"].split()), len(i["text"]["en"].split())) for i in items]
            for item in items:
                for lang in LANGUAGES:
                    self.vocabulary[lang] += [w for w in (_MARKUP.sub("", w) for w in item["text"][lang].split()) if w]

    def text(self, kind: str) -> dict[str, str]:
        """A {fr, en} pair as long as one real text of `kind`, with words drawn at random."""
        lengths = dict(zip(LANGUAGES, self.rng.choice(self.lengths[kind])))
        return {lang: self._sentence(lang, lengths[lang]) for lang in LANGUAGES}

    def _sentence(self, lang: str, words: int) -> str:
        chosen = self.rng.choices(self.vocabulary[lang], k=max(words, 2))
        chosen[0] = chosen[0][:1].upper() + chosen[0][1:]
        return " ".join(chosen).rstrip(".,;:") + "."


def synthetic_plan(n: int, seed: int = 1, real_plan: Path = REAL_PLAN) -> dict:
    """The real plan with its pillars refilled by `n` generated activities."""
    rng = random.Random(seed)
    real = yaml.safe_load(real_plan.read_text(encoding="utf-8"))
    texts = _Texts(real, rng)
    real_activities = _activities(real)
    owner_ids = [o["id"] for o in real["owners"]]
    outputs_per_outcome = [len(oc["outputs"]) for p in real["pillars"] for oc in p["outcomes"]]
    activities_per_output = [len(op["activities"]) for p in real["pillars"] for oc in p["outcomes"] for op in oc["outputs"]]
    share = Counter(a["id"].split(".")[0] for a in real_activities)

    def owners() -> list:
        # A real owner list (its length and roles), pointing at owners drawn evenly from the real ones.
        template = rng.choice(real_activities)["owners"]
        drawn = rng.sample(owner_ids, len(template))
        return [ident if isinstance(ref, str) else {**ref, "id": ident} for ref, ident in zip(template, drawn)]

    pillars, placed = [], 0
    for index, real_pillar in enumerate(real["pillars"]):
        last = index == len(real["pillars"]) - 1
        quota = n - placed if last else round(n * share[real_pillar["id"]] / len(real_activities))
        placed += quota
        outcomes = []
        while quota > 0 or not outcomes:
            outcome_id = f"{real_pillar['id']}.{len(outcomes) + 1}"
            outputs = []
            for o in range(rng.choice(outputs_per_outcome)):
                output_id = f"{outcome_id}.{o + 1}"
                count = max(1, min(quota, rng.choice(activities_per_output)))
                quota -= count
                activities = [{"id": f"{output_id}.{k + 1}", "text": texts.text("activity"), "owners": owners(),
                               "status": rng.choice(real_activities)["status"]} for k in range(count)]
                outputs.append({"id": output_id, "text": texts.text("output"), "activities": activities})
                if quota <= 0:
                    break
            outcomes.append({"id": outcome_id, "text": texts.text("outcome"), "outputs": outputs})
        pillars.append({"id": real_pillar["id"], "title": real_pillar["title"], "goal": real_pillar["goal"],
                        "outcomes": outcomes})
    # Editor's notes quote the texts they are about: those about the regenerated activities, outputs and outcomes
    # have nothing left to quote.
    kept = {"editor_notes": [n for n in real["editor_notes"] if not str(n.get("about", "")).startswith(
        ("activity ", "output ", "outcome "))]} if "editor_notes" in real else {}
    return {**real, "pillars": pillars, **kept}


def dump(plan: dict) -> str:
    header = "# yaml-language-server: $schema=../../data/sip.schema.json\n# Synthetic plan generated by scripts/synthetic_plan.py for the benchmark.\n"
    # No line folding, like the real file: one text, one line.
    return header + yaml.dump(plan, Dumper=_Dumper, allow_unicode=True, sort_keys=False, width=1 << 20)


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("activities", type=int, help="number of activities (at least 4: one per pillar)")
    parser.add_argument("-o", "--output", type=Path, help="file to write (default: standard output)")
    parser.add_argument("--seed", type=int, default=1)
    args = parser.parse_args(argv)
    if args.activities < 4:
        parser.error("the plan keeps its 4 pillars: at least 4 activities")
    text = dump(synthetic_plan(args.activities, args.seed))
    if args.output:
        args.output.parent.mkdir(parents=True, exist_ok=True)
        args.output.write_text(text, encoding="utf-8")
    else:
        sys.stdout.write(text)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
