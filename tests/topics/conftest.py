"""Fixtures of the topics tests: the sample workspace's embedding cache."""

from __future__ import annotations

from pathlib import Path

import pytest

from cc_analysis.config import load_workspace


@pytest.fixture(scope="session")
def sample_cache(sample_workspace: Path) -> Path:
    """The sample workspace's embedding cache (shared by the tests, so texts embed once)."""
    return load_workspace(sample_workspace).embedding_cache
