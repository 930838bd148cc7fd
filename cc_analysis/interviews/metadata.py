"""Participant metadata (plan, segment, role) for per-segment breakdowns of the themes.

Owns joining a researcher's CSV onto the pseudonymised participants without letting a real name
through: rows are keyed by transcript file name or by pseudonym (or by real name, mapped to the
pseudonym and then dropped), and missing plan / segment values come from the CRM accounts.
"""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path

import numpy as np
import pandas as pd

from ..files import read_table_file


def participant_metadata(
    meta: pd.DataFrame | str | Path,
    interviews: pd.DataFrame,
    accounts: pd.DataFrame | None = None,
    names: Mapping[str, str] | None = None,
) -> pd.DataFrame:
    """Participant metadata indexed by participant pseudonym.

    Ingest replaces speaker names by pseudonyms, so a metadata CSV names participants by a key
    that survives it: ``source_file`` (the transcript's file name; every participant of that
    interview gets the row) or ``participant`` (the pseudonym, e.g. ``P07``; or the real name
    when ``names`` maps real names to pseudonyms, as :func:`analyze_folder` does; real names
    are never written out). Other columns (``plan``, ``segment``, ``role``, ...) are kept; with
    an ``account_id`` column and the store's ``accounts`` table, missing ``plan`` and
    ``segment`` values come from the CRM.
    """
    if not isinstance(meta, pd.DataFrame):
        meta, _ = read_table_file(meta, sniff=False)
    m = meta.rename(columns=lambda c: str(c).strip().lower().replace(" ", "_")).copy()
    m = m.rename(columns={"file": "source_file"})
    if "source_file" in m:
        m["source_file"] = m["source_file"].map(lambda v: Path(str(v)).name)
        who = interviews[["source_file", "participant"]].copy()
        who["participant"] = who["participant"].fillna("").str.split(";")
        who = who.explode("participant")
        m = m.drop(columns=["participant"], errors="ignore").merge(who, on="source_file")
    elif "participant" in m:
        if names:
            folded = {k.casefold(): v for k, v in names.items()}
            m["participant"] = m["participant"].map(lambda v: folded.get(str(v).casefold(), v))
            # a name that matches no speaker must not survive into any output
            m = m[m["participant"].isin(set(names.values()))]
    else:
        raise ValueError("participant metadata needs a 'source_file' or a 'participant' column")
    if accounts is not None and "account_id" in m:
        crm = accounts.set_index("account_id")
        for col in ("plan", "segment"):
            from_crm = m["account_id"].map(crm[col]) if col in crm else None
            if from_crm is not None:
                m[col] = m[col].replace("", np.nan).fillna(from_crm) if col in m else from_crm
    keep = [c for c in m.columns if c not in ("source_file", "account_id", "name")]
    return m[keep].drop_duplicates("participant").set_index("participant")
