"""Speaker roles: configured and detected interviewers, generic labels distinct per file."""

from __future__ import annotations

from pathlib import Path

from cc_analysis import transcripts as tx

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures" / "transcripts"


def test_roles_configured_detected_and_generic_labels() -> None:
    trs = tx.read_transcripts(FIXTURES)
    assert tx.detect_interviewers(trs) == {"Jordan Reyes"}  # in 5 interviews, asks questions
    generic = [tx.parse_transcript_text(f"Dan: Question {i}?\n\nParticipant: Answer {i}.\n",
                                        f"P{i}.txt") for i in range(1, 4)]
    # "Participant" is in every file but is never the interviewer; it is 3 different people
    assert tx.detect_interviewers(generic) == {"Dan"}
    distinct = tx.distinct_generic_speakers(generic)
    assert [t.speakers for t in distinct] == [["Dan", f"Participant_P{i}"] for i in range(1, 4)]
    ai = tx.parse_transcript_text("Assistant: Hi?\nUser: Hi.\nAI: Why?\nUser: Because.\n",
                                  "w1.txt", speakers={"Assistant", "AI", "User"})
    assert tx.detect_interviewers([ai]) == {"Assistant", "AI"}
    assert tx.detect_interviewers([ai], configured=["user"]) >= {"User"}


def test_a_role_label_no_list_names_is_known_by_recurring_and_answering() -> None:
    chats = [tx.parse_transcript_text(f"Assistant: What slows you down?\nUser: Search {i}.\n"
                                      f"AI: Why?\nUser: It is slow.\n", f"w{i}.txt",
                                      speakers={"Assistant", "AI", "User"}) for i in range(3)]
    # "User" is in every file and answers: a role, so three people, and never the interviewer
    assert tx.recurring_answerers(chats) == {"User"}
    distinct = tx.distinct_generic_speakers(chats)
    assert [t.speakers for t in distinct] == [["Assistant", f"User_w{i}", "AI"] for i in range(3)]
    assert tx.detect_interviewers(chats) == tx.detect_interviewers(distinct) == {"Assistant", "AI"}
    # a letter alone is a role too: "Q" asks, "A" answers, in two files two people
    qa = [tx.parse_transcript_text("Q: Why?\nA: Because.\n", f"qa{i}.txt") for i in range(2)]
    assert tx.detect_interviewers(qa) == {"Q"}
    assert [t.speakers for t in tx.distinct_generic_speakers(qa)] == [["Q", "A_qa0"],
                                                                      ["Q", "A_qa1"]]
