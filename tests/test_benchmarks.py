"""The benchmarks run at CI size (the full size is a README command); they skip cleanly
without ../shared."""

from __future__ import annotations

import importlib.util
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
SHARED = ROOT.parent / "shared" / "datasets"


def _load(name: str):  # noqa: ANN202 - a module
    spec = importlib.util.spec_from_file_location(name, ROOT / "benchmarks" / f"{name}.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


@pytest.mark.slow
def test_topics_bench_small(capsys: pytest.CaptureFixture[str]) -> None:
    if not (SHARED / "banking77" / "train.csv").is_file():
        pytest.skip("../shared/datasets/banking77 is absent")
    assert _load("topics_bench").main(["--small"]) == 0
    out = capsys.readouterr().out
    assert "BERTopic default" in out and "cc-analysis (warm cache)" in out
    assert "nmi" in out
