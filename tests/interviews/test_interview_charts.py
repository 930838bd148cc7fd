"""Interview charts: participant-by-theme matrix, saturation, kinds, and their empty states."""

from __future__ import annotations

import numpy as np
import pandas as pd

from cc_analysis import interviews as iv
from cc_analysis import plots


def _texts(fig: object) -> list[str]:
    return [t.get_text() for t in fig.axes[0].texts]


def test_participant_matrix_plot_labels_rows_columns_and_counts() -> None:
    plots.use_style()  # as every notebook does (titles on the left)
    m = pd.DataFrame([[2, 0, 1], [0, 3, 0]], index=["P01", "P02"],
                     columns=["Exports", "Search", "Mobile"])
    fig = iv.participant_matrix_plot(m, title="Who raised what")
    ax = fig.axes[0]
    # themes as rows, written out and never rotated; participants as columns
    assert [t.get_text() for t in ax.get_yticklabels()] == ["Exports", "Search", "Mobile"]
    assert [t.get_text() for t in ax.get_xticklabels()] == ["P01", "P02"]
    assert all(t.get_rotation() == 0 for t in [*ax.get_xticklabels(), *ax.get_yticklabels()])
    assert sorted(_texts(fig)) == ["1", "2", "3"]  # a dot, with its count, per raised pair
    dots = ax.collections[0].get_offsets()
    assert sorted(map(tuple, np.asarray(dots).tolist())) == [(0, 0), (0, 2), (1, 1)]
    long = iv.participant_matrix_plot(pd.DataFrame(
        [[1, 0]], index=["P01"], columns=["Exports that drop columns when the file is large",
                                          "Search"]))
    assert "\n" in long.axes[0].get_yticklabels()[0].get_text()  # a long label is wrapped
    assert ax.get_title(loc="left") == "Who raised what"  # the house style titles on the left
    empty = iv.participant_matrix_plot(pd.DataFrame())
    assert _texts(empty) == ["No coded snippets"]


def test_saturation_and_kinds_plots() -> None:
    sat = iv.saturation_curve([(f"i{k}", {"a", "b"} if k < 5 else {"a"}) for k in range(8)],
                              n_permutations=10)
    fig = iv.saturation_plot(sat)
    line = fig.axes[0].get_lines()[0]
    assert np.array_equal(line.get_ydata(), sat.curve["cumulative_themes"].to_numpy())
    kinds = pd.DataFrame({"pain point": [3, 0], "need": [1, 2], "goal": [0, 0],
                          "praise": [0, 4], "other": [1, 1]}, index=["Speed", "Ease"])
    bars = iv.kinds_plot(kinds).axes[0].patches
    assert len(bars) == 10 and sum(b.get_width() for b in bars) == kinds.to_numpy().sum()
    assert _texts(iv.kinds_plot(kinds.iloc[:0])) == ["No coded snippets"]
