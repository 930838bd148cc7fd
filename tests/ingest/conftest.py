"""Ingest fixtures: refusing a broken raw file while the previous store survives."""

from __future__ import annotations

import hashlib
from collections.abc import Callable
from pathlib import Path

import pytest

from cc_analysis.ingest import IngestError, ingest
from cc_analysis.store import Store


def _sha(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


@pytest.fixture
def refused(tiny_workspace: Path) -> Callable[[str, str, str], str]:
    """``refused(file, old, new)``: ingest the tiny workspace, replace ``old`` by ``new`` in
    ``raw/<file>``, ingest again and return the refusal's message, having checked that the
    previous store is untouched and no half-built store is left behind."""

    def run(file: str, old: str, new: str) -> str:
        report = ingest(tiny_workspace, progress=False)
        before = _sha(report.store_path)
        path = tiny_workspace / "raw" / file
        path.write_text(path.read_text().replace(old, new, 1))
        with pytest.raises(IngestError) as err:
            ingest(tiny_workspace, progress=False)
        message = str(err.value)
        assert "previous store was left unchanged" in message
        assert _sha(report.store_path) == before
        assert Store(report.store_path).table("accounts").shape[0] == 3
        assert not list(report.store_path.parent.glob("*.building*"))
        return message

    return run
