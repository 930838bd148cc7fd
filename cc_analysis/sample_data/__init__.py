"""Seeded sample workspace: writes realistic raw exports plus the planted truth behind them.

This package owns ``cc-analysis sample-data``: ``generate`` writes, into ``out_dir`` (normally
``data/raw/``), the raw exports described in ``docs/data-formats.md`` for a fictional B2B
project-management / analytics SaaS vendor ("Northwind Cloud"), and ``_truth.json`` /
``_truth_documents.csv`` with what was planted in them. ``churn_tables`` is the churn-only
generation (tables straight from the simulation, any size) that the churn benchmark uses.

Everything is driven by ``numpy.random.default_rng`` sub-streams derived from ``seed`` and a
seeded ``Faker`` instance, never by wall-clock time, so the same seed gives byte-identical files.
Modules, in the order a run uses them: ``calendar``, ``themes`` and ``models`` (what is planted),
``people`` and ``accounts`` (who), ``simulate`` (what happens month by month),
``feedback_text`` and ``interviews`` (the words), ``writers`` (one per export file) and
``truth``; wording and names are data under ``resources/`` (``resource_files``).
"""

from __future__ import annotations

import random
from pathlib import Path
from typing import Any

import numpy as np
from faker import Faker

from .accounts import make_accounts
from .calendar import (
    DATA_END,
    DATA_START,
    EXPORT_TIME,
    HISTORY_START,
    QUARTER_LABELS,
    QUARTERS,
)
from .churn_tables import churn_tables
from .interviews import INTERVIEW_SNIPPETS, INTERVIEW_THEMES
from .models import (
    CHURN_BASE_MONTHLY_HAZARD,
    CHURN_HAZARD_RATIOS,
    CSAT_BASE,
    CSAT_NOISE_SD,
    CSAT_SLOW_PENALTY,
    NPS_BASE,
    NPS_NOISE_SD,
    RATING_BASE,
    RATING_NOISE_SD,
    build_theme_model,
)
from .people import PII_RATE, VENDOR_DOMAIN, VENDOR_NAME, PersonNamePool, PiiPlanter
from .resource_files import RESOURCE_FILES
from .simulate import simulate
from .themes import (
    CHATTER_RATE,
    EMERGING_QUARTER,
    EMERGING_TARGET_PREVALENCE,
    EMERGING_THEME,
    K_PROBS,
    THEMES,
    TRENDING,
    TYPO_RATE,
    Theme,
)
from .truth import planted_truth, write_truth_documents, write_truth_json
from .writers import (
    GenerationRun,
    write_accounts,
    write_interviews,
    write_nps,
    write_reviews,
    write_tickets,
    write_usage,
)

__all__ = [
    "CHATTER_RATE",
    "CHURN_BASE_MONTHLY_HAZARD",
    "CHURN_HAZARD_RATIOS",
    "CSAT_BASE",
    "CSAT_NOISE_SD",
    "CSAT_SLOW_PENALTY",
    "DATA_END",
    "DATA_START",
    "EMERGING_QUARTER",
    "EMERGING_TARGET_PREVALENCE",
    "EMERGING_THEME",
    "EXPORT_TIME",
    "HISTORY_START",
    "INTERVIEW_SNIPPETS",
    "INTERVIEW_THEMES",
    "K_PROBS",
    "NPS_BASE",
    "NPS_NOISE_SD",
    "PII_RATE",
    "QUARTERS",
    "QUARTER_LABELS",
    "RATING_BASE",
    "RATING_NOISE_SD",
    "RESOURCE_FILES",
    "THEMES",
    "TRENDING",
    "TYPO_RATE",
    "Theme",
    "VENDOR_DOMAIN",
    "VENDOR_NAME",
    "churn_tables",
    "generate",
]


def generate(out_dir: Path, seed: int = 7, n_accounts: int = 2000) -> dict[str, Any]:
    """Write the sample raw exports into ``out_dir`` and return the planted truth.

    Files written: ``accounts.csv``, ``usage_monthly.parquet``, ``tickets.json``,
    ``nps_responses.csv``, ``app_reviews.csv``, ``interviews/*.vtt|*.txt``, ``_truth.json``
    (the returned dict) and ``_truth_documents.csv``. Interview files left over from an
    earlier run (``YYYY-MM-DD_<slug>.vtt|.txt``) are removed first. Same ``seed`` and
    ``n_accounts`` give byte-identical files. Prints nothing.
    """
    if n_accounts < 50:
        raise ValueError("n_accounts must be at least 50")
    out_dir = Path(out_dir)
    out_dir.mkdir(parents=True, exist_ok=True)

    fake = Faker("en_US")
    fake.seed_instance(seed)
    names = PersonNamePool(fake)
    researchers = ["{} {}".format(*names.take()) for _ in range(3)]
    theme_model = build_theme_model()
    accounts = make_accounts(np.random.default_rng([seed, 1]), names, n_accounts)
    simulation = simulate(np.random.default_rng([seed, 2]), accounts, theme_model)
    text_rng = random.Random(int(np.random.default_rng([seed, 4]).integers(2**62)))
    pii: list[dict[str, Any]] = []
    run = GenerationRun(
        out_dir=out_dir, seed=seed, scale=n_accounts / 2000.0, names=names,
        researchers=researchers, theme_model=theme_model, accounts=accounts,
        simulation=simulation, score_rng=np.random.default_rng([seed, 3]), text_rng=text_rng,
        pii_planter=PiiPlanter(names, text_rng, pii), pii=pii, truth_documents=[], end_dates=[])

    write_accounts(run)
    counts = {"accounts.csv": accounts.n, "usage_monthly.parquet": write_usage(run)}
    counts["tickets.json"] = write_tickets(run)
    counts["nps_responses.csv"] = write_nps(run)
    counts["app_reviews.csv"] = write_reviews(run)
    interviews = write_interviews(run)
    counts["interviews"] = len(interviews)
    counts["_truth_documents.csv"] = write_truth_documents(run)
    counts["pii"] = len(pii)

    truth = planted_truth(run, interviews, counts)
    write_truth_json(out_dir, truth)
    return truth
