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


@pytest.mark.slow
def test_topics_bench_small(tmp_path: Path) -> None:
    if not (SHARED / "banking77" / "train.csv").is_file():
        pytest.skip("../shared/datasets/banking77 is absent")
    fig = _run("topics_bench", tmp_path)
    rows = fig["rows"]
    assert fig["documents"] == 1500 and fig["intents"] == 77
    # ours is seeded and deterministic: 36 topics, NMI 0.750, ARI 0.343, no outliers left
    # (20.1% of the documents were HDBSCAN noise, reassigned to the nearest topic)
    for name in ("cc-analysis (cold)", "cc-analysis (warm cache)"):
        assert rows[name]["topics"] == 36
        assert rows[name]["nmi"] == pytest.approx(0.750, abs=0.005)
        assert rows[name]["ari"] == pytest.approx(0.343, abs=0.005)
        assert rows[name]["outliers"] == 0.0
    assert fig["warm_equals_cold"] and fig["outliers_reassigned"] == pytest.approx(0.201, abs=0.005)
    # PyTorch and ONNX Runtime give the same vectors to 1e-6: the same topics, within rounding
    assert rows["cc-analysis (cold, PyTorch)"]["nmi"] == pytest.approx(0.749, abs=0.005)
    # BERTopic's default UMAP is unseeded (as its users run it): 51 topics, 10.1% outliers,
    # NMI 0.787 in two runs; it may move a little from run to run
    assert rows["BERTopic default"]["nmi"] == pytest.approx(0.787, abs=0.03)
    assert rows["BERTopic default"]["outliers"] > 0.05


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
    # 7 transcripts, 495 participant snippets, 371 of them carry a researcher's code
    assert pd_fig["transcripts"] == 7 and pd_fig["snippets"] == 495
    assert pd_fig["snippets_with_human_code"] == 371
    kappa = {r["automatic coder"]: r["pooled kappa"] for r in pd_fig["agreement"]}
    # pooled Cohen's kappa: 0.241 (code names only), 0.220 (names + other participants'
    # segments); a coder drawing codes at the human rates sits near 0
    assert kappa["names only"] == pytest.approx(0.241, abs=0.005)
    assert kappa["names + examples (LOPO)"] == pytest.approx(0.220, abs=0.005)
    assert abs(kappa["chance (same rates)"]) < 0.1
    anthropic = fig["anthropic"]
    if anthropic is None:
        return  # the Anthropic Interviewer files are absent
    # 60 interviews (20 per file), 991 snippets (988 while a phrase list dropped three
    # "Sounds good, let's begin." turns), 8 inductive themes, 932 snippets coded
    assert anthropic["interviews"] == 60 and anthropic["snippets"] == 991
    assert anthropic["themes"] == 8 and anthropic["coded_snippets"] == 932
