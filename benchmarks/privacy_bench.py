"""Redaction benchmark: the ingest redactor against Presidio's defaults on people's labels.

Person names in real text, measured on WNUT 2017 Emerging Entities (``../shared/datasets/
wnut17``: YouTube, Reddit, StackExchange and Twitter text, human-annotated; many names are
lowercase or misspelled). Each document's tokens are joined by spaces and given to each
redactor; a token counts as removed when a detected span overlaps it. Per set and redactor:

- person recall: the share of tokens tagged ``person`` that are removed (the figure privacy
  depends on: a person token left is a leak);
- precision: the share of removed tokens that are person tokens;
- O removed: the share of ordinary words (tagged ``O``) removed, the damage to the text;
  ``@handles``, which WNUT tags ``O`` but the redactor must remove, are counted apart
  (handles removed);
- docs/s: documents per second, engines loaded beforehand (warm against warm), one process.

Over-redaction on customer text with no names in it: the share of Banking77 queries and of
clothing reviews that each redactor changes at all.

Rows: ``ours`` is ``privacy.Redactor()``, what ingest runs. ``Presidio defaults`` is
``AnalyzerEngine()`` as its documentation gives it, with spaCy's small English model (loaded
by path after the package's checksum check; Presidio would otherwise download its larger
default) and every default recognizer, one ``analyze`` call per text.

    .venv/bin/python benchmarks/privacy_bench.py            # every document (about 3 min)
    .venv/bin/python benchmarks/privacy_bench.py --small    # 300 per set: what CI runs
    .venv/bin/python benchmarks/privacy_bench.py --small --json out.json

The data is read from ``../shared/datasets/`` (or ``$CC_SHARED_DATASETS``); the benchmark
exits cleanly with a message when WNUT 2017 is absent.
"""

from __future__ import annotations

import argparse
import json
import sys
import time
from collections.abc import Callable, Sequence
from pathlib import Path

import pandas as pd

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
sys.path.insert(0, str(ROOT))
if str(HERE) not in sys.path:
    sys.path.insert(0, str(HERE))

import labelled_sets  # noqa: E402

from cc_analysis.privacy import Redactor  # noqa: E402

WNUT = {"wnut17 emerging.dev": "emerging.dev.conll", "wnut17 train": "wnut17train.conll"}
SMALL = 300
PERSON = "person"
Finder = Callable[[str], list[tuple[int, int]]]


def read_conll(path: Path, limit: int | None = None) -> list[tuple[list[str], list[str]]]:
    """Documents as (tokens, tags), read from a two-column CoNLL file (blank line between)."""
    docs, tokens, tags = [], [], []
    for line in path.read_text(encoding="utf-8").splitlines():
        if not line.strip():
            if tokens:
                docs.append((tokens, tags))
                tokens, tags = [], []
            continue
        parts = line.split("\t") if "\t" in line else line.split()
        tokens.append(parts[0])
        tags.append(parts[-1])
    if tokens:
        docs.append((tokens, tags))
    return docs[:limit]


def joined(tokens: Sequence[str]) -> tuple[str, list[tuple[int, int]]]:
    """The tokens joined by spaces, and each token's (start, end) in that text."""
    offsets, pos = [], 0
    for t in tokens:
        offsets.append((pos, pos + len(t)))
        pos += len(t) + 1
    return " ".join(tokens), offsets


def score_tokens(docs: list[tuple[list[str], list[str]]], find: Finder) -> dict:
    """Person recall, precision, O removed and docs/s of ``find`` on tagged documents."""
    texts = [joined(tokens) for tokens, _ in docs]
    start = time.perf_counter()
    found = [find(text) for text, _ in texts]
    seconds = time.perf_counter() - start
    person = person_removed = ordinary = ordinary_removed = removed = handles = gone_h = 0
    for (tokens, tags), (_, offsets), spans in zip(docs, texts, found, strict=True):
        for (s, e), token, tag in zip(offsets, tokens, tags, strict=True):
            gone = any(a < e and s < b for a, b in spans)
            removed += gone
            if tag.endswith(PERSON):
                person += 1
                person_removed += gone
            elif tag == "O" and token.startswith("@") and len(token) > 1:
                # WNUT tags user names O; an @handle is an identifier to remove, no word
                handles += 1
                gone_h += gone
            elif tag == "O":
                ordinary += 1
                ordinary_removed += gone
    return {"documents": len(docs), "person_tokens": person,
            "person_recall": round(person_removed / max(person, 1), 3),
            "precision": round(person_removed / max(removed, 1), 3),
            "o_removed": round(ordinary_removed / max(ordinary, 1), 4),
            "handles_removed": round(gone_h / handles, 3) if handles else None,
            "docs_per_s": round(len(docs) / max(seconds, 1e-9), 1)}


def changed_share(texts: list[str], find: Finder) -> float:
    """The share of ``texts`` in which ``find`` detects anything."""
    return round(sum(bool(find(t)) for t in texts) / max(len(texts), 1), 4)


def ours() -> Finder:
    redactor = Redactor()
    return lambda text: [(s.start, s.end) for s in redactor.find(text)]


def presidio_defaults() -> Finder:
    """Presidio's ``AnalyzerEngine`` with the small English spaCy model, by path, offline."""
    import tldextract

    # the e-mail recognizer's domain check would fetch the public suffix list on first use;
    # the snapshot bundled with tldextract is what an offline machine gets anyway
    tldextract.tldextract.TLD_EXTRACTOR = tldextract.TLDExtract(suffix_list_urls=())
    from presidio_analyzer import AnalyzerEngine
    from presidio_analyzer.nlp_engine import NlpEngineProvider

    from cc_analysis.nlp import english_model_path

    config = {"nlp_engine_name": "spacy",
              "models": [{"lang_code": "en", "model_name": str(english_model_path())}]}
    engine = AnalyzerEngine(nlp_engine=NlpEngineProvider(nlp_configuration=config).create_engine())
    return lambda text: [(r.start, r.end) for r in engine.analyze(text, language="en")]


REDACTORS: dict[str, Callable[[], Finder]] = {"ours": ours, "Presidio defaults": presidio_defaults}


def clean_texts(root: Path, limit: int) -> dict[str, list[str]]:
    """Customer text with (almost) no names: Banking77 queries and clothing reviews."""
    out = {"banking77": labelled_sets.banking77(root).sample(limit, seed=0).texts}
    reviews = pd.read_csv(root / "womens_clothing_reviews" / "reviews.csv")
    text = reviews["Review Text"].dropna().astype(str)
    out["clothing reviews"] = text.sample(min(limit, len(text)), random_state=0).tolist()
    return out


def run(root: Path, small: bool) -> dict:
    limit = SMALL if small else None
    loaded, load_s = {}, {}
    for name, make in REDACTORS.items():
        start = time.perf_counter()
        loaded[name] = make()
        load_s[name] = round(time.perf_counter() - start, 1)
    rows = []
    for set_name, file in WNUT.items():
        docs = read_conll(root / "wnut17" / file, limit)
        for name, find in loaded.items():
            rows.append({"set": set_name, "redactor": name, **score_tokens(docs, find)})
    changed = []
    for set_name, texts in clean_texts(root, limit or 2000).items():
        for name, find in loaded.items():
            changed.append({"set": set_name, "redactor": name, "texts": len(texts),
                            "changed": changed_share(texts, find)})
    return {"tokens": rows, "changed": changed, "load_s": load_s, "small": small}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--small", action="store_true", help=f"first {SMALL} of each set")
    parser.add_argument("--data", type=Path, default=None, help="the shared datasets folder")
    parser.add_argument("--json", type=Path, default=None, help="write the figures as JSON")
    args = parser.parse_args(argv)
    root = labelled_sets.data_root(args.data)
    if not (root / "wnut17").is_dir():
        print(f"{root / 'wnut17'} not found: nothing to measure.")
        return 0
    result = run(root, args.small)
    pd.set_option("display.width", 200)
    print("Person tokens removed (WNUT 2017, human entity labels):")
    print(pd.DataFrame(result["tokens"]).to_string(index=False))
    print("\nTexts changed by redaction (customer text, almost no names):")
    print(pd.DataFrame(result["changed"]).to_string(index=False))
    print("\nLoad time (s):", result["load_s"])
    if args.json:
        args.json.write_text(json.dumps(result, indent=2))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
