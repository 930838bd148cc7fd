"""Churn-only generation: the store-shaped tables the churn analysis reads, at any size.

The full generator also writes ticket and NPS text, personal data, reviews and interviews that
churn does not use (~4 s per 1,000 accounts before ingest) and its company-name pool holds
~26,000 names. This runs the same account draw and month-by-month simulation (the same usage,
ticket, NPS and churn processes with the same planted hazard ratios) and builds the tables from
it directly: no text, no redaction, no ingest. Account and contact names are numbered stubs;
feedback themes are the simulation's planted labels; NPS and CSAT scores are drawn from the
documented score models (``_truth.json`` -> ``score_models``). With stub names the account draw
spends no draws on company names, so the accounts differ from ``generate``'s for the same seed.
"""

from __future__ import annotations

import itertools

import numpy as np
import pandas as pd

from .accounts import PLANS, REGIONS, SEGMENTS, make_accounts
from .calendar import HISTORY_START
from .models import (
    CSAT_EFFECTS,
    CSAT_NOISE_SD,
    CSAT_SLOW_PENALTY,
    NPS_BASE,
    NPS_EFFECTS,
    NPS_NOISE_SD,
    build_theme_model,
    csat_scores,
    nps_scores,
)
from .simulate import FEATURES, simulate
from .themes import THEMES


class NumberedNames:
    """Stands in for the Faker name pool: only the number of contacts matters."""

    def __init__(self) -> None:
        self.i = 0

    def take(self) -> tuple[str, str]:
        self.i += 1
        return "Pat", f"Doe{self.i}"


def _theme_pairs(theme_sets: list[tuple[int, ...]]) -> tuple[np.ndarray, np.ndarray]:
    """(document index, theme index) pairs of a list of theme tuples."""
    lengths = np.fromiter((len(t) for t in theme_sets), dtype=np.int64, count=len(theme_sets))
    flat = np.fromiter(itertools.chain.from_iterable(theme_sets), dtype=np.int64,
                       count=int(lengths.sum()))
    return np.repeat(np.arange(len(theme_sets)), lengths), flat


def churn_tables(n_accounts: int, seed: int = 7) -> dict[str, pd.DataFrame]:
    """``accounts``, ``usage_monthly``, ``tickets``, ``nps_responses`` (shaped like the store's
    tables) and ``doc_themes`` (account_id, created_at, theme: one row per planted mention)."""
    n = n_accounts
    rng = np.random.default_rng([seed, 9])  # scores: the simulation does not draw them
    names = [f"Account {i + 1:06d}" for i in range(n)]
    acc = make_accounts(np.random.default_rng([seed, 1]), NumberedNames(), n, companies=names)
    sim = simulate(np.random.default_rng([seed, 2]), acc, build_theme_model())
    ids = np.array(acc.ids)
    theme_id = np.array([t.id for t in THEMES])
    month0 = np.datetime64(HISTORY_START, "M")
    start = (month0 + acc.start_month).astype("datetime64[D]") + (acc.start_day - 1)
    churned = sim.churn_month >= 0
    end = ((month0 + np.where(churned, sim.churn_month, 0)).astype("datetime64[D]")
           + (sim.end_day - 1))
    accounts = pd.DataFrame({
        "account_id": ids,
        "account_name": names,
        "plan": np.array(PLANS)[acc.plan],
        "billing_term": np.where(acc.monthly, "monthly", "annual"),
        "segment": np.array(SEGMENTS)[acc.segment],
        "region": np.array(REGIONS)[acc.region],
        "arr": np.round(sim.final_mrr * 12.0, 2),
        "start_date": pd.to_datetime(start),
        "end_date": pd.to_datetime(np.where(churned, end, np.datetime64("NaT"))),
    })
    us = sim.usage
    usage = pd.DataFrame({
        "account_id": ids[us["acc"]],
        "month": (month0 + us["m"]).astype("datetime64[ns]"),
        "active_users": us["active"].astype(np.int64),
        "licensed_seats": us["seats"].astype(np.int64),
        "mrr": us["mrr"],
        **{f: us["flags"][:, j] for j, f in enumerate(FEATURES)},
    })
    tk = sim.tickets
    created = pd.to_datetime(tk["created"], unit="s")
    solved_s = np.where(np.isfinite(tk["solved"]), tk["solved"], np.nan)
    doc, theme = _theme_pairs(tk["themes"])
    csat_eff = np.bincount(doc, weights=CSAT_EFFECTS[theme], minlength=len(created))
    slow = np.where(solved_s - tk["created"] > 72 * 3600, CSAT_SLOW_PENALTY, 0.0)
    rated = np.isfinite(solved_s) & (rng.random(len(created)) < 0.40)
    csat = csat_scores(csat_eff, slow, rng.normal(0, CSAT_NOISE_SD, len(created)))
    tickets = pd.DataFrame({
        "ticket_id": np.arange(len(created)) + 100001,
        "account_id": ids[tk["acc"]],
        "created_at": created,
        "solved_at": _seconds_to_datetime(tk["solved"]),
        "csat": pd.array(np.where(rated, csat, np.nan)).astype("Int64"),
    })
    ticket_themes = pd.DataFrame({"account_id": ids[tk["acc"][doc]],
                                  "created_at": created[doc], "theme": theme_id[theme]})
    nv = sim.nps
    submitted = pd.to_datetime(nv["submitted"], unit="s")
    doc, theme = _theme_pairs(nv["themes"])
    eff = np.bincount(doc, weights=NPS_EFFECTS[theme], minlength=len(submitted))
    base = np.array([NPS_BASE[s] for s in SEGMENTS])[acc.segment[nv["acc"]]]
    score = nps_scores(base, eff, rng.normal(0, NPS_NOISE_SD, len(submitted)))
    nps = pd.DataFrame({"response_id": np.arange(len(submitted)), "account_id": ids[nv["acc"]],
                        "submitted_at": submitted, "score": score.astype(int)})
    nps_themes = pd.DataFrame({"account_id": ids[nv["acc"][doc]],
                               "created_at": submitted[doc], "theme": theme_id[theme]})
    return {
        "accounts": accounts, "usage_monthly": usage, "tickets": tickets, "nps_responses": nps,
        "doc_themes": pd.concat([ticket_themes, nps_themes], ignore_index=True),
    }


def _seconds_to_datetime(seconds: np.ndarray) -> pd.DatetimeIndex:
    """Whole epoch seconds as timestamps, NaT where not finite (a ticket never solved).

    Converted from integers: pandas converts a float array holding NaN under
    ``np.errstate(over="raise")``, and some runs raised a spurious FloatingPointError there
    (seen on CI in ``test_churn_tables.py::test_seeded``)."""
    finite = np.isfinite(seconds)
    whole = np.where(finite, seconds, 0).astype(np.int64)
    return pd.to_datetime(whole, unit="s").where(finite)
