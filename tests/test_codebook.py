"""The one Codebook: both file layouts researchers keep (code lists and theme lists), in YAML,
JSON and CSV, versioned and fingerprinted, with errors that name the file and the entry."""

from __future__ import annotations

import hashlib
from pathlib import Path

import pytest

from cc_analysis import interviews as iv
from cc_analysis import topics
from cc_analysis.codebook import (
    DEFAULT_THRESHOLD,
    Code,
    Codebook,
    CodebookError,
    load_codebook,
)

CODEBOOK = Path(__file__).resolve().parent.parent / "data" / "codebook_interviews.yaml"


def test_topics_and_interviews_share_the_one_codebook() -> None:
    assert topics.Codebook is Codebook and iv.Codebook is Codebook
    assert iv.CodebookError is CodebookError and iv.load_codebook is load_codebook


def test_theme_lists_load_from_csv_and_yaml(tmp_path: Path) -> None:
    csv = tmp_path / "cb.csv"
    csv.write_text("name,description,seed_words\nSSO login,Cannot sign in with SSO,okta;sso\n")
    yml = tmp_path / "cb.yaml"
    yml.write_text("version: 3\nthemes:\n  - name: Billing\n    description: Invoices\n"
                   "    seed_words: [invoice, charge]\n")
    a, b = topics.Codebook.load(csv), topics.Codebook.load(yml)
    assert a.codes[0].keywords == ("okta", "sso") and a.codes[0].label == "SSO login"
    assert a.codes[0].code == "sso_login" and a.version == "1"  # a theme list without one
    assert a.sha256 == hashlib.sha256(csv.read_bytes()).hexdigest() and a.path == csv
    assert b.version == "3" and b.codes[0].prompt == "Billing. Invoices invoice, charge"
    (tmp_path / "bad.csv").write_text("name,description\n,nameless\n")
    with pytest.raises(ValueError, match="theme 1 has no name"):
        topics.Codebook.load(tmp_path / "bad.csv")
    (tmp_path / "dup.csv").write_text("name,description\nBilling,a\nBilling,b\n")
    with pytest.raises(CodebookError, match="duplicate label"):
        load_codebook(tmp_path / "dup.csv")


def test_theme_list_ids_from_names_in_any_script() -> None:
    book = Codebook.from_dict({"themes": [
        {"name": "价格", "seed_words": "贵;价钱"}, {"name": "請求"}, {"name": "SSO login"},
        {"name": "sso-login"}, {"name": "Billing"}, {"name": "Billing!",
                                                    "seed_words": "okta|sso; refund"}]})
    assert book.ids == ["价格", "請求", "sso_login", "sso_login_2", "billing", "billing_2"]
    assert book.codes[0].keywords == ("贵", "价钱")
    assert book.codes[5].keywords == ("okta|sso", "refund")  # seed words split on ";" only


def test_code_lists_yaml_csv_and_errors(tmp_path: Path) -> None:
    book = load_codebook(CODEBOOK)
    assert book.version == "2026.1" and len(book.sha256) == 64
    assert book.version_tag.startswith("2026.1 (sha256 ")
    assert "reporting_needs" in book.ids and all(c.definition and c.examples for c in book.codes)
    assert book.threshold == 0.48  # the file sets its own
    csv = tmp_path / "book.csv"
    csv.write_text("code,label,definition,examples,keywords,version\n"
                   "speed,Speed,Slow pages,Pages load slowly|Search lags,slow|lag,v3\n"
                   "price,Price,Costs too much,Too expensive,,\n")
    small = load_codebook(csv)
    assert small.version == "v3" and small.codes[0].examples == ("Pages load slowly",
                                                                 "Search lags")
    assert small.threshold == DEFAULT_THRESHOLD and small.labels == ["Speed", "Price"]
    csv.write_text("code,label,definition,version\nspeed,Speed,Slow pages,1\nspeed,Fast,x,\n")
    with pytest.raises(CodebookError, match=r"duplicate code"):
        load_codebook(csv)
    csv.write_text("code,label,definition\nspeed,Speed,Slow pages\n")
    with pytest.raises(CodebookError, match="no 'version' column value"):
        load_codebook(csv)
    bad = tmp_path / "book.yaml"
    bad.write_text("version: 1\ncodes:\n  - code: speed\n    label: Speed\n")
    with pytest.raises(CodebookError, match=r"book\.yaml: codes\[0\]: missing definition"):
        load_codebook(bad)
    bad.write_text("codes:\n  - {code: a, label: A, definition: d}\n")
    with pytest.raises(CodebookError, match="no 'version'"):
        load_codebook(bad)
    bad.write_text("version: 1\ncodes: [\n")
    with pytest.raises(CodebookError, match=r"line \d+: not valid YAML"):
        load_codebook(bad)
    bad.write_text("version: 1\nthreshold: high\ncodes:\n  - {code: a, label: A, definition: d}\n")
    with pytest.raises(CodebookError, match="threshold 'high' is not a number"):
        load_codebook(bad)


def test_json_other_suffixes_and_missing_files(tmp_path: Path) -> None:
    js = tmp_path / "book.json"
    js.write_text('{"version": "2", "codes": [{"code": "a", "label": "A", "definition": "d",'
                  ' "keywords": ["x", "y"]}]}')
    book = load_codebook(js)
    assert book.codes == (Code("a", "A", "d", (), ("x", "y")),) and book.version == "2"
    js.write_text('{"version": "2", "codes": [')
    with pytest.raises(CodebookError, match=r"book\.json: line 1: invalid JSON"):
        load_codebook(js)
    with pytest.raises(CodebookError, match="unsupported codebook format"):
        load_codebook(js.rename(tmp_path / "book.txt"))
    with pytest.raises(CodebookError, match="codebook file not found"):
        load_codebook(tmp_path / "nope.yaml")
    (tmp_path / "latin.csv").write_bytes("name\nCaf\xe9\n".encode("latin-1"))
    with pytest.raises(CodebookError, match="line 2: not valid UTF-8"):
        load_codebook(tmp_path / "latin.csv")


def test_to_frame_and_source() -> None:
    book = Codebook.from_dict({"name": "mem", "version": "1", "codes": [
        {"code": "a", "label": "A", "definition": "first", "examples": ["e1", "e2"]}]})
    assert book.source == "mem" and book.version_tag == "1"
    assert book.to_frame().to_dict("records") == [
        {"code": "a", "label": "A", "definition": "first", "examples": 2, "keywords": ""}]
