"""Topic benchmark: our topic pipeline, as users run it, against BERTopic, on human-labelled sets.

Sets (``labelled_sets``; read from ``../shared/datasets``, or ``$CC_SHARED_DATASETS``, or
``--data-root``; a set whose files are absent is skipped with a message): Banking77 train
(10,003 support queries, 77 intents), HWU64 test fold KFold_1 (1,076 utterances, 64
scenario_intent labels), SemEval-2014 ABSA restaurants train + test (3,841 sentences, 5 aspect
categories; NMI / ARI on the 3,078 with exactly one category, macro-F1 on all) and the URR app
review golden set (1,583 reviews, label ``class1``, 14 classes whose ``OTHER`` is a catch-all;
macro-F1 against ``class1``-``class5`` without ``OTHER``).

Rows, per set (each with seconds, topics, outlier share = topic -1, NMI, ARI; codebook rows
also the share of documents given a code and macro-F1 over the codes):

- **ours, cold**: a fresh process running the CLI exactly as a user does,
  ``cc-analysis topics <set>.csv --text-col text --out <dir> --cache <new file>`` (its defaults:
  sentences split and read in context, at most ``topics.MAX_TOPICS`` themes); wall time of
  the process, imports included (writing the CSV is not timed). MiniLM's ONNX graph is
  exported beforehand, as ``make setup`` does on install (``embeddings.prepare``), so the
  process runs ONNX Runtime without loading PyTorch. Scored on
  ``document_topics.csv``'s ``topic_id`` (the themes users read); the JSON also has the
  subtopics' NMI / ARI.
- **BERTopic default, cold**: a fresh process running ``bertopic_run.py``: what BERTopic's
  documentation gives, ``SentenceTransformer(<local all-MiniLM-L6-v2>)`` and
  ``BERTopic(embedding_model=model).fit_transform(docs)``; no seed, no UMAP / HDBSCAN
  settings, no cap (UMAP 5-d, HDBSCAN min_cluster_size 10: its defaults). Wall time, imports
  included. Its -1 topic counts as one more cluster in NMI / ARI, as users see it.
- **warm** (one process, both pipelines first run on a tiny input so imports, model loading,
  the ONNX session and numba's UMAP compilation are paid before any timing; both given the
  same cached embeddings, only the fit timed): ours is ``analyze_feedback_file(csv, "text",
  out, cache=<the cold run's cache, holding its segments>)`` (the CLI's function); BERTopic is
  ``fit_transform(docs, embeddings=...)`` with the documents' vectors from
  ``cc_analysis.embeddings.embed(docs, "minilm", cache=<the same file>)``.
- **with a codebook** (sets with ``codebooks/<set>.yaml``), warm as above: ours with
  ``codebook=`` (the CLI's ``--codebook``); BERTopic zero-shot as its documentation gives it,
  ``BERTopic(embedding_model=model, zeroshot_topic_list=<code prompts>,
  zeroshot_min_similarity=0.85)`` (0.85: the documentation's example); BERTopic guided,
  ``seed_topic_list=<each code's seed words>``; and **nearest code**, each document given the
  code whose prompt its embedding is most similar to (the simplest baseline). The code prompt
  is the same text everywhere: ``Code.prompt`` ("Name. Description seed, words"), the text ours
  embeds. A document's codes: ours, the codebook themes among its topics (main and others);
  zero-shot, its topic when that is a zero-shot topic; guided, its topic's code, read as a user
  reads guided topics: the code with the most seed words among the topic's 10 top words (ties:
  the higher summed word score), none when no seed word is there.

BERTopic is unseeded, so its warm rows are the mean over ``--repeats`` runs with the sd in
``nmi_sd`` / ``ari_sd`` (default 3 with ``--small``, 1 at full size); its cold row is one run.
Ours is seeded: the warm row must give the cold row's topics (``same_as_cold``).

    .venv/bin/python benchmarks/topics_bench.py            # full size
    .venv/bin/python benchmarks/topics_bench.py --small    # CI size
    .venv/bin/python benchmarks/topics_bench.py --small --sets hwu64,semeval --json out.json

``--small`` is Banking77 1,500 rows and SemEval 1,000 sentences (seeded samples), HWU64's fold
and the app reviews whole. How long, on the 2-core machine: ``--small --repeats 1`` (what CI
runs) about 7 minutes when the machine is otherwise idle (2026-12-01), 18 at a load average of
5; the full size about 75 minutes under that load (Banking77's cold BERTopic process alone
25). The cold processes are most of it, and every timing moves with the machine's load
(repeated cold runs of one set differ by up to 20%).
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
if str(HERE) not in sys.path:  # the benchmarks' shared helpers, also when loaded by file path
    sys.path.insert(0, str(HERE))

import labelled_sets as sets  # noqa: E402
from topic_scores import cluster_scores, code_scores, mean_of_runs  # noqa: E402

SMALL_ROWS = {"banking77": 1500, "semeval2014_absa": 1000}  # the other sets run whole
ZEROSHOT_MIN_SIMILARITY = 0.85  # the value in BERTopic's zero-shot documentation example
WARMUP_DOCS = 300  # enough for UMAP and HDBSCAN to find a few clusters
COLUMNS = ["seconds", "topics", "outliers", "nmi", "nmi_sd", "ari", "coded", "macro_f1"]


def _env() -> dict[str, str]:
    """The child processes' environment: this checkout's package first, nothing downloaded."""
    env = dict(os.environ)
    env["PYTHONPATH"] = os.pathsep.join(p for p in (str(ROOT), env.get("PYTHONPATH")) if p)
    env["HF_HUB_OFFLINE"] = "1"
    return env


def _cli() -> list[str]:
    """The ``cc-analysis`` command of this environment."""
    script = Path(sys.executable).parent / "cc-analysis"
    return [str(script)] if script.is_file() else [
        sys.executable, "-c", "import sys; from cc_analysis.cli import app; sys.exit(app())"]


def _timed_process(cmd: list[str]) -> float:
    start = time.perf_counter()
    done = subprocess.run(cmd, env=_env(), capture_output=True, text=True, check=False)
    seconds = time.perf_counter() - start
    if done.returncode:
        raise RuntimeError(f"{' '.join(cmd)} failed ({done.returncode}):\n{done.stderr[-3000:]}")
    return seconds


def read_ours(out: Path, code_names: list[str] | None = None) -> dict[str, Any]:
    """The CLI's ``document_topics.csv``: topic and subtopic per row, and with a codebook each
    row's codes (the codebook themes among its main and other topics)."""
    docs = pd.read_csv(out / "document_topics.csv", keep_default_na=False)
    result: dict[str, Any] = {"topic": docs["topic_id"].to_numpy(),
                              "subtopic": docs["subtopic_id"].to_numpy()}
    if code_names:
        topics = pd.read_csv(out / "topics.csv", keep_default_na=False)
        label_of = dict(zip(topics["id"], topics["label"].str.casefold(), strict=True))
        names = {n.casefold() for n in code_names}
        result["codes"] = [
            frozenset(label_of.get(t, "") for t in [main, *(int(x) for x in str(others)
                                                             .split(";") if x.strip())]) & names
            for main, others in zip(docs["topic_id"], docs["other_topics"], strict=True)]
    return result


def ours_row(run: dict[str, Any], data: sets.LabelledSet, seconds: float,
             code_names: list[str] | None = None) -> dict[str, Any]:
    row = {"seconds": seconds, **cluster_scores(run["topic"], data)}
    sub = cluster_scores(run["subtopic"], data)
    row.update(subtopics=sub["topics"], subtopic_nmi=sub["nmi"], subtopic_ari=sub["ari"])
    if code_names:
        row.update(code_scores(run["codes"], data, code_names))
    return row


class Warm:
    """Both pipelines in this process, warmed up before anything is timed."""

    def __init__(self) -> None:
        from sentence_transformers import SentenceTransformer

        from cc_analysis.embeddings import minilm_path

        self.model = SentenceTransformer(str(minilm_path()))

    def warm_up(self, texts: list[str], book: Any, work: Path) -> None:
        """Run every timed path once on a tiny input with its own cache: imports, the ONNX
        session, VADER, the sentence transformer and numba's compilation of UMAP (fit, and the
        transform zero-shot uses, and supervised UMAP guided uses) are paid here."""
        from cc_analysis.embeddings import embed
        from cc_analysis.topics import analyze_feedback_file

        csv, cache = work / "warmup.csv", work / "warmup.duckdb"
        pd.DataFrame({"text": texts[:WARMUP_DOCS]}).to_csv(csv, index=False)
        analyze_feedback_file(csv, "text", work / "warmup_out", cache=cache, progress=False)
        emb = embed(texts[:WARMUP_DOCS], "minilm", cache=cache)
        self.bertopic(texts[:WARMUP_DOCS], emb)
        if book is not None:
            analyze_feedback_file(csv, "text", work / "warmup_cb", cache=cache, codebook=book.path,
                                  progress=False)
            self.bertopic(texts[:WARMUP_DOCS], emb, **self.zeroshot(book))
            self.bertopic(texts[:WARMUP_DOCS], emb, **self.guided(book))

    @staticmethod
    def zeroshot(book: Any) -> dict[str, Any]:
        return {"zeroshot_topic_list": [c.prompt for c in book.codes],
                "zeroshot_min_similarity": ZEROSHOT_MIN_SIMILARITY}

    @staticmethod
    def guided(book: Any) -> dict[str, Any]:
        return {"seed_topic_list": [list(c.keywords) for c in book.codes]}

    def bertopic(self, docs: list[str], emb: np.ndarray, **options: Any
                 ) -> tuple[float, np.ndarray, Any]:
        """One BERTopic fit on given embeddings (a copy: guided modelling edits them)."""
        from bertopic import BERTopic

        emb = emb.copy()
        start = time.perf_counter()
        model = BERTopic(embedding_model=self.model, **options)
        topics, _ = model.fit_transform(docs, embeddings=emb)
        return time.perf_counter() - start, np.asarray(topics), model


def zeroshot_codes(model: Any, topics: np.ndarray, book: Any) -> list[frozenset[str]]:
    """Each document's code: its topic when BERTopic named it after a zero-shot prompt."""
    by_prompt = {c.prompt: c.label.casefold() for c in book.codes}
    code_of = {t: by_prompt[name] for t, name in model.topic_labels_.items() if name in by_prompt}
    return [frozenset({code_of[t]}) if t in code_of else frozenset() for t in topics]


def guided_codes(model: Any, topics: np.ndarray, book: Any) -> list[frozenset[str]]:
    """Each document's code: its guided topic's code, the one with the most seed words among
    the topic's top words (BERTopic's words are single tokens, so multi-word seeds never
    match); none when no seed word is among them."""
    seeds = [{k.casefold() for k in c.keywords if " " not in k} for c in book.codes]
    code_of = {}
    for t in set(topics.tolist()) - {-1}:
        words = dict(model.get_topic(t) or [])
        hits = [(len(s & words.keys()), sum(words[w] for w in s & words.keys()), -i)
                for i, s in enumerate(seeds)]
        best = max(hits)
        if best[0]:
            code_of[t] = book.codes[-best[2]].label.casefold()
    return [frozenset({code_of[t]}) if t in code_of else frozenset() for t in topics]


def run_set(data: sets.LabelledSet, warm: Warm, work: Path, repeats: int) -> dict[str, Any]:
    """Every row for one set."""
    from cc_analysis.codebook import Codebook
    from cc_analysis.embeddings import embed, minilm_path
    from cc_analysis.topics import analyze_feedback_file

    csv = work / f"{data.name}.csv"
    pd.DataFrame({"text": data.texts}).to_csv(csv, index=False)
    cache, rows = work / f"{data.name}.duckdb", {}

    seconds = _timed_process([*_cli(), "topics", str(csv), "--text-col", "text",
                              "--out", str(work / "cold"), "--cache", str(cache)])
    cold = read_ours(work / "cold")
    rows["ours, cold (CLI)"] = ours_row(cold, data, seconds)

    out = work / "bertopic_cold.csv"
    seconds = _timed_process([sys.executable, str(HERE / "bertopic_run.py"), str(csv), str(out),
                              "--model", str(minilm_path())])
    rows["BERTopic default, cold"] = {"seconds": seconds, **cluster_scores(
        pd.read_csv(out)["topic"].to_numpy(), data)}

    start = time.perf_counter()
    summary = analyze_feedback_file(csv, "text", work / "warm", cache=cache, progress=False)
    seconds = time.perf_counter() - start
    warm_run = read_ours(work / "warm")
    rows["ours, warm"] = {**ours_row(warm_run, data, seconds),
                          "noise_reassigned": summary["outlier_share_before_reassignment"],
                          "same_as_cold": bool(np.array_equal(warm_run["topic"], cold["topic"]))}

    emb = embed(data.texts, "minilm", cache=cache)  # the documents' vectors, not timed
    runs = []
    for _ in range(repeats):
        secs, topics, _model = warm.bertopic(data.texts, emb)
        runs.append({"seconds": secs, **cluster_scores(topics, data)})
    rows["BERTopic default, warm"] = mean_of_runs(runs)

    if data.codebook is not None:
        book = Codebook.load(data.codebook)
        names = book.labels
        start = time.perf_counter()
        analyze_feedback_file(csv, "text", work / "codebook", cache=cache, codebook=book.path,
                              progress=False)
        seconds = time.perf_counter() - start
        rows["ours + codebook, warm"] = ours_row(read_ours(work / "codebook", names), data,
                                                 seconds, names)
        for name, options, codes_of in (
                ("BERTopic zero-shot, warm", warm.zeroshot(book), zeroshot_codes),
                ("BERTopic guided, warm", warm.guided(book), guided_codes)):
            runs = []
            for _ in range(repeats):
                secs, topics, model = warm.bertopic(data.texts, emb, **options)
                runs.append({"seconds": secs, **cluster_scores(topics, data),
                             **code_scores(codes_of(model, topics, book), data, names)})
            rows[name] = mean_of_runs(runs)
        prompts = embed([c.prompt for c in book.codes], "minilm")
        start = time.perf_counter()
        nearest = (emb @ prompts.T).argmax(axis=1)
        seconds = time.perf_counter() - start
        rows["nearest code"] = {"seconds": seconds, **cluster_scores(nearest, data),
                                **code_scores([frozenset({names[i].casefold()})
                                               for i in nearest], data, names)}
    return {"documents": len(data.texts), "labels": data.n_labels,
            "single_label_documents": data.n_single, "description": data.description,
            "codebook": str(data.codebook.relative_to(ROOT)) if data.codebook else None,
            "rows": rows}


def _table(results: dict[str, Any]) -> pd.DataFrame:
    records = [{"set": name, "pipeline": pipeline, **{c: row.get(c) for c in COLUMNS}}
               for name, fig in results.items() for pipeline, row in fig["rows"].items()]
    return pd.DataFrame(records).set_index(["set", "pipeline"]).astype(float)


def _pick(names: str | None) -> list[str]:
    """Set names from ``--sets`` (a prefix is enough: ``semeval``, ``app``)."""
    if not names:
        return list(sets.SET_NAMES)
    picked = []
    for given in names.split(","):
        match = [n for n in sets.SET_NAMES if n.startswith(given.strip())]
        if len(match) != 1:
            raise SystemExit(f"--sets: {given!r} is not one of {', '.join(sets.SET_NAMES)}")
        picked += match
    return picked


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--data-root", type=Path, default=None,
                        help="folder of the shared datasets (default $CC_SHARED_DATASETS, "
                             "else ../shared/datasets)")
    parser.add_argument("--sets", help=f"comma-separated, of {', '.join(sets.SET_NAMES)}")
    parser.add_argument("--small", action="store_true", help="CI size (see the docstring)")
    parser.add_argument("--repeats", type=int, default=None,
                        help="BERTopic warm runs per row (default 3 with --small, else 1)")
    parser.add_argument("--seed", type=int, default=42, help="seed of the samples")
    parser.add_argument("--json", type=Path, help="also write every figure as JSON here")
    args = parser.parse_args(argv)
    repeats = args.repeats or (3 if args.small else 1)

    loaded, skipped = [], {}
    for name in _pick(args.sets):
        try:
            data = sets.load(name, args.data_root)
        except sets.MissingSet as exc:
            skipped[name] = str(exc)
            print(f"skipped {name}: {exc}")
            continue
        data = data.sample(SMALL_ROWS.get(name) if args.small else None, args.seed)
        print(f"{name}: {len(data.texts):,} documents, {data.n_labels} labels "
              f"({data.n_single:,} with a single label)")
        loaded.append(data)
    results: dict[str, Any] = {}
    if loaded:
        from cc_analysis.codebook import Codebook
        from cc_analysis.embeddings import prepare

        prepare()  # the install step `make setup` runs (MiniLM's ONNX export), never timed
        with tempfile.TemporaryDirectory() as tmp:
            work = Path(tmp)
            warm = Warm()
            first_book = next((d.codebook for d in loaded if d.codebook), None)
            warm.warm_up(loaded[0].texts, Codebook.load(first_book) if first_book else None,
                         work)
            for data in loaded:
                (work / data.name).mkdir()
                results[data.name] = run_set(data, warm, work / data.name, repeats)
        table = _table(results)
        print(f"BERTopic warm rows: mean of {repeats} run(s); nmi_sd their sd")
        print(table.to_string(float_format=lambda v: f"{v:.3f}", na_rep=""))
        for name, fig in results.items():
            r = fig["rows"]
            cold = r["BERTopic default, cold"]["seconds"] / r["ours, cold (CLI)"]["seconds"]
            hot = r["BERTopic default, warm"]["seconds"] / r["ours, warm"]["seconds"]
            print(f"{name}: BERTopic's time / ours: cold {cold:.1f}x, warm {hot:.1f}x")
    if args.json:
        args.json.write_text(json.dumps({"small": args.small, "repeats": repeats,
                                         "seed": args.seed, "sets": results,
                                         "skipped": skipped}, indent=1, default=float))
    return 0


if __name__ == "__main__":
    sys.exit(main())
