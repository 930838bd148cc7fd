"""Reading and fingerprinting files: the one reader for ad-hoc table exports, the one hash.

Owns what every command that takes "any export" needs: reading a CSV / TSV / TXT (delimiter
detected, UTF-8 with a Windows-1252 fallback that is reported), Parquet, JSON / JSON Lines or
Excel file with every cell as text (so the caller's coercions are its own and can be reported),
and the sha256 fingerprints that reports and model checks record. Workspace ingest has stricter
readers of its own (``cc_analysis.ingest.readers``: line numbers, configured encodings).
"""

from __future__ import annotations

import csv
import hashlib
import io
from pathlib import Path

import pandas as pd

DELIMITERS = ",;\t|"
_CHUNK = 1 << 20


def sha256_file(path: str | Path) -> str:
    """The sha256 hex digest of a file, read in 1 MiB chunks."""
    h = hashlib.sha256()
    with Path(path).open("rb") as fh:
        for chunk in iter(lambda: fh.read(_CHUNK), b""):
            h.update(chunk)
    return h.hexdigest()


def file_hashes(paths: list[Path], root: Path) -> dict[str, str]:
    """sha256 of every file under the given paths (folders walked in sorted order), keyed by
    path relative to ``root`` (absolute when outside it)."""
    out: dict[str, str] = {}
    for p in paths:
        files = sorted(f for f in p.rglob("*") if f.is_file()) if p.is_dir() else [p]
        for f in files:
            try:
                key = str(f.resolve().relative_to(root))
            except ValueError:
                key = str(f.resolve())
            out[key] = sha256_file(f)
    return out


def decode_text(raw: bytes, name: str, notes: list[str]) -> str:
    """UTF-8 (a byte-order mark dropped), else Windows-1252, which ``notes`` records."""
    try:
        return raw.decode("utf-8-sig")
    except UnicodeDecodeError:
        notes.append(f"{name}: not UTF-8, read as cp1252 (Windows-1252)")
        return raw.decode("cp1252")


def line_of_bad_byte(data: bytes, error: UnicodeDecodeError) -> int:
    """The 1-based line holding the byte a decode stopped at, for errors that name the line."""
    return data[: error.start].count(b"\n") + 1


def sniff_delimiter(text: str, suffix: str = ".csv") -> str:
    """The field delimiter of delimited text: a tab for ``.tsv``; otherwise what
    ``csv.Sniffer`` finds in the first 50 lines among ``, ; tab |``, a comma when it cannot
    tell."""
    if suffix == ".tsv":
        return "\t"
    sample = "\n".join(text.splitlines()[:50])
    try:
        return csv.Sniffer().sniff(sample, delimiters=DELIMITERS).delimiter
    except csv.Error:
        return ","


def _as_text(frame: pd.DataFrame) -> pd.DataFrame:
    return frame.astype(object).where(frame.notna(), "").astype(str)


def read_table_file(path: str | Path, *, sniff: bool = True) -> tuple[pd.DataFrame, list[str]]:
    """Read a table export with every cell as text (blank cells as ``""``).

    CSV / TSV / TXT (delimiter detected unless ``sniff=False``, which reads commas), Parquet,
    JSON (an array of records), JSON Lines (``.jsonl``, ``.ndjson``) and Excel (needs
    openpyxl). Column names are stripped of surrounding spaces. Returns the frame and notes on
    what was assumed (the encoding fallback). Raises ``FileNotFoundError`` for a missing file
    and ``ValueError`` naming the file when it cannot be read or has no rows.
    """
    path = Path(path)
    notes: list[str] = []
    if not path.is_file():
        raise FileNotFoundError(f"{path}: no such file")
    suffix = path.suffix.lower()
    if suffix in (".parquet", ".pq"):
        df = _as_text(pd.read_parquet(path))
    elif suffix in (".xlsx", ".xlsm", ".xls"):
        try:
            df = pd.read_excel(path, dtype=str, keep_default_na=False)
        except ImportError as exc:
            raise ValueError(f"{path.name}: reading Excel needs openpyxl; save it as CSV") from exc
    elif suffix in (".json", ".jsonl", ".ndjson"):
        df = _as_text(pd.read_json(path, lines=suffix != ".json", dtype=False))
    else:
        text = decode_text(path.read_bytes(), path.name, notes)
        sep = sniff_delimiter(text, suffix) if sniff else ","
        df = pd.read_csv(io.StringIO(text), sep=sep, dtype=str, keep_default_na=False)
    df.columns = [str(c).strip() for c in df.columns]
    if df.empty:
        raise ValueError(f"{path.name}: no rows")
    return df, notes
