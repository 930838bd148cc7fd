"""The gazetteers and word lists name detection looks words up in, read once on first use.

Owns :class:`Lexicon` (first names from the US Census 1990 lists of the ``names`` package plus
a supplement, surnames, everyday words), read from the Census files and from the word lists in
``privacy/resources/``, the small word sets written here, and :func:`fold`, the lookup key.
All keys are upper-case ASCII.
"""

from __future__ import annotations

import unicodedata
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources


@dataclass(frozen=True)
class Lexicon:
    first: frozenset[str]  # all keys are upper-case ASCII
    ambiguous: frozenset[str]  # first names that are also everyday words / places / products
    surnames: frozenset[str]
    frequent_surnames: frozenset[str]  # the 10,000 most frequent, for "Will Turner"-type pairs
    common: frozenset[str]  # never part of a name
    english: frozenset[str]  # everyday words; a surname only right after a sure first name


def _read_words(text: str) -> set[str]:
    out: set[str] = set()
    for line in text.splitlines():
        out.update(w.upper() for w in line.split("#", 1)[0].split())
    return out


def _census(name: str, top: int | None = None) -> set[str]:
    # Census files: rows "NAME  freq cumfreq rank", most frequent first.
    text = resources.files("names").joinpath(name).read_text(encoding="ascii")
    lines = [line for line in text.splitlines() if line.strip()][:top]
    return {line.split(None, 1)[0] for line in lines}


@lru_cache(maxsize=1)
def load_lexicon() -> Lexicon:
    """The lexicon, built on the first call and shared by every redactor afterwards."""
    res = resources.files("cc_analysis.privacy").joinpath("resources")

    def own(name: str) -> set[str]:
        return _read_words(res.joinpath(name).read_text(encoding="utf-8"))

    common, english = own("pii_common_words.txt"), own("pii_english_words.txt")
    first = _census("dist.male.first") | _census("dist.female.first")
    first |= own("pii_extra_first_names.txt")
    ambiguous = own("pii_ambiguous_first_names.txt") | (first & (common | english))
    return Lexicon(first=frozenset(first), ambiguous=frozenset(ambiguous & first),
                   surnames=frozenset(_census("dist.all.last")),
                   frequent_surnames=frozenset(_census("dist.all.last", 10_000)),
                   common=frozenset(common),
                   english=frozenset(english - common))


@lru_cache(maxsize=1)
def dictionary_words() -> frozenset[str]:
    """Lower-case English words of the dictionary spaCy's small English model lemmatizes with
    (WordNet's index: 83,000 nouns, verbs, adjectives and adverbs, read from the verified
    model folder): "shape", "dress", "trouser" are words, "raman", "okafor" are not."""
    import srsly

    from ..nlp import english_model_path

    tables = srsly.read_msgpack(english_model_path() / "lemmatizer" / "lookups" / "lookups.bin")
    return frozenset(w for words in tables["lemma_index"].values() for w in words)


def fold(word: str) -> str:
    """Lexicon key: upper-case ASCII without accents or apostrophes ("O'Brien" -> "OBRIEN")."""
    if not word.isascii():
        word = unicodedata.normalize("NFKD", word).encode("ascii", "ignore").decode()
    if "'" in word:
        word = word.replace("'", "")
    return word.upper()


# common words that are also frequent surnames, accepted right after an unambiguous first name
WORD_SURNAMES = frozenset(
    "MARCH MAY JUNE AUGUST APPLE BANK BERLIN BEST BILL BOARD BOSTON BOX CASE DEAL EAST EDGE FIELD "
    "FIELDS GOOD HEAD HIGH IRELAND JENKINS KEY KEYS LINK LIST LOCK LONDON LOVE MONTANA NORTH PAGE "
    "PATCH POST PRICE RULE SALES SOUTH SPAIN WASHINGTON WEST YORK".split())
PROPER_WORD_SURNAMES = frozenset(
    "BERLIN BOSTON IRELAND JENKINS LONDON MONTANA SPAIN WASHINGTON YORK".split())
MONTHS = frozenset("JANUARY FEBRUARY MARCH APRIL MAY JUNE JULY AUGUST SEPTEMBER OCTOBER "
                   "NOVEMBER DECEMBER".split())
PLACE_SUFFIXES = frozenset("HILLS BEACH SPRINGS FALLS HEIGHTS VALLEY HARBOR HARBOUR BAY ISLAND "
                           "CREEK".split())  # "Beverly Hills", "Virginia Beach"
ORG_SUFFIXES = frozenset("INC CORP CORPORATION LLC LTD LIMITED GMBH PLC CO COMPANY GROUP HOLDINGS "
                         "LABS TECHNOLOGIES TECH SYSTEMS SOLUTIONS PARTNERS SOFTWARE TEAM SUPPORT "
                         "BANK UNIVERSITY COLLEGE FOUNDATION INSTITUTE AGENCY CONSULTING".split())
