"""What the churn models look at: feature windows, the feature list and labels, account themes.

Owns the definitions every churn step shares: the calendar-month windows each feature of the
account-month table is computed over (and the thresholds that turn them into flags), the
account attributes churn is broken down by, the plain name of each feature, how category
spellings are tidied, and ``account_themes``, which turns document themes (e.g. from
``topics``) into the (account_id, created_at, theme) rows the voice features are built from.
"""

from __future__ import annotations

import pandas as pd

from ..periods import naive_timestamps

BREAKDOWNS = {
    "plan": "Plan",
    "billing_term": "Billing term",
    "segment": "Segment",
    "region": "Region",
}

# Feature windows (calendar months before the month in which churn is measured).
USAGE_WINDOW = 3  # usage trend: mean active users of the last 3 months vs the 3 before
USAGE_DECLINE = 0.30  # "usage fell" = last 3 months at least 30% below the 3 before
TICKET_WINDOW = 3  # tickets opened in the last 3 months (and how many are still open)
UNRESOLVED_MIN = 2
SUPPORT_WINDOW = 6  # resolution times and CSAT of tickets solved in the last 6 months
SLOW_RESOLUTION_H = 72.0
VOICE_WINDOW = 6  # a theme counts as raised for 6 months
NPS_WINDOW = 12  # latest NPS answer of the last 12 months
HORIZON_MONTHS = 3  # at-risk accounts: probability of churning within the next quarter
# the months of history before the first month at risk that the windows above reach back to
LOOKBACK_MONTHS = max(2 * USAGE_WINDOW, TICKET_WINDOW, SUPPORT_WINDOW, VOICE_WINDOW, NPS_WINDOW)
NPS_LEVELS = ("promoter", "passive", "detractor", "no response")

MIN_THEME_ACCOUNTS = 30  # a theme raised by fewer accounts cannot carry a hazard ratio
MAX_THEMES = 25  # the most widely raised themes enter the model; the rest would overfit it

FEATURES = {
    "arr": "ARR from the previous month's MRR (x12)",
    "active_users_3m": "mean active users over the last 3 months",
    "usage_change": "relative change in mean active users: last 3 months vs the 3 before",
    "usage_decline": "active users of the last 3 months at least 30% below the 3 before",
    "seat_utilisation": "active users / licensed seats in the previous month",
    "features_used": "key features used (used_* flags) in the previous month",
    "tickets_3m": "tickets opened in the last 3 months",
    "unresolved_3m": "of those, still unresolved on the first day of the month",
    "unresolved_2plus": "2 or more of them unresolved",
    "resolution_h_6m": "mean resolution hours of tickets solved in the last 6 months",
    "slow_resolution": "that mean above 72 hours",
    "csat_6m": "mean CSAT (1-5) of tickets solved in the last 6 months",
    "poor_csat": "any CSAT of 1-2 among them",
    "nps_score": "latest NPS score of the last 12 months",
    "nps_category": "promoter / passive / detractor / no response (latest, 12 months)",
    "theme:<id>": "account raised the theme in the last 6 months",
}

FEATURE_LABELS = {
    "tenure_stop": "Tenure (months)", "billing_term": "Billing term", "plan": "Plan",
    "segment": "Segment", "region": "Region", "arr": "ARR", "active_users_3m": "Active users",
    "usage_change": "Usage trend (3 vs 3 months)", "seat_utilisation": "Seat utilisation",
    "features_used": "Key features used", "tickets_3m": "Tickets (3 months)",
    "unresolved_3m": "Unresolved tickets", "resolution_h_6m": "Resolution time (6 months)",
    "csat_6m": "CSAT (6 months)", "nps_score": "Latest NPS score", "duration": "Tenure (months)",
}


def feature_label(name: str) -> str:
    """Plain name of a classifier feature (themes: "Theme: pricing value")."""
    if name.startswith("theme:"):
        return "Theme: " + name.removeprefix("theme:").replace("_", " ")
    return FEATURE_LABELS.get(name, name)


def tidy_category(values: pd.Series) -> pd.Series:
    """Trim text and merge case variants ('Monthly', 'monthly') into their commonest spelling."""
    s = values.astype("string").str.strip().replace("", pd.NA)
    key = s.str.lower()
    spelling = s.groupby(key).agg(lambda x: x.value_counts().index[0])
    return key.map(spelling).fillna("(blank)").astype(str)


def account_themes(
    doc_themes: pd.DataFrame | None, feedback: pd.DataFrame | None = None,
    min_accounts: int = MIN_THEME_ACCOUNTS, max_themes: int = MAX_THEMES,
) -> pd.DataFrame | None:
    """Normalise document themes to one row per (account_id, created_at, theme).

    Only themes raised by at least ``min_accounts`` accounts are kept, at most ``max_themes``
    of them (the most widely raised): a fine-grained topic model yields many small topics,
    and a rare indicator has no estimable hazard ratio.

    Accepts frames that already have ``account_id`` and ``created_at`` or that identify the
    document by ``doc_id`` (as ``topics`` does) or by ``source`` + ``source_id``; those are
    joined to the store's ``feedback`` table. Documents without an account (app reviews) drop.
    """
    if doc_themes is None or not len(doc_themes):
        return None
    cols = set(doc_themes.columns)
    if {"account_id", "created_at", "theme"} <= cols:
        out = doc_themes
    else:
        if feedback is None:
            raise ValueError("doc_themes lacks account_id/created_at: pass the feedback table")
        key = ["doc_id"] if "doc_id" in cols else ["source", "source_id"]
        if not set(key) <= cols:
            raise KeyError("doc_themes needs account_id+created_at, doc_id or source+source_id")
        fb = feedback[[*key, "account_id", "created_at"]].copy()
        left = doc_themes.drop(columns=[c for c in ("account_id", "created_at") if c in cols])
        out = left.assign(**{k: left[k].astype(str) for k in key}).merge(
            fb.assign(**{k: fb[k].astype(str) for k in key}), on=key, how="inner"
        )
    keep = ["account_id", "created_at", "theme"] + (["theme_label"] if "theme_label" in out else [])
    out = out[keep].dropna(subset=["account_id", "created_at", "theme"])
    out = out.assign(theme=out["theme"].astype(str), created_at=naive_timestamps(out["created_at"]))
    reach = out.groupby("theme")["account_id"].nunique()
    keep_themes = reach[reach >= min_accounts].sort_values(ascending=False).head(max_themes)
    out = out[out["theme"].isin(keep_themes.index)]
    return out.reset_index(drop=True)
