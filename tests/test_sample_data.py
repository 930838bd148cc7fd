"""Tests for cc_analysis.sample_data: formats, determinism and the planted truth."""

from __future__ import annotations

import json
import re
from pathlib import Path

import numpy as np
import pandas as pd
import pyarrow.parquet as pq
import pytest

from cc_analysis import sample_data
from cc_analysis.periods import Quarter, quarter_labels, quarter_range

N_ACCOUNTS = 300
SEED = 7
QUARTERS = [q.label for q in quarter_range(Quarter(2024, 4), Quarter(2026, 3))]
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
COMMON_WORD_FIRST_NAMES = {"Will", "May", "June", "Hope", "Mark", "Grace", "Bill", "Joy", "Art",
                           "Chase", "Faith", "Rose", "Summer", "Penny", "Dawn", "Ivy", "Crystal"}


# ------------------------------------------------------------------------------------------------
# fixtures
# ------------------------------------------------------------------------------------------------
@pytest.fixture(scope="module")
def raw(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("raw")
    sample_data.generate(out, seed=SEED, n_accounts=N_ACCOUNTS)
    return out


@pytest.fixture(scope="module")
def truth(raw: Path) -> dict:
    return json.loads((raw / "_truth.json").read_text(encoding="utf-8"))


@pytest.fixture(scope="module")
def accounts(raw: Path) -> pd.DataFrame:
    return pd.read_csv(raw / "accounts.csv", dtype=str, keep_default_na=False)


@pytest.fixture(scope="module")
def tickets(raw: Path) -> dict:
    return json.loads((raw / "tickets.json").read_text(encoding="utf-8"))


@pytest.fixture(scope="module")
def nps(raw: Path) -> pd.DataFrame:
    return pd.read_csv(raw / "nps_responses.csv", dtype=str, keep_default_na=False)


@pytest.fixture(scope="module")
def reviews(raw: Path) -> pd.DataFrame:
    return pd.read_csv(raw / "app_reviews.csv", dtype=str, keep_default_na=False)


@pytest.fixture(scope="module")
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


def _has(docs: pd.DataFrame, theme: str) -> pd.Series:
    return docs["theme_set"].map(lambda s: theme in s)


def _file_bytes(root: Path) -> dict[str, bytes]:
    return {p.relative_to(root).as_posix(): p.read_bytes()
            for p in sorted(root.rglob("*")) if p.is_file()}


# ------------------------------------------------------------------------------------------------
# API, determinism
# ------------------------------------------------------------------------------------------------
def test_files_written_and_truth_returned(raw: Path, truth: dict) -> None:
    for name in ("accounts.csv", "usage_monthly.parquet", "tickets.json", "nps_responses.csv",
                 "app_reviews.csv", "_truth.json", "_truth_documents.csv"):
        assert (raw / name).is_file(), name
    assert (raw / "interviews").is_dir()
    for key in ("seed", "quarters", "themes", "emerging_theme", "trending", "churn_model",
                "interview_themes", "interviews", "pii", "counts"):
        assert key in truth, key
    assert truth["seed"] == SEED
    assert truth["quarters"] == QUARTERS


def test_same_seed_same_bytes_and_silent(raw: Path, tmp_path: Path,
                                         capfd: pytest.CaptureFixture[str]) -> None:
    again = sample_data.generate(tmp_path / "again", seed=SEED, n_accounts=N_ACCOUNTS)
    captured = capfd.readouterr()
    assert captured.out == "" and captured.err == ""
    assert again == json.loads((raw / "_truth.json").read_text(encoding="utf-8"))
    a, b = _file_bytes(raw), _file_bytes(tmp_path / "again")
    assert sorted(a) == sorted(b)
    for name in a:
        assert a[name] == b[name], f"{name} differs between two runs with the same seed"


def test_other_seed_differs_and_stale_interviews_removed(tmp_path: Path) -> None:
    out = tmp_path / "raw"
    sample_data.generate(out, seed=SEED + 1, n_accounts=60)
    first = {p.name for p in (out / "interviews").iterdir()}
    (out / "interviews" / "notes.md").write_text("keep me")
    truth = sample_data.generate(out, seed=SEED + 2, n_accounts=60)
    files = {p.name for p in (out / "interviews").iterdir()}
    assert "notes.md" in files  # not ours: left alone
    assert files - {"notes.md"} == {Path(iv["file"]).name for iv in truth["interviews"]}
    assert first != files - {"notes.md"}
    assert truth["counts"]["interviews"] == 4 * 8  # never fewer than 4 per quarter


def test_counts_match_files(raw: Path, truth: dict, accounts: pd.DataFrame, tickets: dict,
                            nps: pd.DataFrame, reviews: pd.DataFrame) -> None:
    c = truth["counts"]
    assert c["accounts.csv"] == len(accounts) == N_ACCOUNTS
    assert c["usage_monthly.parquet"] == pq.read_metadata(raw / "usage_monthly.parquet").num_rows
    assert c["tickets.json"] == len(tickets["tickets"]) == tickets["export"]["count"]
    assert c["nps_responses.csv"] == len(nps)
    assert c["app_reviews.csv"] == len(reviews)
    assert c["interviews"] == len(list((raw / "interviews").iterdir())) == len(truth["interviews"])
    assert c["_truth_documents.csv"] == len(pd.read_csv(raw / "_truth_documents.csv"))


def test_volumes_scale_with_accounts(truth: dict) -> None:
    scale = N_ACCOUNTS / 2000
    per_q = {k: v / 8 / scale for k, v in truth["counts"].items()}
    assert 1100 < per_q["tickets.json"] < 1900
    assert 500 < per_q["nps_responses.csv"] < 900
    assert 220 < per_q["app_reviews.csv"] < 380
    assert truth["counts"]["interviews"] == 4 * 8


# ------------------------------------------------------------------------------------------------
# formats (docs/data-formats.md)
# ------------------------------------------------------------------------------------------------
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


def test_nps_format(nps: pd.DataFrame, accounts: pd.DataFrame) -> None:
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
    assert set(quarter_labels(when)) == set(QUARTERS)


def test_reviews_format(reviews: pd.DataFrame) -> None:
    assert list(reviews.columns) == REVIEW_COLUMNS
    assert reviews["review_id"].is_unique
    dates = pd.to_datetime(reviews["date"], format="%Y-%m-%d")
    assert dates.min() >= pd.Timestamp("2024-10-01")
    assert dates.max() <= pd.Timestamp("2026-09-30")
    assert set(reviews["store"]) == {"ios", "android"}
    assert reviews["rating"].astype(int).between(1, 5).all()
    assert (reviews["title"] != "").all() and (reviews["author"] != "").all()


VTT_CUE = re.compile(r"^\d\d:\d\d:\d\d\.\d{3} --> \d\d:\d\d:\d\d\.\d{3}$")
TXT_TURN = re.compile(r"^(\[\d\d:\d\d:\d\d\] )?([A-Z][A-Za-z'.-]+(?: [A-Z][A-Za-z'.-]+)+): (.+)$",
                      re.S)


def _interview_turns(path: Path) -> list[tuple[str, str]]:
    text = path.read_text(encoding="utf-8")
    turns = []
    if path.suffix == ".vtt":
        lines = text.split("\n")
        assert lines[0] == "WEBVTT"
        for block in text.split("\n\n")[1:]:
            if not block.strip():
                continue
            cue = block.strip("\n").split("\n")
            assert VTT_CUE.match(cue[0]), cue[0]
            body = "\n".join(cue[1:])
            m = re.fullmatch(r"<v ([^>]+)>(.+)</v>", body, re.S)
            assert m, body
            turns.append((m.group(1), m.group(2)))
    else:
        for para in text.strip().split("\n\n"):
            m = TXT_TURN.match(para)
            assert m, para
            turns.append((m.group(2), m.group(3)))
    return turns


def test_interviews_format(raw: Path, truth: dict, accounts: pd.DataFrame) -> None:
    files = sorted((raw / "interviews").iterdir())
    assert {f"interviews/{p.name}" for p in files} == {iv["file"] for iv in truth["interviews"]}
    suffixes = [p.suffix for p in files]
    assert suffixes.count(".vtt") >= 8 and suffixes.count(".txt") >= 8
    two_line_cues = 0
    stamped = 0
    theme_ids = {t["id"] for t in truth["interview_themes"]}
    acc = accounts.set_index("Account ID")
    assert len(set(truth["researchers"])) == 3
    for iv in truth["interviews"]:
        path = raw / iv["file"]
        assert re.fullmatch(r"\d{4}-\d\d-\d\d_[a-z0-9-]+\.(vtt|txt)", path.name)
        assert path.name.startswith(iv["date"])
        assert Quarter.of(pd.Timestamp(iv["date"])).label == iv["quarter"]
        assert acc.loc[iv["account_id"], "Account Name"] == iv["company"]
        assert iv["interviewer"] in truth["researchers"]
        assert 2 <= len(iv["themes"]) <= 4 and set(iv["themes"]) <= theme_ids
        turns = _interview_turns(path)
        assert 25 <= len(turns) <= 50
        assert {s for s, _ in turns} == {iv["participant_name"], iv["interviewer"]}
        text = path.read_text(encoding="utf-8")
        assert iv["participant_name"] in " ".join(t for _, t in turns)  # small talk
        two_line_cues += sum("\n" in t for _, t in turns) if path.suffix == ".vtt" else 0
        stamped += path.suffix == ".txt" and text.startswith("[")
    assert two_line_cues > 0 and stamped > 0
    per_q = pd.Series([iv["quarter"] for iv in truth["interviews"]]).value_counts()
    assert set(per_q.index) == set(QUARTERS) and (per_q >= 4).all()


def test_interview_themes_are_spoken(raw: Path, truth: dict) -> None:
    snippets = sample_data._INTERVIEW_SNIPPETS  # planted phrasings
    for iv in truth["interviews"]:
        turns = _interview_turns(raw / iv["file"])
        said = " ".join(t.replace("\n", " ") for s, t in turns if s == iv["participant_name"])
        said = said.lower()
        for theme in iv["themes"]:
            hits = sum(s[4:40].lower() in said for s in snippets[theme])
            assert hits >= 1, (iv["file"], theme)
        for theme in set(snippets) - set(iv["themes"]):
            assert not any(s[4:40].lower() in said for s in snippets[theme]), (iv["file"], theme)


# ------------------------------------------------------------------------------------------------
# planted feedback themes
# ------------------------------------------------------------------------------------------------
def test_truth_documents(docs: pd.DataFrame, truth: dict, nps: pd.DataFrame, tickets: dict,
                         reviews: pd.DataFrame) -> None:
    assert docs["when"].notna().all()  # every row points at a real document
    counts = docs["source"].value_counts()
    assert counts["ticket"] == len(tickets["tickets"])
    assert counts["review"] == len(reviews)
    assert counts["nps"] == (nps["Comment"] != "").sum()
    ids = {t["id"] for t in truth["themes"]}
    assert set().union(*docs["theme_set"]) <= ids
    n_themes = docs["theme_set"].map(len)
    assert n_themes.max() == 3
    assert 0.04 < (n_themes == 0).mean() < 0.13  # chatter
    assert (n_themes == 1).mean() > (n_themes == 2).mean() > (n_themes == 3).mean()


def test_theme_truth_shape(truth: dict) -> None:
    assert 12 <= len(truth["themes"]) <= 14
    for t in truth["themes"]:
        assert set(t["prevalence"]) == set(QUARTERS)
        assert t["kind"] in {"complaint", "praise", "request"}
        for k in ("nps_effect", "rating_effect", "csat_effect"):
            assert isinstance(t[k], float | int)
        assert 6 <= len(t["phrasings"]) <= 12
    effects = {t["id"]: t["nps_effect"] for t in truth["themes"]}
    assert effects["performance_slowness"] == -2.5
    assert effects["ease_of_use_praise"] > 0
    assert set(truth["trending"].values()) <= {"up", "down"}


def test_emerging_theme(docs: pd.DataFrame, truth: dict) -> None:
    em = truth["emerging_theme"]
    assert em["quarter"] == "2026Q3"
    theme = next(t for t in truth["themes"] if t["id"] == em["id"])
    assert all(theme["prevalence"][q] == 0 for q in QUARTERS[:-1])
    assert 0.09 < theme["prevalence"]["2026Q3"] < 0.15
    has = _has(docs, em["id"])
    assert not has[docs["quarter"] != "2026Q3"].any()
    share = has[docs["quarter"] == "2026Q3"].mean()
    assert 0.06 < share < 0.2
    words = ("sso", "okta", "sign", "login", "log in", "saml", "idp", "locked")
    texts = docs.loc[has, "text"].str.lower()
    assert texts.map(lambda s: any(w in s for w in words)).mean() > 0.85


def test_prevalence_roughly_realised(docs: pd.DataFrame, truth: dict) -> None:
    for t in truth["themes"]:
        planted = np.mean([t["prevalence"][q] for q in QUARTERS])
        realised = _has(docs, t["id"]).mean()
        assert abs(realised - planted) < 0.035, (t["id"], planted, realised)


def test_trending_themes(docs: pd.DataFrame, truth: dict) -> None:
    early = docs["quarter"].isin(QUARTERS[:3])
    late = docs["quarter"].isin(QUARTERS[-3:])
    for theme, direction in truth["trending"].items():
        t = next(x for x in truth["themes"] if x["id"] == theme)
        has = _has(docs, theme)
        e, la = has[early].mean(), has[late].mean()
        if direction == "up":
            assert t["prevalence"][QUARTERS[-1]] > t["prevalence"][QUARTERS[0]]
            assert la > e * 1.3
        else:
            assert t["prevalence"][QUARTERS[-1]] < t["prevalence"][QUARTERS[0]]
            assert la < e / 1.3


def test_nps_effects_visible(docs: pd.DataFrame, truth: dict) -> None:
    nd = docs[docs["source"] == "nps"]
    perf = _has(nd, "performance_slowness")
    assert nd.loc[perf, "score"].mean() < nd.loc[~perf, "score"].mean() - 1.0
    praise = _has(nd, "ease_of_use_praise")
    assert nd.loc[praise, "score"].mean() > nd.loc[~praise, "score"].mean() + 0.5
    rv = docs[docs["source"] == "review"]
    perf = _has(rv, "performance_slowness")
    assert rv.loc[perf, "score"].mean() < rv.loc[~perf, "score"].mean() - 0.5


def test_comment_wording_matches_theme(docs: pd.DataFrame, truth: dict) -> None:
    """Documents carry (typo'd, re-cased) planted phrasings of their themes."""
    phr = {t["id"]: [p.lower() for p in t["phrasings"]] for t in truth["themes"]}
    sample = docs[docs["theme_set"].map(len) == 1].head(400)
    found = 0
    for _, row in sample.iterrows():
        (theme,) = row["theme_set"]
        text = row["text"].lower()
        # a typo touches a few words only: look for any 3-word window of a phrasing
        found += any(" ".join(p.split()[i:i + 3]) in text
                     for p in phr[theme] for i in range(max(1, len(p.split()) - 2)))
    assert found / len(sample) > 0.9


# ------------------------------------------------------------------------------------------------
# planted personal data
# ------------------------------------------------------------------------------------------------
def _luhn_ok(number: str) -> bool:
    digits = [int(c) for c in number if c.isdigit()]
    total = 0
    for i, d in enumerate(reversed(digits)):
        if i % 2 == 1:
            d = d * 2 - 9 if d > 4 else d * 2
        total += d
    return total % 10 == 0


def test_every_pii_entry_occurs_in_its_file(raw: Path, truth: dict) -> None:
    cache: dict[str, str] = {}
    kinds = set()
    for entry in truth["pii"]:
        assert {"kind", "value", "file", "record_id", "field"} <= set(entry)
        kinds.add(entry["kind"])
        text = cache.setdefault(entry["file"],
                                (raw / entry["file"]).read_text(encoding="utf-8"))
        assert entry["value"] in text, entry
    assert kinds == {"email", "phone", "person_name", "card_number", "url_token"}


def test_pii_in_the_named_record(truth: dict, nps: pd.DataFrame, tickets: dict,
                                 reviews: pd.DataFrame, accounts: pd.DataFrame) -> None:
    by_ticket = {str(t["id"]): t for t in tickets["tickets"]}
    nps_i = nps.set_index("Response ID")
    rv_i = reviews.set_index("review_id")
    acc_i = accounts.set_index("Account ID")
    for e in truth["pii"]:
        f, rid, field, v = e["file"], e["record_id"], e["field"], e["value"]
        if f == "tickets.json":
            t = by_ticket[rid]
            got = {"description": t["description"], "requester.name": t["requester"]["name"],
                   "requester.email": t["requester"]["email"]}[field]
        elif f == "nps_responses.csv":
            got = nps_i.loc[rid, field]
        elif f == "app_reviews.csv":
            got = rv_i.loc[rid, field]
        elif f == "accounts.csv":
            got = acc_i.loc[rid, field]
        else:
            assert f == f"interviews/{rid}" and field in {"speaker", "text"}
            continue
        assert v in got, e


def test_structured_personal_columns_all_recorded(truth: dict, nps: pd.DataFrame, tickets: dict,
                                                  reviews: pd.DataFrame,
                                                  accounts: pd.DataFrame) -> None:
    rec = {(e["file"], e["record_id"], e["field"]) for e in truth["pii"]}
    for aid in accounts["Account ID"]:
        assert ("accounts.csv", aid, "Owner Email") in rec
    for t in tickets["tickets"]:
        assert ("tickets.json", str(t["id"]), "requester.name") in rec
        assert ("tickets.json", str(t["id"]), "requester.email") in rec
    for rid in nps["Response ID"]:
        assert ("nps_responses.csv", rid, "Respondent Email") in rec
    for rid in reviews["review_id"]:
        assert ("app_reviews.csv", rid, "author") in rec
    speakers = {(e["file"], e["value"]) for e in truth["pii"] if e["field"] == "speaker"}
    for iv in truth["interviews"]:
        assert (iv["file"], iv["participant_name"]) in speakers
        assert (iv["file"], iv["interviewer"]) in speakers


def test_free_text_pii_rate_and_shapes(truth: dict, docs: pd.DataFrame) -> None:
    free = [e for e in truth["pii"] if e["field"] in {"Comment", "description", "text"}
            and not e["file"].startswith("interviews/")]
    for source, file in (("nps", "nps_responses.csv"), ("ticket", "tickets.json"),
                         ("review", "app_reviews.csv")):
        n_docs = (docs["source"] == source).sum()
        n_pii = sum(e["file"] == file for e in free)
        assert 0.025 < n_pii / n_docs < 0.11, source
    assert any(e["field"] == "text" for e in truth["pii"] if e["file"].startswith("interviews/"))
    for e in truth["pii"]:
        v = e["value"]
        if e["kind"] == "card_number":
            assert re.fullmatch(r"\d{4}([ -])\d{4}\1\d{4}\1\d{4}", v) and _luhn_ok(v), v
        elif e["kind"] == "phone":
            assert re.fullmatch(r"\(\d{3}\) \d{3}-\d{4}|\d{3}-\d{3}-\d{4}|\+1 \d{3} \d{3} \d{4}"
                                r"|\d{3}\.\d{3}\.\d{4}|\+44 20 \d{4} \d{4}", v), v
        elif e["kind"] == "email":
            assert re.fullmatch(r"[a-z0-9._]+@[a-z0-9.]+\.[a-z]+", v), v
        elif e["kind"] == "url_token":
            assert v.startswith("https://") and "token=" in v
        elif e["kind"] == "person_name" and e["field"] != "author":
            first, *rest = v.split(" ")
            assert len(rest) == 1 and first[0].isupper() and rest[0][0].isupper(), v
            assert first not in COMMON_WORD_FIRST_NAMES, v


# ------------------------------------------------------------------------------------------------
# churn
# ------------------------------------------------------------------------------------------------
def test_churn_model_truth(truth: dict) -> None:
    cm = truth["churn_model"]
    assert set(cm["base_monthly_hazard"]) == {"SMB", "Mid-Market", "Enterprise"}
    hr = cm["hazard_ratios"]
    assert hr == {"billing_term_monthly": 2.0, "usage_decline": 2.5, "unresolved_tickets": 1.8,
                  "pricing_complaint": 1.6, "plan_enterprise": 0.5}
    assert set(cm["definitions"]) == set(hr)
    assert isinstance(cm["annual_renewal_only"], bool)
    assert all(v > 0 for v in cm["realised"]["driver_account_months"].values())


def test_quarterly_churn_plausible(accounts: pd.DataFrame) -> None:
    start = pd.to_datetime(accounts["Start Date"])
    end = pd.to_datetime(accounts["End Date"].replace("", None))
    rates = []
    for q in quarter_range(Quarter(2024, 4), Quarter(2026, 3)):
        s, e = pd.Timestamp(q.start), pd.Timestamp(q.end)
        active = (start < s) & (end.isna() | (end >= s))
        churned = active & (end >= s) & (end <= e)
        rates.append(churned.sum() / active.sum())
    assert all(0.0 <= r < 0.12 for r in rates), rates
    assert 0.025 < float(np.mean(rates)) < 0.07, rates
    monthly = accounts["Billing Term"] == "monthly"
    assert end[monthly].notna().mean() > end[~monthly].notna().mean()


def test_churn_drivers_reproducible_from_exports(raw: Path, truth: dict, accounts: pd.DataFrame,
                                                 tickets: dict, nps: pd.DataFrame,
                                                 docs: pd.DataFrame) -> None:
    """Rebuild the at-risk account-month panel from the files using the recorded definitions:
    the driver exposure counts must equal the simulation's own bookkeeping exactly."""
    acc = accounts.set_index("Account ID")
    u = pd.read_parquet(raw / "usage_monthly.parquet")
    u["month"] = pd.to_datetime(u["month"])
    u = u.sort_values(["account_id", "month"])
    g = u.groupby("account_id")["active_users"]
    prev3 = g.transform(lambda x: x.shift(4).rolling(3).mean())
    last3 = g.transform(lambda x: x.shift(1).rolling(3).mean())
    u["usage_decline"] = (prev3 > 0) & (last3 <= 0.7 * prev3)
    start_m = pd.to_datetime(u["account_id"].map(acc["Start Date"])).dt.to_period("M")
    panel = u[(u["month"] >= "2024-10-01") & (u["month"].dt.to_period("M") > start_m)].copy()

    t = pd.DataFrame({
        "acc": [x["organization"]["external_id"] for x in tickets["tickets"]],
        "created": pd.to_datetime([x["created_at"] for x in tickets["tickets"]]).tz_localize(None),
        "solved": pd.to_datetime([x["solved_at"] for x in tickets["tickets"]]).tz_localize(None),
    })
    t["m"] = t["created"].dt.to_period("M").dt.to_timestamp()
    pricing = docs[_has(docs, "pricing_value") & docs["source"].isin(["nps", "ticket"])].copy()
    owner = dict(zip(nps["Response ID"], nps["Account ID"], strict=True))
    owner.update({str(x["id"]): x["organization"]["external_id"] for x in tickets["tickets"]})
    pricing["acc"] = pricing["source_id"].map(owner)
    pricing["m"] = pricing["when"].dt.to_period("M").dt.to_timestamp()

    unres, price = [], []
    for m, rows in panel.groupby("month"):
        recent = t[(t["m"] >= m - pd.DateOffset(months=3)) & (t["m"] < m)]
        open_ = recent[recent["solved"].isna() | (recent["solved"] >= m)].groupby("acc").size()
        unres.append(rows["account_id"].map(open_).fillna(0) >= 2)
        p = pricing[(pricing["m"] >= m - pd.DateOffset(months=6)) & (pricing["m"] < m)]
        price.append(rows["account_id"].isin(set(p["acc"])))
    panel["unresolved_tickets"] = pd.concat(unres)
    panel["pricing_complaint"] = pd.concat(price)
    panel["billing_term_monthly"] = panel["account_id"].map(acc["Billing Term"]) == "monthly"
    panel["plan_enterprise"] = panel["account_id"].map(acc["Plan"]) == "Enterprise"
    end_m = pd.to_datetime(panel["account_id"].map(acc["End Date"]).replace("", None))
    churned = panel["month"].dt.to_period("M") == end_m.dt.to_period("M")

    realised = truth["churn_model"]["realised"]
    assert len(panel) == realised["account_months_at_risk"]
    assert int(churned.sum()) == realised["churn_events"]
    for name, expected in realised["driver_account_months"].items():
        assert int(panel[name].sum()) == expected, name
    # crude direction check: churn is likelier when a harmful driver is on
    for name in ("billing_term_monthly", "usage_decline"):
        assert churned[panel[name]].mean() > churned[~panel[name]].mean(), name
