"""The planted truth: ``_truth_documents.csv`` (the themes of every feedback document) and
``_truth.json`` (the themes with their prevalence and effects, the document, score and churn
models, the interviews and every planted piece of personal data). Ingest never reads files
starting with ``_``; tests and notebooks compare analysis results against them.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pandas as pd

from .calendar import DATA_END, DATA_START, QUARTER_LABELS
from .interviews import INTERVIEW_THEMES
from .models import (
    CHURN_BASE_MONTHLY_HAZARD,
    CHURN_DEFINITIONS,
    CHURN_HAZARD_RATIOS,
    CHURN_RULE,
    CSAT_BASE,
    CSAT_NOISE_SD,
    CSAT_SLOW_PENALTY,
    DISENGAGE_ENTRY_RATE,
    DISENGAGE_EXIT_RATE,
    NPS_BASE,
    NPS_NOISE_SD,
    RATING_BASE,
    RATING_NOISE_SD,
)
from .people import PII_RATE, VENDOR_DOMAIN, VENDOR_NAME
from .themes import (
    CHATTER_RATE,
    EMERGING_QUARTER,
    EMERGING_THEME,
    K_PROBS,
    NOMINAL_DOCS,
    SOURCES,
    THEMES,
    TRENDING,
    TYPO_RATE,
)
from .writers import GenerationRun


def write_truth_documents(run: GenerationRun) -> int:
    """_truth_documents.csv (NPS, then reviews, then tickets, by id); returns the row count."""
    src_rank = {"nps": 0, "review": 1, "ticket": 2}
    run.truth_documents.sort(key=lambda x: (src_rank[x[0]], x[1]))
    pd.DataFrame(run.truth_documents, columns=["source", "source_id", "themes"]).to_csv(
        run.out_dir / "_truth_documents.csv", index=False, lineterminator="\n")
    return len(run.truth_documents)


def _theme_truth(run: GenerationRun) -> list[dict[str, Any]]:
    tm = run.theme_model
    return [{
        "id": t.id, "label": t.label, "description": t.description, "kind": t.kind,
        "prevalence": {ql: round(float(tm.prevalence[qi, ti]), 4)
                       for qi, ql in enumerate(QUARTER_LABELS)},
        "prevalence_by_source": {
            s: {ql: round(float(tm.prevalence_by_source[s][qi, ti]), 4)
                for qi, ql in enumerate(QUARTER_LABELS)} for s in SOURCES},
        "nps_effect": t.nps_effect, "rating_effect": t.rating_effect,
        "csat_effect": t.csat_effect,
        "phrasings": [p for _, p in t.phrasings],
    } for ti, t in enumerate(THEMES)]


DOCUMENT_SOURCES = {"nps": "nps_responses.csv Comment (non-blank only)",
                    "ticket": "tickets.json subject + description",
                    "review": "app_reviews.csv title + text"}


def score_models() -> dict[str, Any]:
    """The score models as recorded in _truth.json (a fresh dict per call)."""
    return {
        "nps": {"formula": "clip(round(base[Segment] + sum(nps_effect) + N(0, sd)), 0, 10)",
                "base": NPS_BASE, "noise_sd": NPS_NOISE_SD, "comment_share": 0.75,
                "ces": ("on ~30% of responses: clip(round(4.6 + 0.35*(score-7.5) + N(0,1)),"
                        " 1, 7)")},
        "csat": {"formula": ("on ~40% of solved tickets: clip(round(base + sum(csat_effect)"
                             " + slow + N(0, sd)), 1, 5); slow applies when resolution > 72h"),
                 "base": CSAT_BASE, "slow": CSAT_SLOW_PENALTY, "noise_sd": CSAT_NOISE_SD},
        "review_rating": {"formula": "clip(round(base + sum(rating_effect) + N(0, sd)), 1, 5)",
                          "base": RATING_BASE, "noise_sd": RATING_NOISE_SD},
    }


def planted_truth(run: GenerationRun, interviews: list[dict[str, Any]],
                  counts: dict[str, int]) -> dict[str, Any]:
    """The planted truth written to _truth.json."""
    st = run.simulation.stats
    return {
        "seed": run.seed,
        "n_accounts": run.accounts.n,
        "vendor": {"name": VENDOR_NAME, "domain": VENDOR_DOMAIN},
        "data_start": DATA_START.isoformat(),
        "data_end": DATA_END.isoformat(),
        "quarters": QUARTER_LABELS,
        "themes": _theme_truth(run),
        "emerging_theme": {"id": EMERGING_THEME, "quarter": EMERGING_QUARTER},
        "trending": dict(TRENDING),
        "document_model": {
            "sources": dict(DOCUMENT_SOURCES),
            "n_themes_probs": {"1": K_PROBS[0], "2": K_PROBS[1], "3": K_PROBS[2]},
            "chatter_rate": CHATTER_RATE, "typo_rate_per_long_word": TYPO_RATE,
            "pii_rate": PII_RATE,
            "prevalence_note": ("prevalence = P(document mentions theme) in that quarter, "
                                "chatter included; pooled over sources with nominal shares "
                                + ", ".join(f"{s} {v:g}" for s, v in NOMINAL_DOCS.items())),
        },
        "score_models": score_models(),
        "churn_model": {
            "base_monthly_hazard": dict(CHURN_BASE_MONTHLY_HAZARD),
            "hazard_ratios": dict(CHURN_HAZARD_RATIOS),
            "definitions": dict(CHURN_DEFINITIONS),
            "rule": CHURN_RULE,
            "annual_renewal_only": False,
            "latent_disengagement": {
                "monthly_entry_rate": dict(DISENGAGE_ENTRY_RATE),
                "monthly_exit_rate": DISENGAGE_EXIT_RATE,
                "effect": ("active users x U(0.70, 0.82) per month while disengaged (floor 12% "
                           "of normal); 1.6x ticket rate; more unsolved tickets; no expansion"),
            },
            "realised": {
                "account_months_at_risk": st["account_months_at_risk"],
                "churn_events": st["churn_events"],
                "driver_account_months": st["driver_account_months"],
            },
        },
        "researchers": run.researchers,
        "interview_themes": [{"id": i, "label": lab} for i, lab in INTERVIEW_THEMES],
        "interviews": interviews,
        "pii": run.pii,
        "counts": counts,
    }


def write_truth_json(out_dir: Path, truth: dict[str, Any]) -> None:
    with open(out_dir / "_truth.json", "w", encoding="utf-8", newline="\n") as fh:
        json.dump(truth, fh, ensure_ascii=False, indent=1)
        fh.write("\n")
