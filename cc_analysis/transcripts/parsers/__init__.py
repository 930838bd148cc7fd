"""Transcript parsers, one module per format, and the dispatcher that picks one by suffix.

``cues`` (WebVTT, SRT), ``text`` (Zoom / Otter / Descript plain text, and the ``Speaker: text``
grammar the others reuse), ``docx`` (Word), ``odt`` (OpenDocument), ``table`` (CSV / TSV
holding many interviews), ``dispatch`` (one file, many files, a folder). Malformed files raise
:class:`~cc_analysis.transcripts.TranscriptError` naming the file and line.
"""

from .cues import parse_srt, parse_vtt
from .dispatch import (
    TRANSCRIPT_SUFFIXES,
    collect_transcripts,
    parse_transcript,
    parse_transcript_files,
    parse_transcripts_in,
    read_transcripts,
    transcript_files,
)
from .docx import parse_docx
from .odt import parse_odt
from .table import is_transcript_table, parse_transcript_table
from .text import parse_text, parse_transcript_text

__all__ = [
    "TRANSCRIPT_SUFFIXES",
    "collect_transcripts",
    "is_transcript_table",
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
    "transcript_files",
]
