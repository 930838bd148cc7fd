"""Speaker roles: who in a transcript is an interviewer and who is a participant.

Owns the generic speaker labels transcription tools and chat interviews use ("Interviewer",
"AI", "Participant 3", "Speaker 2"), telling interviewers apart (configured names, generic
labels, or detected from who appears in many interviews and who asks the questions), and making
a generic label in two files two different people.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Collection, Iterable, Sequence
from dataclasses import replace

from .transcript import Transcript

_INTERVIEWER_LABELS = frozenset(
    "interviewer moderator researcher facilitator assistant ai host q int".split()
)
_PARTICIPANT_LABELS = frozenset(
    "participant user interviewee respondent customer client guest a p".split()
)
_ANONYMOUS_LABELS = frozenset(["speaker", "unknown", "unknown speaker", "spk"])


def generic_label(speaker: str) -> str | None:
    """'Participant 3', 'P3', 'User', 'Participant_P3' -> 'participant', 'p', 'user',
    'participant'; real names -> None."""
    key = speaker.strip().split("_", 1)[0]
    key = re.sub(r"[\s#-]*\d+$", "", key).strip().casefold()
    if key in _INTERVIEWER_LABELS or key in _PARTICIPANT_LABELS or key in _ANONYMOUS_LABELS:
        return key
    return None


def detect_interviewers(
    transcripts: Sequence[Transcript], configured: Iterable[str] = ()
) -> set[str]:
    """Speakers treated as interviewers.

    Configured names always count (in any letter case), and so do generic interviewer labels
    ("Interviewer", "Moderator", "AI", "Assistant"); generic participant labels ("Participant",
    "User", "Interviewee", "P3") never do. Otherwise a speaker is an interviewer if they appear
    in at least three interviews (researchers talk to many customers; a customer rarely speaks in
    several; anonymous labels such as "Speaker 1" are exempt) or, within one interview, asks the
    largest share of questions.
    """
    interviewers = {n.strip() for n in configured}
    configured_folded = {n.casefold() for n in interviewers}
    every = {s for t in transcripts for s in t.speakers}
    interviewers |= {s for s in every if s.casefold() in configured_folded}
    interviewers |= {s for s in every if generic_label(s) in _INTERVIEWER_LABELS}
    never = {s for s in every if generic_label(s) in _PARTICIPANT_LABELS} - interviewers
    anonymous = {s for s in every if generic_label(s) in _ANONYMOUS_LABELS}
    appearances = Counter(s for t in transcripts for s in set(t.speakers))
    many = len(transcripts) >= 3
    for tr in transcripts:
        present = [
            s
            for s in tr.speakers
            if s in interviewers
            or (many and appearances[s] >= 3 and s not in never and s not in anonymous)
        ]
        if present:
            interviewers.update(present)
            continue
        candidates = [s for s in tr.speakers if s not in never]
        if len(tr.speakers) < 2 or not candidates:
            continue
        ratio = {
            s: sum(t.text.count("?") for t in tr.turns if t.speaker == s)
            / max(1, sum(1 for t in tr.turns if t.speaker == s))
            for s in candidates
        }
        interviewers.add(max(ratio, key=ratio.get))
    return interviewers


def distinct_generic_speakers(
    transcripts: Sequence[Transcript], interviewers: Collection[str] = ()
) -> list[Transcript]:
    """Make generic and anonymous speaker labels unique per file ("Participant" in P3.txt
    becomes "Participant_P3", "Speaker 2" in a.vtt "Speaker 2_a"): the same label in two files
    is two people. Real names are kept (the same name in two files is the same person), and so
    are interviewer labels ("Interviewer", "AI"). Call it before :func:`detect_interviewers`.
    The suffix makes the label a handle for redaction, so the bare word "participant" in a
    sentence is never taken for a known name."""
    keep = {s.casefold() for s in interviewers}
    out = []
    for tr in transcripts:
        stem = re.sub(r"[^A-Za-z0-9]+", "-", tr.source_file.stem).strip("-") or "x"
        rename = {
            s: f"{s}_{stem}"
            for s in tr.speakers
            if s.casefold() not in keep
            and generic_label(s) not in (None, *_INTERVIEWER_LABELS)
            and "_" not in s
        }
        if rename:
            tr = replace(tr, turns=tuple(replace(t, speaker=rename.get(t.speaker, t.speaker))
                                         for t in tr.turns))
        out.append(tr)
    return out
