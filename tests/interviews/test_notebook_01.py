"""Notebook 01 (interview synthesis) stays thin: parameters, package calls, no outputs."""

from __future__ import annotations

import re
from pathlib import Path

import nbformat

ROOT = Path(__file__).resolve().parents[2]


def test_notebook_01_is_thin_and_parameterised() -> None:
    nb = nbformat.read(ROOT / "notebooks" / "01_interview_synthesis.ipynb", as_version=4)
    assert nb.metadata["kernelspec"] == {"name": "cc-analysis",
                                         "display_name": "cc-analysis (Python 3.11)",
                                         "language": "python"}
    code = [c for c in nb.cells if c.cell_type == "code"]
    params = [c for c in code if "parameters" in c.metadata.get("tags", [])]
    assert len(params) == 1
    for name in ("quarter", "workspace", "output_dir", "seed"):
        assert re.search(rf"^{name}\s*=", params[0].source, re.M)
    assert all(not c.outputs and c.execution_count is None for c in code)
    assert all(len(c.source.splitlines()) <= 15 for c in code)
    src = "\n".join(c.source for c in code)
    assert "run = notebook.setup(quarter, workspace, output_dir, seed)" in src
    assert 'out.save_table("interview_themes"' in src
    assert 'out.save_json("interviews_summary"' in src
    # the summary and the coding statement are package functions, not cell logic
    assert "iv.quarter_summary(synth, view, overview, q.label, sat)" in src
    assert "iv.coding_statement(synth, view)" in src
    assert "iv.participant_matrix_plot(" in src and "iv.heatmap(" not in src
