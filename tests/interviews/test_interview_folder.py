"""The folder entry point (what `cc-analysis interviews` runs): tables written, nothing personal."""

from __future__ import annotations

import json
import re
import shutil
from pathlib import Path

import pandas as pd

from cc_analysis import interviews as iv
from cc_analysis.config import load_workspace

ROOT = Path(__file__).resolve().parents[2]
FIXTURES = ROOT / "tests" / "fixtures" / "transcripts"
CODEBOOK = ROOT / "data" / "codebook_interviews.yaml"


def _q3_interviews(sample_workspace: Path, tmp_path: Path) -> tuple[dict, list[dict], Path]:
    """The sample truth, its 2026-Q3 interviews, and a folder holding their transcripts."""
    truth = json.loads((sample_workspace / "raw" / "_truth.json").read_text())
    src = tmp_path / "in"
    src.mkdir()
    q3 = [t for t in truth["interviews"] if t["quarter"] == "2026Q3"]
    for t in q3:
        shutil.copy(sample_workspace / "raw" / t["file"], src)
    return truth, q3, src


def test_analyze_folder_writes_redacted_tables(sample_workspace: Path, tmp_path: Path) -> None:
    truth, q3, src = _q3_interviews(sample_workspace, tmp_path)
    shutil.copy(FIXTURES / "2026-03-04_descript-captions.srt", src)
    out = tmp_path / "out"
    # metadata may name participants as the researcher knows them; names never reach the output
    meta = pd.DataFrame({"participant": [t["participant_name"] for t in q3] + ["Priya Natarajan",
                                                                               "Someone Else"],
                         "plan": ["Growth", "Starter"] * (len(q3) // 2 + 1)})
    res = iv.analyze_folder(src, CODEBOOK, interviewers=[q3[0]["interviewer"]], out_dir=out,
                            metadata=meta, cache=load_workspace(sample_workspace).embedding_cache,
                            progress=False)
    assert {p.name for p in out.iterdir()} >= {"themes.csv", "snippets.csv", "matrix.csv",
                                               "summary.json", "segments.csv"}
    segments = pd.read_csv(out / "segments.csv")
    groups = segments["group"].str.replace(r" \(n=\d+\)$", "", regex=True)
    assert set(groups) == {"Growth", "Starter"} and set(segments["dimension"]) == {"plan"}
    assert res["interviews"] == len(q3) + 1 and res["participants"] == len(q3) + 1
    matrix = pd.read_csv(out / "matrix.csv", index_col=0)
    assert all(re.fullmatch(r"P\d{2}", p) for p in matrix.index)
    themes = pd.read_csv(out / "themes.csv")
    assert themes.loc[themes["participants"] > 0, "source"].eq("codebook").any()
    summary = json.loads((out / "summary.json").read_text())
    assert summary["codebook_version"].startswith("2026.1")
    written = "\n".join(p.read_text() for p in out.iterdir())
    planted = {t["participant_name"] for t in q3} | {t["interviewer"] for t in q3}
    planted |= {p["value"] for p in truth["pii"] if any(p["file"] == t["file"] for t in q3)}
    planted |= {"Priya Natarajan", "Jordan Reyes"}
    leaks = sorted(v for v in planted if v in written)
    assert not leaks, f"personal data in the CLI output: {leaks}"


def test_cli_reads_what_it_can_and_strict_refuses(sample_workspace: Path, tmp_path: Path) -> None:
    """One unreadable file and one with a preamble: the CLI analyses the rest and says which
    file it skipped and what it guessed (file and line); ``--strict`` refuses the folder."""
    from typer.testing import CliRunner

    from cc_analysis.cli import app

    _, q3, src = _q3_interviews(sample_workspace, tmp_path)
    shutil.copy(FIXTURES / "malformed" / "latin1.txt", src)
    first = FIXTURES / "2026-03-05_otter-export.txt"
    (src / first.name).write_text("All right, we're recording.\n" + first.read_text(),
                                  encoding="utf-8")
    out = tmp_path / "out"
    args = ["interviews", str(src), "--out", str(out), "--interviewer", q3[0]["interviewer"]]
    res = CliRunner().invoke(app, args)
    assert res.exit_code == 0, res.output
    assert "skipped latin1.txt: line 3: not valid utf-8 text" in res.output
    assert f"{first.name}: line 1: text before the first speaker kept as" in res.output
    summary = json.loads((out / "summary.json").read_text())
    assert summary["interviews"] == len(q3) + 1  # every readable file, the preamble one too
    assert len(summary["reading_notes"]) == 2
    strict = CliRunner().invoke(app, [*args, "--strict"])
    assert strict.exit_code == 2
    assert "latin1.txt: line 3" in strict.output and f"{first.name}: line 1" in strict.output
