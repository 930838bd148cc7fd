"""The human-labelled sets the topic benchmark reads: one loader per set, one shape for all.

Owns reading four public sets from ``../shared/datasets`` (or ``$CC_SHARED_DATASETS``, or the
``root`` given) into ``LabelledSet``: the texts, one human label per text for NMI / ARI (``None``
where a text has no single label), every human category of each text for multi-label scores,
and the set's codebook under ``benchmarks/codebooks/`` when it has one. A set whose files are
absent raises ``MissingSet`` with the path it looked for, so the caller can skip it.

Named ``labelled_sets`` rather than ``datasets``: a ``datasets.py`` beside a script run from
this folder would shadow Hugging Face's ``datasets``, which ``transformers`` probes for.
"""

from __future__ import annotations

import os
import xml.etree.ElementTree as ET
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import pandas as pd

HERE = Path(__file__).resolve().parent
DEFAULT_ROOT = HERE.parent.parent / "shared" / "datasets"
CODEBOOKS = HERE / "codebooks"
SET_NAMES = ("banking77", "hwu64", "semeval2014_absa", "app_reviews_urr")
# the one clean HWU64 fold: the ten test folds overlap, so one of them is used whole
HWU64_FOLD = ("CrossValidation/autoGeneFromRealAnno/autoGene_2018_03_22-13_01_25_169/"
              "CrossValidation/KFold_1/testset/csv")
# URR's catch-all class: reviews about nothing in the taxonomy (a label, but no code)
URR_CATCH_ALL = "OTHER"


class MissingSet(FileNotFoundError):
    """A set's files are not where they were looked for."""


@dataclass(frozen=True)
class LabelledSet:
    """Texts with their human labels.

    ``label``: one label per text, for NMI / ARI (``None``: the text has several categories or
    none, and is left out of those scores). ``categories``: every human category of each text,
    for multi-label scores against a codebook (casefolded, as the codebook's theme names).
    """

    name: str
    texts: list[str]
    label: list[str | None]
    categories: list[frozenset[str]]
    codebook: Path | None
    description: str

    @property
    def n_labels(self) -> int:
        return len({x for x in self.label if x is not None})

    @property
    def n_single(self) -> int:
        """Texts with one label (those NMI and ARI are computed on)."""
        return sum(x is not None for x in self.label)

    def sample(self, n: int | None, seed: int) -> LabelledSet:
        """A seeded random sample of ``n`` texts (the whole set when ``n`` is None or larger)."""
        if n is None or n >= len(self.texts):
            return self
        picked = pd.Series(range(len(self.texts))).sample(n, random_state=seed).tolist()
        return LabelledSet(self.name, [self.texts[i] for i in picked],
                           [self.label[i] for i in picked],
                           [self.categories[i] for i in picked], self.codebook,
                           f"{self.description}; seeded sample of {n:,}")


def data_root(root: str | Path | None = None) -> Path:
    """Where the shared datasets are: ``root``, else ``$CC_SHARED_DATASETS``, else
    ``../shared/datasets`` beside the project."""
    return Path(root or os.environ.get("CC_SHARED_DATASETS") or DEFAULT_ROOT)


def _need(path: Path) -> Path:
    if not path.exists():
        raise MissingSet(f"{path} not found")
    return path


def _codebook(name: str) -> Path | None:
    path = CODEBOOKS / f"{name}.yaml"
    return path if path.is_file() else None


def _single(texts: list[str], labels: list[str], name: str, description: str,
            codebook: Path | None = None) -> LabelledSet:
    return LabelledSet(name, texts, list(labels), [frozenset({x.casefold()}) for x in labels],
                       codebook, description)


def banking77(root: Path) -> LabelledSet:
    """Banking77 ``train.csv``: 10,003 support queries, 77 intents."""
    frame = pd.read_csv(_need(root / "banking77" / "train.csv"))
    frame = frame[frame["text"].fillna("").str.strip() != ""]
    return _single(frame["text"].str.strip().tolist(), frame["category"].tolist(), "banking77",
                   "Banking77 train.csv (support queries, one intent each)", _codebook("banking77"))


def hwu64(root: Path) -> LabelledSet:
    """HWU64, test fold ``KFold_1``: utterances to a home assistant, label = scenario_intent
    (the file name; the csv's own ``scenario`` and ``intent`` columns say the same)."""
    folder = _need(root / "hwu64" / HWU64_FOLD)
    texts, labels = [], []
    for path in sorted(folder.glob("*.csv")):
        frame = pd.read_csv(path, sep=";", dtype=str, keep_default_na=False)
        for scenario, intent, text in zip(frame["scenario"], frame["intent"],
                                          frame["answer_from_user"], strict=True):
            if text.strip():
                texts.append(text.strip())
                labels.append(f"{scenario}_{intent}")
    if not texts:
        raise MissingSet(f"{folder}: no csv files")
    return _single(texts, labels, "hwu64", "HWU64 KFold_1 test fold (scenario_intent)")


def semeval2014_absa(root: Path) -> LabelledSet:
    """SemEval-2014 Task 4 restaurants (train + test gold): sentences with their aspect
    categories; the single label only where a sentence has exactly one category."""
    folder = root / "semeval2014_absa"
    texts, labels, cats = [], [], []
    for name in ("Restaurants_Train_v2.xml", "Restaurants_Test_Gold.xml"):
        for sentence in ET.parse(_need(folder / name)).getroot().iter("sentence"):
            text = (sentence.findtext("text") or "").strip()
            found = frozenset(c.get("category", "").casefold()
                              for c in sentence.iter("aspectCategory"))
            if text and found:
                texts.append(text)
                cats.append(found)
                labels.append(next(iter(found)) if len(found) == 1 else None)
    return LabelledSet("semeval2014_absa", texts, labels, cats, _codebook("semeval2014_absa"),
                       "SemEval-2014 ABSA restaurants, train + test gold (aspect categories)")


def read_app_reviews(root: Path) -> pd.DataFrame:
    """The URR golden set as it is, every column a string (blanks ``""``): the file is not
    valid UTF-8 (double-encoded bytes), so it is read as latin-1 (see the shared README)."""
    return pd.read_csv(_need(root / "app_reviews_urr" / "golden_set.csv"), encoding="latin-1",
                       dtype=str, keep_default_na=False)


def app_reviews_urr(root: Path) -> LabelledSet:
    """URR golden set: Google Play reviews, label = ``class1``; categories = ``class1`` to
    ``class5`` without the catch-all OTHER."""
    frame = read_app_reviews(root)
    frame = frame[(frame["reviewText"].str.strip() != "") & (frame["class1"].str.strip() != "")]
    class_cols = [f"class{i}" for i in range(1, 6)]
    cats = [frozenset(v.strip().casefold() for v in row
                      if v.strip() and v.strip() != URR_CATCH_ALL)
            for row in frame[class_cols].itertuples(index=False)]
    return LabelledSet("app_reviews_urr", frame["reviewText"].str.strip().tolist(),
                       frame["class1"].str.strip().tolist(), cats, _codebook("app_reviews_urr"),
                       "URR golden set (app reviews, class1; OTHER is a catch-all)")


LOADERS: dict[str, Callable[[Path], LabelledSet]] = {
    "banking77": banking77, "hwu64": hwu64, "semeval2014_absa": semeval2014_absa,
    "app_reviews_urr": app_reviews_urr,
}


def load(name: str, root: str | Path | None = None) -> LabelledSet:
    """One set by name (see ``SET_NAMES``); raises ``MissingSet`` when its files are absent."""
    if name not in LOADERS:
        raise ValueError(f"unknown set {name!r} (one of {', '.join(SET_NAMES)})")
    return LOADERS[name](data_root(root))
