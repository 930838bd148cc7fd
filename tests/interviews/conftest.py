"""Interview fixtures: the sample workspace synthesised once, and the planted answer phrases.

The sample workspace's planted truth (``_truth.json``: themes per interview) is the yardstick for
recovery; the planted answer phrases of ``sample_data`` stand in for a human coder at snippet
level.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from cc_analysis.sample_data import INTERVIEW_SNIPPETS

ROOT = Path(__file__).resolve().parents[2]
CODEBOOK = ROOT / "data" / "codebook_interviews.yaml"


@pytest.fixture(scope="session")
def planted_phrasings() -> dict[str, tuple[str, ...]]:
    """The generator's interview answer phrasings per planted theme."""
    return dict(INTERVIEW_SNIPPETS)


@pytest.fixture(scope="session")
def sample(sample_workspace: Path) -> dict:
    """The sample workspace's interviews coded with its codebook, and the planted truth."""
    from cc_analysis import interviews as iv
    from cc_analysis.config import load_workspace
    from cc_analysis.store import Store

    ws = load_workspace(sample_workspace)
    store = Store(ws.store_path)
    frames = store.frames("interviews", "interview_turns", "accounts")
    synth = iv.synthesize(frames["interviews"], frames["interview_turns"], CODEBOOK,
                          cache=ws.embedding_cache)
    truth = json.loads((sample_workspace / "raw" / "_truth.json").read_text())
    by_file = dict(zip(frames["interviews"]["source_file"], frames["interviews"]["participant"],
                       strict=True))
    planted = {by_file[Path(t["file"]).name]: set(t["themes"]) for t in truth["interviews"]}
    return {"synth": synth, "truth": truth, "planted": planted, "frames": frames, "ws": ws}
