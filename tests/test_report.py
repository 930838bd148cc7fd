"""End to end: the quarterly report on the sample workspace, failures and timeouts."""

from __future__ import annotations

import json
import re
import shutil
from pathlib import Path

import nbformat
import pytest
from typer.testing import CliRunner

from cc_analysis.cli import app
from cc_analysis.report import NOTEBOOKS, NOTEBOOKS_DIR, run_quarter

pytestmark = pytest.mark.slow


@pytest.fixture(scope="module")
def good_report(sample_workspace: Path) -> Path:
    result = run_quarter(sample_workspace, "2026Q3", progress=False)
    assert result.ok, [(nb.name, nb.error) for nb in result.notebooks]
    return result.report_dir


def test_report_has_every_artifact(good_report: Path) -> None:
    assert good_report.name == "2026-Q3"
    for name in NOTEBOOKS:
        assert (good_report / f"{name}.ipynb").is_file()
        page = (good_report / f"{name}.html").read_text()
        assert "data:image/png;base64" in page, f"{name}: no embedded chart"
        assert 'src="http' not in page, f"{name}: loads a script from the web"
        assert "load_workspace(" not in page, f"{name}: code cells leaked into the HTML"
    manifest = json.loads((good_report / "manifest.json").read_text())
    assert manifest["quarter"] == "2026Q3" and manifest["status"] == "ok"
    assert manifest["seed"] == 42 and manifest["parameters"]["seed"] == 42
    assert {nb["name"] for nb in manifest["notebooks"]} == set(NOTEBOOKS)
    assert all(nb["status"] == "ok" and nb["duration_s"] > 0 for nb in manifest["notebooks"])
    assert {"pandas", "duckdb", "papermill", "python"} <= set(manifest["packages"])
    assert "raw/accounts.csv" in manifest["inputs"]["raw_files_sha256"]
    assert "commit" in manifest["git"]
    for table in ("quarterly_metrics", "feedback_volume", "churn_breakdown", "interviews_overview"):
        assert (good_report / "tables" / f"{table}.csv").is_file()
    index = (good_report.parent / "index.html").read_text()
    assert "2026-Q3" in index and "04_quarterly_insights.html" in index


def test_headline_matches_the_metrics_module(good_report: Path, sample_workspace: Path) -> None:
    from cc_analysis import metrics
    from cc_analysis.store import Store

    frames = Store(sample_workspace / "workspace.duckdb").frames("nps_responses")
    expected = metrics.nps(
        frames["nps_responses"].query(
            "submitted_at >= '2026-07-01' and submitted_at < '2026-10-01'"
        )["score"]
    )
    headline = json.loads((good_report / "results" / "headline.json").read_text())
    assert headline["nps"] == pytest.approx(expected.nps)
    assert headline["nps_ci_low"] < headline["nps"] < headline["nps_ci_high"]


def test_no_planted_personal_data_in_reports(good_report: Path, sample_workspace: Path) -> None:
    truth = json.loads((sample_workspace / "raw" / "_truth.json").read_text())
    values = {p["value"] for p in truth["pii"] if len(p["value"]) >= 5}
    assert len(values) > 50
    blobs = [f.read_text(errors="replace") for f in good_report.parent.rglob("*") if f.is_file()]
    leaked = sorted(v for v in values if any(v in b for b in blobs))
    assert not leaked, f"planted personal data in reports/: {leaked[:10]}"


def _broken_notebooks(tmp_path: Path) -> Path:
    nb_dir = tmp_path / "notebooks"
    nb_dir.mkdir()
    shutil.copy(NOTEBOOKS_DIR / "04_quarterly_insights.ipynb", nb_dir)
    nb = nbformat.read(NOTEBOOKS_DIR / "02_feedback_topics.ipynb", as_version=4)
    # fail right after the parameters, before the (slow) analysis
    at = next(i for i, c in enumerate(nb.cells) if "parameters" in c.metadata.get("tags", []))
    nb.cells.insert(at + 1, nbformat.v4.new_code_cell("raise RuntimeError('planted failure')"))
    nbformat.write(nb, nb_dir / "02_feedback_topics.ipynb")
    slow = nbformat.v4.new_notebook(
        metadata={
            "kernelspec": {"name": "python3", "language": "python", "display_name": "Python 3"}
        }
    )
    slow.cells = [
        nbformat.v4.new_code_cell("quarter = ''", metadata={"tags": ["parameters"]}),
        nbformat.v4.new_code_cell("import time\ntime.sleep(120)"),
    ]
    nbformat.write(slow, nb_dir / "05_slow.ipynb")
    return nb_dir


def test_failed_notebook_keeps_last_good_report(
    good_report: Path, sample_workspace: Path, tmp_path: Path
) -> None:
    good_manifest = (good_report / "manifest.json").read_text()
    nb_dir = _broken_notebooks(tmp_path)
    result = run_quarter(
        sample_workspace,
        "2026Q3",
        notebooks_dir=nb_dir,
        progress=False,
        notebooks=("02_feedback_topics", "04_quarterly_insights", "05_slow"),
        timeout_s=15,
    )
    assert not result.ok
    status = {nb.name: nb.status for nb in result.notebooks}
    assert status == {
        "02_feedback_topics": "failed",
        "04_quarterly_insights": "ok",
        "05_slow": "timeout",
    }
    assert "planted failure" in next(nb.error for nb in result.notebooks if nb.status == "failed")
    # the last good report is untouched; the failed run is kept beside it for inspection
    assert (good_report / "manifest.json").read_text() == good_manifest
    assert ".failed-" in result.report_dir.name
    executed = nbformat.read(result.report_dir / "02_feedback_topics.ipynb", as_version=4)
    errors = [o for c in executed.cells for o in c.get("outputs", []) if o.output_type == "error"]
    assert errors and errors[0].evalue == "planted failure"
    assert json.loads((result.report_dir / "manifest.json").read_text())["status"] == "failed"
    assert not list(good_report.parent.glob(".building-*"))


def _leaking_notebook(nb_dir: Path, surname: str) -> None:
    """A notebook whose outputs hold a participant's surname beside a pseudonym (the leak of
    issue 12) and, in a table it writes, an e-mail address."""
    nb = nbformat.v4.new_notebook(metadata={
        "kernelspec": {"name": "python3", "language": "python", "display_name": "Python 3"}})
    nb.cells = [
        nbformat.v4.new_code_cell("quarter = ''\noutput_dir = '.'",
                                  metadata={"tags": ["parameters"]}),
        nbformat.v4.new_code_cell(f"print('My manager P69 {surname.upper()} pushed for it')"),
        nbformat.v4.new_code_cell(
            "from pathlib import Path\n(Path(output_dir) / 'tables').mkdir(exist_ok=True)\n"
            "(Path(output_dir) / 'tables' / 'leak.csv')"
            ".write_text('who\\nsam.lee@example.org\\n')"),
    ]
    nbformat.write(nb, nb_dir / "06_leak.ipynb")


def test_personal_data_in_a_notebook_output_blocks_its_publication(
    good_report: Path, sample_workspace: Path, tmp_path: Path
) -> None:
    truth = json.loads((sample_workspace / "raw" / "_truth.json").read_text())
    from cc_analysis.privacy.publication import name_keys

    # a participant's surname that is no everyday word ("Diaz", not "Young")
    surname = next(n.split()[-1] for n in (i["participant_name"] for i in truth["interviews"])
                   if n.split()[-1].upper() in name_keys(n))
    good_manifest = (good_report / "manifest.json").read_text()
    nb_dir = tmp_path / "notebooks"
    nb_dir.mkdir()
    shutil.copy(NOTEBOOKS_DIR / "04_quarterly_insights.ipynb", nb_dir)
    _leaking_notebook(nb_dir, surname)
    result = run_quarter(sample_workspace, "2026Q3", notebooks_dir=nb_dir, progress=False,
                         notebooks=("04_quarterly_insights", "06_leak"))
    assert not result.ok
    runs = {nb.name: nb for nb in result.notebooks}
    assert runs["04_quarterly_insights"].status == "ok" and runs["06_leak"].status == "failed"
    error = runs["06_leak"].error
    # the message names every file and the kind, never the value
    # (the e-mail's "lee" is also a known requester's surname: the CSV may list both kinds)
    kinds = dict(re.findall(r"([\w./]+) \(([^)]*)\)", error))
    assert set(kinds) == {"06_leak.html", "06_leak.ipynb", "tables/leak.csv"}, error
    assert "known name" in kinds["06_leak.html"] and "known name" in kinds["06_leak.ipynb"]
    assert "email" in kinds["tables/leak.csv"]
    assert surname.lower() not in error.lower() and "sam.lee" not in error
    # the leaking files are gone from the failed build too; the last good report is untouched
    assert not (result.report_dir / "06_leak.html").exists()
    assert not (result.report_dir / "tables" / "leak.csv").exists()
    assert (result.report_dir / "04_quarterly_insights.html").is_file()
    assert (good_report / "manifest.json").read_text() == good_manifest
    for f in good_report.parent.rglob("*"):
        if f.is_file() and "logs" not in f.parts:
            text = f.read_text(errors="replace")
            assert f"P69 {surname.upper()}" not in text and "sam.lee@" not in text, f


def test_cli_run_exits_non_zero_and_names_the_failed_notebook(
    good_report: Path, sample_workspace: Path, tmp_path: Path
) -> None:
    nb_dir = _broken_notebooks(tmp_path)
    res = CliRunner().invoke(
        app,
        [
            "run",
            "-w",
            str(sample_workspace),
            "-q",
            "2026Q3",
            "--notebooks-dir",
            str(nb_dir),
            "-n",
            "02",
        ],
    )
    assert res.exit_code == 1
    assert "02_feedback_topics" in res.output and "FAILED" in res.output


def test_every_cli_command_has_help() -> None:
    runner = CliRunner()
    for args in (
        [],
        ["sample-data"],
        ["ingest"],
        ["run"],
        ["schedule"],
        ["schedule", "next"],
        ["schedule", "install"],
        ["schedule", "run"],
    ):
        res = runner.invoke(app, [*args, "--help"])
        assert res.exit_code == 0 and "Usage" in res.output, args


def test_notebooks_are_committed_without_outputs_and_with_parameters() -> None:
    for name in NOTEBOOKS:
        nb = nbformat.read(NOTEBOOKS_DIR / f"{name}.ipynb", as_version=4)
        code = [c for c in nb.cells if c.cell_type == "code"]
        assert not any(c.outputs for c in code), f"{name} has outputs"
        params = [c for c in code if "parameters" in c.metadata.get("tags", [])]
        assert len(params) == 1
        for p in ("quarter", "workspace", "output_dir", "seed"):
            assert f"{p} =" in params[0].source
        assert max(len(c.source.splitlines()) for c in code) <= 15, f"{name}: a cell is too long"
