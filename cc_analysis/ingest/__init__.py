"""Ingest: read each raw export named in ``workspace.toml``, validate it, redact it, store it.

Owns the schema of every source kind (``schemas``), reading CSV / Parquet / JSON exports and
transcript folders strictly (``readers``), typed conversion and validation that refuses bad input
with an error naming file, row and column (``convert``, ``problems``), the unified ``feedback``
table of customer text (``feedback``) and the run that assembles and writes the store (``run``).
Raw files are only read, never written. Personal data is redacted here, before anything is
stored (interviews through ``cc_analysis.transcripts.anonymise_transcripts``); the redaction log
keeps counts per source and field, never values.
"""

from .convert import convert_column, read_source
from .feedback import FEEDBACK_COLUMNS, feedback_table
from .problems import MAX_PROBLEMS, IngestError, Problem
from .readers import read_export, read_transcript_folder
from .run import IngestReport, ingest, referential_warnings
from .schemas import SCHEMAS, TABLE_NAMES, UNIQUE_KEYS, Col, text_columns

__all__ = [
    "FEEDBACK_COLUMNS",
    "MAX_PROBLEMS",
    "SCHEMAS",
    "TABLE_NAMES",
    "UNIQUE_KEYS",
    "Col",
    "IngestError",
    "IngestReport",
    "Problem",
    "convert_column",
    "feedback_table",
    "ingest",
    "read_export",
    "read_source",
    "read_transcript_folder",
    "referential_warnings",
    "text_columns",
]
