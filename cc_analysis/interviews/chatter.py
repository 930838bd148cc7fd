"""Asides: the remarks of an interview that are not findings, set aside before coding.

Owns telling small talk, interruptions, talk about the call itself, closings and
introductions from what participants say about the subject. A snippet is set aside (counted,
kept in the snippet table, never coded or clustered) when it is brief and either

- close to one of ``ASIDE_REMARKS`` (written from how such talk goes in any recorded
  interview, not from any transcript; none within cosine 0.7 of a line of the sample
  generator, ``tests/interviews/test_interview_chatter.py``), or
- the first reply to an interviewer's small-talk question (``SMALL_TALK_QUESTIONS``), one that
  reads more like small talk than like a research question (``RESEARCH_QUESTIONS``): "Did you
  get some rest over the holidays?" makes "We went skiing, my legs still hurt" an aside,
  though the answer alone says nothing of the kind.

The similarities are MiniLM cosines, calibrated on the real coded studies of
``../shared/datasets`` (``benchmarks/interviews_bench.py``): at ``ASIDE_SIMILARITY`` no snippet
the researchers coded (PDPilot: 262 segments, usability sessions: 1,756 highlights) is set
aside, at 0.40 0.3% and 0.5% of them were. ``ASIDE_MAX_WORDS``: on 75 Anthropic Interviewer
interviews every remark past 25 words that resembled an aside was a participant describing
their work and how they use the tool, which is substance.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd

from ..embeddings import DEFAULT_BACKEND, embed

ASIDE_REMARKS: dict[str, tuple[str, ...]] = {
    "small talk": (
        "I'm doing well, thank you, and you?",
        "It's been a long day but I'm hanging in there.",
        "Happy Friday, the weekend is almost here.",
        "It's freezing here today, we had snow overnight.",
        "The sun is finally out after a week of storms.",
        "It's far too hot in this heatwave to think.",
        "We just got back from a family holiday at the beach.",
        "My kids are home from school this week so it's chaotic.",
        "I spent the weekend painting the kitchen.",
        "I watched the match last night, what a game.",
        "I'm still getting over a cold.",
        "My commute this morning took forever because of traffic.",
        "I'm working from a hotel room this week.",
        "We're renovating at home, so excuse the mess behind me.",
    ),
    "interruption": (
        "Hold on, someone is at the door.",
        "Sorry, the cat keeps walking across my keyboard.",
        "One moment, I need to answer this call.",
        "Sorry, my little one just came in, give me a second.",
        "Excuse me, the doorbell just rang.",
        "Let me close the window, there's construction noise outside.",
    ),
    "the call itself": (
        "Can you see my screen now?",
        "You cut out for a second there, could you repeat that?",
        "Let me turn my camera on.",
        "Sorry, I was on mute.",
        "My laptop battery is about to die, let me plug it in.",
        "There's a lot of noise in the background, sorry about that.",
        "Sorry I'm a few minutes late, my last meeting ran over.",
        "I have a hard stop at the top of the hour.",
        "Sure, you can record, that's fine with me.",
        "My internet connection is unstable today.",
        "Let me share my screen with you.",
        "Is the recording running already?",
        "Hang on, my video froze.",
        "Give me a moment to find the right window.",
    ),
    "closing": (
        "Nothing more from my side.",
        "Feel free to email me if you have more questions.",
        "Have a great rest of your day.",
        "Thanks for having me, I enjoyed talking with you.",
        "Good luck with the project.",
        "That's all from me.",
        "Happy to help again any time.",
    ),
    "introduction": (
        "I've been at the company for about five years.",
        "My role is head of operations and I manage a small team.",
        "Our department has around twenty people.",
        "Before this job I worked at a consulting firm.",
        "There are about a dozen of us, mostly analysts and a couple of engineers.",
        "I lead a team of four, we look after customer accounts.",
        "We're a small agency, around thirty people in total.",
    ),
    "referral": (
        "You should also speak to my colleague, she knows more about it.",
        "My manager would be the better person to ask about that.",
        "I wasn't involved in choosing it, ask someone from procurement.",
        "I'll put you in touch with the person who runs it day to day.",
    ),
}
SMALL_TALK_QUESTIONS: tuple[str, ...] = (
    "How are you doing today?",
    "How was your weekend?",
    "Did you do anything fun over the holidays?",
    "How's the weather where you are?",
    "Are you working from home today?",
    "How are the kids?",
    "Did you manage to get some rest?",
    "Is my audio coming through?",
    "Where are you calling in from?",
    "How was your trip?",
)
# what an interview guide asks, to tell "How is it working for you?" from "How are you?"
RESEARCH_QUESTIONS: tuple[str, ...] = (
    "Tell me about the last time you used it.",
    "What do you find most valuable about it?",
    "What would you change about it?",
    "How does this fit into your day-to-day work?",
    "What problem were you trying to solve?",
    "Can you describe how you do this today?",
    "What do you like about the way it works?",
    "How did you first start using it?",
    "What gets in your way when you do that?",
    "How do you decide which one to use?",
    "What happens next after that step?",
    "How well does it work for your team?",
)
ASIDE_SIMILARITY = 0.45
SMALL_TALK_QUESTION_SIMILARITY = 0.40
QUESTION_MARGIN = 0.10  # closer to small talk than to any research question by this much
ASIDE_MAX_WORDS = 25


def _best(vectors: np.ndarray, texts: list[str], backend: str,
          cache: str | Path | None) -> tuple[np.ndarray, np.ndarray]:
    """Per row of ``vectors``: the highest cosine similarity to ``texts`` and its index."""
    if not len(vectors):
        return np.zeros(0, dtype=np.float32), np.zeros(0, dtype=int)
    sims = np.asarray(vectors, dtype=np.float32) @ embed(texts, backend, cache=cache).T
    return sims.max(axis=1), sims.argmax(axis=1)


def asides(
    snippets: pd.DataFrame,
    vectors: np.ndarray,
    *,
    backend: str = DEFAULT_BACKEND,
    cache: str | Path | None = None,
) -> pd.Series:
    """Why each snippet is set aside (an ``ASIDE_REMARKS`` category, or "small talk" for the
    reply to a small-talk question), "" when it is kept. ``snippets``: rows of
    ``make_snippets`` (``n_words``, ``part``, ``question``); ``vectors``: their embeddings."""
    if not len(snippets):
        return pd.Series([], index=snippets.index, dtype=object)
    categories = [c for c, remarks in ASIDE_REMARKS.items() for _ in remarks]
    remark_sim, remark_of = _best(vectors, [r for rs in ASIDE_REMARKS.values() for r in rs],
                                  backend, cache)
    brief = snippets["n_words"].to_numpy() <= ASIDE_MAX_WORDS
    reason = np.where(brief & (remark_sim >= ASIDE_SIMILARITY),
                      np.asarray(categories, dtype=object)[remark_of], "")
    questions = snippets["question"].fillna("").astype(str)
    asked = questions.str.strip().str.endswith("?").to_numpy()
    first = (snippets["part"].to_numpy() == 1) & brief & asked & (reason == "")
    if first.any():
        q_vectors = embed(questions[first].tolist(), backend, cache=cache)
        small, _ = _best(q_vectors, list(SMALL_TALK_QUESTIONS), backend, cache)
        research, _ = _best(q_vectors, list(RESEARCH_QUESTIONS), backend, cache)
        hit = (small >= SMALL_TALK_QUESTION_SIMILARITY) & (small >= research + QUESTION_MARGIN)
        idx = np.flatnonzero(first)[hit]
        reason[idx] = "small talk"
    return pd.Series(reason, index=snippets.index, dtype=object)


def aside_note(set_aside: pd.Series) -> str | None:
    """The reading note on what :func:`asides` set aside (counts per reason), or None."""
    why = set_aside[set_aside != ""].value_counts()
    if why.empty:
        return None
    return (f"{int(why.sum()):,} brief remarks that are no finding ("
            + ", ".join(f"{what}: {n:,}" for what, n in why.items())
            + ") were set aside, not coded.")
