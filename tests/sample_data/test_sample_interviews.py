"""The interview transcripts: formats, speakers, planted themes spoken."""

from __future__ import annotations

import re
from pathlib import Path

import numpy as np
import pandas as pd

from cc_analysis import sample_data
from cc_analysis.periods import Quarter
from cc_analysis.sample_data.interviews import interview_days

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


def test_interviews_format(raw: Path, truth: dict, accounts: pd.DataFrame,
                           quarters: list[str]) -> None:
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
    assert set(per_q.index) == set(quarters) and (per_q >= 4).all()


def test_interview_themes_are_spoken(raw: Path, truth: dict) -> None:
    snippets = sample_data.INTERVIEW_SNIPPETS  # planted phrasings
    for iv in truth["interviews"]:
        turns = _interview_turns(raw / iv["file"])
        said = " ".join(t.replace("\n", " ") for s, t in turns if s == iv["participant_name"])
        said = said.lower()
        for theme in iv["themes"]:
            hits = sum(s[4:40].lower() in said for s in snippets[theme])
            assert hits >= 1, (iv["file"], theme)
        for theme in set(snippets) - set(iv["themes"]):
            assert not any(s[4:40].lower() in said for s in snippets[theme]), (iv["file"], theme)



def test_interview_days_beyond_one_per_weekday() -> None:
    """20,000 accounts ask for 100 interviews a quarter, more than its weekdays (this used to
    fail in numpy's choice without replacement)."""
    q = Quarter(2025, 1)
    weekdays = [d.toordinal() for d in pd.date_range(q.start, q.end).date if d.weekday() < 5]
    few = interview_days(np.random.default_rng(0), q, 10)
    assert len(set(few)) == 10 and few == sorted(few) and set(few) <= set(weekdays)
    many = interview_days(np.random.default_rng(0), q, 100)
    assert len(many) == 100 and many == sorted(many)
    per_day = pd.Series(many).value_counts()
    assert set(per_day.index) == set(weekdays)  # every weekday holds one or two
    assert set(per_day) == {1, 2} and (per_day == 2).sum() == 100 - len(weekdays)
