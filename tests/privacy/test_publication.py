"""The check before publishing: known names (as digests) and personal patterns in report files."""

from __future__ import annotations

import json
from pathlib import Path

import nbformat

from cc_analysis.privacy import FINGERPRINT_TABLE, Fingerprints, PublicationCheck
from cc_analysis.privacy.publication import findings_message, name_keys, readable_text
from cc_analysis.store import Store

NAMES = ["Ayşe Yılmaz", "Matthew Hardin", "Will May"]


def test_a_known_name_is_found_whole_and_by_its_uncommon_words_in_any_case() -> None:
    check = PublicationCheck(Fingerprints.of_names(NAMES))
    for text in ("Matthew Hardin approved it", "My manager P69 Hardin", "ask HARDIN",
                 "ayse yilmaz called", "Yılmaz's team", "matthew   hardin"):
        assert check.scan_text(text) == ["known name"], text
    # everyday words of a name are not looked for alone: "will", "may", "matthew" (a first
    # name the lexicon lists as ambiguous or common is covered by the whole name only)
    for text in ("we will see", "it may break", "Hardinge Street", "hardware"):
        assert "known name" not in check.scan_text(text), text
    assert check.scan_text("Will May said so") == ["known name"]
    assert name_keys("Matthew Hardin") >= {"MATTHEW HARDIN", "HARDIN"}


def test_the_store_keeps_digests_never_the_values(tmp_path: Path) -> None:
    fp = Fingerprints.of_names(NAMES, salt="s1")
    frame = fp.frame()
    assert list(frame.columns) == ["salt", "fingerprint"] and len(frame) >= 5
    assert not any("hardin" in str(v).lower() for v in frame.to_numpy().ravel())
    assert Fingerprints.from_frame(frame) == fp
    assert Fingerprints.of_names(NAMES, salt="s2").digests.isdisjoint(fp.digests)
    assert not Fingerprints.from_frame(None).found_in("Matthew Hardin")


def test_patterns_are_found_and_images_styles_and_tags_are_not_text(tmp_path: Path) -> None:
    check = PublicationCheck()
    page = tmp_path / "page.html"
    page.write_text('<style>.x{color:#415555}</style><img src="data:image/png;base64,'
                    + "QUJD" * 400 + '"><p>Write to <b>jo.smith@example.org</b></p>')
    table = tmp_path / "t.csv"
    table.write_text("quote\n\"call me on +44 20 7946 0958\"\n")
    clean = tmp_path / "clean.json"
    clean.write_text(json.dumps({"nps": 31.5, "quote": "Reports are slow [NAME]"}))
    other = tmp_path / "chart.png"
    other.write_bytes(b"\x89PNG jo.smith@example.org")  # not a published text file
    found = check.scan([page, table, clean, other])
    assert [(f.path.name, f.kind) for f in found] == [("page.html", "email"),
                                                      ("t.csv", "phone")]
    assert "QUJD" not in readable_text(page) and "color" not in readable_text(page)
    message = findings_message(found, tmp_path)
    assert message.endswith("page.html (email); t.csv (phone)")
    assert "jo.smith" not in message and "7946" not in message


def test_notebook_outputs_are_scanned(tmp_path: Path) -> None:
    nb = nbformat.v4.new_notebook()
    cell = nbformat.v4.new_code_cell("x")
    cell.outputs = [nbformat.v4.new_output("stream", name="stdout", text="P02 Hardin said\n")]
    nb.cells = [cell]
    path = tmp_path / "n.ipynb"
    nbformat.write(nb, path)
    assert [f.kind for f in PublicationCheck(Fingerprints.of_names(NAMES)).scan([path])] == [
        "known name"]


def test_ingest_stores_the_fingerprints_of_speakers_and_requesters(
        sample_workspace: Path) -> None:
    truth = json.loads((sample_workspace / "raw" / "_truth.json").read_text())
    fp = Fingerprints.from_frame(Store(sample_workspace / "workspace.duckdb").table(
        FINGERPRINT_TABLE))
    participants = [i["participant_name"] for i in truth["interviews"]]
    interviewers = [i["interviewer"] for i in truth["interviews"]]
    assert all(fp.found_in(n) for n in participants + interviewers)
    assert not fp.found_in("Northwind Cloud reporting is slow")


def test_the_reports_own_words_are_never_taken_alone_for_a_name() -> None:
    # requesters named Cox, Wilson and Gross: the report writes "Cox model", "Wilson
    # interval" and "gross churn" (seen on the sample report before this rule)
    check = PublicationCheck(Fingerprints.of_names(["Kathy Cox", "Ann Wilson", "John Gross"]))
    assert check.scan_text("Cox model, Wilson interval, gross churn") == []
    assert check.scan_text("Kathy Cox asked") == ["known name"]
    assert check.scan_text("thanks to ann wilson") == ["known name"]
