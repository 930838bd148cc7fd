"""The quarterly workspace path: the configured codebook, what notebook 01 writes, and the
sentences notebook 04 takes from it."""

from __future__ import annotations

import shutil
from dataclasses import replace
from pathlib import Path

import pandas as pd

from cc_analysis import interviews as iv

ROOT = Path(__file__).resolve().parents[2]
CODEBOOK = ROOT / "data" / "codebook_interviews.yaml"


def test_workspace_codebook_key(tmp_path: Path) -> None:
    from cc_analysis.config import load_workspace

    toml = (ROOT / "data" / "workspace.toml").read_text()
    assert 'codebook = "codebook_interviews.yaml"' in toml  # the sample workspace has one
    (tmp_path / "workspace.toml").write_text(
        toml.replace('codebook = "codebook_interviews.yaml"', 'codebook = "codebook.yaml"'))
    book, warning = iv.workspace_codebook(load_workspace(tmp_path))
    assert book is None and "codebook.yaml" in warning and "inductive only" in warning
    shutil.copy(CODEBOOK, tmp_path / "codebook.yaml")
    book, warning = iv.workspace_codebook(load_workspace(tmp_path))
    assert warning is None and book.version == "2026.1"


def test_workspace_synthesis_reads_the_interviews_settings(sample_workspace: Path,
                                                           tmp_path: Path) -> None:
    from cc_analysis.config import load_workspace
    from cc_analysis.store import Store

    ws = load_workspace(sample_workspace)
    store = Store(ws.store_path)
    first = store.table("interviews")["quarter"].min()
    moved = tmp_path / "ws"
    moved.mkdir()
    toml = (sample_workspace / "workspace.toml").read_text()
    (moved / "workspace.toml").write_text(
        toml.replace('codebook = "codebook_interviews.yaml"',
                     'codebook = "codebook_interviews.yaml"\nparticipants = "people.csv"'))
    shutil.copy(CODEBOOK, moved / "codebook_interviews.yaml")
    moved_ws = load_workspace(moved)
    synth = iv.workspace_synthesis(moved_ws, store, first)
    # only interviews up to the quarter; the codebook from [interviews]; a missing
    # participants file is a note, not a failure
    assert set(synth.interviews["quarter"]) == {first}
    assert synth.codebook is not None and synth.codebook.version == "2026.1"
    assert synth.metadata is None
    assert synth.notes[-1] == (f"Participant metadata people.csv not found at "
                               f"{moved_ws.interviews.participants}.")
    # embeddings were cached in the workspace's cache folder
    assert moved_ws.embedding_cache.is_file()


def test_quarter_summary_is_what_notebook_04_reads(sample: dict) -> None:
    synth, frames = sample["synth"], sample["frames"]
    view = synth.subset(quarter="2026Q3")
    overview = iv.interview_overview(frames["interviews"], frames["interview_turns"], "2026Q3")
    summary = iv.quarter_summary(synth, view, overview, "2026Q3")
    # the keys of interviews_summary.json, in the order notebook 01 has always written them
    assert list(summary) == [
        "quarter", "interviews", "participants", "median_duration_min", "codebook",
        "codebook_version", "snippets", "coded_snippets", "themes_raised", "inductive_themes",
        "top_theme", "top_theme_share", "saturation_interviews", "saturation_reached_at",
        "saturation", "notes"]
    assert summary["quarter"] == "2026Q3"
    assert summary["interviews"] == len(overview) == 10  # the sample holds ten a quarter
    assert summary["participants"] == overview["participant"].nunique() == 10
    assert summary["median_duration_min"] == overview["duration_min"].median() > 0
    assert {k: summary[k] for k in iv.summary_record(synth, view)} == iv.summary_record(
        synth, view)
    assert summary["snippets"] == len(view.snippets) < len(synth.snippets)
    assert summary["saturation_interviews"] == len(synth.interviews) == 80
    # the run's saturation curve (its seed) is the one summarised, not a second computation
    sat = synth.saturation(seed=7, n_permutations=20)
    with_run_curve = iv.quarter_summary(synth, view, overview, "2026Q3", sat)
    assert with_run_curve["saturation"] == sat.statement()
    assert with_run_curve["saturation_reached_at"] == sat.reached_at


def test_coding_statement_names_the_codebook_and_the_notes(sample: dict) -> None:
    synth = sample["synth"]
    view = synth.subset(quarter="2026Q3")
    raised = int((view.theme_table()["participants"] > 0).sum())
    text = iv.coding_statement(synth, view)
    assert text == (
        f"**{len(view.snippets)} snippets** from {len(view.participants)} participants, "
        f"{view.assignments['snippet_id'].nunique()} of them coded; codebook "
        f"*{synth.codebook.name}*, version {synth.codebook.version_tag}; {raised} themes "
        "raised this quarter." + "".join(f"\n\n> **Note:** {n}" for n in view.notes))
    # the asides are counted for the quarter, not for every interview so far
    whole, quarter = (iv.aside_note(s.snippets["set_aside"]) for s in (synth, view))
    assert whole in synth.notes and quarter in view.notes and whole not in view.notes
    assert quarter in text and whole != quarter
    bare = replace(synth, codebook=None, notes=["Only 3 snippets."])
    assert "; no codebook (inductive themes only); " in iv.coding_statement(bare, view)
    assert iv.coding_statement(bare, view).endswith("\n\n> **Note:** Only 3 snippets.")


def test_theme_bullets_and_interviews_sentence() -> None:
    themes = pd.DataFrame({
        "label": ["Exports", "Search", "Mobile"], "participants": [3, 5, 1],
        "dominant_kind": ["need", "pain point", "praise"],
        "top_quote": ["We export by hand", "Search never finds it", "Nice app"],
        "top_quote_source": ["a.vtt @ 00:01:02", "b.txt", "c.srt @ 00:00:09"]})
    assert iv.theme_bullets(themes, participants=10, n=2) == (
        '- **Search**: 5 of 10 participants (pain point). *"Search never finds it"* (b.txt)\n'
        '- **Exports**: 3 of 10 participants (need). *"We export by hand"* (a.vtt @ 00:01:02)')
    assert iv.interviews_sentence({"interviews": 10, "participants": 9,
                                   "median_duration_min": 31.4}) == (
        "**Interviews:** 10 interviews with 9 participants (median 31 min). "
        "See *Interview synthesis*.")
