"""What a snippet is: a pain point, a need, a goal (a job to be done), praise, or other.

Owns the transparent rule-based first pass researchers correct rather than start from a blank
page: cue phrases per kind plus the VADER compound sentiment.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

import numpy as np

from ..sentiment import score as sentiment_score

SNIPPET_KINDS = ("pain point", "need", "goal", "praise", "other")
_KIND_CUES: dict[str, list[tuple[re.Pattern[str], float]]] = {
    "need": [
        (re.compile(r"\b(?:i'd|i would|we'd|we would|id|i'll|they'd) (?:really )?(?:love|like|"
                    r"want|need)\b|\bwish\b|\bfeature request\b|\bwant(?:s|ed)? (?:a way|to be "
                    r"able|it to)\b|\bneeds? to be able\b|\b(?:we|i|they) (?:really |just )?"
                    r"need\b", re.I), 1.5),
        (re.compile(r"\bif (?:only )?(?:it|they|there|we|i|you|the \w+|\w+s) (?:could|had|"
                    r"would|were|was)\b|\b(?:would|it'd) (?:be (?:great|nice|good|amazing|"
                    r"helpful|huge|useful)|save|help|change|make)\b|\bshould (?:be able|have|"
                    r"let)\b", re.I), 1.2),
        (re.compile(r"\b(?:missing piece|no (?:good )?(?:way|view|option)|there's no|there is "
                    r"no|doesn't (?:let|have|support)|can't (?:slice|see|filter|assign|do))\b",
                    re.I), 1.0),
    ],
    "goal": [
        (re.compile(r"\b(?:our|my|the) (?:goal|aim|objective|priority|mission)\b|\bso that\b|"
                    r"\bin order to\b|\bwhat (?:i|we) (?:care about|want to achieve)\b|\b(?:i'm|"
                    r"we're|i am|we are) trying to\b", re.I), 1.5),
        (re.compile(r"\b(?:we|i|they) use (?:it|them|this|the \w+) (?:to|for)\b|\beverything "
                    r"(?:from|goes through)\b|\bwhere all our work\b|\bto plan and track\b",
                    re.I), 1.0),
    ],
    "pain point": [
        (re.compile(r"\b(?:slow\w*|sluggish|lag\w*|frustrat\w*|annoy\w*|hard|difficult|rough|"
                    r"painful|broke\w*|breaks|bug\w*|crash\w*|timed? ?out|wrong|confus\w*|"
                    r"awkward|steep|expensive|by hand|manual(?:ly)?|double entering|workaround|"
                    r"embarrass\w*|struggl\w*|problem\w*|issues?|lost|slip\w*|mess\w*|waste\w*|"
                    r"tedious|clunky|hit or miss|logs? me out|takes? (?:too )?long|muted|limited|"
                    r"rough|worse|fail\w*|stuck|spend\w* (?:\w+ ){0,3}(?:hours|days))\b", re.I),
         1.0),
        (re.compile(r"\b(?:can't|cannot|couldn't|doesn't|don't|won't|never|isn't|wasn't)\b",
                    re.I), 0.4),
    ],
    "praise": [
        (re.compile(r"\b(?:love[sd]?|like (?:most|it)|great|easy|easier|clean\w*|nice|helpful|"
                    r"happy|works? (?:well|great)|intuitive|simple|smooth|fantastic|awesome|"
                    r"excellent|pick it up|out of the way|glad|enjoy\w*|best|trust)\b", re.I), 1.0),
    ],
}
_KIND_PRIORITY = {"need": 0, "pain point": 1, "goal": 2, "praise": 3}


def classify_snippets(
    texts: Sequence[str], sentiment: Sequence[float] | None = None
) -> list[str]:
    """Pain point / need / goal (jobs to be done) / praise / other, per snippet.

    A transparent rule-based first pass: cue phrases per kind ("I'd love", "if it could" ->
    need; "we're trying to", "so that" -> goal; "slow", "by hand", "breaks" -> pain point;
    "easy", "love" -> praise) plus the VADER compound sentiment (negative adds to pain point,
    positive to praise). The kind with the highest score wins if it reaches 1.0 (ties: need,
    pain point, goal, praise); otherwise ``other``. Researchers correct it, they do not start
    from a blank page.
    """
    sent = np.asarray(sentiment if sentiment is not None else sentiment_score(texts), float)
    out = []
    for text, s in zip(texts, sent, strict=True):
        scores = {k: sum(w * len(p.findall(text)) for p, w in cues)
                  for k, cues in _KIND_CUES.items() if k != "praise"}
        # "I'd love ..." is a wish, not praise: wishes sound positive to VADER
        rest = text
        for p, _ in _KIND_CUES["need"]:
            rest = p.sub(" ", rest)
        scores["praise"] = sum(w * len(p.findall(rest)) for p, w in _KIND_CUES["praise"])
        scores["pain point"] += max(0.0, -s) * 2.0
        if scores["need"] == 0 and s > -0.05:
            scores["praise"] += max(0.0, s) * 1.2
        elif s <= -0.05:
            scores["praise"] = 0.0
        best = max(scores, key=lambda k: (scores[k], -_KIND_PRIORITY[k]))
        out.append(best if scores[best] >= 1.0 else "other")
    return out
