"""Snippets: the unit that is coded, participant turns split into a few sentences each.

Owns splitting turns into sentences and packing them into snippets of at most
``SNIPPET_MAX_WORDS`` words, dropping backchannel ("Yeah.", "Mm-hmm.", and the short
conventional phrases said word for word in several interviews: ``recurring_formulas``) and
what participants read out rather than said (a task sheet, a questionnaire:
``recurring_script``), the
words that carry meaning (``content_words``), the text that is embedded and coded
(``analysis_text``: without fillers and redaction tokens; quotes stay verbatim) and where a
quote comes from (file and timestamp, or turn).
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from functools import lru_cache
from typing import Any

import pandas as pd
from tqdm.auto import tqdm

SNIPPET_MAX_WORDS = 60
# the tokens ingest's redaction leaves in the text ([NAME], [EMAIL], ...)
REDACTION_TOKEN = re.compile(r"\[(?:NAME|EMAIL|PHONE|CARD|URL|IBAN|ADDRESS)\]")
WORD = re.compile(r"[a-z0-9]+(?:['’][a-z]+)?")  # a lower-case word, with its apostrophe
_ABBREV = re.compile(r"\b(?:mr|mrs|ms|dr|prof|vs|etc|e\.g|i\.e|approx|no|st|inc|ltd)\.$", re.I)
_SENT_SPLIT = re.compile(r"(?<=[.!?…])[\"'”’)\]]*\s+(?=[\"'“‘(\[]?[A-Z0-9])")
# A stop list: spoken English's interjections, discourse markers and politeness words, which
# carry no idea of their own (added to scikit-learn's English stop words). It only removes
# words; it never decides a theme or a kind.
FILLER_WORDS = frozenset(
    "yeah yes yep yup ya mm hmm mhm mm-hmm uh uh-huh um er ah oh okay ok sure right exactly "
    "correct totally absolutely definitely cool great fine good nice awesome thanks thank "
    "problem bye care course glad welcome true that's it's i'm i've we're you're lol haha "
    "really just actually basically like well so anyway gotcha alright sounds pretty sorry".split()
)
# A formula: a turn of at most this many words said word for word in at least this many
# interviews ("Sure, go ahead.", "Happy to help."). Ideas are not repeated verbatim by
# different people; conventions are.
FORMULA_MAX_WORDS = 6
FORMULA_MIN_INTERVIEWS = 3


@lru_cache(maxsize=1)
def _stop_words() -> frozenset[str]:
    from sklearn.feature_extraction.text import ENGLISH_STOP_WORDS

    return frozenset(ENGLISH_STOP_WORDS) | FILLER_WORDS


# what a transcript release masks words with ("XXXXXX XXXX"), and counting read out
# ("111 112 113 114"): no meaning of their own
_MASK = re.compile(r"\b[Xx]{2,}\b")
_NUMBER_RUN = re.compile(r"(?:\b\d+[.,]?\s+){5,}\d+\b[.,]?")  # six numbers in a row


def content_words(text: str) -> list[str]:
    """Lower-case words that carry meaning (no stop words, fillers or backchannel, no masks;
    numbers count: "an 8 out of 10" is an answer)."""
    stop = _stop_words()
    return [w for w in WORD.findall(text.lower()) if w not in stop and len(w) > 1
            and set(w) != {"x"}]


def formula_key(text: str) -> str:
    """A turn's words, lower case, without punctuation: how formulas are compared."""
    return " ".join(WORD.findall(text.lower().replace("’", "'")))


def recurring_formulas(turns: pd.DataFrame, max_words: int = FORMULA_MAX_WORDS,
                       min_interviews: int = FORMULA_MIN_INTERVIEWS) -> frozenset[str]:
    """The conventional phrases of a set of interviews, found from the interviews themselves
    rather than from a phrase list: short turns (at most ``max_words`` words) said word for
    word (:func:`formula_key`) in at least ``min_interviews`` interviews, by anyone.
    ``turns`` has the store's ``interview_id`` and ``text`` columns."""
    if turns.empty:
        return frozenset()
    keys = turns["text"].map(lambda t: formula_key(t) if isinstance(t, str) else "")
    short = keys.str.count(" ").lt(max_words) & keys.ne("")
    seen = turns.loc[short, "interview_id"].groupby(keys[short]).nunique()
    return frozenset(seen.index[seen >= min_interviews])


# A script: a run of at least SCRIPT_WORDS words found word for word in the participants'
# turns of at least SCRIPT_SHARE of the interviews (and SCRIPT_MIN_INTERVIEWS): task prompts
# a participant reads out in a usability session, a questionnaire read aloud. People do not
# say eight words in the same order by chance (measured: no such run in 30 real AI-led
# interviews or in the sample workspace; 17% of the words of 17 real think-aloud sessions,
# their task sheet, and 7% of 7 PDPilot interviews, a list of numbers read out).
SCRIPT_WORDS = 8
SCRIPT_SHARE = 0.5
SCRIPT_MIN_INTERVIEWS = 3
_WORD_ANY_CASE = re.compile(WORD.pattern, re.IGNORECASE)


def _ngrams(words: Sequence[str], n: int) -> set[tuple[str, ...]]:
    return {tuple(words[i:i + n]) for i in range(len(words) - n + 1)}


def _script_tokens(text: str) -> list[tuple[re.Match[str], str]]:
    """Each word of ``text`` with its comparison key (lower case, one apostrophe): the one
    tokenisation script detection and removal share."""
    return [(m, m.group(0).lower().replace("’", "'")) for m in _WORD_ANY_CASE.finditer(text)]


def recurring_script(turns: pd.DataFrame, n_words: int = SCRIPT_WORDS,
                     share: float = SCRIPT_SHARE,
                     min_interviews: int = SCRIPT_MIN_INTERVIEWS) -> frozenset[tuple[str, ...]]:
    """The word ``n_words``-grams of a script (see ``SCRIPT_WORDS``) in the participants' turns
    of a set of interviews (store columns ``interview_id``, ``role``, ``text``)."""
    said = turns[turns["role"] == "participant"]
    n_interviews = said["interview_id"].nunique()
    need = max(min_interviews, share * n_interviews)
    if n_interviews < need:
        return frozenset()
    seen: dict[tuple[str, ...], int] = {}
    for _, texts in said.groupby("interview_id")["text"]:
        grams: set[tuple[str, ...]] = set()
        for text in texts:
            if isinstance(text, str):
                grams |= _ngrams([w for _, w in _script_tokens(text)], n_words)
        for g in grams:
            seen[g] = seen.get(g, 0) + 1
    return frozenset(g for g, k in seen.items() if k >= need)


def without_script(text: str, script: frozenset[tuple[str, ...]]) -> tuple[str, int]:
    """``text`` with every run of script words cut out (punctuation between them too), and how
    many words were cut."""
    if not script or not text:
        return text, 0
    n = len(next(iter(script)))
    pairs = _script_tokens(text)
    tokens, words = [m for m, _ in pairs], [w for _, w in pairs]
    marked = [False] * len(tokens)
    for i in range(len(tokens) - n + 1):
        if tuple(words[i:i + n]) in script:
            marked[i:i + n] = [True] * n
    if not any(marked):
        return text, 0
    pieces, last, i = [], 0, 0
    while i < len(tokens):
        if not marked[i]:
            i += 1
            continue
        j = i
        while j + 1 < len(tokens) and marked[j + 1]:
            j += 1
        end = tokens[j].end()
        while end < len(text) and text[end] in ".,;:!?)]”\"'":
            end += 1
        begin = tokens[i].start()
        while begin > last and text[begin - 1] in "([“\"'":
            begin -= 1
        pieces.append(text[last:begin])
        last, i = end, j + 1
    pieces.append(text[last:])
    return " ".join("".join(pieces).split()), sum(marked)


def is_backchannel(text: str, min_content_words: int = 2,
                   formulas: frozenset[str] = frozenset()) -> bool:
    """True for turns that carry no idea of their own: fewer than ``min_content_words``
    content words ("Yeah.", "Mm-hmm.", "Sure, go ahead."), or one of the ``formulas`` of the
    interviews (:func:`recurring_formulas`: "Happy to help." said in many interviews)."""
    return len(content_words(text)) < min_content_words or formula_key(text) in formulas


def split_sentences(text: str) -> list[str]:
    """Sentences of a turn (rule-based: terminal punctuation followed by a capital)."""
    pieces = _SENT_SPLIT.split(text.strip())
    out: list[str] = []
    for p in pieces:
        if out and _ABBREV.search(out[-1]):
            out[-1] += " " + p
        else:
            out.append(p)
    return [p.strip() for p in out if p.strip()]


def group_sentences(sentences: Sequence[str], max_words: int = SNIPPET_MAX_WORDS) -> list[str]:
    """Consecutive sentences packed into units of at most ``max_words`` (a longer sentence stays
    whole): long enough to carry one idea with its context, short enough to carry only one."""
    groups: list[list[str]] = []
    size = 0
    for s in sentences:
        n = len(s.split())
        if groups and size + n <= max_words:
            groups[-1].append(s)
            size += n
        else:
            groups.append([s])
            size = n
    # a short tail reads better with the idea it finishes
    if len(groups) > 1 and sum(len(s.split()) for s in groups[-1]) < max_words // 5:
        tail = groups.pop()
        groups[-1].extend(tail)
    return [" ".join(g) for g in groups]


def _clock_text(seconds: float | None) -> str:
    if seconds is None or pd.isna(seconds):
        return ""
    s = int(seconds)
    return f"{s // 3600:02d}:{s % 3600 // 60:02d}:{s % 60:02d}"


SNIPPET_COLUMNS = [
    "snippet_id", "interview_id", "source_file", "participant", "turn", "part", "start_s",
    "timestamp", "text", "n_words", "question",
]


def make_snippets(
    interviews: pd.DataFrame,
    turns: pd.DataFrame,
    max_words: int = SNIPPET_MAX_WORDS,
    min_content_words: int = 2,
    progress: bool = False,
) -> pd.DataFrame:
    """Participant turns split into snippets (see :func:`group_sentences`); backchannel
    (:func:`is_backchannel`, with the formulas of these interviews) dropped.

    ``interviews`` and ``turns`` have the store's columns. Each snippet keeps its interview,
    source file, participant pseudonym, turn, timestamp (its share of the turn's time span when
    the cue end is known) and the interviewer's preceding question as context (never coded).
    Interview columns ``interview_date`` and ``quarter`` are carried along when present.
    """
    rows: list[dict[str, Any]] = []
    t = turns.sort_values(["interview_id", "turn"])
    formulas = recurring_formulas(t)
    script = recurring_script(t)
    script_words = 0
    groups = t.groupby("interview_id", sort=False)
    for iid, group in tqdm(groups, desc="snippets", total=groups.ngroups, disable=not progress):
        question = ""
        for rec in group.itertuples(index=False):
            text = rec.text if isinstance(rec.text, str) else ""
            if rec.role != "participant":
                question = text
                continue
            text, cut = without_script(text, script)
            script_words += cut
            if is_backchannel(text, min_content_words, formulas):
                continue
            parts = group_sentences(split_sentences(text), max_words)
            total = max(1, len(text.split()))
            done = 0
            for k, part in enumerate(parts, 1):
                start = rec.start_s
                if start is not None and not pd.isna(start) and not pd.isna(rec.end_s):
                    start = start + (rec.end_s - start) * done / total
                done += len(part.split())
                if k > 1 and is_backchannel(part, min_content_words, formulas):
                    continue
                rows.append({
                    "snippet_id": f"{iid}:{rec.turn}:{k}", "interview_id": iid,
                    "source_file": rec.source_file, "participant": rec.speaker,
                    "turn": int(rec.turn), "part": k, "start_s": start,
                    "timestamp": _clock_text(start), "text": part, "n_words": len(part.split()),
                    "question": question,
                })
    out = pd.DataFrame(rows, columns=SNIPPET_COLUMNS)
    extra = [c for c in ("interview_date", "quarter") if c in interviews]
    if extra and len(out):
        out = out.merge(interviews[["interview_id", *extra]], on="interview_id", how="left")
    out.attrs["script_words"] = script_words
    return out


_DISFLUENCY = re.compile(
    r"(?<![\w'’-])(?:um+|uh+|erm|er|hmm+|mm+|mm-hmm|uh-huh|you know|i mean|kind of|sort of|"
    r"honestly|basically|yeah,? yeah|yeah,? so|yeah)(?![\w'’-])[,.]?\s*", re.IGNORECASE)


def analysis_text(text: str) -> str:
    """The text that is embedded, coded and clustered: without fillers ("um", "I mean",
    "honestly"), redaction tokens, masks ("XXXX") and numbers counted out, which carry no
    meaning of their own but pull snippets together ("[PHONE]" towards mobile) and crowd topic
    keywords. Quotes stay verbatim."""
    t = _DISFLUENCY.sub("", _NUMBER_RUN.sub(" ", _MASK.sub(" ", REDACTION_TOKEN.sub(" ", text))))
    t = " ".join(t.split()).lstrip(",. ")
    return t[:1].upper() + t[1:] if t else " ".join(text.split())


def snippet_source(row: Mapping[str, Any]) -> str:
    """Where a quote comes from: 'file.vtt @ 00:12:31' or 'file.txt, turn 14'."""
    ts = row.get("timestamp") or ""
    return f"{row['source_file']} @ {ts}" if ts else f"{row['source_file']}, turn {row['turn']}"
