"""Coding: the grain and the vectors of inductive themes, codebook examples learnt while coding
(the codebook loader: tests/test_codebook.py)."""

from __future__ import annotations

import numpy as np
import pytest

from cc_analysis import interviews as iv


def test_inductive_themes_partition_at_a_researchers_grain() -> None:
    # one dense cloud (interviews about one subject): a density-based model returned a
    # catch-all topic; the partition gives about sqrt(n) themes, 8 to 40
    assert [iv.theme_count(n) for n in (10, 100, 495, 1151, 20000)] == [8, 10, 22, 34, 40]
    rng = np.random.default_rng(0)
    vectors = rng.normal(size=(400, 16)).astype(np.float32)
    vectors /= np.linalg.norm(vectors, axis=1, keepdims=True)
    texts = [f"text {i} about the export screen" for i in range(400)]
    who = [f"P{i % 40:02d}" for i in range(400)]
    summary, topics = iv.discover_themes(texts, vectors, who)
    assert len(summary) == 20 and (topics >= 0).all()
    assert (summary["participants"] >= 2).all()
    # a theme raised by one participant only is no theme
    lone = iv.discover_themes(texts, vectors, ["P01"] * 400)
    assert lone[0].empty and (lone[1] == -1).all()


def test_a_snippet_is_read_with_its_neighbours_in_the_conversation() -> None:
    v = np.eye(4, dtype=np.float32)
    out = iv.in_conversation(v, ["a", "a", "a", "b"])
    # the middle snippet of interview a: itself plus its neighbours' mean direction, as much
    # of each; b's only snippet is unchanged
    half = 1 / np.sqrt(2)
    assert np.allclose(out[1], np.array([half, 1.0, half, 0.0]) / np.sqrt(2))
    assert np.allclose(out[0], np.array([1.0, 1.0, 0.0, 0.0]) / np.sqrt(2))
    assert np.allclose(out[3], v[3])


def test_first_pass_snippets_become_an_example_of_their_code() -> None:
    # two codes on the unit circle; three snippets close to code 0 and a paraphrase (x) that
    # is far from code 0's wording but close to what the three snippets said
    angle = np.deg2rad([0.0, 40.0, 45.0, 50.0, 75.0])
    vectors = np.stack([np.cos(angle), np.sin(angle)], axis=1).astype(np.float32)
    code_vecs = np.array([[np.cos(np.deg2rad(30)), np.sin(np.deg2rad(30))], [-1.0, 0.0]],
                         dtype=np.float32)
    sims = vectors @ code_vecs.T
    out = iv.expand_examples(sims, vectors, threshold=0.95)
    # at 0.95 only the snippets at 40 and 45 degrees take code 0 (cos 10 and 15 degrees):
    # fewer than three, so nothing is learned
    np.testing.assert_allclose(out, sims)
    out = iv.expand_examples(sims, vectors, threshold=0.9)
    # at 0.9 the snippets at 40, 45 and 50 degrees take it; their mean points at 45 degrees,
    # so the paraphrase at 75 degrees now scores cos 30 (0.87) instead of cos 45 (0.71)
    assert out[4, 0] == pytest.approx(np.cos(np.deg2rad(30)), abs=1e-5)
    assert sims[4, 0] == pytest.approx(np.cos(np.deg2rad(45)), abs=1e-5)
    np.testing.assert_allclose(out[:, 1], sims[:, 1])  # code 1 took nothing
    assert (out >= sims - 1e-6).all()  # an extra example only ever adds
