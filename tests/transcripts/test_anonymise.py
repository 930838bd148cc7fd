"""Anonymising transcripts: the one path from transcripts to the store's interview tables.

Ingest and ``cc-analysis interviews`` both call :func:`anonymise_transcripts`; these tests pin
what it decides (roles, pseudonyms, which names are redacted) and that ingest's tables are
exactly its output.
"""

from __future__ import annotations

from pathlib import Path

import pandas as pd

from cc_analysis import transcripts as tx
from cc_analysis.config import load_workspace
from cc_analysis.ingest import ingest
from cc_analysis.privacy import PiiPolicy
from cc_analysis.store import Store


def _chat(name: str, answer: str) -> tx.Transcript:
    return tx.parse_transcript_text(f"AI: What slows you down?\nParticipant: {answer}\n"
                                    "AI: Thanks.\n", name, speakers={"AI", "Participant"})


def test_generic_labels_are_distinct_people_and_never_redacted_as_names() -> None:
    transcripts = [_chat("2026-01-05_a.txt", "The AI summaries are wrong, I fix them."),
                   _chat("2026-01-06_b.txt", "Exports. Call Maria Gonzalez about it."),
                   _chat("2026-01-07_c.txt", "Search is slow.")]
    out = tx.anonymise_transcripts(transcripts, PiiPolicy())
    # "Participant" in three files is three people; "AI" is the interviewer everywhere
    assert out.interviews["participant"].tolist() == ["P01", "P02", "P03"]
    assert set(out.turns.loc[out.turns["role"] == "interviewer", "speaker"]) == {"R1"}
    assert out.interviewers == {"AI"}
    said = out.turns.loc[out.turns["role"] == "participant", "text"].tolist()
    # "AI" in an answer is a word, not the interviewer's name; a real name is still redacted
    assert said == ["The AI summaries are wrong, I fix them.", "Exports. Call [NAME] about it.",
                    "Search is slow."]
    assert out.text_redactions == {"name": 1}
    assert out.redaction_log() == [
        {"source": "interview_turns", "field": "text", "kind": "name", "count": 1},
        {"source": "interview_turns", "field": "speaker", "kind": "speaker_pseudonym",
         "count": 4}]
    assert out.interviews.columns.tolist() == [*tx.anonymise.INTERVIEW_COLUMNS, "quarter"]
    assert out.interviews["quarter"].tolist() == ["2026Q1"] * 3


def test_speakers_names_become_their_pseudonyms_everywhere() -> None:
    tr = tx.parse_transcript_text(
        "Jordan Reyes: Thanks for joining, Maria. What slows you down?\n"
        "Maria Gonzalez: Jordan, honestly the exports. Ask Tom Becker, he builds them.\n",
        "2026-08-14_call.txt")
    out = tx.anonymise_transcripts([tr], PiiPolicy(), interviewers=["jordan reyes"],
                                   known_names={"Tom Becker": "[NAME]", "Maria": "[NAME]"})
    assert out.pseudonyms == {"Jordan Reyes": "R1", "Maria Gonzalez": "P01"}
    # a first name alone is the speaker's too, and a speaker's pseudonym wins over a
    # caller's known name
    assert out.turns["text"].tolist() == [
        "Thanks for joining, P01. What slows you down?",
        "R1, honestly the exports. Ask [NAME], he builds them."]
    # the returned redactor knows every name, for the other text sources
    assert out.redactor.redact("Maria Gonzalez wrote to Tom Becker") == "P01 wrote to [NAME]"


def test_pseudonyms_follow_first_appearance_and_name_variants_add_first_names() -> None:
    a = tx.parse_transcript_text("Ann: Hi?\nBo Li: Hello.\n", "2026-01-01_a.txt")
    b = tx.parse_transcript_text("Ann: Hi?\nCy Day: Hello.\nBo Li: Me too.\n", "2026-02-01_b.txt")
    assert tx.speaker_pseudonyms([a, b], {"Ann"}) == {"Ann": "R1", "Bo Li": "P01",
                                                      "Cy Day": "P02"}
    # a first name of two letters is too short to redact alone
    assert tx.name_variants({"Maria Gonzalez": "P01", "Bo Li": "P02"}) == {
        "Maria Gonzalez": "P01", "Maria": "P01", "Bo Li": "P02"}


def test_ingest_stores_exactly_what_anonymise_transcripts_returns(tiny_workspace: Path) -> None:
    report = ingest(tiny_workspace, progress=False)
    store = Store(report.store_path)
    ws = load_workspace(tiny_workspace)
    src = ws.sources_of_kind("interviews")[0]
    expected = tx.anonymise_transcripts(
        tx.read_transcripts(src.path), PiiPolicy.from_dict(ws.pii),
        interviewers=ws.interviews.interviewers, fy_start_month=ws.fy_start_month)
    for table, frame in (("interviews", expected.interviews),
                         ("interview_turns", expected.turns)):
        stored = store.table(table)
        pd.testing.assert_frame_equal(stored, frame, check_dtype=False)
    log = store.table("redaction_log")
    rows = log[log["source"] == "interview_turns"].to_dict("records")
    assert rows == expected.redaction_log()
