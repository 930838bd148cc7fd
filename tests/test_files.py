"""The one reader for ad-hoc exports, and the one file hash."""

from __future__ import annotations

import hashlib
from pathlib import Path

import pandas as pd
import pytest

from cc_analysis.files import file_hashes, read_table_file, sha256_file


def test_delimiters_encodings_and_formats(tmp_path: Path) -> None:
    semi = tmp_path / "a.csv"
    semi.write_text("id;text\n1;hello, world\n2;more\n", encoding="utf-8")
    frame, notes = read_table_file(semi)
    assert list(frame.columns) == ["id", "text"] and frame["text"][0] == "hello, world"
    assert notes == []
    tsv = tmp_path / "b.tsv"
    tsv.write_text(" id \tscore\n1\t\n", encoding="utf-8")
    frame, _ = read_table_file(tsv)
    assert list(frame.columns) == ["id", "score"] and frame["score"][0] == ""  # all text
    win = tmp_path / "c.csv"
    win.write_bytes("id,text\n1,caf\xe9\n".encode("cp1252"))
    frame, notes = read_table_file(win, sniff=False)
    assert frame["text"][0] == "café" and notes == ["c.csv: not UTF-8, read as cp1252 "
                                                     "(Windows-1252)"]
    pq = tmp_path / "d.parquet"
    pd.DataFrame({"id": [1, 2], "x": [0.5, None]}).to_parquet(pq)
    frame, _ = read_table_file(pq)
    assert frame.to_dict("list") == {"id": ["1", "2"], "x": ["0.5", ""]}
    js = tmp_path / "e.jsonl"
    js.write_text('{"id": 1, "t": "a"}\n{"id": 2, "t": null}\n')
    frame, _ = read_table_file(js)
    assert frame.to_dict("list") == {"id": ["1", "2"], "t": ["a", ""]}


def test_missing_and_empty_files(tmp_path: Path) -> None:
    with pytest.raises(FileNotFoundError, match="no such file"):
        read_table_file(tmp_path / "nope.csv")
    (tmp_path / "empty.csv").write_text("id,text\n")
    with pytest.raises(ValueError, match="empty.csv: no rows"):
        read_table_file(tmp_path / "empty.csv")


def test_hashes(tmp_path: Path) -> None:
    (tmp_path / "raw" / "sub").mkdir(parents=True)
    (tmp_path / "raw" / "a.txt").write_bytes(b"alpha")
    (tmp_path / "raw" / "sub" / "b.txt").write_bytes(b"beta")
    assert sha256_file(tmp_path / "raw" / "a.txt") == hashlib.sha256(b"alpha").hexdigest()
    got = file_hashes([tmp_path / "raw"], tmp_path)
    assert got == {"raw/a.txt": hashlib.sha256(b"alpha").hexdigest(),
                   "raw/sub/b.txt": hashlib.sha256(b"beta").hexdigest()}


def test_line_of_bad_byte() -> None:
    from cc_analysis.files import line_of_bad_byte

    data = "a\nb\ncaf\xe9\n".encode("latin-1")
    with pytest.raises(UnicodeDecodeError) as info:
        data.decode("utf-8")
    assert line_of_bad_byte(data, info.value) == 3
