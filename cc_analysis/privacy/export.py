"""Redacting a raw export for sharing: the ``cc-analysis redact`` command's work.

Owns :func:`redact_file`: read a table export (CSV, TSV, JSON, Parquet, Excel), redact its text
columns with the same :class:`~.redactor.Redactor` ingest uses, replace the columns that hold
people's names (``name_cols``, such as a ticket's requester) and look for those names in the
text too, and write the result to a new file. The input is never modified; counts per kind say
what was redacted, never the values.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path

from ..files import read_table_file
from .policy import NAME_TOKEN, PiiPolicy
from .redactor import Redactor

WRITERS = {".csv": "csv", ".tsv": "tsv", ".txt": "csv", ".json": "json", ".jsonl": "jsonl",
           ".parquet": "parquet"}


@dataclass
class RedactedExport:
    """What :func:`redact_file` wrote: the file, its rows and the redactions by kind."""

    path: Path
    rows: int
    counts: Counter[str] = field(default_factory=Counter)
    by_column: dict[str, dict[str, int]] = field(default_factory=dict)

    def summary(self) -> str:
        kinds = ", ".join(f"{k} {n:,}" for k, n in sorted(self.counts.items())) or "nothing"
        return f"{self.rows:,} rows -> {self.path}; redacted: {kinds}"


def redact_file(
    path: str | Path,
    text_cols: Sequence[str],
    out: str | Path,
    *,
    name_cols: Sequence[str] = (),
    policy: PiiPolicy | None = None,
) -> RedactedExport:
    """Write ``path`` with its ``text_cols`` redacted to ``out`` (format by suffix)."""
    path, out = Path(path), Path(out)
    if out.resolve() == path.resolve():
        raise ValueError(f"{out}: the redacted copy must be a new file; the export is kept as is")
    fmt = WRITERS.get(out.suffix.lower())
    if fmt is None:
        raise ValueError(f"{out.name}: write .csv, .tsv, .json, .jsonl or .parquet")
    frame, _ = read_table_file(path)
    missing = [c for c in (*text_cols, *name_cols) if c not in frame.columns]
    if missing:
        raise ValueError(f"{path.name}: no column {', '.join(map(repr, missing))} (columns: "
                         f"{', '.join(map(str, frame.columns))})")
    if not text_cols:
        raise ValueError("name at least one --text-col to redact")
    known = sorted({v.strip() for c in name_cols for v in frame[c] if v.strip()})
    redactor = Redactor(policy, known_names=known)
    result = RedactedExport(out, len(frame))
    for col in text_cols:
        redactor.reset_counts()
        frame[col] = redactor.redact_series(frame[col])
        result.by_column[col] = dict(redactor.counts)
        result.counts.update(redactor.counts)
    for col in name_cols:
        filled = frame[col].str.strip() != ""
        frame.loc[filled, col] = NAME_TOKEN
        result.by_column[col] = {"name": int(filled.sum())}
        result.counts["name"] += int(filled.sum())
    out.parent.mkdir(parents=True, exist_ok=True)
    tmp = out.with_name(f".{out.name}.partial")
    if fmt in ("csv", "tsv"):
        frame.to_csv(tmp, index=False, sep="\t" if fmt == "tsv" else ",")
    elif fmt == "parquet":
        frame.to_parquet(tmp, index=False)
    else:
        frame.to_json(tmp, orient="records", lines=fmt == "jsonl", force_ascii=False)
    tmp.replace(out)
    return result
