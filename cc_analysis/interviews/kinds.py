"""What a snippet is: a pain point, a need, a goal (a job to be done), praise, or other.

Owns the transparent rule-based first pass researchers correct rather than start from a blank
page: cue phrases per kind (``KIND_CUES``) plus the snippet's sentiment score
(``cc_analysis.sentiment``).
"""

from __future__ import annotations

import re
from collections.abc import Sequence

import numpy as np

from ..sentiment import score as sentiment_score

SNIPPET_KINDS = ("pain point", "need", "goal", "praise", "other")

# Cue phrases per kind, written from how people talk in user interviews and usability sessions
# in general (requests and wishes, purposes, obstacles, compliments). They are phrases rather
# than single words where a word alone says little ("would", "like"); each matches as whole
# words, in any letter case, with straight or curly apostrophes.
KIND_CUES: dict[str, tuple[str, ...]] = {
    "need": (
        "would be nice", "would be great", "would be helpful", "would be useful",
        "would be good", "would be cool", "would be better", "would be ideal", "it'd be nice",
        "it'd be great", "it'd be good", "nice to have", "it would help", "would help me",
        "would help us", "would like to see", "i'd like to see", "we'd like to see",
        "would like to have", "i would like", "we would like", "i'd want", "i would want",
        "want to be able", "need to be able", "needs to be able", "should be able to",
        "there should be", "it should be possible", "there needs to be", "could you add",
        "can you add", "add an option", "an option to", "the option to", "the ability to",
        "ability to", "a way to", "is there a way", "is it possible to", "if there was",
        "if it had", "if it could", "if you had", "if we could", "wish there was",
        "wish there were", "would prefer", "i'd prefer", "feature suggestion", "my suggestion",
        "i'd suggest", "i would suggest", "i suggest", "missing feature", "doesn't have a",
        "does not have a", "need a way", "needs a way", "would need", "i was hoping",
        "hoping for", "looking for a way", "wanted to see", "i want to see", "i'd expect",
        "i would expect", "would have liked",
    ),
    "goal": (
        "our goal", "my goal", "the goal is", "the goal was", "goal is to", "the aim is",
        "our aim", "my aim", "the purpose", "the point is to", "so that we can",
        "so that i can", "so we can", "so i can", "in order to", "trying to",
        "want to make sure", "to make sure", "want to achieve", "what we want",
        "we need to know", "i need to know", "want to understand", "to understand",
        "to figure out", "to find out", "to identify", "to see whether", "to check whether",
        "to decide", "we use it for", "i use it for", "use them to", "use this to",
        "our job is", "i'm responsible for", "we're responsible for", "the outcome",
        "the objective", "objective is",
    ),
    "pain point": (
        "does not work", "not working", "didn't work", "stopped working", "isn't working",
        "won't load", "doesn't load", "error message", "got an error", "difficult to",
        "not clear", "unclear", "not sure what", "not sure how", "no idea", "don't understand",
        "didn't understand", "do not understand", "don't know how", "didn't know how",
        "don't know what", "couldn't find", "could not find", "can't find", "cannot find",
        "i'm lost", "got lost", "confused", "too complicated", "complicated", "too complex",
        "overwhelming", "annoying", "annoyed", "frustrated", "a pain", "painful",
        "waste of time", "wasted", "tedious", "cumbersome", "buggy", "broken", "crashed",
        "glitch", "takes forever", "manually", "struggle", "struggled", "struggling",
        "a nightmare", "a mess", "messy", "doesn't make sense", "didn't make sense",
        "not intuitive", "not obvious", "not useful", "not helpful", "useless", "can't tell",
        "couldn't tell", "hard time", "gets in the way", "got stuck", "i'm stuck", "stuck",
        "weird", "strange", "problem is", "the issue is", "an issue", "a problem",
        "problems with",
    ),
    "praise": (
        "really liked", "i like the", "i like that", "i like how", "i liked", "i love the",
        "i love that", "i love how", "very useful", "quite useful", "super useful",
        "very helpful", "very nice", "really nice", "very cool", "pretty cool", "really cool",
        "very clear", "pretty clear", "quite clear", "well designed", "works well",
        "worked well", "works nicely", "easy to understand", "easy to find",
        "easy to navigate", "user friendly", "user-friendly", "straightforward",
        "self-explanatory", "impressed", "impressive", "i appreciate", "that's nice",
        "that's cool", "that's helpful", "that's useful", "nice feature", "great feature",
        "handy", "a lot of value", "valuable", "saves time", "saves me", "time saver",
        "convenient", "really good", "very good", "pretty good", "quite good", "i enjoy",
        "enjoyed", "fantastic", "excellent", "awesome", "brilliant", "perfect", "neat",
        "elegant", "powerful",
    ),
}
# a request or a purpose is said in fewer, more telling words than a complaint or a compliment
CUE_WEIGHTS = {"need": 1.5, "goal": 1.5, "pain point": 1.0, "praise": 1.0}
# sentiment score to kind score: a clearly negative snippet (<= -1/6) is a pain point and a
# clearly positive one (>= 0.25) praise without any cue. Chosen on the usability-study
# highlights of ../shared, checked on the PDPilot interviews (tests/interviews/
# test_interview_kinds.py). The shipped score (``sentiment``) is about two thirds of VADER's
# compound in magnitude on those highlights, so the weights chosen for VADER (3 and 2) were
# re-chosen for it: 6 and 4 keep their ratio and give 0.361 of usability highlights and 0.508
# of PDPilot segments their researchers' kind (VADER with 3 and 2: 0.305, 0.492). A larger
# positive weight raises the usability figure further (0.391 at 5) only because 812 of its
# 1,490 highlights are praise; it was not taken.
NEGATIVE_WEIGHT = 6.0
POSITIVE_WEIGHT = 4.0
_PRIORITY = {"need": 0, "pain point": 1, "goal": 2, "praise": 3}


def cue_pattern(phrases: Sequence[str]) -> re.Pattern[str]:
    """One regex for cue phrases: whole words, any letter case, any run of spaces between
    words, straight or curly apostrophes; longer phrases are tried first."""
    alts = [re.escape(p.lower()).replace(r"\ ", r"\s+").replace("'", "['’]")
            for p in sorted(phrases, key=len, reverse=True)]
    return re.compile(r"(?<![\w'’])(?:" + "|".join(alts) + r")(?![\w'’])", re.IGNORECASE)


_PATTERNS = {kind: cue_pattern(cues) for kind, cues in KIND_CUES.items()}


def classify_snippets(
    texts: Sequence[str], sentiment: Sequence[float] | None = None
) -> list[str]:
    """Pain point / need / goal (jobs to be done) / praise / other, per snippet.

    A transparent rule-based first pass: cue phrases per kind (``KIND_CUES``: "would be
    nice", "is there a way" -> need; "our goal", "in order to" -> goal; "not working", "too
    complicated" -> pain point; "works well", "very useful" -> praise) plus the sentiment
    score (negative adds to pain point, positive to praise). The kind with the highest
    score wins if it reaches 1.0 (ties: need, pain point, goal, praise); otherwise ``other``.
    Researchers correct it, they do not start from a blank page.
    """
    sent = np.asarray(sentiment if sentiment is not None else sentiment_score(texts), float)
    out = []
    for text, s in zip(texts, sent, strict=True):
        scores = {k: CUE_WEIGHTS[k] * len(_PATTERNS[k].findall(text))
                  for k in ("need", "goal", "pain point")}
        # "would be great ..." is a wish, not praise: wishes sound positive
        rest = _PATTERNS["need"].sub(" ", text)
        scores["praise"] = CUE_WEIGHTS["praise"] * len(_PATTERNS["praise"].findall(rest))
        scores["pain point"] += max(0.0, -s) * NEGATIVE_WEIGHT
        if scores["need"] == 0 and s > -0.05:
            scores["praise"] += max(0.0, s) * POSITIVE_WEIGHT
        elif s <= -0.05:
            scores["praise"] = 0.0
        best = max(scores, key=lambda k: (scores[k], -_PRIORITY[k]))
        out.append(best if scores[best] >= 1.0 else "other")
    return out
