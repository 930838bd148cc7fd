"""sample_data.churn_tables: the churn-only generation the churn benchmark runs at any size."""

from __future__ import annotations

import pandas as pd
import pytest

from cc_analysis import sample_data

N = 400


@pytest.fixture(scope="module")
def tables() -> dict[str, pd.DataFrame]:
    return sample_data.churn_tables(N, seed=7)


def test_tables_and_columns(tables: dict[str, pd.DataFrame]) -> None:
    assert set(tables) == {"accounts", "usage_monthly", "tickets", "nps_responses", "doc_themes"}
    assert list(tables["accounts"].columns) == [
        "account_id", "account_name", "plan", "billing_term", "segment", "region", "arr",
        "start_date", "end_date"]
    assert list(tables["usage_monthly"].columns) == [
        "account_id", "month", "active_users", "licensed_seats", "mrr", "used_reports",
        "used_integrations", "used_automations", "used_mobile"]
    assert list(tables["tickets"].columns) == ["ticket_id", "account_id", "created_at",
                                               "solved_at", "csat"]
    assert list(tables["nps_responses"].columns) == ["response_id", "account_id",
                                                     "submitted_at", "score"]
    assert list(tables["doc_themes"].columns) == ["account_id", "created_at", "theme"]


def test_values(tables: dict[str, pd.DataFrame]) -> None:
    acc = tables["accounts"]
    assert len(acc) == N and acc["account_id"].is_unique
    assert acc["account_name"].str.fullmatch(r"Account \d{6}").all()  # stubs, no Faker
    assert set(acc["plan"]) <= {"Starter", "Growth", "Enterprise"}
    assert set(acc["billing_term"]) == {"monthly", "annual"}
    ended = acc["end_date"].notna()
    assert ended.any() and (acc.loc[ended, "end_date"] > acc.loc[ended, "start_date"]).all()
    ids = set(acc["account_id"])
    for name in ("usage_monthly", "tickets", "nps_responses", "doc_themes"):
        assert set(tables[name]["account_id"]) <= ids, name
    usage = tables["usage_monthly"]
    assert not usage.duplicated(["account_id", "month"]).any()
    assert (usage["active_users"] <= usage["licensed_seats"]).all()
    csat = tables["tickets"]["csat"].dropna()
    assert len(csat) and csat.between(1, 5).all()
    assert tables["nps_responses"]["score"].between(0, 10).all()
    assert set(tables["doc_themes"]["theme"]) <= {t.id for t in sample_data.THEMES}


def test_seeded(tables: dict[str, pd.DataFrame]) -> None:
    again = sample_data.churn_tables(N, seed=7)
    for name, frame in tables.items():
        pd.testing.assert_frame_equal(frame, again[name])
    other = sample_data.churn_tables(N, seed=8)
    assert not other["accounts"].equals(tables["accounts"])
