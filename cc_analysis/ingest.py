"""Ingest: read each raw export named in ``workspace.toml``, validate it, redact it, store it.

Owns the schema of every source kind, reading CSV / Parquet / JSON exports through their column
mappings, the validation that refuses bad input with an error naming file, row and column, and
assembling the store's tables (including the unified ``feedback`` table of customer text).
Raw files are only read, never written. Personal data is redacted here, before anything is stored;
the redaction log keeps counts per source and field, never values. The new store replaces the old
one only when every source has passed (see ``store.write_store_atomically``).
"""

from __future__ import annotations

import csv
import hashlib
import io
import json
import logging
from collections import Counter
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd
from tqdm.auto import tqdm

from . import __version__
from .config import SourceConfig, Workspace, load_workspace
from .interviews import (
    Transcript,
    TranscriptError,
    detect_interviewers,
    parse_transcript,
    transcript_files,
)
from .periods import quarter_labels
from .privacy import PiiPolicy, Pseudonymizer, Redactor
from .store import write_store_atomically

log = logging.getLogger(__name__)
MAX_PROBLEMS = 20


@dataclass(frozen=True)
class Col:
    """A canonical column: its type, whether it must be present and whether it may be blank."""

    type: str  # id, text, category, int, float, bool, date, timestamp
    required: bool = True
    nullable: bool = False
    lo: float | None = None
    hi: float | None = None
    allowed: tuple[str, ...] | None = None


SCHEMAS: dict[str, dict[str, Col]] = {
    "accounts": {
        "account_id": Col("id"),
        "account_name": Col("category", required=False, nullable=True),
        "plan": Col("category"),
        "billing_term": Col("category", allowed=("monthly", "annual")),
        "segment": Col("category"),
        "region": Col("category", required=False, nullable=True),
        "arr": Col("float", lo=0),
        "start_date": Col("date"),
        "end_date": Col("date", nullable=True),
    },
    "usage_monthly": {
        "account_id": Col("id"),
        "month": Col("date"),
        "active_users": Col("int", lo=0),
        "licensed_seats": Col("int", lo=0, required=False, nullable=True),
        "mrr": Col("float", lo=0, required=False, nullable=True),
        "used_reports": Col("bool", required=False, nullable=True),
        "used_integrations": Col("bool", required=False, nullable=True),
        "used_automations": Col("bool", required=False, nullable=True),
        "used_mobile": Col("bool", required=False, nullable=True),
    },
    "tickets": {
        "ticket_id": Col("id"),
        "account_id": Col("id", nullable=True),
        "created_at": Col("timestamp"),
        "first_reply_at": Col("timestamp", nullable=True),
        "solved_at": Col("timestamp", nullable=True),
        "status": Col("category", required=False, nullable=True),
        "channel": Col("category", required=False, nullable=True),
        "subject": Col("text", nullable=True),
        "body": Col("text", nullable=True),
        "csat": Col("int", required=False, nullable=True, lo=1, hi=5),
    },
    "nps": {
        "response_id": Col("id"),
        "account_id": Col("id", nullable=True),
        "submitted_at": Col("timestamp"),
        "score": Col("int", lo=0, hi=10),
        "comment": Col("text", nullable=True),
        "ces": Col("int", required=False, nullable=True, lo=1, hi=7),
    },
    "reviews": {
        "review_id": Col("id"),
        "reviewed_at": Col("timestamp"),
        "store": Col("category", required=False, nullable=True),
        "rating": Col("int", lo=1, hi=5),
        "title": Col("text", required=False, nullable=True),
        "text": Col("text", nullable=True),
    },
}
TABLE_NAMES = {
    "nps": "nps_responses",
    "reviews": "reviews",
    "tickets": "tickets",
    "accounts": "accounts",
    "usage_monthly": "usage_monthly",
}
_UNIQUE_KEYS = {
    "accounts": ("account_id",),
    "usage_monthly": ("account_id", "month"),
    "tickets": ("ticket_id",),
    "nps": ("response_id",),
    "reviews": ("review_id",),
}
_TRUE = {"true", "t", "yes", "y", "1"}
_FALSE = {"false", "f", "no", "n", "0"}


@dataclass(frozen=True)
class Problem:
    file: str
    row: int | None  # 1-based data row; None for file-level problems
    column: str | None
    message: str
    line: int | None = None

    def __str__(self) -> str:
        where = [self.file]
        if self.row is not None:
            where.append(f"row {self.row}" + (f" (line {self.line})" if self.line else ""))
        elif self.line is not None:
            where.append(f"line {self.line}")
        if self.column is not None:
            where.append(f"column '{self.column}'")
        return ", ".join(where) + f": {self.message}"


class IngestError(ValueError):
    """A source failed validation. Nothing was written; the previous store is intact."""

    def __init__(self, problems: list[Problem]):
        self.problems = problems
        shown = "\n".join(f"  - {p}" for p in problems[:MAX_PROBLEMS])
        more = len(problems) - MAX_PROBLEMS
        tail = f"\n  ... and {more} more" if more > 0 else ""
        super().__init__(
            f"ingest refused {len({p.file for p in problems})} source file(s); "
            f"the previous store was left unchanged:\n{shown}{tail}"
        )


@dataclass
class IngestReport:
    store_path: Path
    row_counts: dict[str, int]
    redactions: dict[str, int]
    warnings: list[str] = field(default_factory=list)
    data_hashes: dict[str, str] = field(default_factory=dict)

    def summary(self) -> str:
        lines = [f"Store written: {self.store_path}"]
        lines += [f"  {t:<16} {n:>8,} rows" for t, n in self.row_counts.items()]
        red = ", ".join(f"{k} {v:,}" for k, v in sorted(self.redactions.items())) or "none"
        lines.append(f"  redacted: {red}")
        lines += [f"  warning: {w}" for w in self.warnings]
        return "\n".join(lines)


# ---------------------------------------------------------------------------------------------
# Reading raw exports into string frames (with the line number of each row when known)
# ---------------------------------------------------------------------------------------------
def _decode(path: Path, encoding: str) -> str:
    data = path.read_bytes()
    if not data.strip():
        raise IngestError([Problem(path.name, None, None, "file is empty")])
    try:
        return data.decode(encoding).lstrip("\ufeff")
    except UnicodeDecodeError as exc:
        line = data[: exc.start].count(b"\n") + 1
        line_start = data.rfind(b"\n", 0, exc.start) + 1
        header = data.split(b"\n", 1)[0].decode(encoding, errors="replace").strip().split(",")
        field_no = data[line_start : exc.start].count(b",")
        column = header[field_no].strip().strip('"') if field_no < len(header) else None
        raise IngestError(
            [
                Problem(
                    path.name,
                    line - 1 if line > 1 else None,
                    column,
                    f"byte {exc.start}: not valid {encoding} text (0x{data[exc.start]:02x}); "
                    "re-export as UTF-8 or set encoding = \"cp1252\" (or the export's encoding) "
                    "for this source",
                    line=line,
                )
            ]
        ) from exc


def _read_csv(src: SourceConfig) -> tuple[pd.DataFrame, list[int]]:
    text = _decode(src.path, src.encoding)
    reader = csv.reader(io.StringIO(text, newline=""))
    try:
        header = next(reader)
    except StopIteration:
        raise IngestError([Problem(src.path.name, None, None, "file is empty")]) from None
    header = [h.strip() for h in header]
    rows, lines = [], []
    try:
        for rec in reader:
            if not any(cell.strip() for cell in rec):
                continue
            if len(rec) != len(header):
                raise IngestError(
                    [
                        Problem(
                            src.path.name,
                            len(rows) + 1,
                            None,
                            f"has {len(rec)} fields but the header has {len(header)}",
                            line=reader.line_num,
                        )
                    ]
                )
            rows.append(rec)
            lines.append(reader.line_num)
    except csv.Error as exc:
        raise IngestError(
            [
                Problem(
                    src.path.name, len(rows) + 1, None, f"CSV syntax: {exc}", line=reader.line_num
                )
            ]
        ) from exc
    if not rows:
        raise IngestError([Problem(src.path.name, None, None, "has a header but no data rows")])
    return pd.DataFrame(rows, columns=header, dtype=object), lines


def _dig(record: Any, dotted: str) -> Any:
    for key in dotted.split("."):
        if not isinstance(record, dict):
            return None
        record = record.get(key)
    return record


def _read_json(src: SourceConfig, needed: list[str]) -> tuple[pd.DataFrame, None]:
    text = _decode(src.path, src.encoding)
    try:
        if src.format == "jsonl":
            doc: Any = [json.loads(line) for line in text.splitlines() if line.strip()]
        else:
            doc = json.loads(text)
    except json.JSONDecodeError as exc:
        raise IngestError(
            [
                Problem(
                    src.path.name,
                    None,
                    None,
                    f"invalid JSON: {exc.msg} (column {exc.colno})",
                    line=exc.lineno,
                )
            ]
        ) from exc
    records = _dig(doc, src.records_path) if src.records_path else doc
    if not isinstance(records, list):
        where = f"key '{src.records_path}'" if src.records_path else "the top level"
        raise IngestError(
            [Problem(src.path.name, None, None, f"expected a list of records at {where}")]
        )
    if not records:
        raise IngestError([Problem(src.path.name, None, None, "has no records")])
    present = {p for p in needed if any(_dig(r, p) is not None for r in records[:1000])}
    frame = pd.DataFrame(
        {p: [_dig(r, p) for r in records] for p in needed if p in present}, dtype=object
    )
    frame.index = range(len(frame))
    return frame, None


def _read_parquet(src: SourceConfig) -> tuple[pd.DataFrame, None]:
    if src.path.stat().st_size == 0:
        raise IngestError([Problem(src.path.name, None, None, "file is empty")])
    try:
        frame = pd.read_parquet(src.path)
    except Exception as exc:  # pyarrow raises several types for corrupt files
        raise IngestError(
            [Problem(src.path.name, None, None, f"not a readable Parquet file: {exc}")]
        ) from exc
    if frame.empty:
        raise IngestError([Problem(src.path.name, None, None, "has no data rows")])
    return frame.reset_index(drop=True), None


def read_source(src: SourceConfig) -> tuple[pd.DataFrame, set[str]]:
    """Read, map and validate one tabular source.

    Returns canonical, typed columns and the person names found in the source's
    ``known_name_fields`` (e.g. the ticket requester): those are redacted wherever they recur in
    free text and are never stored themselves.
    """
    if not src.path.exists():
        raise IngestError([Problem(src.path.name, None, None, f"file not found: {src.path}")])
    schema = SCHEMAS[src.kind]
    mapping = {canon: src.columns.get(canon, canon) for canon in schema}
    name_fields = list(src.options.get("known_name_fields", []))
    lines: list[int] | None
    if src.format == "csv":
        raw, lines = _read_csv(src)
    elif src.format in ("json", "jsonl"):
        raw, lines = _read_json(src, [*mapping.values(), *name_fields])
    elif src.format == "parquet":
        raw, lines = _read_parquet(src)
    else:
        raise IngestError(
            [Problem(src.path.name, None, None, f"unsupported format '{src.format}'")]
        )

    missing = [
        (c, mapping[c]) for c, col in schema.items() if col.required and mapping[c] not in raw
    ]
    if missing:
        found = ", ".join(map(str, raw.columns[:15]))
        raise IngestError(
            [
                Problem(
                    src.path.name,
                    None,
                    raw_name,
                    f"missing column (needed as '{canon}'; map it under "
                    f"[sources.{src.name}.columns] in workspace.toml); found: {found}",
                )
                for canon, raw_name in missing
            ]
        )
    out = pd.DataFrame(index=raw.index)
    problems: list[Problem] = []
    for canon, col in schema.items():
        raw_name = mapping[canon]
        values = (
            raw[raw_name] if raw_name in raw else pd.Series(None, index=raw.index, dtype=object)
        )
        out[canon] = _convert(values, col, src.path.name, raw_name, lines, problems)
    for keys in [_UNIQUE_KEYS[src.kind]]:
        dup = out.duplicated(list(keys), keep="first") & out[list(keys)].notna().all(axis=1)
        for idx in list(out.index[dup])[:5]:
            problems.append(
                Problem(
                    src.path.name,
                    idx + 1,
                    mapping[keys[0]],
                    f"duplicate key {tuple(out.loc[idx, list(keys)])}",
                    line=lines[idx] if lines else None,
                )
            )
    if problems:
        raise IngestError(problems)
    names = {str(v).strip() for f in name_fields if f in raw for v in raw[f].dropna()}
    return out, {n for n in names if len(n.split()) >= 2}


def _blank(values: pd.Series) -> pd.Series:
    s = values.astype(object)
    return s.isna() | s.map(lambda v: isinstance(v, str) and not v.strip())


def _convert(
    values: pd.Series,
    col: Col,
    file: str,
    column: str,
    lines: list[int] | None,
    problems: list[Problem],
) -> pd.Series:
    blank = _blank(values)

    def flag(mask: pd.Series, message: str) -> None:
        for idx in list(values.index[mask])[:5]:
            problems.append(
                Problem(
                    file,
                    idx + 1,
                    column,
                    message.format(v=values[idx]),
                    line=lines[idx] if lines else None,
                )
            )

    if not col.nullable:
        flag(blank, "is blank but a value is required")
    t = col.type
    if t in ("id", "text", "category"):
        result = values.where(~blank, None).map(
            lambda v: (
                None
                if v is None
                else (
                    str(int(v))
                    if isinstance(v, float) and v.is_integer()
                    else str(v).strip()
                    if t != "text"
                    else str(v)
                )
            )
        )
        if col.allowed:
            result = result.map(lambda v: v.lower() if isinstance(v, str) else v)
            bad = result.notna() & ~result.isin(col.allowed)
            flag(bad, "'{v}' is not one of " + ", ".join(col.allowed))
        return result.astype(object)
    if t in ("int", "float"):
        nums = pd.to_numeric(
            values.where(~blank).map(
                lambda v: v.strip().replace(",", "") if isinstance(v, str) else v
            ),
            errors="coerce",
        )
        flag(nums.isna() & ~blank, "'{v}' is not a number")
        if t == "int":
            flag(nums.notna() & (nums != np.floor(nums)), "'{v}' is not a whole number")
        if col.lo is not None:
            flag(nums < col.lo, f"'{{v}}' is below the minimum {col.lo:g}")
        if col.hi is not None:
            flag(nums > col.hi, f"'{{v}}' is above the maximum {col.hi:g}")
        return nums.astype("Int64") if t == "int" else nums.astype("float64")
    if t == "bool":

        def to_bool(v: Any) -> Any:
            if isinstance(v, bool | np.bool_):
                return bool(v)
            s = str(v).strip().lower()
            return True if s in _TRUE else False if s in _FALSE else "?"

        conv = values.where(~blank).map(lambda v: None if pd.isna(v) else to_bool(v))
        flag(conv == "?", "'{v}' is not true/false")
        return conv.where(conv != "?").astype("boolean")
    if t in ("date", "timestamp"):
        parsed = pd.to_datetime(values.where(~blank), errors="coerce", utc=True, format="mixed")
        flag(
            parsed.isna() & ~blank,
            "'{v}' is not a valid date" if t == "date" else "'{v}' is not a valid date/time",
        )
        naive = parsed.dt.tz_convert("UTC").dt.tz_localize(None)
        return naive.dt.normalize() if t == "date" else naive
    raise ValueError(f"unknown column type {t}")


# ---------------------------------------------------------------------------------------------
# Interviews
# ---------------------------------------------------------------------------------------------
def _read_interviews(
    src: SourceConfig, configured: tuple[str, ...]
) -> tuple[list[Transcript], set[str]]:
    if not src.path.is_dir():
        raise IngestError([Problem(src.path.name, None, None, f"folder not found: {src.path}")])
    files = transcript_files(src.path)
    problems, transcripts = [], []
    for path in files:
        try:
            transcripts.append(parse_transcript(path))
        except TranscriptError as exc:
            problems.append(Problem(path.name, None, None, str(exc).split(": ", 1)[-1]))
    if problems:
        raise IngestError(problems)
    return transcripts, detect_interviewers(transcripts, configured)


def interview_tables(
    transcripts: list[Transcript],
    interviewers: set[str],
    redactor: Redactor,
    names: dict[str, str],
    fy: int,
) -> tuple[pd.DataFrame, pd.DataFrame]:
    turns, meta = [], []
    for i, tr in enumerate(transcripts, 1):
        iid = f"INT-{i:03d}"
        participants = [s for s in tr.speakers if s not in interviewers]
        for t in tr.turns:
            turns.append(
                {
                    "interview_id": iid,
                    "source_file": tr.source_file.name,
                    "turn": t.turn,
                    "start_s": t.start_s,
                    "end_s": t.end_s,
                    "speaker": names[t.speaker],
                    "role": "interviewer" if t.speaker in interviewers else "participant",
                    "text": t.text,
                }
            )
        meta.append(
            {
                "interview_id": iid,
                "source_file": tr.source_file.name,
                "interview_date": pd.Timestamp(tr.interview_date) if tr.interview_date else pd.NaT,
                "participant": ";".join(names[p] for p in participants),
                "n_turns": len(tr.turns),
            }
        )
    turns_df = pd.DataFrame(turns)
    turns_df["text"] = redactor.redact_series(turns_df["text"])
    meta_df = pd.DataFrame(meta)
    meta_df["quarter"] = quarter_labels(meta_df["interview_date"], fy)
    return meta_df, turns_df


def speaker_pseudonyms(transcripts: list[Transcript], interviewers: set[str]) -> dict[str, str]:
    """Stable pseudonyms: participants P01, P02 ... and interviewers R1, R2 ... in order of
    first appearance across date-prefixed file names, so adding a later quarter's interviews
    never renumbers earlier participants."""
    participants, researchers = Pseudonymizer("P", 2), Pseudonymizer("R", 1)
    out: dict[str, str] = {}
    for tr in transcripts:
        for s in tr.speakers:
            out[s] = researchers.get(s) if s in interviewers else participants.get(s)
    return out


def name_variants(names: dict[str, str]) -> dict[str, str]:
    """Full names plus the first name alone ("thanks for joining, Maria"), each mapped to the
    pseudonym. Surnames alone are left to the gazetteer: many are words ("Price", "Long")."""
    out: dict[str, str] = {}
    for full, alias in names.items():
        out[full] = alias
        parts = full.split()
        if len(parts) > 1 and len(parts[0]) > 2:
            out.setdefault(parts[0], alias)
    return out


# ---------------------------------------------------------------------------------------------
# Assembling the store
# ---------------------------------------------------------------------------------------------
def file_hashes(paths: list[Path], root: Path) -> dict[str, str]:
    """sha256 of every file under the given paths, keyed by path relative to ``root``."""
    out: dict[str, str] = {}
    for p in paths:
        files = sorted(f for f in p.rglob("*") if f.is_file()) if p.is_dir() else [p]
        for f in files:
            h = hashlib.sha256()
            with f.open("rb") as fh:
                for chunk in iter(lambda fh=fh: fh.read(1 << 20), b""):
                    h.update(chunk)
            try:
                key = str(f.resolve().relative_to(root))
            except ValueError:
                key = str(f.resolve())
            out[key] = h.hexdigest()
    return out


def _feedback(tables: dict[str, pd.DataFrame], fy: int) -> pd.DataFrame:
    """One row per piece of customer text, whatever its source, for the text analyses."""
    parts = []
    if "nps_responses" in tables:
        d = tables["nps_responses"]
        parts.append(
            pd.DataFrame(
                {
                    "source": "nps",
                    "source_id": d["response_id"],
                    "account_id": d["account_id"],
                    "created_at": d["submitted_at"],
                    "text": d["comment"],
                    "score": d["score"],
                    "score_kind": "nps",
                }
            )
        )
    if "tickets" in tables:
        d = tables["tickets"]
        text = d["subject"].fillna("").str.strip() + "\n" + d["body"].fillna("").str.strip()
        parts.append(
            pd.DataFrame(
                {
                    "source": "ticket",
                    "source_id": d["ticket_id"],
                    "account_id": d["account_id"],
                    "created_at": d["created_at"],
                    "text": text.str.strip(),
                    "score": d["csat"],
                    "score_kind": "csat",
                }
            )
        )
    if "reviews" in tables:
        d = tables["reviews"]
        title = d["title"].fillna("") if "title" in d else ""
        text = (title + "\n" + d["text"].fillna("")).str.strip()
        parts.append(
            pd.DataFrame(
                {
                    "source": "review",
                    "source_id": d["review_id"],
                    "account_id": None,
                    "created_at": d["reviewed_at"],
                    "text": text,
                    "score": d["rating"],
                    "score_kind": "rating",
                }
            )
        )
    if not parts:
        return pd.DataFrame(
            columns=[
                "doc_id",
                "source",
                "source_id",
                "account_id",
                "created_at",
                "quarter",
                "text",
                "score",
                "score_kind",
            ]
        )
    fb = pd.concat(parts, ignore_index=True)
    fb = fb[fb["text"].notna() & (fb["text"].str.strip() != "")].reset_index(drop=True)
    fb["score"] = pd.to_numeric(fb["score"]).astype("Float64")
    fb.insert(0, "doc_id", fb["source"] + ":" + fb["source_id"].astype(str))
    fb.insert(5, "quarter", quarter_labels(fb["created_at"], fy))
    return fb


def ingest(workspace: Workspace | str | Path, progress: bool = True) -> IngestReport:
    """Validate, redact and store every source of a workspace (all or nothing)."""
    ws = workspace if isinstance(workspace, Workspace) else load_workspace(workspace)
    if not ws.sources:
        raise IngestError([Problem(ws.config_path.name, None, None, "names no [sources]")])
    started = datetime.now(UTC).replace(tzinfo=None)
    policy = PiiPolicy.from_dict(ws.pii)
    problems: list[Problem] = []
    frames: dict[str, list[pd.DataFrame]] = {}
    transcripts: list[Transcript] = []
    interviewers: set[str] = set()
    known: dict[str, str] = {}

    for src in tqdm(list(ws.sources.values()), desc="reading sources", disable=not progress):
        try:
            if src.kind == "interviews":
                trs, ivs = _read_interviews(src, ws.interviewers)
                transcripts += trs
                interviewers |= ivs
                continue
            frame, names = read_source(src)
            known.update(dict.fromkeys(names, "[NAME]"))
            frames.setdefault(TABLE_NAMES[src.kind], []).append(frame)
        except IngestError as exc:
            problems += exc.problems
    if problems:
        raise IngestError(problems)

    tables = {
        name: pd.concat(parts, ignore_index=True) if len(parts) > 1 else parts[0]
        for name, parts in frames.items()
    }
    for name, keys in (("accounts", ["account_id"]),):
        if name in tables and tables[name].duplicated(keys).any():
            raise IngestError([Problem(name, None, keys[0], "duplicate keys across sources")])

    speaker_names = speaker_pseudonyms(transcripts, interviewers)
    redactor = Redactor(policy, known_names={**known, **name_variants(speaker_names)})
    redaction_rows: list[dict[str, Any]] = []

    def redact(table: str, column: str) -> None:
        if table in tables and column in tables[table]:
            redactor.reset_counts()
            tables[table][column] = redactor.redact_series(tables[table][column])
            redaction_rows.extend(
                {"source": table, "field": column, "kind": k, "count": n}
                for k, n in sorted(redactor.counts.items())
            )

    text_columns = [
        (t, c)
        for t, kind in ((v, k) for k, v in TABLE_NAMES.items())
        for c, col in SCHEMAS[kind].items()
        if col.type == "text"
    ]
    for table, column in tqdm(text_columns, desc="redacting", disable=not progress):
        redact(table, column)
    if transcripts:
        redactor.reset_counts()
        tables["interviews"], tables["interview_turns"] = interview_tables(
            transcripts, interviewers, redactor, speaker_names, ws.fy_start_month
        )
        redaction_rows.extend(
            {"source": "interview_turns", "field": "text", "kind": k, "count": n}
            for k, n in sorted(redactor.counts.items())
        )
        # speaker labels themselves are names: they became pseudonyms
        redaction_rows.append(
            {
                "source": "interview_turns",
                "field": "speaker",
                "kind": "speaker_pseudonym",
                "count": len(speaker_names),
            }
        )
    tables["feedback"] = _feedback(tables, ws.fy_start_month)
    tables["redaction_log"] = pd.DataFrame(
        redaction_rows, columns=["source", "field", "kind", "count"]
    )

    warnings = _referential_warnings(tables)
    hashes = file_hashes([s.path for s in ws.sources.values()], ws.root)
    counts = {name: len(df) for name, df in tables.items() if name != "redaction_log"}
    meta = {
        "run_id": started.strftime("%Y%m%dT%H%M%S"),
        "started_at": started,
        "finished_at": datetime.now(UTC).replace(tzinfo=None),
        "workspace": str(ws.root),
        "package_version": __version__,
        "sources": {
            s.name: {
                "kind": s.kind,
                "path": str(s.path.relative_to(ws.root))
                if s.path.is_relative_to(ws.root)
                else str(s.path),
            }
            for s in ws.sources.values()
        },
        "data_hashes": hashes,
        "row_counts": counts,
    }
    write_store_atomically(ws.store_path, tables, meta)
    totals: Counter[str] = Counter()
    for r in redaction_rows:
        totals[r["kind"]] += r["count"]
    for w in warnings:
        log.warning(w)
    return IngestReport(ws.store_path, counts, dict(totals), warnings, hashes)


def _referential_warnings(tables: dict[str, pd.DataFrame]) -> list[str]:
    if "accounts" not in tables:
        return []
    known = set(tables["accounts"]["account_id"])
    out = []
    for name in ("usage_monthly", "tickets", "nps_responses"):
        if name in tables:
            ids = tables[name]["account_id"].dropna()
            orphans = int((~ids.isin(known)).sum())
            if orphans:
                out.append(f"{name}: {orphans:,} rows name an account not in accounts")
    return out
