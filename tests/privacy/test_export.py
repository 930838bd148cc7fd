"""``cc-analysis redact``: a redacted copy of a raw export, with counts per kind."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest
from typer.testing import CliRunner

from cc_analysis.cli import app
from cc_analysis.privacy import redact_file

# written for these tests (not the generator's templates)
ROWS = [
    {"id": "T-1", "requester": "Ngozi Okafor",
     "body": "Okafor here again. Ring me on 415-555-0199 or mail ngozi.okafor@acme.io"},
    {"id": "T-2", "requester": "Lars Eriksen",
     "body": "Card 4111 1111 1111 1111 was charged twice, see invoice 5521"},
    {"id": "T-3", "requester": "", "body": "Exports to Excel time out on big boards"},
]


@pytest.fixture()
def export(tmp_path: Path) -> Path:
    path = tmp_path / "tickets.csv"
    pd.DataFrame(ROWS).to_csv(path, index=False)
    return path


def test_the_copy_is_redacted_and_counted_and_the_export_is_kept(export: Path,
                                                                 tmp_path: Path) -> None:
    before = export.read_bytes()
    result = redact_file(export, ["body"], tmp_path / "out.csv", name_cols=["requester"])
    assert export.read_bytes() == before
    got = pd.read_csv(tmp_path / "out.csv", keep_default_na=False)
    assert list(got.columns) == ["id", "requester", "body"] and len(got) == 3
    assert got["body"].tolist() == [
        "[NAME] here again. Ring me on [PHONE] or mail [EMAIL]",
        "Card [CARD] was charged twice, see invoice 5521",
        "Exports to Excel time out on big boards"]
    assert got["requester"].tolist() == ["[NAME]", "[NAME]", ""]
    assert dict(result.counts) == {"name": 3, "phone": 1, "email": 1, "card": 1}
    assert result.by_column["body"] == {"name": 1, "phone": 1, "email": 1, "card": 1}
    text = (tmp_path / "out.csv").read_text()
    for value in ("Okafor", "Ngozi", "Eriksen", "415-555", "4111"):
        assert value not in text


def test_formats_and_refusals(export: Path, tmp_path: Path) -> None:
    redact_file(export, ["body"], tmp_path / "out.parquet")
    assert "[EMAIL]" in pd.read_parquet(tmp_path / "out.parquet")["body"].iat[0]
    with pytest.raises(ValueError, match="tickets.csv: no column 'text'"):
        redact_file(export, ["text"], tmp_path / "x.csv")
    with pytest.raises(ValueError, match="must be a new file"):
        redact_file(export, ["body"], export)
    with pytest.raises(ValueError, match="write .csv"):
        redact_file(export, ["body"], tmp_path / "x.xlsx")


def test_the_command_prints_counts_per_kind(export: Path, tmp_path: Path) -> None:
    out = tmp_path / "shared.csv"
    run = CliRunner().invoke(app, ["redact", str(export), "--text-col", "body",
                                   "--name-col", "requester", "--out", str(out)])
    assert run.exit_code == 0, run.output
    assert "3 rows" in run.output and "card 1, email 1, name 3, phone 1" in run.output
    assert "body: card 1, email 1, name 1, phone 1" in run.output
    bad = CliRunner().invoke(app, ["redact", str(export), "--text-col", "nope", "--out",
                                   str(tmp_path / "y.csv")])
    assert bad.exit_code == 2 and "no column 'nope'" in bad.output
