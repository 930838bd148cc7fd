"""Transcripts: interview files read into speaker turns, speakers told apart and pseudonymised.

Owns what ingest and interview synthesis both need before any analysis, so that ingest does
not load the synthesis (its embeddings and topic model): ``transcript`` (turns, the file, the
date), ``parsers`` (one module per format and the dispatcher), ``roles`` (interviewers vs
participants, generic labels) and ``anonymise`` (pseudonyms, redaction and the store's
``interviews`` / ``interview_turns`` tables: the one path ``cc-analysis ingest`` and
``cc-analysis interviews`` share).
"""

from .anonymise import (
    AnonymisedInterviews,
    anonymise_transcripts,
    name_variants,
    speaker_pseudonyms,
)
from .parsers import (
    TRANSCRIPT_SUFFIXES,
    collect_transcripts,
    is_transcript_table,
    parse_docx,
    parse_odt,
    parse_srt,
    parse_text,
    parse_transcript,
    parse_transcript_files,
    parse_transcript_table,
    parse_transcript_text,
    parse_transcripts_in,
    parse_vtt,
    read_transcripts,
    transcript_files,
)
from .roles import (
    ANONYMOUS_LABELS,
    INTERVIEWER_LABELS,
    PARTICIPANT_LABELS,
    detect_interviewers,
    distinct_generic_speakers,
    generic_label,
    recurring_answerers,
)
from .transcript import UNKNOWN_SPEAKER, Transcript, TranscriptError, Turn

__all__ = [
    "ANONYMOUS_LABELS",
    "INTERVIEWER_LABELS",
    "PARTICIPANT_LABELS",
    "TRANSCRIPT_SUFFIXES",
    "UNKNOWN_SPEAKER",
    "AnonymisedInterviews",
    "Transcript",
    "TranscriptError",
    "Turn",
    "anonymise_transcripts",
    "collect_transcripts",
    "is_transcript_table",
    "detect_interviewers",
    "distinct_generic_speakers",
    "generic_label",
    "name_variants",
    "parse_docx",
    "parse_odt",
    "parse_srt",
    "parse_text",
    "parse_transcript",
    "parse_transcript_files",
    "parse_transcript_table",
    "parse_transcript_text",
    "parse_transcripts_in",
    "parse_vtt",
    "read_transcripts",
    "recurring_answerers",
    "speaker_pseudonyms",
    "transcript_files",
]
