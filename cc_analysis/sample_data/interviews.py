"""Customer interviews: the planted interview themes, the turns of one conversation and their
rendering as a WebVTT caption file or a plain ``Name: text`` transcript.

An interview opens with introductions, consent and small talk, asks about the participant's
team, then spends most turns on its 2-4 themes (each answered with the theme's planted
snippets, follow-ups, elaborations and backchannel) and closes with thanks. Personal data said
in a turn (names, an email, a phone number) is returned with the turn for ``_truth.json``.
All wording lives in ``resources/interviews.yaml``.
"""

from __future__ import annotations

import random
import re
from datetime import date

import numpy as np

from ..periods import Quarter
from .people import VENDOR_NAME, Contact, NameSource, phone_number
from .resource_files import as_tuples, read_resource

_INTERVIEWS = as_tuples(read_resource("interviews.yaml"))
_SCRIPT = _INTERVIEWS["script"]

INTERVIEW_THEMES: tuple[tuple[str, str], ...] = tuple((t["id"], t["label"])
                                                      for t in _INTERVIEWS["themes"])
INTERVIEW_THEME_WEIGHTS: tuple[float, ...] = tuple(t["weight"] for t in _INTERVIEWS["themes"])
# The participant's planted answers per interview theme: they stand in for a human coder.
INTERVIEW_SNIPPETS: dict[str, tuple[str, ...]] = {t["id"]: t["snippets"]
                                                  for t in _INTERVIEWS["themes"]}
_THEME_QUESTIONS: dict[str, tuple[str, ...]] = {t["id"]: t["questions"]
                                                for t in _INTERVIEWS["themes"]}
INTERVIEW_FILE_RE = re.compile(r"^\d{4}-\d{2}-\d{2}_[a-z0-9-]+\.(vtt|txt)$")

INTERVIEWER, PARTICIPANT = "I", "P"
Turn = tuple[str, str, list[tuple[str, str]]]  # (role I|P, text, [(kind, value) said in it])


def interview_days(rng: np.random.Generator, quarter: Quarter, per_quarter: int) -> list[int]:
    """Sorted ordinals of the weekdays of ``quarter`` that hold its ``per_quarter`` interviews.

    Distinct days while the quarter has enough weekdays; beyond that (20,000 accounts ask for
    100 interviews a quarter), every weekday holds ``per_quarter // n_weekdays`` interviews and
    the remainder go to distinct random days.
    """
    first = quarter.start.toordinal()
    weekdays = [first + i for i in range((quarter.end - quarter.start).days + 1)
                if date.fromordinal(first + i).weekday() < 5]
    if per_quarter <= len(weekdays):
        picked = np.sort(rng.choice(len(weekdays), size=per_quarter, replace=False))
    else:
        each, extra = divmod(per_quarter, len(weekdays))
        picked = np.sort(np.concatenate([np.repeat(np.arange(len(weekdays)), each),
                                         rng.choice(len(weekdays), size=extra, replace=False)]))
    return [weekdays[int(i)] for i in picked]


def with_disfluency(snippet: str, lead: str) -> str:
    """Prefix a spoken answer with a disfluency ("Um, ", "So, ") without doubling words."""
    if not lead:
        return snippet
    if snippet.split(" ")[0].rstrip(",").lower() == lead.split(" ")[0].rstrip(",").lower():
        return snippet
    if snippet.startswith(("I ", "I'")):
        return lead + snippet
    return lead + snippet[:1].lower() + snippet[1:]


def interview_turns(r: random.Random, names: NameSource, participant: Contact,
                    interviewer: str, company: str, themes: list[str], target: int,
                    colleagues: list[Contact]) -> list[Turn]:
    """The turns of one interview about ``themes`` (in that order), about ``target`` long."""
    P, I = PARTICIPANT, INTERVIEWER  # noqa: E741
    turns: list[Turn] = []

    def add(role: str, text: str, pii: list[tuple[str, str]] | None = None) -> None:
        turns.append((role, text, pii or []))

    add(I, r.choice(_SCRIPT["greetings"]).format(interviewer=interviewer, vendor=VENDOR_NAME),
        [("person_name", interviewer)])
    add(P, r.choice(_SCRIPT["greeting_replies"]))
    add(I, _SCRIPT["consent_question"])
    add(P, r.choice(_SCRIPT["consent_replies"]))
    add(I, _SCRIPT["identity_question"].format(name=participant.name, title=participant.title,
                                                company=company),
        [("person_name", participant.name)])
    add(P, r.choice(_SCRIPT["identity_replies"]))
    for talk in r.sample(_INTERVIEWS["small_talk"], k=1 + r.randrange(2)):
        add(I, talk["question"])
        add(P, talk["answer"])
    add(I, _SCRIPT["context_question"].format(vendor=VENDOR_NAME))
    add(P, r.choice(_SCRIPT["context_answers"]).format(n=r.choice(_SCRIPT["team_sizes"]),
                                                       dept=r.choice(_SCRIPT["departments"])))
    if r.random() < 0.35:  # planted: a colleague's full name
        col = r.choice(colleagues) if colleagues else None
        name = col.name if col else "{} {}".format(*names.take())
        add(I, r.choice(_SCRIPT["colleague_acknowledgements"]))
        add(P, r.choice(_SCRIPT["colleague_mentions"]).format(name=name), [("person_name", name)])
    contact_pii: tuple[str, list[tuple[str, str]]] | None = None
    x = r.random()
    if x < 0.15:
        contact_pii = (_SCRIPT["contact_email"].format(email=participant.email),
                       [("email", participant.email)])
    elif x < 0.25:
        ph = phone_number(r)
        contact_pii = (_SCRIPT["contact_phone"].format(phone=ph), [("phone", ph)])

    has_off_topic = r.random() < 0.6
    tail = 4 + (2 if contact_pii else 0) + (2 if has_off_topic else 0)
    blocks = _theme_blocks(r, themes, max(2 * len(themes), target - len(turns) - tail))
    off_at = r.randrange(len(blocks)) if has_off_topic else -1
    for b_i, block in enumerate(blocks):
        for t_i, (role, text, pii) in enumerate(block):
            add(role, text, pii)
            if b_i == off_at and t_i == 0:  # interruption right after the question
                off_topic = r.choice(_INTERVIEWS["off_topic"])
                add(P, off_topic["participant"])
                add(I, off_topic["interviewer"])
    add(I, _SCRIPT["anything_else_question"])
    add(P, r.choice(_SCRIPT["closing_answers"]))
    if contact_pii:
        add(I, _SCRIPT["follow_up_request"])
        add(P, contact_pii[0], contact_pii[1])
    add(I, r.choice(_SCRIPT["thanks"]))
    add(P, r.choice(_SCRIPT["goodbyes"]))
    return turns


def _theme_blocks(r: random.Random, themes: list[str], budget: int) -> list[list[Turn]]:
    """One block of turns per theme, ``budget`` turns in all: a question and a snippet
    answer each, then, round-robin over the themes, follow-ups, elaborations and backchannel."""
    P, I = PARTICIPANT, INTERVIEWER  # noqa: E741
    pool = {t: r.sample(INTERVIEW_SNIPPETS[t], k=len(INTERVIEW_SNIPPETS[t])) for t in themes}
    blocks: list[list[Turn]] = []
    for t in themes:
        q = (r.choice(_THEME_QUESTIONS[t]) if r.random() < 0.6
             else r.choice(_INTERVIEWS["generic_questions"]))
        answer = with_disfluency(pool[t].pop(), r.choice(_INTERVIEWS["disfluencies"]))
        blocks.append([(I, q, []), (P, answer, [])])
    remaining = budget - 2 * len(themes)
    bi = 0
    while remaining > 0:
        t = themes[bi % len(themes)]
        block = blocks[bi % len(themes)]
        tone = "pos" if t == "praise_ease_of_use" else "neg"
        x = r.random()
        if x < 0.25 or remaining == 1:
            role = I if block[-1][0] == P else P
            backchannel = _INTERVIEWS["backchannel_interviewer" if role == I
                                      else "backchannel_participant"]
            block.append((role, r.choice(backchannel), []))
            remaining -= 1
        else:
            if block[-1][0] == I:
                block.append((P, r.choice(_INTERVIEWS["backchannel_participant"]), []))
                remaining -= 1
                if remaining < 2:
                    continue
            if pool[t] and x < 0.8:
                q, ans = r.choice(_INTERVIEWS["follow_ups"][tone]), pool[t].pop()
            else:
                elaboration = r.choice(_INTERVIEWS["elaborations"][tone])
                q, ans = elaboration["question"], elaboration["answer"]
            block.append((I, q, []))
            block.append((P, with_disfluency(ans, r.choice(_INTERVIEWS["disfluencies"])), []))
            remaining -= 2
        bi += 1
    return blocks


def vtt_timestamp(s: float) -> str:
    ms = int(round(s * 1000))
    h, rem = divmod(ms, 3_600_000)
    m, rem = divmod(rem, 60_000)
    sec, ms = divmod(rem, 1000)
    return f"{h:02d}:{m:02d}:{sec:02d}.{ms:03d}"


def vtt_escape(text: str) -> str:
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def render_interview(r: random.Random, turns: list[Turn], speakers: dict[str, str], fmt: str,
                     stamps: bool) -> str:
    """The file text: ``vtt`` cues with voice tags (long cues now and then on two lines) or
    ``txt`` paragraphs ``Name: text`` (with ``[hh:mm:ss]`` when ``stamps``)."""
    t = r.uniform(1.0, 4.0)
    out: list[str] = ["WEBVTT", ""] if fmt == "vtt" else []
    for role, text, pii in turns:
        dur = max(0.8, len(text.split()) * r.uniform(0.32, 0.42))
        start, end = t, t + dur
        t = end + r.uniform(0.2, 1.2)
        name = speakers[role]
        if fmt == "vtt":
            body = vtt_escape(text)
            if not pii and len(body) > 60 and r.random() < 0.6:
                mid = len(body) // 2
                cut = body.rfind(" ", 0, mid)
                cut = cut if cut > 0 else body.find(" ", mid)
                if cut > 0:
                    body = body[:cut] + "\n" + body[cut + 1:]
            out.append(f"{vtt_timestamp(start)} --> {vtt_timestamp(end)}")
            out.append(f"<v {name}>{body}</v>")
            out.append("")
        else:
            prefix = ""
            if stamps:
                s = int(start)
                prefix = f"[{s // 3600:02d}:{s % 3600 // 60:02d}:{s % 60:02d}] "
            out.append(f"{prefix}{name}: {text}")
            out.append("")
    return "\n".join(out)
