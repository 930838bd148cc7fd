"""A parsed transcript: speaker turns in order, the file they came from and the interview date.

Owns the types every parser returns (:class:`Turn`, :class:`Transcript`), the error they raise
(:class:`TranscriptError`, naming file and line), the label of text no speaker is given for
(``UNKNOWN_SPEAKER``) and what all formats share: joining consecutive pieces of one speaker into
one turn, and the interview date read from the file name.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date
from pathlib import Path

_DATE_IN_NAME = re.compile(r"(\d{4})-(\d{2})-(\d{2})")
# text a transcript gives no speaker for (a preamble before the first label): an anonymous
# label, so it is never an interviewer and never one person across files (``roles``)
UNKNOWN_SPEAKER = "Unknown speaker"


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
    """``warnings``: what a lenient parse had to guess, each naming file and line (text
    before the first speaker kept as ``UNKNOWN_SPEAKER``); a strict parse refuses instead."""

    source_file: Path
    interview_date: date | None
    turns: tuple[Turn, ...]
    warnings: tuple[str, ...] = ()

    @property
    def speakers(self) -> list[str]:
        return list(dict.fromkeys(t.speaker for t in self.turns))


def date_from_file_name(path: Path) -> date | None:
    """The interview date a file name starts with or contains (``2026-03-02_acme.vtt``)."""
    m = _DATE_IN_NAME.search(path.name)
    if not m:
        return None
    try:
        return date(int(m.group(1)), int(m.group(2)), int(m.group(3)))
    except ValueError:
        return None


def merge_turns(pieces: Iterable[tuple[str, str, float | None, float | None]]) -> tuple[Turn, ...]:
    """(speaker, text, start, end) pieces as numbered turns: consecutive pieces by the same
    speaker form one turn (VTT splits turns into cues); white space is collapsed and empty
    pieces dropped."""
    merged: list[list] = []
    for speaker, text, start, end in pieces:
        text = " ".join(text.split())
        if not text:
            continue
        if merged and merged[-1][0] == speaker:
            merged[-1][1] += " " + text
            merged[-1][3] = end if end is not None else merged[-1][3]
        else:
            merged.append([speaker, text, start, end])
    return tuple(Turn(i + 1, s, t, a, b) for i, (s, t, a, b) in enumerate(merged))
