"""One ingest run: every source read and validated, all text redacted, one new store written.

Owns the order of a run (all sources read and checked first, every problem reported together;
then redaction with every known name; then the unified feedback table, the redaction log, the
data hashes and the run's metadata), the referential warnings (rows naming an unknown account)
and the :class:`IngestReport` the CLI prints. The new store replaces the old one only when
every source has passed (see ``store.write_store_atomically``).
"""

from __future__ import annotations

import logging
from collections import Counter
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pandas as pd
from tqdm.auto import tqdm

from .. import __version__
from ..config import Workspace, load_workspace
from ..files import file_hashes
from ..privacy import FINGERPRINT_TABLE, Fingerprints, PiiPolicy, Redactor
from ..store import write_store_atomically
from ..transcripts import Transcript, anonymise_transcripts, generic_label
from .convert import read_source
from .feedback import feedback_table
from .problems import IngestError, Problem
from .readers import read_transcript_folder
from .schemas import TABLE_NAMES, text_columns

log = logging.getLogger(__name__)
REDACTION_LOG_COLUMNS = ["source", "field", "kind", "count"]


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
    known: dict[str, str] = {}  # names found in known_name_fields (ticket requesters...)

    for src in tqdm(list(ws.sources.values()), desc="reading sources", disable=not progress):
        try:
            if src.kind == "interviews":
                transcripts += read_transcript_folder(src)
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
    if "accounts" in tables and tables["accounts"].duplicated(["account_id"]).any():
        raise IngestError([Problem("accounts", None, "account_id",
                                   "duplicate keys across sources")])

    redaction_rows: list[dict[str, Any]] = []
    if transcripts:
        interviews = anonymise_transcripts(
            transcripts, policy, interviewers=ws.interviews.interviewers, known_names=known,
            fy_start_month=ws.fy_start_month)
        redactor = interviews.redactor  # a speaker named in a ticket gets their pseudonym
    else:
        redactor = Redactor(policy, known_names=known)
    for table, column in tqdm(text_columns(), desc="redacting", disable=not progress):
        if table in tables and column in tables[table]:
            redactor.reset_counts()
            tables[table][column] = redactor.redact_series(tables[table][column])
            redaction_rows.extend(
                {"source": table, "field": column, "kind": k, "count": n}
                for k, n in sorted(redactor.counts.items())
            )
    if transcripts:
        tables["interviews"], tables["interview_turns"] = interviews.interviews, interviews.turns
        redaction_rows += interviews.redaction_log()
    # what the publication check looks for in reports: the names ingest knows, as digests
    speakers = [label for label in (interviews.pseudonyms if transcripts else {})
                if generic_label(label) is None]
    tables[FINGERPRINT_TABLE] = Fingerprints.of_names([*known, *speakers]).frame()
    tables["feedback"] = feedback_table(tables, ws.fy_start_month)
    tables["redaction_log"] = pd.DataFrame(redaction_rows, columns=REDACTION_LOG_COLUMNS)

    warnings = referential_warnings(tables)
    hashes = file_hashes([s.path for s in ws.sources.values()], ws.root)
    counts = {name: len(df) for name, df in tables.items()
              if name not in {"redaction_log", FINGERPRINT_TABLE}}
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


def referential_warnings(tables: dict[str, pd.DataFrame]) -> list[str]:
    """Rows of usage, tickets and NPS responses naming an account the accounts table lacks
    (a warning, not a refusal: CRM exports often trail the other systems)."""
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
