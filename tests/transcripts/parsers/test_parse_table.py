"""Transcripts in tables (one interview per row, or one turn per row), and the lines meeting
tools write around a conversation (Teams' title, "Transcript", the date, "started
transcription"; Rev's "Name: (00:03)")."""

from __future__ import annotations

import csv
from pathlib import Path

import pytest

from cc_analysis import transcripts as tx
from cc_analysis.transcripts import UNKNOWN_SPEAKER, TranscriptError

SHARED = Path(__file__).resolve().parents[3].parent / "shared" / "datasets"


def _write(path: Path, rows: list[list[str]], delimiter: str = ",") -> Path:
    with path.open("w", encoding="utf-8", newline="") as fh:
        csv.writer(fh, delimiter=delimiter).writerows(rows)
    return path


# written for this test: two chat-style interviews, one quoting a dialogue inside an answer
CHAT_A = ("AI: What slows your week down?\nUser: Exporting reports by hand.\n"
          "AI: What would help?\nUser: A scheduled export.")
CHAT_B = ("Assistant: How do you use the tool?\nUser: Like this:\nMe: draft a reply\n"
          "Bot: here is a draft\nUser: then I edit it.\nAI: Thanks.")
CHAT_C = "AI: Hello?\nUser: Hi, I review contracts.\nAI: Anything else?\nUser: No."
CHAT_D = "Assistant: Ready?\nUser: Yes, go ahead."


def test_one_interview_per_row(tmp_path: Path) -> None:
    path = _write(tmp_path / "chats.csv", [["transcript_id", "text"], ["work_0001", CHAT_A],
                                           ["work_0002", CHAT_B], ["work_0003", CHAT_C],
                                           ["work_0004", CHAT_D]])
    found = tx.parse_transcripts_in(path)
    assert [t.source_file.name for t in found] == ["work_0001", "work_0002", "work_0003",
                                                   "work_0004"]
    assert found[0].speakers == ["AI", "User"] and len(found[0].turns) == 4
    # "Me:" and "Bot:" are inside the participant's answer: the table's roles (labels in at
    # least half its interviews) are the only speakers of an interview held between them
    assert found[1].speakers == ["Assistant", "User", "AI"]
    assert found[1].turns[1].text == ("Like this: Me: draft a reply Bot: here is a draft "
                                      "then I edit it.")
    with pytest.raises(TranscriptError, match="holds 4 interviews"):
        tx.parse_transcript(path)


def test_one_turn_per_row_grouped_by_interview(tmp_path: Path) -> None:
    rows = [["Interview ID", "Speaker", "Start time", "Utterance", "Date"],
            ["acme-1", "Interviewer", "00:00:03", "How do you plan?", "2026-05-04"],
            ["acme-1", "Maria Gonzalez", "00:00:09", "In a spreadsheet.", "2026-05-04"],
            ["acme-1", "Maria Gonzalez", "12.5", "It breaks often.", "2026-05-04"],
            ["beta-2", "Interviewer", "", "And you?", "2026-05-06"],
            ["beta-2", "", "", "We use the app.", "2026-05-06"]]
    path = _write(tmp_path / "turns.tsv", rows, delimiter="\t")
    with pytest.raises(TranscriptError, match=r"turns\.tsv: row 5: column 'Speaker': no speaker"):
        tx.parse_transcripts_in(path)
    first, second = tx.parse_transcripts_in(path, strict=False)
    assert [(t.speaker, t.text, t.start_s) for t in first.turns] == [
        ("Interviewer", "How do you plan?", 3),
        ("Maria Gonzalez", "In a spreadsheet. It breaks often.", 9)]
    assert str(first.interview_date) == "2026-05-04" and second.source_file.name == "beta-2"
    assert second.turns[1].speaker == UNKNOWN_SPEAKER
    assert second.warnings == ("turns.tsv: row 5: column 'Speaker': no speaker, kept as "
                               "'Unknown speaker'",)


def test_table_problems_name_file_row_and_column(tmp_path: Path) -> None:
    path = _write(tmp_path / "chats.csv", [["id", "transcript"], ["a", CHAT_A], ["b", " "],
                                           ["c", "hello there\nAI: Hi?\nUser: Hi."]])
    with pytest.raises(TranscriptError, match=r"chats\.csv: row 2: column 'transcript': empty"):
        tx.parse_transcripts_in(path)
    found = tx.parse_transcripts_in(path, strict=False)
    assert [t.source_file.name for t in found] == ["a", "c"]
    assert found[0].warnings == ("chats.csv: row 2: column 'transcript': empty transcript left "
                                 "out",)
    assert found[1].warnings == ("chats.csv: row 3 (c): line 1: text before the first speaker "
                                 "kept as 'Unknown speaker'",)
    notes = _write(tmp_path / "notes.csv", [["participant", "plan"], ["P1", "Pro"]])
    with pytest.raises(TranscriptError, match=r"notes\.csv: line 1: not a transcript table"):
        tx.parse_transcripts_in(notes)


def test_a_folder_reads_tables_beside_files_and_leaves_other_tables(tmp_path: Path) -> None:
    _write(tmp_path / "chats.csv", [["transcript_id", "text"], ["w1", CHAT_A], ["w2", CHAT_C]])
    _write(tmp_path / "participants.csv", [["source_file", "plan"], ["w1", "Pro"]])
    (tmp_path / "2026-05-01_call.txt").write_text("Dan: Why?\nAnna: Cost.\n", encoding="utf-8")
    assert [p.name for p in tx.transcript_files(tmp_path)] == ["2026-05-01_call.txt",
                                                                "chats.csv"]
    found = tx.read_transcripts(tmp_path)
    assert [t.source_file.name for t in found] == ["2026-05-01_call.txt", "w1", "w2"]


def test_meeting_tool_lines_around_the_conversation(tmp_path: Path) -> None:
    """Teams' Word export (title, "Transcript", date, "started transcription", speaker lines
    with a clock), Rev's "Name: (00:03)" with the words below; written for this test."""
    import docx

    document = docx.Document()
    for text in ["Weekly sync with Acme", "Transcript", "3 October 2023, 02:00pm",
                 "Jordan Reyes started transcription", "Jordan Reyes   0:03",
                 "Thanks for making the time.", "Lena Fischer   0:09",
                 "We copy the reports by hand.", "Jordan Reyes   1:02:15", "Why by hand?",
                 "Lena Fischer   1:02:20", "The export drops columns.",
                 "Jordan Reyes stopped transcription"]:
        document.add_paragraph(text)
    path = tmp_path / "2023-10-03_teams.docx"
    document.save(str(path))
    for strict in (True, False):
        tr = tx.parse_transcript(path, strict=strict)
        assert [(t.speaker, t.text, t.start_s) for t in tr.turns] == [
            ("Jordan Reyes", "Thanks for making the time.", 3),
            ("Lena Fischer", "We copy the reports by hand.", 9),
            ("Jordan Reyes", "Why by hand?", 3735),
            ("Lena Fischer", "The export drops columns.", 3740)]
    assert tr.warnings == ("2023-10-03_teams.docx: paragraph 1: the export's title skipped",)
    rev = tx.parse_transcript_text("Jordan Reyes: (00:03)\nThanks for joining.\n\n"
                                   "Speaker 2: (01:15)\nHappy to.\nSpeaker 2: [01:20] Really.")
    assert [(t.speaker, t.text, t.start_s) for t in rev.turns] == [
        ("Jordan Reyes", "Thanks for joining.", 3), ("Speaker 2", "Happy to. Really.", 75)]
    # Dovetail's and Grain's text exports: the speaker and a bracketed clock, words below
    dovetail = tx.parse_transcript_text("Jordan Reyes [00:00:03]\nThanks for joining.\n\n"
                                        "Lena Fischer [00:00:09]\nWe copy the reports.\n")
    assert [(t.speaker, t.start_s) for t in dovetail.turns] == [("Jordan Reyes", 3),
                                                                ("Lena Fischer", 9)]
    # a sentence is never taken for a tool's line: only whole lines of that shape are
    said = tx.parse_transcript_text("Dan: When?\nAnna: We met on 3 October 2023 to plan it.\n"
                                    "Transcript of the call is attached.")
    assert said.turns[1].text.endswith("Transcript of the call is attached.")


def test_every_real_interview_table_parses() -> None:
    folder = SHARED / "anthropic_interviewer"
    if not folder.is_dir():
        pytest.skip("../shared/datasets/anthropic_interviewer is absent")
    for strict in (True, False):
        found, failed = tx.collect_transcripts(folder, strict=strict)
        # measured: 1,250 interviews (125 + 125 + 1,000 rows), each between the tool's roles
        # only (three answers quote a dialogue: "Me: ..." / "Chosen AI: ...")
        assert failed == [] and len(found) == 1250
    assert {s for t in found for s in t.speakers} == {"Assistant", "User", "AI"}
    # leniently, the three quoting answers say so, naming file, row and the labels
    noted = {t.source_file.name: t.warnings for t in found if t.warnings}
    assert sorted(noted) == ["creativity_0082", "work_0331", "work_0869"]
    assert noted["work_0331"] == ("workforce_transcripts_reconstructed.csv: row 332 (work_0331): "
                                  "Chosen AI, Me read as dialogue quoted inside an answer (the "
                                  "table's interviews are between AI, Assistant, User)",)
    assert found[0].source_file.name == "creativity_0000"


def test_speech_that_looks_like_a_tools_line_is_kept() -> None:
    # written for this test: answers that are a date, a time of day, an event
    tr = tx.parse_transcript_text(
        "Interviewer  0:01\nWhen did you start?\nMaria  0:05\nMarch 3, 2023.\n"
        "Interviewer  0:09\nAnd the call?\nMaria  0:12\nMy manager joined the call.\n"
        "And then I stopped the recording.\nDan: Which slot?\nMaria: 10:30 works for me.\n")
    assert [t.text for t in tr.turns] == [
        "When did you start?", "March 3, 2023.", "And the call?",
        "My manager joined the call. And then I stopped the recording.", "Which slot?",
        "10:30 works for me."]


def test_tables_whose_cells_hold_conversations_and_their_ids(tmp_path: Path) -> None:
    # a "name" column beside whole conversations names the interview, not a turn
    path = _write(tmp_path / "named.csv", [["name", "role", "transcript"],
                                           ["sess.1", "Designer", CHAT_A],
                                           ["sess.2", "Engineer", CHAT_C],
                                           ["sess.3", "Analyst", "just some notes"]])
    with pytest.raises(TranscriptError, match=r"named\.csv: row 3 \(named row 3\): line 1"):
        tx.parse_transcripts_in(path)
    found = tx.parse_transcripts_in(path, strict=False)
    assert len(found) == 2 and found[0].speakers == ["AI", "User"]
    assert "row 3" in found[0].warnings[-1] and "row left out" in found[0].warnings[-1]
    # one id in two tables of a folder is two interviews; our own outputs are never read
    _write(tmp_path / "a.csv", [["id", "text"], ["sess.1", CHAT_A]])
    _write(tmp_path / "b.csv", [["id", "text"], ["sess.1", CHAT_C]])
    _write(tmp_path / "snippets.csv", [["snippet_id", "interview_id", "text"], ["x", "y", "z"]])
    path.unlink()
    names = [t.source_file.name for t in tx.read_transcripts(tmp_path)]
    assert names == ["sess-1", "b-sess-1"]
    (tmp_path / "c.csv").write_bytes(b"id,text\x81\n1,x\n")
    with pytest.raises(TranscriptError, match=r"c\.csv: line 1: neither UTF-8"):
        tx.read_transcripts(tmp_path)
