"""The account-month table: planted exposure reproduced, no leakage, censoring and late entry."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from cc_analysis import churn

FEATURES = [
    "active_users_3m", "usage_change", "usage_decline", "seat_utilisation", "features_used",
    "arr", "tickets_3m", "unresolved_3m", "unresolved_2plus", "resolution_h_6m",
    "slow_resolution", "csat_6m", "poor_csat", "nps_score", "nps_category",
]


def _build(frames, doc_themes, **kw) -> churn.AccountPeriods:
    return churn.account_periods(frames["accounts"], frames["usage_monthly"], frames["tickets"],
                                 frames["nps_responses"], doc_themes, **kw)


def test_table_reproduces_the_planted_exposure(analysis, truth) -> None:
    """Same at-risk rows, churns and driver exposure as the generator's own bookkeeping."""
    f = analysis.periods.frame
    realised = truth["churn_model"]["realised"]
    assert len(f) == realised["account_months_at_risk"]
    assert int(f["event"].sum()) == realised["churn_events"]
    exposure = realised["driver_account_months"]
    assert int((f["billing_term"] == "monthly").sum()) == exposure["billing_term_monthly"]
    assert int((f["plan"] == "Enterprise").sum()) == exposure["plan_enterprise"]
    assert int(f["usage_decline"].sum()) == exposure["usage_decline"]
    assert int(f["unresolved_2plus"].sum()) == exposure["unresolved_tickets"]
    assert int(f["theme:pricing_value"].sum()) == exposure["pricing_complaint"]


def _truncate(frames, doc_themes, cut: pd.Timestamp):
    """Everything known before ``cut``: later rows dropped, later churn not yet happened."""
    acc = frames["accounts"]
    acc = acc[acc["start_date"] < cut].copy()
    acc.loc[acc["end_date"] >= cut, "end_date"] = pd.NaT
    return dict(
        accounts=acc,
        usage_monthly=frames["usage_monthly"][frames["usage_monthly"]["month"] < cut],
        tickets=frames["tickets"][frames["tickets"]["created_at"] < cut].assign(
            solved_at=lambda t: t["solved_at"].where(t["solved_at"] < cut)),
        nps_responses=frames["nps_responses"][frames["nps_responses"]["submitted_at"] < cut],
        doc_themes=doc_themes[doc_themes["created_at"] < cut],
    )


def _same(a: pd.Series, b: pd.Series) -> bool:
    a, b = a.reset_index(drop=True), b.reset_index(drop=True)
    if a.dtype == object or isinstance(a.dtype, pd.CategoricalDtype):
        return a.astype(str).equals(b.astype(str))
    return bool(np.allclose(a.astype(float), b.astype(float), equal_nan=True))


@pytest.mark.parametrize("month", ["2025-07-01", "2026-02-01"])
def test_features_only_use_data_from_before_the_month(analysis, frames, doc_themes, month):
    """Features of month t computed from all data equal those computed from data cut at t.

    Would fail if any feature looked at data dated on or after the first day of the month
    in which churn is measured (including ticket resolutions and churn itself).
    """
    cut = pd.Timestamp(month)
    full = analysis.periods.frame
    full = full[full["month"] == cut].assign(account_id=lambda d: d["account_id"].astype(str))
    past = churn.account_periods(**_truncate(frames, doc_themes, cut), start="2024-10-01",
                                 as_of=cut - pd.Timedelta(days=1))
    scored = past.current.set_index("account_id").loc[full["account_id"]]
    assert len(scored) == len(full) > 500
    for c in [c for c in full.columns if c.startswith("theme:")]:
        if c not in scored:  # a theme first raised after the cut: nobody had raised it yet
            scored[c] = False
    cols = FEATURES + [c for c in full.columns if c.startswith("theme:")]
    assert not [c for c in cols if not _same(full[c], scored[c])]
    assert (scored["tenure_stop"].to_numpy() == full["tenure_stop"].to_numpy()).all()


def test_activity_after_churn_cannot_flip_a_feature(frames, doc_themes, analysis) -> None:
    """Post-churn tickets, a detractor score and a pricing complaint change nothing."""
    f = analysis.periods.frame
    ev = f[(f["event"] == 1) & ~f["unresolved_2plus"] & ~f["theme:pricing_value"]
           & (f["nps_category"] != "detractor") & (f["tickets_3m"] == 0)]
    row = ev.iloc[0]
    aid = str(row["account_id"])
    end = frames["accounts"].set_index("account_id").loc[aid, "end_date"]
    after = [end, end + pd.Timedelta(days=20), end + pd.Timedelta(days=45)]
    extra_tickets = pd.DataFrame({
        "ticket_id": [f"X{i}" for i in range(3)], "account_id": aid,
        "created_at": after, "first_reply_at": pd.NaT, "solved_at": pd.NaT,
        "status": "open", "channel": "email", "subject": "", "body": "", "csat": pd.NA,
    })
    tickets = pd.concat([frames["tickets"], extra_tickets.astype(
        {"csat": frames["tickets"]["csat"].dtype})], ignore_index=True)
    nps = pd.concat([frames["nps_responses"], pd.DataFrame({
        "response_id": ["X1"], "account_id": [aid], "submitted_at": [end],
        "score": [0], "comment": ["too expensive"], "ces": pd.array([pd.NA], dtype="Int64")})],
        ignore_index=True)
    themes = pd.concat([doc_themes, pd.DataFrame({"account_id": [aid], "created_at": [end],
                                                  "theme": ["pricing_value"]})],
                       ignore_index=True)
    leaky = churn.account_periods(frames["accounts"], frames["usage_monthly"], tickets, nps,
                                  themes)
    before = f[f["account_id"].astype(str) == aid].reset_index(drop=True)
    now = leaky.frame[leaky.frame["account_id"].astype(str) == aid].reset_index(drop=True)
    assert len(now) == len(before) and now["event"].iloc[-1] == 1
    for c in FEATURES + ["theme:pricing_value"]:
        assert _same(before[c], now[c]), c
    # the injected activity is enough to flip the churn month's features if it were counted
    assert len(extra_tickets) >= churn.UNRESOLVED_MIN and not before["unresolved_2plus"].any()


def test_censoring_and_late_entry(frames, doc_themes, analysis) -> None:
    f = analysis.periods.frame
    acc = frames["accounts"].set_index("account_id")
    last = f.groupby("account_id", observed=True).agg(
        month=("month", "max"), event=("event", "max"), first_tenure=("tenure_start", "min"))
    active = acc.index[acc["end_date"].isna()]
    on = last.index.astype(str).isin(active)
    assert (last.loc[on, "event"] == 0).all()
    assert (last.loc[on, "month"] == pd.Timestamp("2026-09-01")).all()
    # accounts older than the window enter it late, at their tenure on 2024-10-01
    old = acc.index[acc["start_date"] < "2024-09-01"]
    assert (last.loc[last.index.astype(str).isin(old), "first_tenure"] > 0).all()
    # an analysis as of mid-2026 treats later churn as unknown: censored, and scored as current
    mid = _build(frames, doc_themes, as_of="2026-06-30")
    later = acc.index[(acc["end_date"] >= "2026-07-01") & (acc["start_date"] < "2026-07-01")]
    rows = mid.frame[mid.frame["account_id"].astype(str).isin(later)]
    assert len(rows) and rows["event"].sum() == 0
    assert rows["month"].max() == pd.Timestamp("2026-06-01")
    assert set(later) <= set(mid.current["account_id"])
