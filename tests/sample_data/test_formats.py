"""The export formats of docs/data-formats.md: accounts, usage, tickets, NPS, reviews."""

from __future__ import annotations

import re
from pathlib import Path

import numpy as np
import pandas as pd
import pyarrow.parquet as pq

from cc_analysis import sample_data
from cc_analysis.periods import quarter_labels

ACCOUNT_COLUMNS = ["Account ID", "Account Name", "Plan", "Billing Term", "Segment", "Region",
                   "ARR", "Start Date", "End Date", "Owner Email"]
NPS_COLUMNS = ["Response ID", "Account ID", "Submitted At", "Score", "Comment", "CES",
               "Respondent Email"]
REVIEW_COLUMNS = ["review_id", "date", "store", "rating", "title", "text", "author"]
USAGE_COLUMNS = ["account_id", "month", "active_users", "licensed_seats", "mrr", "used_reports",
                 "used_integrations", "used_automations", "used_mobile"]
TICKET_KEYS = {"id", "organization", "created_at", "first_reply_at", "solved_at", "status", "via",
               "subject", "description", "requester", "satisfaction_rating"}
ISO_Z = re.compile(r"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$")


def test_accounts_format(accounts: pd.DataFrame) -> None:
    assert list(accounts.columns) == ACCOUNT_COLUMNS
    assert accounts["Account ID"].str.fullmatch(r"ACC-\d{5}").all()
    assert accounts["Account ID"].is_unique
    assert set(accounts["Plan"]) <= {"Starter", "Growth", "Enterprise"}
    assert set(accounts["Billing Term"]) == {"monthly", "annual"}
    assert set(accounts["Segment"]) == {"SMB", "Mid-Market", "Enterprise"}
    assert set(accounts["Region"]) <= {"NA", "EMEA", "APAC", "LATAM"}
    assert (accounts["ARR"].astype(float) > 0).all()
    start = pd.to_datetime(accounts["Start Date"], format="%Y-%m-%d")
    assert start.min() >= pd.Timestamp("2022-01-01") and start.max() <= pd.Timestamp("2026-09-30")
    ended = accounts["End Date"] != ""
    end = pd.to_datetime(accounts.loc[ended, "End Date"], format="%Y-%m-%d")
    assert end.min() >= pd.Timestamp("2024-10-01") and end.max() <= pd.Timestamp("2026-09-30")
    assert (end > start[ended]).all()
    assert 0.5 < (start < pd.Timestamp("2024-10-01")).mean() < 0.7
    vendor = re.escape(sample_data.VENDOR_DOMAIN)
    assert accounts["Owner Email"].str.fullmatch(rf"[a-z._]+@{vendor}").all()
    assert not accounts["Account Name"].str.startswith("Northwind ").any()  # the vendor
    # curated "Adjective+noun Industry" names, not Faker's person-surname companies
    assert accounts["Account Name"].str.fullmatch(r"[A-Z][a-z]+ [A-Z][a-z]+").all()
    assert accounts["Account Name"].is_unique


def test_usage_format(raw: Path, accounts: pd.DataFrame) -> None:
    table = pq.read_table(raw / "usage_monthly.parquet")
    assert table.column_names == USAGE_COLUMNS
    types = {f.name: str(f.type) for f in table.schema}
    assert types["account_id"] == "string" and types["month"] == "date32[day]"
    assert types["active_users"] == types["licensed_seats"] == "int64"
    assert types["mrr"] == "double"
    assert all(types[c] == "bool" for c in USAGE_COLUMNS[5:])
    u = table.to_pandas()
    u["month"] = pd.to_datetime(u["month"])
    assert (u["month"].dt.day == 1).all()
    assert (u["active_users"] <= u["licensed_seats"]).all() and (u["licensed_seats"] >= 1).all()
    assert not u.duplicated(["account_id", "month"]).any()
    span = u.groupby("account_id")["month"].agg(["min", "max", "size"])
    acc = accounts.set_index("Account ID")
    first = pd.to_datetime(acc["Start Date"]).dt.to_period("M").dt.to_timestamp()
    end = pd.to_datetime(acc["End Date"].replace("", "2026-09-30"))
    last = end.dt.to_period("M").dt.to_timestamp()
    assert (span["min"] == first.reindex(span.index)).all()
    assert (span["max"] == last.reindex(span.index)).all()
    months = (last.dt.year - first.dt.year) * 12 + last.dt.month - first.dt.month + 1
    assert (span["size"] == months.reindex(span.index)).all()  # no gaps
    # adoption differs by plan
    plan = u["account_id"].map(acc["Plan"])
    by_plan = u.groupby(plan)["used_integrations"].mean()
    assert by_plan["Enterprise"] > by_plan["Growth"] > by_plan["Starter"]


def test_usage_expansion_and_contraction(raw: Path) -> None:
    u = pd.read_parquet(raw / "usage_monthly.parquet")
    u["month"] = pd.to_datetime(u["month"])
    a = u[u["month"] == "2025-09-01"].set_index("account_id")["mrr"]
    b = u[u["month"] == "2026-09-01"].set_index("account_id")["mrr"].reindex(a.index).fillna(0)
    nrr = b.sum() / a.sum()
    grr = np.minimum(a, b).sum() / a.sum()
    assert grr < nrr
    assert 0.7 < grr < 1.0


def test_tickets_format(tickets: dict, accounts: pd.DataFrame) -> None:
    assert tickets["export"] == {"generated_at": "2026-10-01T00:00:00Z",
                                 "count": len(tickets["tickets"])}
    ids = set(accounts["Account ID"])
    prev_id = 100000
    for t in tickets["tickets"]:
        assert set(t) == TICKET_KEYS
        assert t["id"] == prev_id + 1
        prev_id = t["id"]
        assert t["organization"]["external_id"] in ids
        assert ISO_Z.match(t["created_at"])
        assert t["status"] in {"solved", "open", "pending"}
        assert (t["solved_at"] is None) == (t["status"] != "solved")
        for k in ("first_reply_at", "solved_at"):
            assert t[k] is None or (ISO_Z.match(t[k]) and t[k] >= t["created_at"])
        if t["solved_at"]:
            assert t["first_reply_at"] is not None and t["first_reply_at"] <= t["solved_at"]
        assert t["via"]["channel"] in {"email", "chat", "phone", "web"}
        assert t["subject"] and len(t["subject"]) < 60 and len(t["description"]) > len(
            t["subject"])
        assert set(t["requester"]) == {"name", "email"}
        rating = t["satisfaction_rating"]
        assert rating is None or (t["status"] == "solved" and 1 <= rating["score"] <= 5)
    t = pd.DataFrame({"acc": [t["organization"]["external_id"] for t in tickets["tickets"]],
                      "day": [t["created_at"][:10] for t in tickets["tickets"]]})
    acc = accounts.set_index("Account ID")
    assert (t["day"] >= t["acc"].map(acc["Start Date"])).all()
    end = t["acc"].map(acc["End Date"]).replace("", "2026-09-30")
    assert (t["day"] <= end).all()
    assert "2024-10-01" <= tickets["tickets"][0]["created_at"][:10]
    assert tickets["tickets"][-1]["created_at"][:10] <= "2026-09-30"


def test_ticket_timings(tickets: dict) -> None:
    t = pd.DataFrame(tickets["tickets"])
    created = pd.to_datetime(t["created_at"])
    first = (pd.to_datetime(t["first_reply_at"]) - created).dt.total_seconds() / 3600
    solved = (pd.to_datetime(t["solved_at"]) - created).dt.total_seconds() / 3600
    assert 2 < first.median() < 7  # ~4h
    assert first.quantile(0.95) > 4 * first.median()  # long tail
    assert 18 < solved.median() < 60  # ~1-2 days
    unsolved = t["solved_at"].isna().mean()
    assert 0.02 < unsolved < 0.2
    rated = t.loc[t["status"] == "solved", "satisfaction_rating"].notna().mean()
    assert 0.3 < rated < 0.5


def test_nps_format(nps: pd.DataFrame, accounts: pd.DataFrame, quarters: list[str]) -> None:
    assert list(nps.columns) == NPS_COLUMNS
    assert nps["Response ID"].is_unique
    assert nps["Account ID"].isin(accounts["Account ID"]).all()
    assert nps["Submitted At"].str.match(ISO_Z.pattern).all()
    scores = nps["Score"].astype(int)
    assert scores.between(0, 10).all()
    ces = nps.loc[nps["CES"] != "", "CES"].astype(int)
    assert ces.between(1, 7).all()
    assert 0.2 < len(ces) / len(nps) < 0.4
    assert 0.65 < (nps["Comment"] != "").mean() < 0.85
    assert nps["Respondent Email"].str.contains("@").all()
    # responses only while the account is a customer, within the 8 quarters
    when = pd.to_datetime(nps["Submitted At"]).dt.tz_localize(None)
    acc = accounts.set_index("Account ID")
    start = pd.to_datetime(nps["Account ID"].map(acc["Start Date"]))
    end = pd.to_datetime(nps["Account ID"].map(acc["End Date"]).replace("", "2026-09-30"))
    assert (when >= start).all() and (when.dt.normalize() <= end).all()
    assert set(quarter_labels(when)) == set(quarters)


def test_reviews_format(reviews: pd.DataFrame) -> None:
    assert list(reviews.columns) == REVIEW_COLUMNS
    assert reviews["review_id"].is_unique
    dates = pd.to_datetime(reviews["date"], format="%Y-%m-%d")
    assert dates.min() >= pd.Timestamp("2024-10-01")
    assert dates.max() <= pd.Timestamp("2026-09-30")
    assert set(reviews["store"]) == {"ios", "android"}
    assert reviews["rating"].astype(int).between(1, 5).all()
    assert (reviews["title"] != "").all() and (reviews["author"] != "").all()

