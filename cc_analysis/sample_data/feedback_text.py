"""The text of NPS comments, tickets and app reviews, assembled from the themes' phrasings.

A document's themes become sentences (an opener or a connector, the phrasing, an ending),
then light typos and casing variation are applied; documents without themes are off-topic
chatter. Openers, closers, chatter, ticket details and review titles live in
``resources/feedback_text.yaml``.
"""

from __future__ import annotations

import random
import re

from .people import NameSource
from .resource_files import as_tuples, read_resource
from .themes import THEMES, TYPO_RATE, Theme

_TEXT = as_tuples(read_resource("feedback_text.yaml"))


def add_typos(r: random.Random, text: str, rate: float = TYPO_RATE) -> str:
    """Swap or drop one inner letter of some words of 4+ letters."""
    words = text.split(" ")
    for i, w in enumerate(words):
        core = w.rstrip(".,!?;:")
        tail = w[len(core):]
        if len(core) >= 4 and core.isalpha() and r.random() < rate:
            j = r.randrange(1, len(core) - 1)
            if r.random() < 0.5:
                core = core[:j] + core[j + 1] + core[j] + core[j + 2:]
            else:
                core = core[:j] + core[j + 1:]
            words[i] = core + tail
    return " ".join(words)


def capitalise(s: str) -> str:
    return s[:1].upper() + s[1:] if s else s


def vary_case(r: random.Random, text: str, negative: bool) -> str:
    """Now and then all lower case, or (complaints only) all upper case."""
    x = r.random()
    if x < 0.12:
        return text.lower()
    if negative and x < 0.135:
        return text.upper()
    return text


def pick_phrasing(r: random.Random, theme: Theme, source: str) -> tuple[str, str]:
    """A (voice, phrasing) of ``theme`` fit for ``source`` (tickets do not praise)."""
    options = list(theme.phrasings)
    if source == "ticket":
        non_pos = [p for p in options if p[0] != "pos"]
        options = non_pos or options
    elif theme.kind == "request":
        # mixed themes: praise voice only now and then
        if r.random() < 0.7:
            options = [p for p in options if p[0] != "pos"] or options
    return r.choice(options)


def theme_sentences(r: random.Random, themes: tuple[int, ...],
                    source: str) -> tuple[list[str], list[str]]:
    """One sentence per theme, joined by connectors that follow the change of voice; also
    the voices."""
    sentences, voices = [], []
    prev = None
    for n_done, ti in enumerate(themes):
        voice, phrase = pick_phrasing(r, THEMES[ti], source)
        if n_done == 0:
            lead = r.choice(_TEXT["openers"][voice])
        elif (prev == "pos") != (voice == "pos"):
            lead = r.choice(_TEXT["connect_turn"])
        else:
            lead = r.choice(_TEXT["connect_same"])
        if source == "ticket" and voice == "pos":
            lead = _TEXT["ticket_praise_opener"]
        body = lead + phrase if lead else phrase
        end = "!" if voice == "pos" and r.random() < 0.4 else "."
        sentences.append(capitalise(body) + end)
        voices.append(voice)
        prev = voice
    return sentences, voices


def _survey_text(r: random.Random, themes: tuple[int, ...], source: str, closer_rate: float,
                 openers: tuple[str, ...] = ()) -> str:
    """An NPS comment or review text: chatter, or the theme sentences with now and then a
    closer, an opener from ``openers`` (if any), typos and casing variation."""
    if not themes:
        return r.choice(_TEXT[f"chatter_{source}"])
    sentences, voices = theme_sentences(r, themes, source)
    if r.random() < closer_rate:
        sentences.append(r.choice(_TEXT["closers"][voices[-1]]))
    opener = r.choice(openers) if openers else ""
    text = opener + add_typos(r, " ".join(sentences))
    return vary_case(r, text, "neg" in voices)


def nps_comment(r: random.Random, themes: tuple[int, ...]) -> str:
    return _survey_text(r, themes, "nps", 0.35)


def ticket_text(r: random.Random, themes: tuple[int, ...], plan: str) -> tuple[str, str]:
    """(subject, body) of a ticket; the body interleaves theme sentences and details."""
    if not themes:
        chatter = r.choice(_TEXT["chatter_ticket"])
        return chatter["subject"], chatter["body"]
    th = THEMES[themes[0]]
    subject = r.choice(th.subjects)
    x = r.random()
    if x < 0.05:
        subject = "Re: " + subject
    elif x < 0.08 and th.kind == "complaint":
        subject = "URGENT: " + subject
    elif x < 0.15:
        subject = subject.lower()
    sentences, voices = theme_sentences(r, themes, "ticket")
    details = r.sample(_TEXT["ticket_details"], k=1 + r.randrange(3))
    body_sents = []
    for i, s in enumerate(sentences):
        body_sents.append(s)
        if i < len(details):
            body_sents.append(details[i].format(plan=plan))
    body_sents.extend(d.format(plan=plan) for d in details[len(sentences):])
    body = add_typos(r, " ".join(body_sents))
    body = vary_case(r, body, "neg" in voices)
    return subject, body


def ticket_description(r: random.Random, body: str, pii: str | None) -> str:
    """The body with a greeting, the planted PII sentence (if any) and a sign-off."""
    greeting = r.choice(_TEXT["ticket_greetings"])
    signoff = r.choice(_TEXT["ticket_signoffs"])
    parts = [greeting] if greeting else []
    parts.append(body)
    if pii:
        parts.append(pii)
    if signoff:
        parts.append(signoff)
    sep = "\n\n" if r.random() < 0.6 else " "
    return sep.join(parts)


def review_text(r: random.Random, themes: tuple[int, ...]) -> str:
    return _survey_text(r, themes, "review", 0.3, _TEXT["review_openers"])


def review_title(r: random.Random, rating: int, themes: tuple[int, ...]) -> str:
    if themes and r.random() < 0.35 and THEMES[themes[0]].kind != "praise":
        return r.choice(THEMES[themes[0]].subjects)
    bucket = "high" if rating >= 4 else ("mid" if rating == 3 else "low")
    return r.choice(_TEXT["review_titles"][bucket])


def review_author(r: random.Random, names: NameSource) -> str:
    """A store display name: full name, first name and initial, or a handle."""
    f, la = names.take()
    x = r.random()
    if x < 0.45:
        return f"{f} {la}"
    if x < 0.75:
        return f"{f} {la[0]}."
    return f"{f[0].lower()}{re.sub(r'[^a-z]', '', la.lower())}{r.randint(1, 99)}"


def append_sentence(text: str, sentence: str | None) -> str:
    """``text`` followed by ``sentence``, adding a full stop when ``text`` has none."""
    if not sentence:
        return text
    return f"{text} {sentence}" if text.rstrip()[-1:] in ".!?" else f"{text}. {sentence}"
