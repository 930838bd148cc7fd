"""Shared fixtures: a tiny hand-written workspace and the full seeded sample workspace."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pandas as pd
import pytest

ROOT = Path(__file__).resolve().parent.parent
SHARED = ROOT.parent / "shared" / "datasets"

TINY_TOML = (ROOT / "data" / "workspace.toml").read_text()

ACCOUNTS = """Account ID,Account Name,Plan,Billing Term,Segment,Region,ARR,Start Date,End Date,Owner Email
ACC-1,Northwind Logistics,Growth,monthly,SMB,NA,12000,2025-01-15,,owner@vendor.example
ACC-2,Bluepeak Analytics,Enterprise,annual,Enterprise,EMEA,90000,2024-11-01,2026-08-20,owner@vendor.example
ACC-3,Redwood Foods,Starter,Monthly,SMB,APAC,3000,2026-02-01,,owner@vendor.example
"""
NPS = """Response ID,Account ID,Submitted At,Score,Comment,CES,Respondent Email
R1,ACC-1,2026-07-03T10:00:00Z,9,"Love it. Call me at (415) 555-0123, Maria Gonzalez",6,m@x.example
R2,ACC-2,2026-08-11T09:30:00Z,3,Dashboards are slow,,a@b.example
R3,ACC-3,2026-09-01T12:00:00Z,7,,,c@d.example
"""
REVIEWS = """review_id,date,store,rating,title,text,author
V1,2026-07-05,ios,5,Great,"Easy to use, email me at jo@example.com",jo_b
V2,2026-08-09,android,2,Crashes,The mobile app crashes on login,kim77
"""
TICKETS = {
    "export": {"count": 2},
    "tickets": [
        {
            "id": 1001,
            "organization": {"external_id": "ACC-1"},
            "created_at": "2026-07-01T08:00:00Z",
            "first_reply_at": "2026-07-01T10:00:00Z",
            "solved_at": "2026-07-02T08:00:00Z",
            "status": "solved",
            "via": {"channel": "email"},
            "subject": "Invoice wrong",
            "description": "Hi, this is Tom Becker. Card 4111 1111 1111 1111 was charged twice.",
            "requester": {"name": "Tom Becker", "email": "tom@northwind.example"},
            "satisfaction_rating": {"score": 4},
        },
        {
            "id": 1002,
            "organization": {"external_id": "ACC-2"},
            "created_at": "2026-08-01T08:00:00Z",
            "first_reply_at": None,
            "solved_at": None,
            "status": "open",
            "via": {"channel": "chat"},
            "subject": "SSO loop",
            "description": "Okta login loops after the update",
            "requester": {"name": "Ann Lee", "email": "a@b.example"},
            "satisfaction_rating": None,
        },
    ],
}
VTT = """WEBVTT

00:00:01.000 --> 00:00:04.000
<v Jordan Reyes>Thanks for joining, Maria. How is the reporting going?

00:00:05.000 --> 00:00:12.000
<v Maria Gonzalez>Honestly the dashboards are slow, and we export
everything to spreadsheets.

00:00:13.000 --> 00:00:15.000
<v Jordan Reyes>What would help most?

00:00:16.000 --> 00:00:20.000
<v Maria Gonzalez>Scheduled reports for my execs. Email me at maria@redwood.example.
"""
TXT = """Jordan Reyes: Hi Sam, can you tell me about onboarding?

Sam Whitfield: Setup took weeks. The SSO step was confusing.

Jordan Reyes: Why was it confusing?

Sam Whitfield: The docs skip the Okta part. Call me on 415-555-0199 if you need more.
"""


def write_tiny_workspace(root: Path) -> Path:
    """A small, valid workspace written by hand (independent of the sample generator)."""
    raw = root / "raw"
    (raw / "interviews").mkdir(parents=True)
    (raw / "accounts.csv").write_text(ACCOUNTS)
    (raw / "nps_responses.csv").write_text(NPS)
    (raw / "app_reviews.csv").write_text(REVIEWS)
    (raw / "tickets.json").write_text(json.dumps(TICKETS))
    months = pd.date_range("2026-01-01", "2026-09-01", freq="MS")
    usage = pd.DataFrame(
        [
            {
                "account_id": a,
                "month": m.date(),
                "active_users": 5,
                "licensed_seats": 10,
                "mrr": 1000.0,
                "used_reports": True,
                "used_integrations": False,
                "used_automations": True,
                "used_mobile": False,
            }
            for a in ("ACC-1", "ACC-2", "ACC-3")
            for m in months
        ]
    )
    usage.to_parquet(raw / "usage_monthly.parquet", index=False)
    (raw / "interviews" / "2026-08-14_redwood-foods.vtt").write_text(VTT)
    (raw / "interviews" / "2026-09-02_northwind.txt").write_text(TXT)
    (root / "workspace.toml").write_text(TINY_TOML)
    return root


@pytest.fixture
def tiny_workspace(tmp_path: Path) -> Path:
    return write_tiny_workspace(tmp_path / "ws")


@pytest.fixture(scope="session")
def sample_workspace(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The full seeded sample workspace, generated and ingested once per test session."""
    from cc_analysis.ingest import ingest
    from cc_analysis.sample_data import generate

    root = tmp_path_factory.mktemp("sample")
    generate(root / "raw", seed=7)
    shutil.copy(ROOT / "data" / "workspace.toml", root / "workspace.toml")
    shutil.copy(ROOT / "data" / "codebook_interviews.yaml", root / "codebook_interviews.yaml")
    ingest(root, progress=False)
    return root


@pytest.fixture(scope="session")
def feedback_topic_runs(sample_workspace: Path, tmp_path_factory: pytest.TempPathFactory):
    """Notebook 02's topic fit on the sample workspace, as the quarterly schedule runs it:
    2026Q2, then 2026Q3 with the topic registry the first run saved. Same call and defaults as
    the notebook (its last eight quarters, the workspace's seed, fiscal year and embedding
    cache). Returns the two ``FeedbackTopics`` (2026Q2, 2026Q3); fitted once per session."""
    from cc_analysis import topics
    from cc_analysis.config import load_workspace
    from cc_analysis.notebook import TREND_QUARTERS
    from cc_analysis.periods import Quarter, quarter_range
    from cc_analysis.store import Store

    ws = load_workspace(sample_workspace)
    frames = Store(ws.store_path).frames("feedback", "accounts", "tickets", "nps_responses")
    reg_path = tmp_path_factory.mktemp("registry") / "topic_registry.json"
    runs = []
    for label in ("2026Q2", "2026Q3"):
        q = Quarter.parse(label, ws.fy_start_month)
        quarters = [x.label for x in quarter_range(q - (TREND_QUARTERS - 1), q)]
        registry = topics.TopicRegistry(reg_path)
        runs.append(topics.analyze_feedback(
            frames["feedback"], q.label, quarters, accounts=frames["accounts"],
            tickets=frames["tickets"], nps_responses=frames["nps_responses"],
            cache=ws.embedding_cache, registry=registry, seed=ws.seed,
            fy_start_month=ws.fy_start_month))
        registry.save()
    return tuple(runs)
