"""workspace.toml: the [interviews] table and the derived-state folder, resolved once."""

from __future__ import annotations

from pathlib import Path

import pytest

from cc_analysis.config import ConfigError, load_workspace

ROOT = Path(__file__).resolve().parent.parent


def test_interviews_table_and_cache_paths(tmp_path: Path) -> None:
    toml = (ROOT / "data" / "workspace.toml").read_text()
    (tmp_path / "workspace.toml").write_text(toml.replace(
        "interviewers = []", 'interviewers = ["Dana Reyes"]').replace(
        '# participants = "raw/interview_participants.csv"',
        'participants = "raw/people.csv"'))
    ws = load_workspace(tmp_path)
    assert ws.interviews.interviewers == ("Dana Reyes",)
    assert ws.interviews.codebook == tmp_path.resolve() / "codebook_interviews.yaml"
    assert ws.interviews.codebook_setting == "codebook_interviews.yaml"
    assert ws.interviews.participants == tmp_path.resolve() / "raw" / "people.csv"
    assert ws.cache_dir == tmp_path.resolve() / "cache"
    assert ws.embedding_cache == ws.cache_dir / "embeddings.duckdb"
    assert ws.topic_registry_path == ws.cache_dir / "topic_registry.json"


def test_interviews_table_errors_name_the_key(tmp_path: Path) -> None:
    toml = (ROOT / "data" / "workspace.toml").read_text()
    (tmp_path / "workspace.toml").write_text(toml.replace("interviewers = []",
                                                          'interviewers = "Dana"'))
    with pytest.raises(ConfigError, match=r"\[interviews\] interviewers must be a list"):
        load_workspace(tmp_path)
    (tmp_path / "workspace.toml").write_text(toml.replace(
        'codebook = "codebook_interviews.yaml"', "codebook = 3"))
    with pytest.raises(ConfigError, match=r"\[interviews\] codebook must be a file path"):
        load_workspace(tmp_path)
