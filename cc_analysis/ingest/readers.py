"""Reading raw exports strictly: CSV, JSON / JSON Lines, Parquet and transcript folders.

Owns turning one configured source into a frame of raw cells (with the file line of each CSV
row, so problems can name it) and refusing what cannot be read with a :class:`Problem` naming
file, row, line and column: the configured encoding is honoured (no silent fallback, unlike
``cc_analysis.files.read_table_file``), ragged CSV rows, invalid JSON, empty files. JSON
records are read through dotted paths (``organization.external_id``).
"""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path
from typing import Any, NoReturn

import pandas as pd

from ..config import SourceConfig
from ..files import line_of_bad_byte
from ..transcripts import Transcript, parse_transcript_files, transcript_files
from .problems import IngestError, Problem


def _refuse(file: str, message: str, row: int | None = None, column: str | None = None,
            line: int | None = None) -> NoReturn:
    raise IngestError([Problem(file, row, column, message, line=line)])


def decode_export(path: Path, encoding: str) -> str:
    """A text export decoded with its configured encoding (a byte-order mark dropped); an
    undecodable byte is reported with its line and, for CSV, the column it falls in."""
    data = path.read_bytes()
    if not data.strip():
        _refuse(path.name, "file is empty")
    try:
        return data.decode(encoding).lstrip("\ufeff")
    except UnicodeDecodeError as exc:
        line = line_of_bad_byte(data, exc)
        line_start = data.rfind(b"\n", 0, exc.start) + 1
        header = data.split(b"\n", 1)[0].decode(encoding, errors="replace").strip().split(",")
        field_no = data[line_start : exc.start].count(b",")
        column = header[field_no].strip().strip('"') if field_no < len(header) else None
        raise IngestError([Problem(
            path.name, line - 1 if line > 1 else None, column,
            f"byte {exc.start}: not valid {encoding} text (0x{data[exc.start]:02x}); "
            "re-export as UTF-8 or set encoding = \"cp1252\" (or the export's encoding) "
            "for this source",
            line=line,
        )]) from exc


def read_csv_export(src: SourceConfig) -> tuple[pd.DataFrame, list[int]]:
    """Every cell as text, and the file line each data row starts on (blank rows skipped)."""
    name = src.path.name
    reader = csv.reader(io.StringIO(decode_export(src.path, src.encoding), newline=""))
    try:
        header = [h.strip() for h in next(reader)]
    except StopIteration:
        _refuse(name, "file is empty")
    rows, lines = [], []
    try:
        for rec in reader:
            if not any(cell.strip() for cell in rec):
                continue
            if len(rec) != len(header):
                _refuse(name, f"has {len(rec)} fields but the header has {len(header)}",
                        row=len(rows) + 1, line=reader.line_num)
            rows.append(rec)
            lines.append(reader.line_num)
    except csv.Error as exc:
        raise IngestError([Problem(name, len(rows) + 1, None, f"CSV syntax: {exc}",
                                   line=reader.line_num)]) from exc
    if not rows:
        _refuse(name, "has a header but no data rows")
    return pd.DataFrame(rows, columns=header, dtype=object), lines


def dig(record: Any, dotted: str) -> Any:
    """``record["a"]["b"]`` for ``"a.b"``; None when a level is missing or not a mapping."""
    for key in dotted.split("."):
        if not isinstance(record, dict):
            return None
        record = record.get(key)
    return record


def read_json_export(src: SourceConfig, needed: list[str]) -> pd.DataFrame:
    """The ``needed`` dotted fields of a JSON array (at ``records_path``) or JSON Lines file;
    a field absent from the first 1,000 records is left out (a missing column)."""
    name = src.path.name
    text = decode_export(src.path, src.encoding)
    try:
        if src.format == "jsonl":
            doc: Any = [json.loads(line) for line in text.splitlines() if line.strip()]
        else:
            doc = json.loads(text)
    except json.JSONDecodeError as exc:
        raise IngestError([Problem(name, None, None,
                                   f"invalid JSON: {exc.msg} (column {exc.colno})",
                                   line=exc.lineno)]) from exc
    records = dig(doc, src.records_path) if src.records_path else doc
    if not isinstance(records, list):
        where = f"key '{src.records_path}'" if src.records_path else "the top level"
        _refuse(name, f"expected a list of records at {where}")
    if not records:
        _refuse(name, "has no records")
    present = {p for p in needed if any(dig(r, p) is not None for r in records[:1000])}
    frame = pd.DataFrame(
        {p: [dig(r, p) for r in records] for p in needed if p in present}, dtype=object
    )
    frame.index = range(len(frame))
    return frame


def read_parquet_export(src: SourceConfig) -> pd.DataFrame:
    """A Parquet file with its own column types (converted and checked like text later)."""
    if src.path.stat().st_size == 0:
        _refuse(src.path.name, "file is empty")
    try:
        frame = pd.read_parquet(src.path)
    except Exception as exc:  # pyarrow raises several types for corrupt files
        raise IngestError([Problem(src.path.name, None, None,
                                   f"not a readable Parquet file: {exc}")]) from exc
    if frame.empty:
        _refuse(src.path.name, "has no data rows")
    return frame.reset_index(drop=True)


def read_export(src: SourceConfig, needed: list[str]) -> tuple[pd.DataFrame, list[int] | None]:
    """A tabular source's raw cells by its format, with CSV line numbers (None otherwise).
    ``needed`` are the fields a JSON source is read for."""
    if not src.path.exists():
        _refuse(src.path.name, f"file not found: {src.path}")
    if src.format == "csv":
        return read_csv_export(src)
    if src.format in ("json", "jsonl"):
        return read_json_export(src, needed), None
    if src.format == "parquet":
        return read_parquet_export(src), None
    _refuse(src.path.name, f"unsupported format '{src.format}'")


def read_transcript_folder(src: SourceConfig) -> list[Transcript]:
    """Every transcript of an interviews source; each unreadable file is one problem."""
    if not src.path.is_dir():
        _refuse(src.path.name, f"folder not found: {src.path}")
    transcripts, failed = parse_transcript_files(transcript_files(src.path))
    if failed:
        raise IngestError([Problem(path.name, None, None, str(exc).split(": ", 1)[-1])
                           for path, exc in failed])
    return transcripts
