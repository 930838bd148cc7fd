"""Guided topics: a codebook of known themes (the one ``Codebook``) names the topics it finds."""

from __future__ import annotations

from pathlib import Path

from cc_analysis import topics
from cc_analysis.store import Store


def test_codebook_themes_keep_their_names(sample_workspace: Path, sample_cache: Path,
                                          tmp_path: Path) -> None:
    fb = Store(sample_workspace / "workspace.duckdb").table("feedback")
    texts = fb[fb["quarter"] == "2026Q3"]["text"].head(1500).tolist()
    cb = tmp_path / "codebook.csv"
    cb.write_text("name,description,seed_words\n"
                  "SSO sign-in,Customers cannot sign in with single sign-on,okta;sso;login loop\n")
    fitted = topics.fit_documents(texts, cache=sample_cache, codebook=topics.Codebook.load(cb))
    summary = fitted.model.summary().set_index("label")
    assert "SSO sign-in" in summary.index and summary.loc["SSO sign-in", "from_codebook"]
    quotes = fitted.quotes(summary.loc["SSO sign-in", "representative_docs"])
    assert any(w in " ".join(quotes).lower() for w in ("sso", "okta", "sign", "log"))
    assert len(summary) > 5  # the themes the codebook lacks are still discovered
