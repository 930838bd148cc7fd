"""The English tagger: a verified model only, and the tags and lemmas of the full pipeline."""

from __future__ import annotations

from pathlib import Path

import pytest

from cc_analysis import nlp
from cc_analysis.files import sha256_file

TEXTS = ["My card still hasn't arrived.", "I'd like to cancel my subscription.",
         "Flights were late again and my baggage got lost!", "Is Apple Pay supported?"]


def test_the_bundled_model_is_verified() -> None:
    weights = nlp.english_model_path() / "ner" / "model"
    assert sha256_file(weights) == nlp.EN_CORE_WEB_SM_NER_SHA256


def test_unverified_or_missing_models_are_refused(tmp_path: Path,
                                                  monkeypatch: pytest.MonkeyPatch) -> None:
    fake = tmp_path / "fake_english_model"
    (fake / "fake_english_model-3.8.0" / "ner").mkdir(parents=True)
    (fake / "__init__.py").write_text("")
    (fake / "fake_english_model-3.8.0" / "ner" / "model").write_bytes(b"not the real weights")
    monkeypatch.syspath_prepend(str(tmp_path))
    monkeypatch.setattr(nlp, "EN_CORE_WEB_SM_PACKAGE", "fake_english_model")
    with pytest.raises(nlp.NLPError, match="does not match"):
        nlp.english_model_path.__wrapped__()
    monkeypatch.setattr(nlp, "EN_CORE_WEB_SM_PACKAGE", "no_such_english_model")
    with pytest.raises(nlp.NLPError, match="not installed"):
        nlp.english_model_path.__wrapped__()


def test_tags_and_lemmas_match_the_full_pipeline() -> None:
    # the attribute ruler is replaced by a lookup of its one-token rules: on these texts (and
    # on 1,000 Banking77 queries, 13,661 tokens, when measured) every part of speech and
    # lemma equals spaCy's own pipeline
    words = nlp.tag(TEXTS)
    full = nlp.tagger().nlp
    for text, got in zip(TEXTS, words, strict=True):
        want = [(t.text, t.pos_, t.lemma_.lower()) for t in full(text) if not t.is_space]
        assert [(w.text, w.pos, w.lemma) for w in got] == want


def test_words_carry_negation_stop_words_and_sentence_starts() -> None:
    first = nlp.tag(TEXTS[:1])[0]
    by_text = {w.text: w for w in first}
    assert by_text["card"].pos == "NOUN" and by_text["arrived"].lemma == "arrive"
    assert by_text["n't"].negation and by_text["n't"].lemma == "not"
    assert not by_text["card"].negation
    assert by_text["still"].stop and not by_text["card"].stop
    assert first[0].sentence_start and not by_text["card"].sentence_start
    # "got" is a stop word by its lemma ("get"), though spaCy lists only "get"
    assert next(w for w in nlp.tag(TEXTS[2:3])[0] if w.text == "got").stop
    assert nlp.tag([""]) == [[]]


def test_the_tagger_loads_without_pytorch() -> None:
    """thinc imports torch when installed (3-4 s of a cold run); the tagger keeps it out, and
    torch still imports afterwards for whoever needs it."""
    import subprocess
    import sys

    code = ("import sys; from cc_analysis import nlp; "
            "w = nlp.tag(['The card never arrived'])[0]; "
            "print(w[1].lemma, 'torch' in sys.modules); import torch; print(bool(torch.ones(1)))")
    run = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                         check=True)
    assert run.stdout.split() == ["card", "False", "True"], run.stderr
