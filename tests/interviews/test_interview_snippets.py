"""Snippets: backchannel dropped, long turns split with their share of the time, sources kept."""

from __future__ import annotations

from pathlib import Path

import pandas as pd

from cc_analysis import interviews as iv
from cc_analysis import transcripts as tx

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures" / "transcripts"


def _tables(transcripts: list[tx.Transcript]) -> tuple[pd.DataFrame, pd.DataFrame]:
    roles = tx.detect_interviewers(transcripts)
    meta, turns = [], []
    for k, tr in enumerate(transcripts, 1):
        iid = f"INT-{k:03d}"
        meta.append({"interview_id": iid, "source_file": tr.source_file.name,
                     "interview_date": pd.Timestamp(tr.interview_date),
                     "participant": ";".join(s for s in tr.speakers if s not in roles)})
        turns += [{"interview_id": iid, "source_file": tr.source_file.name, "turn": t.turn,
                   "start_s": t.start_s, "end_s": t.end_s, "speaker": t.speaker,
                   "role": "interviewer" if t.speaker in roles else "participant",
                   "text": t.text} for t in tr.turns]
    return pd.DataFrame(meta), pd.DataFrame(turns)


def test_snippets_drop_backchannel_keep_source_and_split_long_turns() -> None:
    meta, turns = _tables(tx.read_transcripts(FIXTURES))
    long_answer = " ".join(f"Sentence number {i} is about the reporting dashboard." for i in
                           range(12))
    turns.loc[len(turns)] = {"interview_id": "INT-001", "source_file": "x.vtt", "turn": 99,
                             "start_s": 100.0, "end_s": 160.0, "speaker": "Maria Gonzalez",
                             "role": "participant", "text": long_answer}
    sn = iv.make_snippets(meta, turns, max_words=40)
    assert not sn["text"].isin(["Pretty much every week.", "Thanks, take care!",
                                "Sorry, just joining."]).any()
    assert set(sn.loc[sn["source_file"].str.startswith("2026-03-06"), "text"]) == {
        "Big projects take forever to load. The timeline view lags every morning.",
        "Yesterday the board timed out during a client call. Long Story Short: we keep our "
        "own lists now.",
        "Search is slow too."}
    parts = sn[sn["turn"] == 99]
    assert len(parts) == 3 and parts["n_words"].max() <= 40
    # 96 words over 60 s: the parts start after 0, 40 and 80 words
    assert parts["timestamp"].tolist() == ["00:01:40", "00:02:05", "00:02:30"]
    row = sn[sn["text"].str.startswith("Big projects")].iloc[0]
    assert row["timestamp"] == "00:00:08" and row["question"].startswith("Hi Tom")
    assert iv.snippet_source(row) == "2026-03-06_zoom-timestamps.txt @ 00:00:08"
    assert iv.is_backchannel("Mm-hmm.") and iv.is_backchannel("Yeah, yeah.")
    assert not iv.is_backchannel("Search is slow too.")


def test_formulas_are_short_turns_repeated_across_interviews() -> None:
    turns = pd.DataFrame({
        "interview_id": ["A", "A", "B", "C", "C", "D"],
        "text": ["Happy to help!", "Search is slow too.", "happy to help.", "Happy to help",
                 "Search is slow too.", "Glad you asked, the export is what I use most."]})
    # said in three interviews, at most six words: a convention, not an idea; the same short
    # complaint in two interviews is still an idea
    assert iv.recurring_formulas(turns) == {"happy to help"}
    assert iv.is_backchannel("Happy to help.", formulas=iv.recurring_formulas(turns))
    assert not iv.is_backchannel("Happy to help.")  # alone, two content words
    meta = pd.DataFrame({"interview_id": list("ABCD"), "source_file": list("abcd"),
                         "participant": ["P1", "P2", "P3", "P4"]})
    speaker = dict(zip(meta["interview_id"], meta["participant"], strict=True))
    full = turns.assign(turn=range(6), start_s=None, end_s=None, role="participant",
                        source_file=turns["interview_id"].str.lower(),
                        speaker=turns["interview_id"].map(speaker))
    sn = iv.make_snippets(meta, full)
    assert sn["text"].tolist() == ["Search is slow too.", "Search is slow too.",
                                   "Glad you asked, the export is what I use most."]


def test_what_participants_read_out_is_set_aside() -> None:
    # written for this test: a think-aloud where each participant reads the task sheet
    task = "3 Submit a query using the input options of the query tab and say aloud"
    said = ["so I pick the county first, that part is clear",
            "the dates confuse me, which one is the event date",
            "I would rather type the county than scroll",
            "okay the submit button is hidden below the fold"]
    turns = pd.DataFrame({
        "interview_id": ["A", "B", "C", "D"], "turn": [1, 1, 1, 1], "start_s": None,
        "end_s": None, "role": "participant", "speaker": ["P1", "P2", "P3", "P4"],
        "source_file": list("abcd"),
        "text": [f"{task} {said[0]}.", f"{task.upper()}: {said[1]}?", f"{said[2]}.",
                 f"({task}) {said[3]}."]})
    script = iv.recurring_script(turns)
    # in three of four interviews, word for word (case and punctuation aside)
    assert len(script) == len(task.split()) - iv.SCRIPT_WORDS + 1
    assert iv.without_script(f"{task} {said[0]}.", script) == (f"{said[0]}.",
                                                                 len(task.split()))
    meta = pd.DataFrame({"interview_id": list("ABCD"), "source_file": list("abcd"),
                         "participant": ["P1", "P2", "P3", "P4"]})
    sn = iv.make_snippets(meta, turns)
    assert sn["text"].tolist() == [f"{said[0]}.", f"{said[1]}?", f"{said[2]}.",
                                   f"{said[3]}."]
    assert sn.attrs["script_words"] == 3 * len(task.split())
    # the same eight words in two interviews of four are two people's words, not a script
    assert iv.recurring_script(turns.iloc[[0, 2, 3, 1]].assign(
        text=[turns.text[0], said[0], said[1], turns.text[1]])) == frozenset()


def test_masks_and_counting_carry_no_meaning() -> None:
    # the PDPilot release masks words with X's; a participant counts out the rows
    assert iv.content_words("XXXXXX XXXX the 30 dashboards") == ["30", "dashboards"]
    assert iv.analysis_text("Sorry, the color. 111 112 113 114 115 116 and XXXXX went up") == (
        "Sorry, the color. and went up")
    # a rating is an answer, and five years in a row are still words
    assert not iv.is_backchannel("Probably an 8 out of 10.")
    years = "We had 2021 2022 2023 2024 2025."
    assert iv.analysis_text(years) == years
