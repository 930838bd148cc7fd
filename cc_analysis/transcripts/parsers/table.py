"""Transcripts exported as a table (``.csv``, ``.tsv``): many interviews in one file.

Owns recognising the two layouts research tools and scripts write, by their header:

- **one interview per row**: a text column holding the whole conversation as ``Speaker: text``
  lines (the Anthropic Interviewer release: ``transcript_id,text``), optionally an id column
  naming each interview and a date column;
- **one turn per row**: a speaker column and a text column, optionally a start time and an
  interview id that groups the rows into interviews (spreadsheets of coded turns, caption
  tools' CSV exports).

Each interview becomes one :class:`Transcript` whose ``source_file`` is its id (or
``<file> row N``), so metadata can be keyed by it and generic labels ("User") are never one
person across interviews. A table whose header names no text column is not a transcript table
(a participant list, notes): :func:`is_transcript_table` tells a folder listing to leave it.
Problems name the file, the row (data rows counted from 1 after the header) and the column;
strictly they refuse the file, leniently (``warnings``) a row without text is left out and a
turn without a speaker is kept as ``UNKNOWN_SPEAKER``.
"""

from __future__ import annotations

import csv
import io
import math
import re
from collections import Counter
from collections.abc import Collection
from dataclasses import replace
from datetime import date
from pathlib import Path

import pandas as pd

from ...files import DELIMITERS, decode_text, line_of_bad_byte
from ..transcript import (
    UNKNOWN_SPEAKER,
    Transcript,
    TranscriptError,
    date_from_file_name,
    merge_turns,
)
from .text import TIMESTAMP_LINE, clock_seconds, line_speaker, parse_speaker_lines

TABLE_SUFFIXES = (".csv", ".tsv")
# header names, compared case-folded with spaces, dashes and underscores removed
TEXT_COLUMNS = ("text", "transcript", "transcripttext", "content", "utterance", "body",
                "message", "transcription", "words", "dialogue", "conversation")
SPEAKER_COLUMNS = ("speaker", "speakername", "speakerlabel", "name", "role", "who")
ID_COLUMNS = ("transcriptid", "interviewid", "sessionid", "conversationid", "meetingid",
              "recordingid", "dialogid", "id", "interview", "session", "conversation",
              "file", "filename", "transcriptname", "title")
START_COLUMNS = ("start", "starttime", "startseconds", "starts", "timestamp", "time",
                 "offset", "begin")
DATE_COLUMNS = ("date", "interviewdate", "sessiondate", "recordedat", "recorded",
                "createdat", "created")


def _key(column: str) -> str:
    return re.sub(r"[\s_\-]+", "", str(column)).casefold()


def _find(columns: list[str], names: tuple[str, ...], taken: Collection[str] = ()) -> str | None:
    """The first column (by the order of ``names``) whose folded name is one of ``names``."""
    keys = {_key(c): c for c in reversed(columns) if c not in taken}
    return next((keys[n] for n in names if n in keys), None)


def _delimiter(header: str, suffix: str) -> str:
    """Tab for ``.tsv``; else the delimiter the header line holds most of (comma on a tie):
    the header is the one line that is never inside a quoted multi-line transcript."""
    if suffix == ".tsv":
        return "\t"
    counts = {d: header.count(d) for d in DELIMITERS}
    best = max(counts, key=lambda d: (counts[d], d == ","))
    return best if counts[best] else ","


def _header(path: Path) -> tuple[list[str], str]:
    with path.open("rb") as fh:
        first = fh.readline(1 << 16)
    line = decode_text(first, path.name, []).rstrip("\r\n")
    sep = _delimiter(line, path.suffix.lower())
    return next(csv.reader([line], delimiter=sep), []), sep


# columns of this package's own output tables (snippets.csv, themes.csv): never transcripts
_OWN_OUTPUT_COLUMNS = frozenset({"snippetid", "themeid"})


def is_transcript_table(path: Path) -> bool:
    """Whether a ``.csv``/``.tsv`` file's header names a text column (see ``TEXT_COLUMNS``),
    and it is none of this package's own output tables; a header that cannot be decoded
    counts as a table, so reading it reports the problem."""
    try:
        columns, _ = _header(Path(path))
    except OSError:
        return False
    except UnicodeDecodeError:
        return True
    if _OWN_OUTPUT_COLUMNS & {_key(c) for c in columns}:
        return False
    return _find(columns, TEXT_COLUMNS) is not None


def _start_seconds(value: str) -> float | None:
    """Seconds from ``[h:]mm:ss`` or a plain number of seconds; None when blank or neither."""
    value = value.strip()
    m = TIMESTAMP_LINE.match(value)
    if m:
        return clock_seconds(*m.groups())
    try:
        seconds = float(value)
    except ValueError:
        return None
    return seconds if math.isfinite(seconds) and seconds >= 0 else None


def _date(value: str, fallback: date | None) -> date | None:
    """A date written as a date ("2026-05-04", "4 May 2026"); words such as "today" are none."""
    if not re.search(r"\d", value):
        return fallback
    try:
        stamp = pd.Timestamp(value)
    except (ValueError, TypeError):
        return fallback
    return fallback if pd.isna(stamp) else stamp.date()


def _safe_name(value: str) -> str:
    """An interview id as a file-like name whose stem is the whole id (``sess.1`` and
    ``sess.2`` must not both become ``sess``)."""
    return re.sub(r"[\\/.]+", "-", value.strip()).strip("-") or "interview"


def parse_transcript_table(path: Path, speakers: Collection[str] | None = None,
                           strict: bool = True) -> list[Transcript]:
    """Every interview in a transcript table (layouts in the module docstring), in file order.
    ``speakers``: the only labels that start a turn inside a whole-conversation cell."""
    path = Path(path)
    data = path.read_bytes()
    notes: list[str] = []
    try:
        text = decode_text(data, path.name, notes)
        columns, sep = _header(path)
    except UnicodeDecodeError as exc:
        raise TranscriptError(f"{path.name}: line {line_of_bad_byte(data, exc)}: neither UTF-8 "
                              "nor Windows-1252 text") from exc
    text_col = _find(columns, TEXT_COLUMNS)
    if text_col is None:
        raise TranscriptError(
            f"{path.name}: line 1: not a transcript table: no text column (one of "
            f"{', '.join(TEXT_COLUMNS[:6])}, ...) among {', '.join(columns[:8]) or 'no columns'}")
    try:
        frame = pd.read_csv(io.StringIO(text), sep=sep, dtype=str, keep_default_na=False)
    except pd.errors.ParserError as exc:  # its message names the line
        raise TranscriptError(f"{path.name}: {exc}") from exc
    frame.columns = [str(c) for c in frame.columns]
    speaker_col = _find(columns, SPEAKER_COLUMNS, taken={text_col})
    id_col = _find(columns, ID_COLUMNS, taken={text_col, speaker_col})
    date_col = _find(columns, DATE_COLUMNS, taken={text_col, speaker_col, id_col})
    warnings: list[str] | None = None if strict else notes
    if speaker_col is not None and not _conversations(frame[text_col]):
        out = _turn_rows(path, frame, text_col, speaker_col, id_col, date_col, warnings)
    else:
        out = _conversation_rows(path, frame, text_col, id_col, date_col, speakers, warnings)
    if not out:
        raise TranscriptError(f"{path.name}: row 1: column {text_col!r}: no transcript text")
    if notes:  # the file's own notes (encoding, rows left out) travel with its first interview
        out[0] = replace(out[0], warnings=(*notes, *out[0].warnings))
    return out


def _turn_starts(body: str) -> int:
    return sum(line_speaker(line) is not None for line in body.splitlines())


def _conversations(cells: pd.Series) -> bool:
    """Whether a table's text cells hold whole conversations (most hold two or more
    ``Speaker:`` lines), so a ``name`` or ``role`` column describes the interview, not a
    turn."""
    filled = [c for c in cells if c.strip()]
    return bool(filled) and sum(_turn_starts(c) >= 2 for c in filled) > len(filled) / 2


def _shared_roles(bodies: list[str]) -> set[str]:
    """The labels that open turns in at least half of a table's interviews (at least 4): an
    interview tool's fixed roles ("Assistant", "User"), the same in every row."""
    if len(bodies) < 4:
        return set()
    rows_with: Counter[str] = Counter()
    for body in bodies:
        labels = {line_speaker(line) for line in body.splitlines()} - {None}
        rows_with.update(labels)
    return {label for label, n in rows_with.items() if n >= len(bodies) / 2}


def _quoted_dialogue(turns: tuple, roles: set[str]) -> bool:
    """Whether turns by labels outside the table's roles are dialogue a participant quoted
    ("Me: ..." / "Chosen AI: ..." inside an answer): the interview itself runs between two or
    more of the roles, so any other label is inside someone's words."""
    own = {t.speaker for t in turns}
    return len(own & roles) >= 2 and bool(own - roles)


def _row_name(path: Path, row: int, ident: str) -> str:
    return _safe_name(ident) if ident.strip() else f"{path.stem} row {row}"


def _conversation_rows(path: Path, frame: pd.DataFrame, text_col: str, id_col: str | None,
                       date_col: str | None, speakers: Collection[str] | None,
                       warnings: list[str] | None) -> list[Transcript]:
    out = []
    seen: set[str] = set()
    records = frame.to_dict("records")
    roles = speakers or _shared_roles([r[text_col] for r in records])
    for row, record in enumerate(records, 1):
        where = f"{path.name}: row {row}"
        name = _row_name(path, row, record[id_col] if id_col else "")
        if name in seen:
            name = f"{name} (row {row})"  # two rows with one id are two interviews
        seen.add(name)
        body = record[text_col]
        if not body.strip():
            if warnings is None:
                raise TranscriptError(f"{where}: column {text_col!r}: empty transcript")
            warnings.append(f"{where}: column {text_col!r}: empty transcript left out")
            continue
        mine: list[str] | None = None if warnings is None else []
        lines = list(enumerate(body.splitlines(), 1))
        try:
            turns = parse_speaker_lines(lines, f"{where} ({name})", speakers=speakers,
                                        warnings=mine)
            if roles and not speakers and _quoted_dialogue(turns, roles):
                quoted = sorted({t.speaker for t in turns} - roles)
                mine = None if warnings is None else [
                    f"{where} ({name}): {', '.join(quoted)} read as dialogue quoted inside an "
                    f"answer (the table's interviews are between {', '.join(sorted(roles))})"]
                turns = parse_speaker_lines(lines, f"{where} ({name})", speakers=roles,
                                            warnings=mine)
        except TranscriptError as exc:
            if warnings is None:
                raise
            warnings.append(f"{exc} (row left out)")
            continue
        fallback = date_from_file_name(Path(name))
        when = _date(record[date_col], fallback) if date_col else fallback
        out.append(Transcript(Path(name), when, turns, tuple(mine or ())))
    return out


def _turn_rows(path: Path, frame: pd.DataFrame, text_col: str, speaker_col: str,
               id_col: str | None, date_col: str | None,
               warnings: list[str] | None) -> list[Transcript]:
    start_col = _find(list(frame.columns), START_COLUMNS,
                      taken={text_col, speaker_col, id_col, date_col})
    groups: dict[str, list] = {}
    dates: dict[str, date | None] = {}
    notes: dict[str, list[str]] = {}
    for row, record in enumerate(frame.to_dict("records"), 1):
        key = record[id_col].strip() if id_col else ""
        name = _safe_name(key) if key else path.stem
        pieces = groups.setdefault(name, [])
        mine = notes.setdefault(name, [])
        if date_col and name not in dates:
            dates[name] = _date(record[date_col], date_from_file_name(Path(name)))
        words = record[text_col]
        if not words.strip():
            continue  # a silent row (a pause, a removed turn) holds nothing to keep
        speaker = " ".join(record[speaker_col].split())
        if not speaker:
            if warnings is None:
                raise TranscriptError(f"{path.name}: row {row}: column {speaker_col!r}: "
                                      "no speaker")
            mine.append(f"{path.name}: row {row}: column {speaker_col!r}: no speaker, kept "
                        f"as {UNKNOWN_SPEAKER!r}")
            speaker = UNKNOWN_SPEAKER
        start = _start_seconds(record[start_col]) if start_col else None
        pieces.append((speaker, words, start, None))
    out = []
    for name, pieces in groups.items():
        turns = merge_turns(pieces)
        if not turns:
            continue
        when = dates.get(name, date_from_file_name(Path(name)))
        out.append(Transcript(Path(name), when, turns, tuple(notes[name])))
    return out
