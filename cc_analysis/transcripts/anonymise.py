"""Transcripts to pseudonymised, redacted interview tables: the one path ingest and the CLI share.

Owns, in this order: making generic speaker labels distinct per file, telling interviewers
apart, stable pseudonyms (participants ``P01``..., interviewers ``R1``...), the known-name
variants the redactor replaces by those pseudonyms (real names only: a generic label such as
"AI" or "Participant_P3" is not personal data, and redacting it as a name would turn every "AI"
a participant says into the interviewer's pseudonym), redacting the turns' text, and the store's
``interviews`` and ``interview_turns`` tables with their redaction counts. Written once so that
``cc-analysis ingest`` and ``cc-analysis interviews`` cannot drift apart.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

import pandas as pd

from ..periods import quarter_labels
from ..privacy import PiiPolicy, Pseudonymizer, Redactor
from .roles import detect_interviewers, distinct_generic_speakers, generic_label
from .transcript import Transcript

INTERVIEW_COLUMNS = ["interview_id", "source_file", "interview_date", "participant", "n_turns"]
TURN_COLUMNS = ["interview_id", "source_file", "turn", "start_s", "end_s", "speaker", "role",
                "text"]


@dataclass(frozen=True)
class AnonymisedInterviews:
    """The store's interview tables and what was decided on the way.

    ``interviews`` (one row per transcript, ``INT-001``... in transcript order, with the fiscal
    ``quarter``) and ``turns`` (text redacted, speakers as pseudonyms, ``role`` interviewer or
    participant). ``interviewers`` are the speaker labels taken for interviewers and
    ``pseudonyms`` maps every speaker label to its pseudonym: they hold real names, to redact
    with, never to log or store. ``redactor`` knows every speaker's name (and the caller's
    ``known_names``): ingest redacts the other text sources with it, so a speaker named in a
    ticket gets the same pseudonym. ``text_redactions`` counts the turns' redactions by kind.
    """

    interviews: pd.DataFrame
    turns: pd.DataFrame
    interviewers: frozenset[str]
    pseudonyms: dict[str, str]
    redactor: Redactor
    text_redactions: dict[str, int] = field(default_factory=dict)

    def redaction_log(self) -> list[dict[str, Any]]:
        """Rows for the store's ``redaction_log``: counts per kind, never values; the speaker
        labels themselves are names, and they became pseudonyms."""
        rows = [{"source": "interview_turns", "field": "text", "kind": k, "count": n}
                for k, n in sorted(self.text_redactions.items())]
        rows.append({"source": "interview_turns", "field": "speaker",
                     "kind": "speaker_pseudonym", "count": len(self.pseudonyms)})
        return rows


def anonymise_transcripts(
    transcripts: Sequence[Transcript],
    policy: PiiPolicy | None = None,
    *,
    interviewers: Iterable[str] = (),
    known_names: Mapping[str, str] | None = None,
    fy_start_month: int = 1,
) -> AnonymisedInterviews:
    """Pseudonymise and redact parsed transcripts into the store's interview tables.

    ``interviewers``: names that always count as interviewers (``[interviews] interviewers`` or
    ``--interviewer``); the others are detected (see :func:`detect_interviewers`).
    ``known_names``: other names to redact (e.g. ticket requesters -> ``[NAME]``); a speaker's
    pseudonym wins over them. ``fy_start_month`` sets the ``quarter`` column.
    """
    configured = tuple(interviewers)
    transcripts = distinct_generic_speakers(transcripts, configured)
    roles = detect_interviewers(transcripts, configured)
    pseudonyms = speaker_pseudonyms(transcripts, roles)
    personal = {k: v for k, v in pseudonyms.items() if generic_label(k) is None}
    redactor = Redactor(policy, known_names={**(known_names or {}), **name_variants(personal)})
    interviews, turns = _store_tables(transcripts, roles, pseudonyms, fy_start_month)
    turns["text"] = redactor.redact_series(turns["text"])
    counts = dict(redactor.counts)
    redactor.reset_counts()
    return AnonymisedInterviews(interviews, turns, frozenset(roles), pseudonyms, redactor, counts)


def speaker_pseudonyms(transcripts: Sequence[Transcript],
                       interviewers: Iterable[str]) -> dict[str, str]:
    """Stable pseudonyms: participants P01, P02 ... and interviewers R1, R2 ... in order of
    first appearance across date-prefixed file names, so adding a later quarter's interviews
    never renumbers earlier participants."""
    interviewers = set(interviewers)
    participants, researchers = Pseudonymizer("P", 2), Pseudonymizer("R", 1)
    out: dict[str, str] = {}
    for tr in transcripts:
        for s in tr.speakers:
            out[s] = researchers.get(s) if s in interviewers else participants.get(s)
    return out


def name_variants(names: Mapping[str, str]) -> dict[str, str]:
    """Full names plus the first name alone ("thanks for joining, Maria"), each mapped to the
    pseudonym. Surnames alone are left to the gazetteer: many are words ("Price", "Long")."""
    out: dict[str, str] = {}
    for full, alias in names.items():
        out[full] = alias
        parts = full.split()
        if len(parts) > 1 and len(parts[0]) > 2:
            out.setdefault(parts[0], alias)
    return out


def _store_tables(
    transcripts: Sequence[Transcript],
    interviewers: set[str],
    names: Mapping[str, str],
    fy_start_month: int,
) -> tuple[pd.DataFrame, pd.DataFrame]:
    """The ``interviews`` and ``interview_turns`` tables, text not yet redacted."""
    turns, meta = [], []
    for i, tr in enumerate(transcripts, 1):
        iid = f"INT-{i:03d}"
        participants = [s for s in tr.speakers if s not in interviewers]
        for t in tr.turns:
            turns.append({
                "interview_id": iid, "source_file": tr.source_file.name, "turn": t.turn,
                "start_s": t.start_s, "end_s": t.end_s, "speaker": names[t.speaker],
                "role": "interviewer" if t.speaker in interviewers else "participant",
                "text": t.text,
            })
        meta.append({
            "interview_id": iid, "source_file": tr.source_file.name,
            "interview_date": pd.Timestamp(tr.interview_date) if tr.interview_date else pd.NaT,
            "participant": ";".join(names[p] for p in participants),
            "n_turns": len(tr.turns),
        })
    meta_df = pd.DataFrame(meta, columns=INTERVIEW_COLUMNS)
    meta_df["quarter"] = quarter_labels(meta_df["interview_date"], fy_start_month)
    return meta_df, pd.DataFrame(turns, columns=TURN_COLUMNS)
