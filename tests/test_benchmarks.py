"""The three benchmarks run at CI size (the full sizes are README commands) and their figures
hold; they skip cleanly without ../shared (the churn benchmark needs nothing outside the
project). The figures below were measured on the 2-core machine with the run in each comment;
timings are not asserted (the machine is shared), quality figures are."""

from __future__ import annotations

import importlib.util
import json
from pathlib import Path
from types import ModuleType

import pytest

ROOT = Path(__file__).resolve().parent.parent
SHARED = ROOT.parent / "shared" / "datasets"


def _load(name: str) -> ModuleType:
    spec = importlib.util.spec_from_file_location(name, ROOT / "benchmarks" / f"{name}.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def _run(name: str, tmp_path: Path, *args: str) -> dict:
    out = tmp_path / f"{name}.json"
    assert _load(name).main(["--small", *args, "--json", str(out)]) == 0
    return json.loads(out.read_text())


# --small: set -> (documents, human labels, documents with a single label)
TOPIC_SETS = {"banking77": (1500, 77, 1500), "hwu64": (1076, 64, 1076),
              "semeval2014_absa": (1000, 5, 794), "app_reviews_urr": (1583, 14, 1583)}
TOPIC_ROWS = ["ours, cold (CLI)", "BERTopic default, cold", "ours, warm", "BERTopic default, warm"]
CODEBOOK_ROWS = ["ours + codebook, warm", "BERTopic zero-shot, warm", "BERTopic guided, warm",
                 "nearest code"]
# NMI floors (and macro-F1 floors for codebook rows), from `topics_bench.py --small --repeats 1`
# measured 2026-12-01 (main after the main topic became the one holding most of a document's
# words) on the 2-core machine; each floor sits at most 0.03 under the figure in the comment.
# Ours and nearest code are seeded; BERTopic is not, so its floors only check that the
# baseline ran sanely.
FLOORS = {
    "banking77": {  # measured: ours 0.793 (53 themes); BERTopic warm 0.782, cold 0.777
        "ours, warm": {"nmi": 0.77}, "BERTopic default, warm": {"nmi": 0.75},
        "BERTopic default, cold": {"nmi": 0.74}},
    "hwu64": {  # ours 0.756 (38 themes); BERTopic warm 0.723, cold 0.726
        "ours, warm": {"nmi": 0.73}, "BERTopic default, warm": {"nmi": 0.69},
        "BERTopic default, cold": {"nmi": 0.69}},
    "semeval2014_absa": {  # ours 0.275 (13 themes); BERTopic warm 0.286, cold 0.282;
        # ours + codebook NMI 0.361, macro-F1 0.616 (77.9% of sentences coded); zero-shot
        # 0.275 (at 0.85 it codes nothing with MiniLM), guided macro-F1 0.357; nearest code
        # NMI 0.340, macro-F1 0.564
        "ours, warm": {"nmi": 0.25}, "BERTopic default, warm": {"nmi": 0.24},
        "BERTopic default, cold": {"nmi": 0.24},
        "ours + codebook, warm": {"nmi": 0.33, "macro_f1": 0.59},
        "BERTopic guided, warm": {"macro_f1": 0.29},
        "nearest code": {"nmi": 0.33, "macro_f1": 0.55}},
    "app_reviews_urr": {  # ours 0.299 (32 themes); BERTopic warm 0.293, cold 0.278; ours +
        # codebook NMI 0.323, macro-F1 0.460 (77.6% coded); zero-shot 0.302; guided macro-F1
        # 0.283; nearest code NMI 0.238, macro-F1 0.312
        "ours, warm": {"nmi": 0.27}, "BERTopic default, warm": {"nmi": 0.26},
        "BERTopic default, cold": {"nmi": 0.25},
        "ours + codebook, warm": {"nmi": 0.30, "macro_f1": 0.43},
        "BERTopic guided, warm": {"macro_f1": 0.26},
        "nearest code": {"nmi": 0.22, "macro_f1": 0.30}},
}


@pytest.mark.slow
def test_topics_bench_small(tmp_path: Path) -> None:
    # 6.4 min measured 2026-12-01 in the full suite on the idle 2-core machine, one BERTopic
    # repeat; the cold processes are most of it (ours 59 s, BERTopic 141 s over the four sets)
    if not SHARED.is_dir():
        pytest.skip("../shared/datasets is absent")
    fig = _run("topics_bench", tmp_path, "--repeats", "1")  # one unseeded BERTopic run: CI time
    assert fig["small"] and fig["repeats"] == 1
    if not fig["sets"]:
        pytest.skip("none of the labelled sets is under ../shared/datasets")
    assert set(fig["sets"]) | set(fig["skipped"]) == set(TOPIC_SETS)
    for name, got in fig["sets"].items():
        assert (got["documents"], got["labels"], got["single_label_documents"]) == \
            TOPIC_SETS[name]
        rows = got["rows"]
        assert list(rows) == TOPIC_ROWS + (CODEBOOK_ROWS if got["codebook"] else []), name
        for pipeline, row in rows.items():
            assert row["seconds"] > 0 and row["topics"] >= 1, (name, pipeline)
            assert 0 <= row["outliers"] <= 1 and 0 <= row["nmi"] <= 1, (name, pipeline)
            assert -1 <= row["ari"] <= 1, (name, pipeline)
        # ours is seeded: the warm run gives the cold run's topics, and every outlier is
        # reassigned to a topic
        assert rows["ours, warm"]["same_as_cold"], name
        # topic -1 is left only to documents normalising empties (measured: 0.2% of HWU64's,
        # 0.1% of the app reviews, e.g. a lone emoji or "?")
        assert rows["ours, cold (CLI)"]["outliers"] == rows["ours, warm"]["outliers"] < 0.005
        assert rows["ours, warm"]["subtopics"] >= rows["ours, warm"]["topics"]
        warm = rows["BERTopic default, warm"]
        assert warm["runs"] == 1
        if got["codebook"]:
            for pipeline in CODEBOOK_ROWS:
                assert 0 <= rows[pipeline]["coded"] <= 1, (name, pipeline)
                assert 0 <= rows[pipeline]["macro_f1"] <= 1, (name, pipeline)
            assert rows["nearest code"]["coded"] == 1.0  # every document takes its nearest code
        for pipeline, floor in FLOORS[name].items():
            for metric, value in floor.items():
                assert rows[pipeline][metric] >= value, (name, pipeline, metric,
                                                         rows[pipeline][metric])


@pytest.mark.slow
def test_churn_bench_small(tmp_path: Path) -> None:
    [row] = _run("churn_bench", tmp_path)
    # 2,000 accounts through generate + ingest: 32,323 account-months, 476 churn events;
    # held-out AUC Cox 0.668 / gradient boosting 0.654, concordance 0.650 / 0.638
    assert row["accounts"] == 2000 and row["path"] == "generate+ingest"
    assert row["account_months"] == 32_323 and row["churn_events"] == 476
    assert row["auc_cox"] == pytest.approx(0.668, abs=0.002)
    assert row["auc_gbm"] == pytest.approx(0.654, abs=0.002)
    assert row["c_index_cox"] == pytest.approx(0.650, abs=0.002)
    assert row["c_index_gbm"] == pytest.approx(0.638, abs=0.002)
    # every planted hazard ratio lies inside the estimate's 95% interval
    for name in ("billing_term_monthly", "usage_decline", "unresolved_tickets",
                 "pricing_complaint", "plan_enterprise"):
        estimate, low, high = row[f"est_{name}"]
        assert low <= row[f"hr_{name}"] <= high, (name, row[f"hr_{name}"], row[f"est_{name}"])


@pytest.mark.slow
def test_interviews_bench_small(tmp_path: Path) -> None:
    if not (SHARED / "pdpilot_interviews").is_dir():
        pytest.skip("../shared/datasets/pdpilot_interviews is absent")
    fig = _run("interviews_bench", tmp_path)
    pd_fig = fig["pdpilot"]
    # 7 transcripts, 476 participant snippets (495 before masks, numbers counted out and a
    # list read out in five interviews were set aside), 373 of them carry a researcher's code
    assert pd_fig["transcripts"] == 7 and pd_fig["snippets"] == 476
    assert pd_fig["snippets_with_human_code"] == 373
    kappa = {r["automatic coder"]: r["pooled kappa"] for r in pd_fig["agreement"]}
    # pooled Cohen's kappa: 0.237 (code names only, threshold 0.45), 0.217 (names + other
    # participants' segments); a coder drawing codes at the human rates sits near 0
    assert kappa["names only"] == pytest.approx(0.237, abs=0.005)
    assert kappa["names + examples (LOPO)"] == pytest.approx(0.217, abs=0.005)
    assert abs(kappa["chance (same rates)"]) < 0.1
    # every coded study, ours beside BERTopic's default on the same snippets and vectors.
    # Measured 2026-12-01 (--small: one BERTopic run; its NMI varies run to run, unseeded):
    # PDPilot coverage 0.977, 19 themes, NMI 0.287 (BERTopic 0.120-0.187 over three runs,
    # 8-10 topics), kappa pooled 0.253 (codebook threshold left at its default, 0.35; 0.211
    # at the earlier 0.5); usability sessions coverage 0.984, 31 themes, NMI 0.436 (BERTopic
    # 0.341-0.352, 16-24 topics), kappa pooled 0.186 (0.070 at 0.5). Ours is seeded: exact.
    # (PDPilot's NMI moves with k-means' seed: 0.255-0.328 over seeds 0-4, mean 0.288, the
    # same with and without asides set aside.)
    coded = {row["study"]: row for row in fig["coded"] or []}
    for name, nmi, kappa in (("pdpilot_interviews", 0.287, 0.253),
                             ("usability_interviews", 0.436, 0.186)):
        if name not in coded:
            continue  # that study's files are absent
        row = coded[name]
        assert row["refused"] == 0 and row["coverage"] >= 0.95
        assert row["NMI ours"] == pytest.approx(nmi, abs=0.005)
        assert row["kappa pooled"] == pytest.approx(kappa, abs=0.005)
        assert 10 <= row["themes (ours)"] <= 40  # tens, a researcher's grain
        # measured margins 0.100-0.167 (PDPilot) and 0.087-0.095 (usability) over the issue's
        # bar of 0.05; the unseeded baseline moves run to run, so CI checks 0.03
        assert row["NMI ours"] >= row["NMI BERTopic"] + 0.03
    anthropic = fig["anthropic"]
    if anthropic is None:
        return  # the Anthropic Interviewer files are absent
    # 60 interviews (20 per file), 991 snippets, 18 of them set aside (16 closings: "No, I
    # think we covered it all"), 30 clusters (about the sqrt of the substantive snippets), of which
    # 25 were raised by 2 or more participants (8 while a catch-all rule partitioned into
    # n/500), 886 coded
    assert anthropic["interviews"] == 60 and anthropic["snippets"] == 991
    assert anthropic["themes"] == 25 and anthropic["coded_snippets"] == 886


@pytest.mark.slow
def test_privacy_bench_small(tmp_path: Path) -> None:
    if not (SHARED / "wnut17").is_dir():
        pytest.skip("../shared/datasets/wnut17 is absent")
    fig = _run("privacy_bench", tmp_path)
    rows = {(r["set"], r["redactor"]): r for r in fig["tokens"]}
    changed = {(r["set"], r["redactor"]): r["changed"] for r in fig["changed"]}
    # --small, measured 2026-12-02 (first 300 documents of each WNUT 2017 file; the ingest
    # redactor is deterministic, Presidio's spaCy model too), after names in lower case and
    # all caps, initials and the identifier kinds were added:
    #   emerging.dev: ours person recall 0.335 (0.305 before), precision 0.819, O removed
    #                 0.0012; Presidio defaults 0.581, 0.391, 0.0244
    #   train:        ours 0.360 (0.315), O removed 0.0022 (every @handle removed, counted
    #                 apart); Presidio defaults 0.719, 0.086, 0.1091
    #   texts changed: Banking77 ours 0.0033, Presidio 0.1633; clothing reviews 0, 0.3567
    # Floors hold today's figures (issue 12 raises the recall: >= 0.80 on emerging.dev with at
    # most 1% of ordinary words removed).
    dev, train = rows["wnut17 emerging.dev", "ours"], rows["wnut17 train", "ours"]
    assert dev["documents"] == 300 and dev["person_tokens"] == 203
    assert dev["person_recall"] == pytest.approx(0.335, abs=0.005)
    assert train["person_recall"] == pytest.approx(0.360, abs=0.005)
    assert dev["o_removed"] <= 0.002 and train["o_removed"] <= 0.003
    assert train["handles_removed"] == 1.0
    assert changed["banking77", "ours"] <= 0.01 and changed["clothing reviews", "ours"] <= 0.01
    # the baseline ran as its users run it: it finds most names and removes ordinary words
    presidio = rows["wnut17 emerging.dev", "Presidio defaults"]
    assert 0.5 <= presidio["person_recall"] <= 0.7 and presidio["o_removed"] >= 0.01
