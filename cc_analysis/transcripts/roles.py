"""Speaker roles: who in a transcript is an interviewer and who is a participant.

Owns the generic speaker labels transcription tools and chat interviews use ("Interviewer",
"AI", "Participant 3", "Speaker 2", "P3", "A"), telling interviewers apart (configured names,
generic labels, or detected from who appears in many interviews and who asks the questions),
and making a generic label in two files two different people. A participant label that is not
in the lists ("User", "Customer") is recognised by what it does: it recurs in many interviews
but answers rather than asks (:func:`recurring_answerers`).
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Collection, Iterable, Sequence
from dataclasses import replace

from .transcript import Transcript

# the role words of research and recording tools, as they label a speaker (lower case)
INTERVIEWER_LABELS = frozenset(
    "interviewer moderator researcher facilitator assistant ai host int".split()
)
PARTICIPANT_LABELS = frozenset("participant interviewee respondent".split())
ANONYMOUS_LABELS = frozenset(["speaker", "unknown", "unknown speaker", "spk"])
# a letter alone stands for a role ("Q", "A", "P3", "S2"); "Q" is the one asking
_LETTER = re.compile(r"[^\W\d_]")
_ASKING_LETTER = "q"


def generic_label(speaker: str) -> str | None:
    """'Participant 3', 'P3', 'Moderator', 'Participant_P3' -> 'participant', 'p',
    'moderator', 'participant'; real names -> None."""
    key = speaker.strip().split("_", 1)[0]
    key = re.sub(r"[\s#-]*\d+$", "", key).strip().casefold()
    if key in INTERVIEWER_LABELS or key in PARTICIPANT_LABELS or key in ANONYMOUS_LABELS \
            or _LETTER.fullmatch(key):
        return key
    return None


def _is_interviewer_label(key: str | None) -> bool:
    return key is not None and (key in INTERVIEWER_LABELS or key == _ASKING_LETTER)


def _question_rates(tr: Transcript) -> dict[str, float]:
    """Questions per turn of each speaker of one transcript."""
    return {s: sum(t.text.count("?") for t in tr.turns if t.speaker == s)
            / max(1, sum(1 for t in tr.turns if t.speaker == s)) for s in tr.speakers}


def recurring_answerers(transcripts: Sequence[Transcript], min_transcripts: int = 3,
                        configured: Iterable[str] = ()) -> set[str]:
    """Role labels that no list names ("User", "Customer", "Client"): a label in at least
    ``min_transcripts`` transcripts that, in most of them, asks fewer questions per turn than
    someone else there. A person rarely speaks in many interviews unless they run them, and
    the one running them asks; a label in many interviews that answers is a role, not a
    person."""
    folded = {n.strip().casefold() for n in configured}
    seen: Counter[str] = Counter()
    answering: Counter[str] = Counter()
    for tr in transcripts:
        rates = _question_rates(tr)
        for s, r in rates.items():
            seen[s] += 1
            answering[s] += any(o != s and q > r for o, q in rates.items())
    return {s for s, n in seen.items()
            if n >= min_transcripts and answering[s] * 2 > n and s.casefold() not in folded
            and not _is_interviewer_label(generic_label(s))}


def detect_interviewers(
    transcripts: Sequence[Transcript], configured: Iterable[str] = ()
) -> set[str]:
    """Speakers treated as interviewers.

    Configured names always count (in any letter case), and so do generic interviewer labels
    ("Interviewer", "Moderator", "AI", "Assistant", "Q"); other generic labels ("Participant",
    "Interviewee", "P3", "A") never do. Otherwise a speaker is an interviewer if they appear
    in at least three interviews (researchers talk to many customers; a customer rarely speaks in
    several; anonymous labels such as "Speaker 1" are exempt) or, within one interview, asks the
    largest share of questions.
    """
    interviewers = {n.strip() for n in configured}
    configured_folded = {n.casefold() for n in interviewers}
    every = {s for t in transcripts for s in t.speakers}
    interviewers |= {s for s in every if s.casefold() in configured_folded}
    interviewers |= {s for s in every if _is_interviewer_label(generic_label(s))}
    never = {s for s in every if generic_label(s) is not None
             and generic_label(s) not in ANONYMOUS_LABELS}
    never = (never | recurring_answerers(transcripts, configured=configured)) - interviewers
    anonymous = {s for s in every if generic_label(s) in ANONYMOUS_LABELS}
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
        rates = _question_rates(tr)
        interviewers.add(max(candidates, key=rates.__getitem__))
    return interviewers


def distinct_generic_speakers(
    transcripts: Sequence[Transcript], interviewers: Collection[str] = ()
) -> list[Transcript]:
    """Make generic and anonymous speaker labels unique per file ("Participant" in P3.txt
    becomes "Participant_P3", "Speaker 2" in a.vtt "Speaker 2_a"), and so the labels of
    :func:`recurring_answerers` ("User" in every chat export): the same label in two files is
    two people. Real names are kept (the same name in two files is the same person), and so
    are interviewer labels ("Interviewer", "AI"). Call it before :func:`detect_interviewers`.
    The suffix makes the label a handle for redaction, so the bare word "participant" in a
    sentence is never taken for a known name."""
    keep = {s.casefold() for s in interviewers}
    roles = recurring_answerers(transcripts, configured=interviewers)
    out = []
    for tr in transcripts:
        stem = re.sub(r"[^A-Za-z0-9]+", "-", tr.source_file.stem).strip("-") or "x"
        rename = {
            s: f"{s}_{stem}"
            for s in tr.speakers
            if s.casefold() not in keep
            and (s in roles or (generic_label(s) is not None
                                and not _is_interviewer_label(generic_label(s))))
            and "_" not in s
        }
        if rename:
            tr = replace(tr, turns=tuple(replace(t, speaker=rename.get(t.speaker, t.speaker))
                                         for t in tr.turns))
        out.append(tr)
    return out
