"""The planted personal data: every value recorded where it is, in the shapes a redactor
must catch."""

from __future__ import annotations

import re
from pathlib import Path

import pandas as pd

COMMON_WORD_FIRST_NAMES = {"Will", "May", "June", "Hope", "Mark", "Grace", "Bill", "Joy", "Art",
                           "Chase", "Faith", "Rose", "Summer", "Penny", "Dawn", "Ivy", "Crystal"}


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

