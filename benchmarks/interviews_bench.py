"""Interview synthesis on real interviews: agreement with human coders, and speed at scale.

Three benchmarks on ``../shared/datasets`` (override with ``CC_SHARED_DATASETS``); each skips with
a message when its data is absent.

1. ``pdpilot_interviews``: 7 user-study interviews with the researchers' 262 coded segments.
   Mapping: every researcher code ``Group > Subgroup > Code`` maps to its top-level group (8
   codes: "Benefits of PDPilot", "Explainability techniques", ..., "Interaction"); leaf codes
   have 1-21 segments each, too few to score one by one. The unit of agreement is our snippet
   (participant turns split into units of a few sentences); a snippet carries a human code when
   a coded segment overlaps it (``interviews.align_segments``: shared word 3-grams covering half
   of the segment or of the snippet). Two automatic codebooks:
   - *names only*: each group's definition is its name plus the names of its sub-codes, and
     the sub-code names are its examples: what a researcher has before coding anything;
   - *names + examples (leave one participant out)*: the other six participants' coded
     segments are added as examples; each participant is coded with a codebook that never saw
     their own segments.
   A random coder with the same per-code rates gives the chance baseline. Researchers coded
   selectively (many relevant passages carry no code), so precision is a lower bound.
2. ``anthropic_interviewer``: 1,250 interviews (one per CSV row; ``Assistant:``/``AI:`` is the
   interviewer, ``User:`` the participant) synthesised end to end without a codebook (parse,
   pseudonymise, redact, snippets, MiniLM embeddings, inductive themes through
   ``topics.TopicModel``, sentiment, kinds); reports wall time, peak memory (max RSS of this
   process) and the 10 largest themes. Target: under 10 minutes on the 2-core machine.
3. Every coded study (``coded_interviews.STUDIES``: PDPilot, the usability sessions), one
   table: coverage (share of the researchers' segments found inside our snippets), theme NMI
   of our inductive themes and of BERTopic's default on the same snippets (same MiniLM) against
   the researchers' codes, and Cohen's kappa of our coding with a codebook written from the
   researchers' code names and descriptions.

Usage::

    .venv/bin/python benchmarks/interviews_bench.py            # all three, full size
    .venv/bin/python benchmarks/interviews_bench.py --small    # CI-sized (60 interviews)
    .venv/bin/python benchmarks/interviews_bench.py --only pdpilot
    .venv/bin/python benchmarks/interviews_bench.py --only coded   # the agreement table
    .venv/bin/python benchmarks/interviews_bench.py --small --json out.json  # figures as JSON
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from cc_analysis import interviews as iv
from cc_analysis import transcripts as tx
from cc_analysis.embeddings import embed

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
if str(HERE) not in sys.path:  # the benchmarks' shared helpers, also when loaded by file path
    sys.path.insert(0, str(HERE))

import coded_interviews  # noqa: E402

DATA = Path(os.environ.get("CC_SHARED_DATASETS", ROOT.parent / "shared" / "datasets"))
ANTHROPIC_FILES = (
    "creatives_transcripts.csv",
    "scientists_transcripts.csv",
    "workforce_transcripts_reconstructed.csv",
)


def _table(frame: pd.DataFrame, title: str) -> None:
    print(f"\n{title}\n" + "-" * len(title))
    with pd.option_context("display.width", 160, "display.max_colwidth", 70,
                           "display.max_rows", 200):
        print(frame.to_string(index=False))


def _peak_rss_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024  # Linux: KiB


# ---------------------------------------------------------------------------------------------
# 1. PDPilot: agreement with the researchers' coding
# ---------------------------------------------------------------------------------------------
def _group_codebook(segments: pd.DataFrame, extra_examples: dict[str, list[str]] | None = None,
                    version: str = "names") -> iv.Codebook:
    """The groups codebook at the threshold this section was measured with (0.45)."""
    return coded_interviews.group_codebook(segments["code_path"], extra_examples, version,
                                           threshold=0.45)


def pdpilot(seed: int) -> dict[str, Any] | None:
    """Agreement with the researchers' codes; the figures, or None when the data is absent."""
    folder = DATA / "pdpilot_interviews"
    if not (folder / "coded_segments.csv").is_file():
        print(f"SKIP pdpilot: {folder} not found (../shared is not beside this checkout)")
        return None
    started = time.perf_counter()
    segments = pd.read_csv(folder / "coded_segments.csv")
    segments["group"] = segments["code_path"].str.split(" > ").str[0]
    transcripts = tx.read_transcripts(folder / "transcripts")
    book = _group_codebook(segments)
    with tempfile.TemporaryDirectory() as tmp:
        cache = Path(tmp) / "emb.duckdb"
        res = iv.analyze_transcripts(transcripts, book, ["Dan"], None, seed, cache=cache,
                                     progress=False)
        synth: iv.Synthesis = res["synthesis"]
        # pseudonyms follow file order: P1.txt -> P01 ...
        who = dict(zip(synth.interviews["source_file"].str.replace(".txt", "", regex=False),
                       synth.interviews["participant"], strict=True))
        segments["participant"] = segments["participant"].map(who)
        snippets = synth.snippets
        codes = {c.code: c.label for c in book.codes}
        human = iv.align_segments(snippets, segments.rename(columns={"group": "code"}))
        units = snippets["snippet_id"].tolist()

        auto_names = synth.assignments.assign(code=synth.assignments["theme_id"].map(codes))
        auto_names = auto_names.dropna(subset=["code"])

        # leave one participant out: the other participants' segments become examples
        texts = [iv.analysis_text(t) for t in snippets["text"]]
        vectors = embed(texts, "minilm", cache=cache)
        rows = []
        for p in sorted(snippets["participant"].unique()):
            others = segments[segments["participant"] != p]
            extra = {g: [" ".join(s.split()[:40]) for s in grp["segment"]]
                     for g, grp in others.groupby("group")}
            loo = _group_codebook(segments, extra, version=f"loo-{p}")
            mask = (snippets["participant"] == p).to_numpy()
            scores = iv.code_scores(vectors[mask], [t for t, m in zip(texts, mask,
                                                                       strict=True) if m],
                                    loo, "minilm", cache)
            ids = snippets.loc[mask, "snippet_id"].tolist()
            for sid, hits in zip(ids, iv.assign_codes(scores, loo.threshold), strict=True):
                rows += [{"snippet_id": sid, "code": loo.codes[j].label} for j, _ in hits]
        auto_loo = pd.DataFrame(rows, columns=["snippet_id", "code"])

    labels = list(codes.values())
    rng = np.random.default_rng(seed)
    rates = human.groupby("code").size() / len(units)
    chance = pd.DataFrame([{"snippet_id": u, "code": c} for u in units for c in labels
                           if rng.random() < rates.get(c, 0)], columns=["snippet_id", "code"])
    results = {
        "names only": iv.agreement(auto_names, human, units, labels),
        "names + examples (LOPO)": iv.agreement(auto_loo, human, units, labels),
        "chance (same rates)": iv.agreement(chance, human, units, labels),
    }
    print(f"\nPDPilot interviews: {len(transcripts)} transcripts, {len(units)} participant "
          f"snippets, {len(segments)} coded segments ({human.attrs['unmatched']} not aligned to "
          f"a snippet), {human['snippet_id'].nunique()} snippets carry a human code; "
          f"{time.perf_counter() - started:.0f} s")
    _table(results["names + examples (LOPO)"].rename(columns={"code": "code (top-level group)"}),
           "Per-code agreement, codebook = names + other participants' segments (LOPO)")
    summary = []
    for name, table in results.items():
        pooled = table.set_index("code").loc["all codes (pooled)"]
        macro = table.set_index("code").loc["macro mean"]
        summary.append({"automatic coder": name, "pooled kappa": pooled["kappa"],
                        "macro kappa": macro["kappa"], "pooled precision": pooled["precision"],
                        "pooled recall": pooled["recall"], "macro recall": macro["recall"]})
    _table(pd.DataFrame(summary), "PDPilot agreement summary (unit: snippet x code)")

    # participant level: did the participant raise the group at all?
    def raised(frame: pd.DataFrame) -> set[tuple[str, str]]:
        m = frame.merge(snippets[["snippet_id", "participant"]], on="snippet_id")
        return set(zip(m["participant"], m["code"], strict=True))

    h = raised(human)
    rows = []
    for name in ("names only", "names + examples (LOPO)"):
        a = raised(auto_names if name == "names only" else auto_loo)
        rows.append({"automatic coder": name, "participant x code pairs (human)": len(h),
                     "recall": round(len(a & h) / max(1, len(h)), 3),
                     "precision": round(len(a & h) / max(1, len(a)), 3)})
    _table(pd.DataFrame(rows), "PDPilot: participant raised the code (any snippet)")
    return {"transcripts": len(transcripts), "snippets": len(units),
            "snippets_with_human_code": int(human["snippet_id"].nunique()),
            "agreement": summary, "participant_level": rows}


# ---------------------------------------------------------------------------------------------
# 3. Every coded study: coverage, theme NMI beside BERTopic, kappa with the codebook
# ---------------------------------------------------------------------------------------------
def _bertopic_topics(texts: list[str], vectors: np.ndarray) -> np.ndarray:
    """BERTopic as its documentation gives it (no seed, no settings), given the snippets'
    MiniLM vectors: the same snippets and the same model as ours (which reads each snippet
    with its neighbours in the conversation, as the product does)."""
    from bertopic import BERTopic
    from sentence_transformers import SentenceTransformer

    from cc_analysis.embeddings import minilm_path

    model = SentenceTransformer(str(minilm_path()))
    topics, _ = BERTopic(embedding_model=model).fit_transform(texts, embeddings=vectors.copy())
    return np.asarray(topics)


def _human_codes(synth: iv.Synthesis, segments: pd.DataFrame) -> pd.DataFrame:
    """The researchers' segments aligned to our snippets, each compared with the snippets of
    its own interview (``source_file``); ``attrs["unmatched"]`` as ``align_segments``."""
    by_file = synth.snippets.assign(participant=synth.snippets["source_file"])
    return iv.align_segments(by_file, segments.rename(columns={"source_file": "participant"}))


def coded_study(study: Any, seed: int, bertopic_runs: int) -> dict[str, Any]:
    """One row of the agreement table (see ``coded_studies``)."""
    from sklearn.metrics import normalized_mutual_info_score

    started = time.perf_counter()
    transcripts, failed = tx.collect_transcripts(study.transcripts)
    with tempfile.TemporaryDirectory() as tmp:
        cache = Path(tmp) / "emb.duckdb"
        res = iv.analyze_transcripts(transcripts, None, (), None, seed, cache=cache,
                                     progress=False)
        synth: iv.Synthesis = res["synthesis"]
        human = _human_codes(synth, study.segments)
        snippets = synth.snippets
        texts = [iv.analysis_text(t) for t in snippets["text"]]
        vectors = embed(texts, "minilm", cache=cache)
        coded = iv.analyze_transcripts(transcripts, study.codebook, (), None, seed,
                                       cache=cache, progress=False)["synthesis"]
    # theme NMI on the snippets that carry exactly one researcher's code
    n_codes = human.groupby("snippet_id")["code"].nunique()
    single = human[human["snippet_id"].isin(n_codes.index[n_codes == 1])]
    truth = single.drop_duplicates("snippet_id").set_index("snippet_id")["code"]
    main = synth.assignments[synth.assignments["rank"] == 1].set_index("snippet_id")["theme_id"]
    ours = snippets["snippet_id"].map(main).fillna("(no theme)").to_numpy()
    scored = snippets["snippet_id"].isin(truth.index).to_numpy()
    labels_true = truth.loc[snippets.loc[scored, "snippet_id"]].to_numpy()
    nmi_ours = normalized_mutual_info_score(labels_true, ours[scored])
    runs = [_bertopic_topics(texts, vectors) for _ in range(bertopic_runs)]
    nmi_bt = [normalized_mutual_info_score(labels_true, t[scored]) for t in runs]
    # kappa: our codebook coding against the researchers', every snippet a unit
    label_of = {c.code: c.label for c in study.codebook.codes}
    auto = coded.assignments.assign(code=coded.assignments["theme_id"].map(label_of)).dropna(
        subset=["code"])
    human_cb = _human_codes(coded, study.segments)
    table = iv.agreement(auto, human_cb, coded.snippets["snippet_id"].tolist(),
                         [c.label for c in study.codebook.codes]).set_index("code")
    themes = res["themes"]
    return {
        "study": study.name, "transcripts": len(transcripts), "refused": len(failed),
        "snippets": len(snippets), "segments": len(study.segments),
        "coverage": round(1 - human.attrs["unmatched"] / max(1, len(study.segments)), 3),
        "single-coded snippets": int(scored.sum()),
        "themes (ours)": int((themes["participants"] > 0).sum()),
        "topics (BERTopic)": round(float(np.mean([len(set(t) - {-1}) for t in runs])), 1),
        "NMI ours": round(float(nmi_ours), 3),
        "NMI BERTopic": round(float(np.mean(nmi_bt)), 3),
        "NMI BERTopic sd": round(float(np.std(nmi_bt, ddof=1)), 3) if len(nmi_bt) > 1 else None,
        "kappa pooled": round(float(table.loc["all codes (pooled)", "kappa"]), 3),
        "kappa macro": round(float(table.loc["macro mean", "kappa"]), 3),
        "seconds": round(time.perf_counter() - started),
    }


def coded_studies(seed: int, small: bool) -> list[dict[str, Any]] | None:
    """Every coded study in ``../shared/datasets`` (``coded_interviews.STUDIES``), one table:
    coverage (share of the researchers' segments found inside our snippets), theme NMI of
    our inductive themes and of BERTopic's default (same snippets, same MiniLM vectors; the
    mean of 3 unseeded runs, 1 with ``--small``) against the researchers' codes on the
    snippets that carry exactly one, and Cohen's kappa of our coding with the study's codebook
    (written from the researchers' code names and descriptions) over every snippet x code."""
    rows = []
    for name, load in coded_interviews.STUDIES.items():
        study = load(DATA)
        if study is None:
            print(f"SKIP {name}: not found in {DATA}")
            continue
        rows.append(coded_study(study, seed, 1 if small else 3))
    if rows:
        _table(pd.DataFrame(rows), "Coded interview studies: our synthesis beside BERTopic's "
                                   "default on the same snippets")
    return rows or None


# ---------------------------------------------------------------------------------------------
# 2. Anthropic Interviewer: 1,250 interviews end to end
# ---------------------------------------------------------------------------------------------
def _anthropic_transcripts(folder: Path, small: bool) -> list[tx.Transcript]:
    """The interviews as ``cc-analysis interviews`` reads the folder (one per table row)."""
    out = []
    for name in ANTHROPIC_FILES:
        out += tx.parse_transcript_table(folder / name, strict=False)[: 20 if small else None]
    return out


def anthropic(seed: int, small: bool, backend: str,
              out_dir: Path | None) -> dict[str, Any] | None:
    """Synthesis at scale; the figures, or None when the data is absent."""
    folder = DATA / "anthropic_interviewer"
    if not all((folder / f).is_file() for f in ANTHROPIC_FILES):
        print(f"SKIP anthropic_interviewer: {folder} not found (../shared is not beside this "
              "checkout)")
        return None
    rss_before = _peak_rss_mb()
    load = os.getloadavg()[0]  # other work on the machine slows the wall time down
    started, cpu_started = time.perf_counter(), time.process_time()
    transcripts = _anthropic_transcripts(folder, small)
    parsed = time.perf_counter() - started
    with tempfile.TemporaryDirectory() as tmp:
        res = iv.analyze_transcripts(transcripts, None, ["Assistant", "AI"],
                                     out_dir or Path(tmp), seed, backend=backend, cache=None,
                                     progress=True)
    wall, cpu = time.perf_counter() - started, time.process_time() - cpu_started
    synth: iv.Synthesis = res["synthesis"]
    words = sum(len(t.text.split()) for tr in transcripts for t in tr.turns)
    _table(pd.DataFrame([{
        "interviews": res["interviews"], "participants": res["participants"],
        "words": f"{words:,}", "snippets": f"{len(synth.snippets):,}",
        "themes": int((res["themes"]["participants"] > 0).sum()),
        "coded snippets": f"{synth.assignments['snippet_id'].nunique():,}",
        "parse s": round(parsed, 1), "wall time s": round(wall, 1), "CPU s": round(cpu),
        "load avg at start": round(load, 1),
        "peak RSS MB": round(_peak_rss_mb()), "RSS before MB": round(rss_before),
        "embedding": synth.backend, "target": "< 600 s",
    }]), "Anthropic Interviewer: synthesis of all transcripts" + (" (--small)" if small else ""))
    for note in res["notes"]:
        print("note:", note)
    top = res["themes"].head(10).copy()
    top["quote"] = top["top_quote"].str.slice(0, 90)
    _table(top[["label", "participants", "share", "snippets", "sentiment", "dominant_kind",
                "keywords", "quote"]].assign(keywords=top["keywords"].str.slice(0, 50)),
           "The 10 largest themes (by participants)")
    return {"interviews": res["interviews"], "participants": res["participants"],
            "snippets": len(synth.snippets),
            "themes": int((res["themes"]["participants"] > 0).sum()),
            "coded_snippets": int(synth.assignments["snippet_id"].nunique()),
            "wall_s": wall, "cpu_s": cpu, "peak_rss_mb": _peak_rss_mb()}


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--small", action="store_true", help="CI-sized run (60 interviews)")
    ap.add_argument("--only", choices=["pdpilot", "anthropic", "coded"],
                    help="run one benchmark")
    ap.add_argument("--seed", type=int, default=42)
    ap.add_argument("--backend", default="minilm", help="embedding backend: minilm, "
                    "minilm-int8 (faster, not reproducible), lsa")
    ap.add_argument("--out", type=Path, help="keep the Anthropic synthesis tables here")
    ap.add_argument("--json", type=Path, help="also write the figures as JSON here")
    args = ap.parse_args(argv)
    if not DATA.is_dir():
        print(f"SKIP: {DATA} not found; the benchmarks need ../shared/datasets beside the "
              "checkout (or CC_SHARED_DATASETS)")
        return 0
    figures: dict[str, Any] = {}
    if args.only in (None, "pdpilot"):
        figures["pdpilot"] = pdpilot(args.seed)
    if args.only in (None, "coded"):
        figures["coded"] = coded_studies(args.seed, args.small)
    if args.only in (None, "anthropic"):
        figures["anthropic"] = anthropic(args.seed, args.small, args.backend, args.out)
    if args.json:
        args.json.write_text(json.dumps(figures, indent=1, default=float))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
