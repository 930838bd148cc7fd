"""Fixtures of the sample-data tests: one generated workspace (seed 7, 300 accounts) per
session, read back as the tests need it (no test writes into it)."""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from cc_analysis import sample_data
from cc_analysis.periods import Quarter, quarter_labels, quarter_range

SEED = 7
N_ACCOUNTS = 300


@pytest.fixture(scope="session")
def seed() -> int:
    return SEED


@pytest.fixture(scope="session")
def n_accounts() -> int:
    return N_ACCOUNTS


@pytest.fixture(scope="session")
def quarters() -> list[str]:
    """The eight quarter labels, derived independently of the generator."""
    return [q.label for q in quarter_range(Quarter(2024, 4), Quarter(2026, 3))]


@pytest.fixture(scope="session")
def raw(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("raw")
    sample_data.generate(out, seed=SEED, n_accounts=N_ACCOUNTS)
    return out


@pytest.fixture(scope="session")
def truth(raw: Path) -> dict:
    return json.loads((raw / "_truth.json").read_text(encoding="utf-8"))


@pytest.fixture(scope="session")
def accounts(raw: Path) -> pd.DataFrame:
    return pd.read_csv(raw / "accounts.csv", dtype=str, keep_default_na=False)


@pytest.fixture(scope="session")
def tickets(raw: Path) -> dict:
    return json.loads((raw / "tickets.json").read_text(encoding="utf-8"))


@pytest.fixture(scope="session")
def nps(raw: Path) -> pd.DataFrame:
    return pd.read_csv(raw / "nps_responses.csv", dtype=str, keep_default_na=False)


@pytest.fixture(scope="session")
def reviews(raw: Path) -> pd.DataFrame:
    return pd.read_csv(raw / "app_reviews.csv", dtype=str, keep_default_na=False)


@pytest.fixture(scope="session")
def docs(raw: Path, nps: pd.DataFrame, tickets: dict, reviews: pd.DataFrame) -> pd.DataFrame:
    """_truth_documents.csv joined with each document's date, quarter, text and score."""
    d = pd.read_csv(raw / "_truth_documents.csv", dtype=str, keep_default_na=False)
    parts = [
        pd.DataFrame({"source": "nps", "source_id": nps["Response ID"],
                      "when": pd.to_datetime(nps["Submitted At"]).dt.tz_localize(None),
                      "text": nps["Comment"], "score": nps["Score"].astype(int)}),
        pd.DataFrame({"source": "ticket",
                      "source_id": [str(t["id"]) for t in tickets["tickets"]],
                      "when": pd.to_datetime([t["created_at"] for t in tickets["tickets"]])
                      .tz_localize(None),
                      "text": [t["subject"] + " " + t["description"] for t in tickets["tickets"]],
                      "score": np.nan}),
        pd.DataFrame({"source": "review", "source_id": reviews["review_id"],
                      "when": pd.to_datetime(reviews["date"]),
                      "text": reviews["title"] + " " + reviews["text"],
                      "score": reviews["rating"].astype(int)}),
    ]
    meta = pd.concat(parts, ignore_index=True)
    out = d.merge(meta, on=["source", "source_id"], how="left", validate="one_to_one")
    out["quarter"] = quarter_labels(out["when"])
    out["theme_set"] = out["themes"].map(lambda s: set(s.split(";")) if s else set())
    return out


@pytest.fixture(scope="session")
def has_theme() -> Callable[[pd.DataFrame, str], pd.Series]:
    """``has_theme(docs, theme)``: which documents carry the planted theme."""
    return lambda docs, theme: docs["theme_set"].map(lambda s: theme in s)
