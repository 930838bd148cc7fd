"""No vocabulary shared with the sample-data generator.

The sample workspace is generated with planted truths from the phrasings in
``cc_analysis/sample_data/resources/`` (``feedback_text.yaml``, ``feedback_themes.yaml``,
``interviews.yaml``). An analysis that looks for the generator's own words finds the planted
truths whatever its method is worth, so every lexicon, cue list, keyword set, description and
allow-list of the analysis code and of the sample config is checked against that text: no
entry may occur in it (any letter case, as whole words, single words included; an entry ending
in ``*`` is a stem and matches as a prefix). Word lists count word by word, descriptions
(journey stages, codebook definitions) phrase by phrase (split at , ; : and parentheses),
codebook examples as a whole, codebook keywords the way coding matches them.

The vocabularies are read from the public objects that hold them (``segment``'s greeting
regex, which is going away, from the source). Not checked, on purpose: stop lists (scikit-
learn's, ``interviews.FILLER_WORDS``, ``topics.label.LABEL_STOP_WORDS``) only remove words
and would collide with any English text; the name gazetteers of ``privacy/resources`` are
names and everyday words, not phrasing; format words (name titles, street suffixes, URL keys,
yes/no flags, speaker-table headers) describe how data is laid out; codebook labels and ids
name the planted themes so results can be compared with the truth.
"""

from __future__ import annotations

import re
import tomllib
from collections.abc import Callable, Iterable
from functools import cache
from pathlib import Path

import pytest
import yaml

from cc_analysis import interviews as iv
from cc_analysis import privacy, topics
from cc_analysis import transcripts as tx
from cc_analysis.codebook import load_codebook

ROOT = Path(__file__).resolve().parent.parent
RESOURCES = ROOT / "cc_analysis" / "sample_data" / "resources"
GENERATOR_FILES = ("feedback_text.yaml", "feedback_themes.yaml", "interviews.yaml")
PLACEHOLDER = re.compile(r"\{\w+\}")  # {interviewer}, {plan}: filled in, not words


def _strings(value: object) -> Iterable[str]:
    if isinstance(value, str):
        yield value
    elif isinstance(value, dict):
        for v in value.values():
            yield from _strings(v)
    elif isinstance(value, list):
        for v in value:
            yield from _strings(v)


def _norm(text: str) -> str:
    return " ".join(text.replace("’", "'").casefold().split())


@cache
def generator_text() -> str:
    """Every string value of the generator's phrasing files, one per line, placeholders
    removed, lower case."""
    out = []
    for name in GENERATOR_FILES:
        data = yaml.safe_load((RESOURCES / name).read_text(encoding="utf-8"))
        out += [_norm(PLACEHOLDER.sub(" ", s)) for s in _strings(data)]
    return "\n".join(out)


def occurs(entry: str, text: str | None = None) -> bool:
    """Whether a vocabulary entry occurs in the generator's text as whole words; a trailing
    ``*`` makes the last word a prefix. An apostrophe belongs to its word ("it" is not in
    "it's"); spaces between words may be any run of whitespace."""
    stem = entry.rstrip().endswith("*")
    words = _norm(entry.rstrip().rstrip("*")).split()
    if not words:
        return False
    body = r"\s+".join(map(re.escape, words))
    pattern = rf"(?<![\w']){body}" + ("" if stem else r"(?![\w'])")
    return re.search(pattern, generator_text() if text is None else text) is not None


def phrases(description: str) -> list[str]:
    """A description's phrases: split at commas, semicolons, colons, parentheses and
    sentence ends."""
    return [p.strip(" .") for p in re.split(r"[,;:()]|\.(?:\s|$)", description) if p.strip(" .")]


def regex_alternatives(pattern: str) -> list[str]:
    """The plain-word alternatives of a regex's groups: '(hi|hello|kind regards)' -> 3."""
    out = []
    for group in re.findall(r"\((?:\?:)?([a-z' |]+)\)", pattern):
        if "|" in group:
            out += [w for w in group.split("|") if w.strip()]
    return out


def _codebook_keywords(keywords: Iterable[str]) -> list[str]:
    # as coding matches them (interviews.keyword_pattern): 5+ letters as a prefix, else the
    # word or its plural
    out = []
    for k in keywords:
        out += [f"{k}*"] if len(k) >= 5 else [k, f"{k}s"]
    return out


def _sample_codebook() -> list[str]:
    book = load_codebook(ROOT / "data" / "codebook_interviews.yaml")
    out = []
    for c in book.codes:
        out += phrases(c.definition) + list(c.examples) + _codebook_keywords(c.keywords)
    return out


def _sample_allow_names() -> list[str]:
    cfg = tomllib.loads((ROOT / "data" / "workspace.toml").read_text(encoding="utf-8"))
    return list(cfg.get("pii", {}).get("allow_names", []))


VOCABULARIES: dict[str, Callable[[], list[str]]] = {
    "topics.DEFAULT_STAGES": lambda: [p for d in topics.DEFAULT_STAGES.values()
                                      for p in phrases(d)],
    "interviews.KIND_CUES": lambda: [c for cues in iv.KIND_CUES.values() for c in cues],
    "interviews.ASIDE_REMARKS": lambda: [r for rs in iv.ASIDE_REMARKS.values() for r in rs],
    "interviews small-talk and research questions": lambda: [
        *iv.SMALL_TALK_QUESTIONS, *iv.RESEARCH_QUESTIONS],
    "transcripts role labels": lambda: sorted(
        tx.INTERVIEWER_LABELS | tx.PARTICIPANT_LABELS | tx.ANONYMOUS_LABELS),
    "privacy.NAME_CUES": lambda: [c for cues in privacy.NAME_CUES.values() for c in cues],
    "privacy.PHONE_CUES": lambda: list(privacy.PHONE_CUES),
    "privacy.NOT_PHONE_CUES": lambda: list(privacy.NOT_PHONE_CUES),
    "data/codebook_interviews.yaml": _sample_codebook,
    "data/workspace.toml allow_names": _sample_allow_names,
}
# The name detector's cue phrases are how people greet, sign off and introduce each other, and
# the generator writes exactly that; they need the detector's redesign (issue 12), not a new
# word list. Strict: once they no longer collide, the marker has to go.
PENDING = {
    name: pytest.mark.xfail(strict=True, reason="issue 12 replaces the name/phone cue phrases")
    for name in ("privacy.NAME_CUES", "privacy.PHONE_CUES", "privacy.NOT_PHONE_CUES")
}
# The sample interview codebook's keywords are the generator's words ("templates", "Zapier").
# Rewritten from the domain (measured), sample coding falls below its bounds: participant
# recall 0.870 (>= 0.90), onboarding recall 0.23 (>= 0.40), integration gaps 23 of 34 planted;
# coding that recovers figurative and tool-name snippets is issue 11's work (real transcripts).
PENDING["data/codebook_interviews.yaml"] = pytest.mark.xfail(
    strict=True, reason="issue 11: interview coding with a domain-written sample codebook")


def violations(entries: Iterable[str]) -> list[str]:
    return sorted({e for e in entries if occurs(e)})


@pytest.mark.parametrize(
    "name", [pytest.param(n, marks=PENDING.get(n, ())) for n in VOCABULARIES])
def test_no_vocabulary_entry_occurs_in_the_generators_text(name: str) -> None:
    found = violations(VOCABULARIES[name]())
    assert not found, (f"{name}: {len(found)} entries occur verbatim in the sample generator's "
                       f"phrasings (write them from the domain): {found}")


def test_the_check_is_not_vacuous() -> None:
    text = generator_text()
    assert len(text.split()) > 3000 and "dashboards take forever" in text
    sizes = {name: len(get()) for name, get in VOCABULARIES.items()}
    # the sample config allows no names (the option is shown commented out)
    empty = {n for n, k in sizes.items() if k == 0} - {"data/workspace.toml allow_names"}
    assert not empty and sum(sizes.values()) > 500, sizes
    # a planted violation is caught, as a word, a phrase and a stem; near misses are not
    planted = ["Thanks", "take  forever", "frustrat*", "zorblax quint", "frustrat",
               "interviewer"]  # "{interviewer}" is a placeholder
    assert violations(planted) == ["Thanks", "frustrat*", "take  forever"]
    assert occurs("it", "do it now") and not occurs("it", "it's fine")
    # keywords as coding matches them
    for kw in ("report", "SSO", "KPI", "sluggish", "exec meeting"):
        hit = iv.keyword_pattern([kw]).search(text) is not None
        assert bool(violations(_codebook_keywords([kw]))) == hit, kw
    assert regex_alternatives(r"^(hi|hello|kind regards)\b[^.!?]{0,25}$") == [
        "hi", "hello", "kind regards"]
    assert phrases("getting started, setting up: importing (CSV); done.") == [
        "getting started", "setting up", "importing", "CSV", "done"]
