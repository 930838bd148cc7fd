"""Participant metadata: rows keyed by file or pseudonym, CRM plan and segment, segment shares."""

from __future__ import annotations

import re
from pathlib import Path

import pandas as pd
import pytest

from cc_analysis import interviews as iv


def test_per_segment_breakdown_from_metadata(sample: dict, tmp_path: Path) -> None:
    truth, frames, synth = sample["truth"], sample["frames"], sample["synth"]
    meta = pd.DataFrame([{"source_file": Path(t["file"]).name, "account_id": t["account_id"],
                          "role": t["participant_title"]} for t in truth["interviews"]])
    path = tmp_path / "participants.csv"
    meta.to_csv(path, index=False)
    m = iv.participant_metadata(path, frames["interviews"], frames["accounts"])
    assert set(m.columns) >= {"plan", "segment", "role"} and len(m) == len(truth["interviews"])
    by_seg = synth.by_segment("segment", m)
    accounts = frames["accounts"].set_index("account_id")
    seg_of = {t["account_id"]: accounts.loc[t["account_id"], "segment"]
              for t in truth["interviews"]}
    for col in by_seg.columns:
        name, n = re.match(r"(.+) \(n=(\d+)\)", col).groups()
        assert int(n) == sum(seg_of[t["account_id"]] == name for t in truth["interviews"])
    # the breakdown is the matrix averaged per segment
    binary = synth.matrix(binary=True)
    first = by_seg.columns[0].split(" (n=")[0]
    who = m.index[m["segment"] == first]
    assert by_seg.iloc[:, 0].to_dict() == pytest.approx(
        binary.loc[who].mean().round(3).to_dict())
