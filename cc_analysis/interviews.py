"""Interview transcripts: parsing the formats researchers have and telling interviewers apart.

Owns reading WebVTT (``<v Speaker>`` voice tags, via webvtt-py) and plain ``Speaker: text``
transcripts (Zoom / Otter style, optional ``[00:01:23]`` timestamps) into speaker turns, and the
interviewer-vs-participant decision. Synthesis (coding, themes, saturation) builds on these turns.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date
from pathlib import Path

import pandas as pd
import webvtt

TRANSCRIPT_SUFFIXES = (".vtt", ".txt")
_DATE_IN_NAME = re.compile(r"(\d{4})-(\d{2})-(\d{2})")
_TS = r"\[?\(?(?:(\d{1,2}):)?(\d{1,2}):(\d{2})(?:[.,]\d+)?\)?\]?"
# "[00:01:23] Maria Gonzalez: text", "Maria Gonzalez  00:01:23", "Maria: text"
_TEXT_TURN = re.compile(rf"^\s*(?:{_TS}\s+)?([^\s:][^:]{{0,60}}?)\s*(?:{_TS})?\s*:\s+(.*)$")
_SPEAKER_ONLY = re.compile(rf"^\s*(?:{_TS}\s+)?([A-Z][\w.'\- ]{{0,60}}?)\s+{_TS}\s*$")


class TranscriptError(ValueError):
    """A transcript cannot be read; the message names the file and line."""


@dataclass(frozen=True)
class Turn:
    """One speaker turn. ``start_s``/``end_s`` are seconds from the start when known."""

    turn: int
    speaker: str
    text: str
    start_s: float | None = None
    end_s: float | None = None


@dataclass(frozen=True)
class Transcript:
    source_file: Path
    interview_date: date | None
    turns: tuple[Turn, ...]

    @property
    def speakers(self) -> list[str]:
        return list(dict.fromkeys(t.speaker for t in self.turns))


def _seconds(h: str | None, m: str | None, s: str | None) -> float | None:
    if m is None or s is None:
        return None
    return int(h or 0) * 3600 + int(m) * 60 + int(s)


def _hms(stamp: str) -> float:
    parts = stamp.replace(",", ".").split(":")
    return sum(float(p) * 60**i for i, p in enumerate(reversed(parts)))


def _date_from_name(path: Path) -> date | None:
    m = _DATE_IN_NAME.search(path.name)
    if not m:
        return None
    try:
        return date(int(m.group(1)), int(m.group(2)), int(m.group(3)))
    except ValueError:
        return None


def _merge(turns: Iterable[tuple[str, str, float | None, float | None]]) -> tuple[Turn, ...]:
    """Consecutive cues by the same speaker form one turn (VTT splits turns into cues)."""
    merged: list[list] = []
    for speaker, text, start, end in turns:
        text = " ".join(text.split())
        if not text:
            continue
        if merged and merged[-1][0] == speaker:
            merged[-1][1] += " " + text
            merged[-1][3] = end if end is not None else merged[-1][3]
        else:
            merged.append([speaker, text, start, end])
    return tuple(Turn(i + 1, s, t, a, b) for i, (s, t, a, b) in enumerate(merged))


def parse_vtt(path: Path) -> Transcript:
    """WebVTT with ``<v Speaker>`` voice tags, or ``Speaker: text`` inside cues."""
    path = Path(path)
    try:
        captions = webvtt.read(str(path))
    except Exception as exc:  # webvtt raises its own MalformedFileError/MalformedCaptionError
        raise TranscriptError(f"{path.name}: not a valid WebVTT file: {exc}") from exc
    raw: list[tuple[str, str, float | None, float | None]] = []
    last_speaker = "Unknown"
    for cue in captions:
        speaker, text = cue.voice, cue.text
        if not speaker:
            m = _TEXT_TURN.match(text.split("\n", 1)[0])
            if m:
                speaker, text = m.group(4).strip(), text.split(":", 1)[1]
            else:
                speaker = last_speaker
        last_speaker = speaker
        raw.append((speaker.strip(), text, _hms(cue.start), _hms(cue.end)))
    if not raw:
        raise TranscriptError(f"{path.name}: WebVTT file has no cues")
    return Transcript(path, _date_from_name(path), _merge(raw))


def parse_text(path: Path, encoding: str = "utf-8") -> Transcript:
    """``Speaker: text`` transcripts; a line without a speaker continues the previous turn."""
    path = Path(path)
    try:
        lines = path.read_text(encoding=encoding).splitlines()
    except UnicodeDecodeError as exc:
        line_no = path.read_bytes()[: exc.start].count(b"\n") + 1
        raise TranscriptError(f"{path.name}: line {line_no}: not valid {encoding} text") from exc
    raw: list[tuple[str, str, float | None, float | None]] = []
    pending_speaker: tuple[str, float | None] | None = None
    for no, line in enumerate(lines, 1):
        if not line.strip():
            continue
        m = _TEXT_TURN.match(line)
        if m and len(m.group(4).split()) <= 6:
            start = _seconds(*m.group(1, 2, 3)) or _seconds(*m.group(5, 6, 7))
            raw.append((m.group(4).strip(), m.group(8), start, None))
            pending_speaker = None
            continue
        m2 = _SPEAKER_ONLY.match(line)  # Otter: "Maria Gonzalez  0:01" on its own line
        if m2:
            pending_speaker = (m2.group(4).strip(), _seconds(*m2.group(5, 6, 7)))
            continue
        if pending_speaker:
            raw.append((pending_speaker[0], line, pending_speaker[1], None))
            pending_speaker = None
        elif raw:
            speaker, text, start, end = raw[-1]
            raw[-1] = (speaker, text + " " + line, start, end)
        else:
            raise TranscriptError(
                f"{path.name}: line {no}: expected 'Speaker: text', got {line[:60]!r}"
            )
    if not raw:
        raise TranscriptError(f"{path.name}: transcript is empty")
    return Transcript(path, _date_from_name(path), _merge(raw))


def parse_transcript(path: Path) -> Transcript:
    """Parse one transcript file by its suffix."""
    path = Path(path)
    if path.suffix.lower() == ".vtt":
        return parse_vtt(path)
    if path.suffix.lower() == ".txt":
        return parse_text(path)
    raise TranscriptError(f"{path.name}: unsupported transcript format (use .vtt or .txt)")


def transcript_files(folder: Path) -> list[Path]:
    """Transcript files in a folder, sorted by name (date-prefixed names sort by time)."""
    return sorted(
        p
        for p in Path(folder).iterdir()
        if p.suffix.lower() in TRANSCRIPT_SUFFIXES and not p.name.startswith((".", "_"))
    )


def detect_interviewers(
    transcripts: Sequence[Transcript], configured: Iterable[str] = ()
) -> set[str]:
    """Speakers treated as interviewers.

    Configured names always count. Otherwise a speaker is an interviewer if they appear in
    at least three interviews (researchers talk to many customers; a customer rarely speaks
    in several) or, within one interview, asks the largest share of questions.
    """
    interviewers = {n.strip() for n in configured}
    appearances = Counter(s for t in transcripts for s in set(t.speakers))
    many = len(transcripts) >= 3
    for tr in transcripts:
        present = [s for s in tr.speakers if s in interviewers or (many and appearances[s] >= 3)]
        if present:
            interviewers.update(present)
            continue
        if len(tr.speakers) < 2:
            continue
        ratio = {
            s: sum(t.text.count("?") for t in tr.turns if t.speaker == s)
            / max(1, sum(1 for t in tr.turns if t.speaker == s))
            for s in tr.speakers
        }
        interviewers.add(max(ratio, key=ratio.get))
    return interviewers


def interview_overview(interviews: pd.DataFrame, turns: pd.DataFrame, quarter: str) -> pd.DataFrame:
    """One row per interview of a quarter: date, participant, turns, words and talk share.

    ``interviews`` and ``turns`` are the store tables of the same names.
    """
    iv = interviews[interviews["quarter"] == quarter]
    t = turns[turns["interview_id"].isin(iv["interview_id"])].copy()
    t["words"] = t["text"].str.split().str.len()
    words = t.pivot_table(
        index="interview_id", columns="role", values="words", aggfunc="sum", fill_value=0
    )
    for role in ("participant", "interviewer"):
        if role not in words:
            words[role] = 0
    duration = t.groupby("interview_id")["end_s"].max().div(60).round(1)
    out = iv.set_index("interview_id")[
        ["interview_date", "source_file", "participant", "n_turns"]
    ].copy()
    out["participant_words"] = words["participant"].reindex(out.index).fillna(0).astype(int)
    total = (words["participant"] + words["interviewer"]).reindex(out.index)
    out["participant_talk_share"] = (out["participant_words"] / total).round(3)
    out["duration_min"] = duration.reindex(out.index)
    out["format"] = out["source_file"].str.rsplit(".", n=1).str[-1].str.upper()
    return out.reset_index().sort_values("interview_date")
