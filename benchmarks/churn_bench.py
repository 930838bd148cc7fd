"""Benchmark the churn-driver analysis: out-of-sample quality, planted-driver recovery, wall time.

Sizes (default 2,000 and 200,000 accounts):

* up to 20,000 accounts: the real path. ``sample_data.generate`` writes the sample workspace,
  ``ingest`` loads it into a temporary DuckDB store, the analysis reads the store; feedback
  themes are the planted labels of ``_truth_documents.csv`` joined to the store's feedback.
* above that: a churn-only generation, honestly described. The full generator also writes
  ticket and NPS text, personal data, reviews and interviews that churn does not use (~4 s per
  1,000 accounts before ingest), and its company-name pool holds ~26,000 names. So the benchmark
  calls ``sample_data.churn_tables``: the generator's own account draw and month-by-month
  simulation (the same usage, ticket, NPS and churn processes with the same planted hazard
  ratios), with the store-shaped tables built from it directly: no text, no redaction, no
  ingest; account and contact names are stubs; themes are the simulation's planted labels; NPS
  and CSAT scores are drawn from the generator's documented score models (``_truth.json`` ->
  ``score_models``).

``analysis_s`` is ``churn.analyze`` end to end (account-period table, Cox fit, proportional-
hazards check, out-of-sample evaluation of Cox and gradient boosting with permutation
importances, voice-to-churn, at-risk scoring); data generation and loading are timed apart.
Target: 200,000 accounts analysed in under 3 minutes. Needs nothing outside the project.

    python benchmarks/churn_bench.py             # 2,000 and 200,000 accounts
    python benchmarks/churn_bench.py --small     # 2,000 accounts only (CI-sized, ~1 minute)
    python benchmarks/churn_bench.py --sizes 2000 50000 --seed 7 --json out.json
"""

from __future__ import annotations

import argparse
import json
import shutil
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd
from tqdm.auto import tqdm

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from cc_analysis import churn  # noqa: E402
from cc_analysis import sample_data as sd  # noqa: E402

FULL_PATH_MAX = 20_000
ANALYSIS_SEED = 42  # the workspace default; --seed only changes the generated data
TARGET_S, TARGET_N = 180.0, 200_000
# planted driver -> the Cox design column estimating it (plan reference is the commonest plan)
RECOVERY = {
    "billing_term_monthly": "billing_term[monthly]",
    "usage_decline": "usage_decline",
    "unresolved_tickets": "unresolved_2plus",
    "pricing_complaint": "theme:pricing_value",
    "plan_enterprise": "plan[Enterprise]",
}
Frames = dict[str, pd.DataFrame]


# -------------------------------------------------------------------------------------------------
# Data
# -------------------------------------------------------------------------------------------------
def truth_doc_themes(raw: Path, feedback: pd.DataFrame) -> pd.DataFrame:
    """Planted theme labels per document, joined to the store's feedback rows."""
    docs = pd.read_csv(raw / "_truth_documents.csv", dtype=str, keep_default_na=False)
    docs = docs.assign(theme=docs["themes"].str.split(";")).explode("theme")
    docs = docs[docs["theme"].fillna("") != ""]
    return churn.account_themes(docs[["source", "source_id", "theme"]], feedback)


def full_frames(n: int, seed: int, work: Path) -> tuple[Frames, dict[str, float]]:
    """Generate + ingest the sample workspace; read the store (the path users take)."""
    from cc_analysis.ingest import ingest
    from cc_analysis.store import Store

    ws = work / f"ws{n}"
    t = time.perf_counter()
    truth = sd.generate(ws / "raw", seed=seed, n_accounts=n)
    shutil.copy(ROOT / "data" / "workspace.toml", ws / "workspace.toml")
    ingest(ws, progress=False)
    gen = time.perf_counter() - t
    t = time.perf_counter()
    frames = Store(ws / "workspace.duckdb").frames(
        "accounts", "usage_monthly", "tickets", "nps_responses", "feedback")
    frames["doc_themes"] = truth_doc_themes(ws / "raw", frames.pop("feedback"))
    load = time.perf_counter() - t
    frames["_hr"] = pd.DataFrame([truth["churn_model"]["hazard_ratios"]])
    return frames, {"generate_s": gen, "load_s": load}


def simulated_frames(n: int, seed: int) -> tuple[Frames, dict[str, float]]:
    """Churn-only generation at any size (``sample_data.churn_tables``, see the docstring)."""
    t = time.perf_counter()
    frames: Frames = sd.churn_tables(n, seed)
    frames["_hr"] = pd.DataFrame([sd.CHURN_HAZARD_RATIOS])
    return frames, {"generate_s": time.perf_counter() - t, "load_s": 0.0}


# -------------------------------------------------------------------------------------------------
# Run
# -------------------------------------------------------------------------------------------------
def run_size(n: int, seed: int, work: Path, progress: bool) -> dict[str, Any]:
    if n <= FULL_PATH_MAX:
        frames, times = full_frames(n, seed, work)
    else:
        frames, times = simulated_frames(n, seed)
    planted = frames.pop("_hr").iloc[0].to_dict()
    labels = {t.id: t.label for t in sd.THEMES}
    t = time.perf_counter()
    result = churn.analyze(
        frames["accounts"], frames["usage_monthly"], frames["tickets"],
        frames["nps_responses"], frames["doc_themes"], theme_labels=labels, seed=ANALYSIS_SEED,
        progress=progress,
    )
    total = time.perf_counter() - t
    summ = result.cox.summary.set_index("driver")
    row: dict[str, Any] = {
        "accounts": n,
        "path": "generate+ingest" if n <= FULL_PATH_MAX else "simulation only",
        "account_months": len(result.periods.frame),
        "churn_events": int(result.periods.frame["event"].sum()),
        **times,
        "analysis_s": total,
        **{f"{k}_s": v for k, v in result.timings.items() if k != "total"},
        "auc_cox": result.evaluation.metrics["cox"]["auc"],
        "auc_gbm": result.evaluation.metrics["classifier"]["auc"],
        "c_index_cox": result.evaluation.metrics["cox"]["concordance"],
        "c_index_gbm": result.evaluation.metrics["classifier"]["concordance"],
    }
    for name, col in RECOVERY.items():
        r = summ.loc[col] if col in summ.index else None
        row[f"hr_{name}"] = planted[name]
        row[f"est_{name}"] = (float(r["hazard_ratio"]), float(r["ci_low"]), float(r["ci_high"])) \
            if r is not None else (np.nan, np.nan, np.nan)
    return row


def print_table(rows: list[dict[str, Any]]) -> None:
    print("\nOut-of-sample quality and wall time (last 6 months held out)")
    cols = [("accounts", "{:,}"), ("path", "{}"), ("account_months", "{:,}"),
            ("churn_events", "{:,}"), ("auc_cox", "{:.3f}"), ("auc_gbm", "{:.3f}"),
            ("c_index_cox", "{:.3f}"), ("c_index_gbm", "{:.3f}"), ("generate_s", "{:.1f}"),
            ("analysis_s", "{:.1f}")]
    head = " | ".join(c for c, _ in cols)
    print(head)
    print("-" * len(head))
    for r in rows:
        print(" | ".join(fmt.format(r[c]) for c, fmt in cols))
    print("\nAnalysis time by step (s)")
    steps = ["table_s", "cox_s", "ph_check_s", "evaluation_s", "voice_and_risk_s"]
    print("accounts | " + " | ".join(steps))
    for r in rows:
        print(f"{r['accounts']:,} | " + " | ".join(f"{r[s]:.1f}" for s in steps))
    print("\nPlanted vs estimated hazard ratio (95% CI)")
    print("driver | planted | " + " | ".join(f"{r['accounts']:,} accounts" for r in rows))
    for name in RECOVERY:
        est = [r[f"est_{name}"] for r in rows]
        print(f"{name} | {rows[0][f'hr_{name}']:g} | "
              + " | ".join(f"{e[0]:.2f} ({e[1]:.2f}-{e[2]:.2f})" for e in est))
    for r in rows:
        if r["accounts"] >= TARGET_N:
            ok = "PASS" if r["analysis_s"] < TARGET_S else "FAIL"
            print(f"\n{r['accounts']:,} accounts analysed in {r['analysis_s']:.0f} s "
                  f"(target < {TARGET_S:.0f} s): {ok}")


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--small", action="store_true", help="2,000 accounts only (CI-sized)")
    ap.add_argument("--sizes", type=int, nargs="+", default=[2_000, 200_000])
    ap.add_argument("--seed", type=int, default=7)
    ap.add_argument("--json", type=Path, help="also write the rows as JSON here")
    args = ap.parse_args(argv)
    sizes = [2_000] if args.small else args.sizes
    rows = []
    with tempfile.TemporaryDirectory(prefix="churn-bench-") as tmp:
        for n in tqdm(sizes, desc="sizes", disable=len(sizes) < 2):
            rows.append(run_size(n, args.seed, Path(tmp), progress=n > FULL_PATH_MAX))
    print_table(rows)
    if args.json:
        args.json.write_text(json.dumps(rows, indent=1, default=str))
    return 0


if __name__ == "__main__":
    sys.exit(main())
