"""Customer text made ready for embedding and topic modelling: what is not the customer's words
is taken out before a model sees it.

Owns :class:`NormaliseOptions` (one switch per step, all on by default), :func:`normalise_text`
(one text) and :func:`normalise_texts` (a corpus, with per-source options and the corpus-level
template step). Texts arrive PII-redacted (``cc_analysis.privacy``); the steps, in the order they
run:

- ``html``: tags (``<br>``, ``<p>`` end a line) and entities (``&amp;`` -> ``&``, by
  ``html.unescape``, twice for double-encoded ``&amp;#39;``);
- ``quoted_replies``: lines starting with ``>``, and the quoted or forwarded chain under an
  attribution line (a line ending in ``:`` that holds a date or time and an address, or is
  followed by ``>`` lines: "On Mon, 3 Jun 2024 at 10:02, X wrote:") or a mail header block (three
  or more ``Key: value`` lines holding a date and an address, with the intro line above it such
  as "Begin forwarded message:"; two lines and a date or an address under a labelled fence such
  as ``-----Original Message-----``). When there are fewer than eight words of new text above
  the chain (a bare forward), only the markers go and the forwarded text stays;
- ``signatures``: everything under a ``--`` line (RFC 3676), mail-client footers
  (:data:`CLIENT_FOOTERS`, last lines only), and a trailing block of short, unpunctuated lines
  (name, title, company, contact lines) anchored by a contact or name placeholder, or by a
  sign-off line ending in a comma just above it; that sign-off goes too;
- ``greetings``: a salutation (one of the first two lines, four words or fewer, ending in a comma,
  with text after it: "Hi team,", "Dear [NAME],") and a closing line of the same shape;
- ``urls``: ``http(s)://``, ``www.`` and bare ``host.tld/path`` links;
- ``handles``: ``@mentions`` (and a retweet's ``RT @x:``);
- ``hashtags``: the ``#`` goes, the word stays, CamelCase is split ("#LostLuggage" -> "Lost
  Luggage"; "#iPhone" stays whole);
- ``emoji``: pictographs by Unicode range (the ``emoji`` package is not a dependency) and ASCII
  emoticons standing alone (``:)``, ``:-(``, ``;D``, ``<3``, ``xD``);
- ``placeholders``: redaction tokens (``[NAME]``, ``[EMAIL]``, ``[PHONE]``, ``[URL]``, ``[CARD]``,
  ``[EMPLOYEE_ID]`` ...: any ``[UPPER_CASE]`` token, the form ``privacy.token_for`` writes);
- ``templates`` (corpus-level, :func:`normalise_texts` only): lines repeated verbatim in at least
  :data:`TEMPLATE_MIN_SHARE` of one source's documents (and :data:`TEMPLATE_MIN_DOCS`) are
  dropped, and a ``Key:`` prefix that frequent is cut from its line, the value kept ("Browser:
  Firefox" -> "Firefox").

Whitespace is always tidied (runs of spaces collapsed, lines stripped) and a line left without a
letter or digit is dropped, so a text can come out empty: it then has no topic. Every rule is
structural (line shape, punctuation, placeholders, dates); the only literal words are the mail
footers and Twitter's ``RT``, which software writes, not customers.

Configuration: ``NormaliseOptions.from_dict({"hashtags": False})``; in ``workspace.toml`` a table
per source, ``[sources.reviews] normalise = { hashtags = false, emoji = false }``; on the command
line ``cc-analysis topics FILE --keep hashtags,emoji`` or ``--no-normalise``.

Speed (CPU time of one process, measured on the 2-core shared machine; wall-clock figures under
a load of ~11 were 2.5x lower): 53,000 tweets/s (wnut17, 98 characters on average), 60,000 app
reviews/s, 24,000 multi-line sample-workspace tickets and comments/s; :func:`normalise_texts`
(templates included) within 10% of that.
"""

from __future__ import annotations

import html
import math
import re
from collections import Counter
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, fields
from typing import Any

TEMPLATE_MIN_SHARE = 0.2  # a line in a fifth of a source's documents is part of a form
TEMPLATE_MIN_DOCS = 5  # ... and never fewer documents than this (small corpora repeat by chance)
CLIENT_FOOTERS: tuple[str, ...] = ("sent from", "sent via", "sent with", "get outlook for")


@dataclass(frozen=True)
class NormaliseOptions:
    """Which steps run (all by default); see the module docstring for what each does."""

    html: bool = True
    quoted_replies: bool = True
    signatures: bool = True
    greetings: bool = True
    urls: bool = True
    handles: bool = True
    hashtags: bool = True
    emoji: bool = True
    placeholders: bool = True
    templates: bool = True

    @classmethod
    def from_dict(cls, spec: Mapping[str, Any] | None) -> NormaliseOptions:
        """Options from a config table of ``step = true/false``; steps not named stay on."""
        spec = dict(spec or {})
        unknown = sorted(set(spec) - set(STEPS))
        if unknown:
            raise ValueError(f"unknown normalise step(s) {', '.join(unknown)}; "
                             f"known: {', '.join(STEPS)}")
        bad = sorted(k for k, v in spec.items() if not isinstance(v, bool))
        if bad:
            raise ValueError(f"normalise step(s) {', '.join(bad)} must be true or false")
        return cls(**spec)

    @classmethod
    def keeping(cls, steps: Iterable[str]) -> NormaliseOptions:
        """Every step on except ``steps`` (what they would remove is kept): ``--keep``."""
        return cls.from_dict({s.strip(): False for s in steps if s.strip()})


STEPS: tuple[str, ...] = tuple(f.name for f in fields(NormaliseOptions))
DEFAULT = NormaliseOptions()

# --- html
_BREAK_TAG = re.compile(r"<\s*(?:br|/p|p|/div|div|li|/li|tr|/tr|hr)\b[^<>]{0,200}>", re.I)
# an address in angle brackets ("<jo@example.com>") is not a tag: the reply markers need it
_TAG = re.compile(r"<(?![^<>]*@)/?[A-Za-z][\w:-]{0,30}(?:\s[^<>]{0,300})?/?>|<!--.{0,2000}?-->",
                  re.S)

# --- quoted replies and forwarded chains
_DATE = re.compile(r"\b(?:19|20)\d\d\b|\b\d{1,2}:\d\d\b|\b\d{1,2}[/.-]\d{1,2}[/.-]\d{2,4}\b")
_ADDRESS = re.compile(r"@|\[(?:EMAIL|NAME)\]|<[^<>\s]+>")
_HEADER = re.compile(r"^[^\W\d_][\w-]*(?: [\w-]+){0,2}:(?:\s|$)")
_FENCE = re.compile(r"^[-_=*]{3,} ?[^\W\d_][^-_=*]{0,50}[-_=*]{3,}$|^[-_=*]{5,}$")
# a line that can start a chain: quoted, a fence, or ending in ":" (else a header block needs an
# address and a date in the text): texts without one skip the line-by-line search
_CHAIN_HINT = re.compile(r"^[ \t]*(?:>|[-_=*]{3})|:[ \t]*$", re.M)
_MIN_WORDS_ABOVE = 8  # fewer new words above a chain (a subject line): it is a bare forward

# --- signatures, greetings
_FOOTER = re.compile(r"^(?:" + "|".join(re.escape(f) for f in CLIENT_FOOTERS) + r")\b",
                     re.I)
_CONTACT = re.compile(r"\[(?:EMAIL|PHONE|URL)\]|[\w.+-]+@[\w-]+\.\w|https?://|www\.|"
                      r"\+?\d[\d ().-]{6,}\d")
_NAME_PLACEHOLDER = re.compile(r"\[NAME\]")
_SIG_MAX_LINES = 6  # a signature is a few lines: name, title, company, phone, e-mail
_SIG_MAX_WORDS = 6  # ... each of a few words
_SHORT = 4  # words in a salutation or sign-off line ("Dear Sir or Madam,")

# --- tokens. Each pattern starts with a literal or a character class (lookbehinds come after
# the first character) so the regex engine skips ahead to candidates instead of trying every
# position: most of the speed of this module.
_URL = re.compile(r"(?:https?://|www\.)(?:[^\s<>\"]*[^\s<>\".,;:!?)\]'}])?")
_BARE_URL = re.compile(r"\b[\w-]+(?:\.[\w-]+)*\.[a-z]{2,6}/[^\s<>\"]*[^\s<>\".,;:!?)\]'}]")
_RETWEET = re.compile(r"\bRT\b\s*(?=\.?@)")
_HANDLE = re.compile(r"@(?<![\w@]@)(?<!\w\.@)\w{1,30}:?")
_PLACEHOLDER = re.compile(r"\[[A-Z][A-Z0-9_]{1,30}\]")
_EMOJI_CHARS = ("\U0001F000-\U0001FAFF\u2600-\u27BF\u2B00-\u2BFF\u2300-\u23FF\uFE0E\uFE0F"
                "\u200D\u20E3\u3030\u303D\u3297\u3299\U000E0020-\U000E007F")
_EMOJI = re.compile(f"[{_EMOJI_CHARS}]+")
_NOT_AFTER = r"[\w:/<>^]"  # an emoticon stands alone: not glued to a word, a time or a tag
_EMOTICON = re.compile(
    rf"(?:[:;=](?<!{_NOT_AFTER}[:;=])(?:[-'^o]?[()\[\]DPpOo/\\|*3@$]+|'\()"
    rf"|[xX](?<!{_NOT_AFTER}[xX])D+|<(?<!{_NOT_AFTER}<)3+|\^(?<!{_NOT_AFTER}\^)[_-]*\^"
    r"|T(?<!\wT)_T|-(?<!\w-)_-)(?=\s|$|[,.!?])")
_GLUED_TAG = re.compile(r"(?<=\w)#(?=[^\W\d_])")
_HASHTAG = re.compile(r"#(?<![\w&#]#)(\w*[^\W\d_]\w*)")
_CAMEL = re.compile(r"(?<=[a-z])(?=[A-Z])|(?<=[A-Z])(?=[A-Z][a-z])|(?<=[A-Za-z])(?=\d)"
                    r"|(?<=\d)(?=[A-Za-z])")

# --- tidying
_SPACES = re.compile(r"[^\S\n]{2,}|[^\S\n ]")  # runs of spaces, tabs, no-break spaces ...
_EMPTY_BRACKETS = re.compile(r"\(\s*\)|\[\s*\]|<\s*>|\{\s*\}")
_SPACE_BEFORE_PUNCT = re.compile(r" +(?=[,.;:!?)\]](?:\s|$))")  # "call [PHONE]." -> "call."
_LEADING_JUNK = " \t:;,|~•–—-"  # left at a line's start once a handle or marker is gone
_ALNUM = re.compile(r"[^\W_]")
_KEY = re.compile(r"^([^\W\d_][\w '/-]{0,38}):(?:\s+|$)")


def normalise_text(text: str, options: NormaliseOptions = DEFAULT) -> str:
    """One text with what is not the customer's words taken out (see the module docstring);
    ``""`` when nothing is left. The corpus-level ``templates`` step needs
    :func:`normalise_texts`."""
    if not isinstance(text, str) or not text:
        return ""
    o = options
    if o.html and ("<" in text or "&" in text):
        text = _html(text)
    if "\n" in text or "\r" in text:
        lines = [line.strip() for line in text.splitlines()]
        if o.quoted_replies and (_CHAIN_HINT.search(text)
                                 or (_ADDRESS.search(text) and _DATE.search(text))):
            lines = _drop_quoted(lines)
        if o.signatures:
            lines = _drop_signature(lines)
        if o.greetings:
            lines = _drop_salutations(lines)
        text = "\n".join(lines)
    elif o.quoted_replies and text.lstrip().startswith(">"):
        text = text.lstrip()[1:]
    before = text
    if o.urls and ("://" in text or "www." in text):
        text = _URL.sub(" ", text)
    if o.urls and "/" in text and "." in text:
        text = _BARE_URL.sub(" ", text)
    if o.handles and "@" in text:
        if "RT" in text:
            text = _RETWEET.sub("", text)
        text = _HANDLE.sub(" ", text)
    if o.placeholders and "[" in text:
        text = _PLACEHOLDER.sub(" ", text)
    if o.emoji:
        if not text.isascii():
            text = _EMOJI.sub(" ", text)
        text = _EMOTICON.sub(" ", text)
    if text != before:
        # what was removed leaves no space before the punctuation that followed it
        text = _SPACE_BEFORE_PUNCT.sub("", text)
    if o.hashtags and "#" in text:
        text = _HASHTAG.sub(_hashtag_words, _GLUED_TAG.sub(" #", text))
    return _tidy(text, keep_emoji=not o.emoji)


def normalise_texts(texts: Sequence[Any],
                    options: NormaliseOptions | Mapping[Any, NormaliseOptions] | None = None,
                    sources: Sequence[Any] | None = None) -> list[str]:
    """Every text normalised (non-strings become ``""``). ``options``: one set for all, or a
    mapping source -> options (sources it does not name get the defaults; needs ``sources``);
    ``None`` is the defaults. ``sources``: each text's source; the ``templates`` step looks for
    repeated lines within each source (within the whole corpus without ``sources``)."""
    if sources is not None and len(sources) != len(texts):
        raise ValueError(f"{len(texts)} texts but {len(sources)} sources")
    group = list(sources) if sources is not None else [None] * len(texts)
    if isinstance(options, Mapping):
        if sources is None:
            raise ValueError("per-source normalise options need each text's source")
        opts = [options.get(s, DEFAULT) for s in group]
    else:
        opts = [options or DEFAULT] * len(texts)
    out = [normalise_text(t, o) for t, o in zip(texts, opts, strict=True)]
    by_source: dict[Any, list[int]] = {}
    for i, (s, o) in enumerate(zip(group, opts, strict=True)):
        if o.templates:
            by_source.setdefault(s, []).append(i)
    for idx in by_source.values():
        kept = _drop_templates([out[i] for i in idx], keep_emoji=not opts[idx[0]].emoji)
        for i, text in zip(idx, kept, strict=True):
            out[i] = text
    return out


def count_emptied(texts: Sequence[Any], normalised: Sequence[str]) -> int:
    """Documents that had text before normalising and have none after."""
    return sum(1 for t, n in zip(texts, normalised, strict=True)
               if isinstance(t, str) and t.strip() and not n)


def _html(text: str) -> str:
    if "<" in text:
        text = _TAG.sub(" ", _BREAK_TAG.sub("\n", text))
    for _ in range(2):  # "&amp;#39;" is an apostrophe encoded twice
        if "&" not in text:
            break
        text = html.unescape(text)
    return text


def _words(lines: Sequence[str]) -> int:
    return sum(len(line.split()) for line in lines)


# The line steps below take the text's lines stripped ("" for a blank line: a paragraph break
# ends a header block).


def _header_end(lines: Sequence[str], i: int) -> int:
    """The end of the run of ``Key: value`` lines starting at ``i`` (``i`` when none)."""
    j = i
    while j < len(lines) and _HEADER.match(lines[j]):
        j += 1
    return j


def _chain_end(lines: Sequence[str], i: int) -> int | None:
    """Where the markers of a quoted or forwarded chain starting at (non-blank) line ``i`` end
    (the attribution line; or the intro line and the header block), or None when none starts
    there."""
    s = lines[i]
    fence = s[0] in "-_=*" and bool(_FENCE.match(s))
    # an intro line: a fence ("-----Original Message-----", a rule line) or a short line ending
    # in ":" ("Begin forwarded message:")
    intro = fence or (s[-1] == ":" and len(s.split()) <= _SHORT + 1)
    if not intro and not (s[-1] == ":" or _HEADER.match(s)):
        return None  # most lines: nothing starts here
    nxt = next((k for k in range(i + 1, len(lines)) if lines[k]), len(lines))
    if s[-1] == ":" and _DATE.search(s) and len(s.split()) <= 30 and (
            _ADDRESS.search(s) or (nxt < len(lines) and lines[nxt][0] == ">")):
        return i + 1  # "On Mon, 3 Jun 2024 at 10:02, [NAME] <[EMAIL]> wrote:"
    start = nxt if intro else i
    end = _header_end(lines, start)
    if end - start < 2:
        return None
    block = " ".join(lines[start:end])
    dated, addressed = bool(_DATE.search(block)), bool(_ADDRESS.search(block))
    if end - start >= 3 and dated and addressed:
        return end
    # under a labelled fence two header lines are enough, and one of date or address
    if fence and any(c.isalpha() for c in s) and (dated or addressed):
        return end
    return None


def _drop_quoted(lines: list[str]) -> list[str]:
    out: list[str] = []
    i = 0
    while i < len(lines):
        end = _chain_end(lines, i) if lines[i] else None
        if end is None:
            out.append(lines[i])
            i += 1
        elif _words([x for x in out if x[:1] != ">"]) >= _MIN_WORDS_ABOVE:
            break  # new text above: the rest is the chain
        else:
            i = end  # a bare forward: its text is the customer's, only the markers go
    new = [x for x in out if x[:1] != ">"]
    return new if any(new) else [x[1:] if x[:1] == ">" else x for x in out]


def _sig_like(line: str) -> bool:
    """A line that can sit in a signature block: short, and contact details or unpunctuated
    with capitalised words (a name, a title, a company)."""
    words = line.split()
    if len(words) > _SIG_MAX_WORDS:
        return False
    if _CONTACT.search(line):
        return True
    if line[-1] in ".?:;":
        return False
    first = words[0][0]
    return ((first.isupper() or first == "[")
            and sum(w[0].islower() for w in words) <= 1)


def _drop_signature(lines: list[str]) -> list[str]:
    if "--" in lines[1:]:
        lines = lines[:lines.index("--", 1)]
    body = [k for k, x in enumerate(lines) if x]
    footers = [k for k in body[-3:] if len(lines[k].split()) <= 8 and _FOOTER.match(lines[k])]
    if footers:
        lines = [x for k, x in enumerate(lines) if k not in footers]
        body = [k for k, x in enumerate(lines) if x]
    block: list[int] = []
    for k in reversed(body):
        if len(block) == _SIG_MAX_LINES or not _sig_like(lines[k]):
            break
        block.append(k)
    block.reverse()
    commas = [k for k in block if lines[k][-1] == "," and len(lines[k].split()) <= _SHORT]
    if commas and commas[-1] != block[-1]:
        return lines[:commas[-1]]  # "Best regards," above the name
    anchors = [j for j, k in enumerate(block) if _CONTACT.search(lines[k])
               or _NAME_PLACEHOLDER.search(lines[k])]
    if anchors:
        j = anchors[0]
        if j > 0 and len(lines[block[j - 1]].split()) <= _SHORT:
            j -= 1  # "Regards" above "[NAME]"
        return lines[:block[j]]
    return lines


def _drop_salutations(lines: list[str]) -> list[str]:
    body = [k for k, x in enumerate(lines) if x]
    if len(body) < 2:
        return lines

    def short_comma(k: int) -> bool:
        return lines[k][-1] == "," and len(lines[k].split()) <= _SHORT

    first = next((k for k in body[:2] if short_comma(k) and k != body[-1]), None)
    last = body[-1] if short_comma(body[-1]) else None  # a closing "Thanks," with no name
    if first is None and last is None:
        return lines
    return [x for k, x in enumerate(lines) if k != first and k != last]


def _hashtag_words(m: re.Match[str]) -> str:
    tag = m.group(1).replace("_", " ")
    return tag if tag[0].islower() else _CAMEL.sub(" ", tag)


def _tidy(text: str, keep_emoji: bool = False) -> str:
    if "(" in text or "[" in text or "<" in text or "{" in text:
        text = _EMPTY_BRACKETS.sub("", text)
    text = _SPACES.sub(" ", text)
    out = []
    for line in text.split("\n"):
        line = line.strip().lstrip(_LEADING_JUNK)
        if line[:2] == ". ":  # ". @name said ..." once the handle is gone
            line = line[2:]
        if line and (_ALNUM.search(line) or (keep_emoji and _EMOJI.search(line))):
            out.append(line)
    return "\n".join(out)


def _drop_templates(texts: list[str], keep_emoji: bool = False) -> list[str]:
    """Lines (and ``Key:`` prefixes) repeated in a large share of these documents removed."""
    line_docs: Counter[str] = Counter()
    key_docs: Counter[str] = Counter()
    for t in texts:
        lines = set(t.split("\n"))
        if len(lines) < 2:
            continue  # a one-line document is the customer's own text, not a form
        line_docs.update(lines)
        key_docs.update({m.group(1) for x in lines if (m := _KEY.match(x))})
    need = max(TEMPLATE_MIN_DOCS, math.ceil(TEMPLATE_MIN_SHARE * len(texts)))
    lines_t = {x for x, n in line_docs.items() if n >= need}
    keys = {k for k, n in key_docs.items() if n >= need}
    if not lines_t and not keys:
        return texts
    out = []
    for t in texts:
        kept = []
        for x in t.split("\n"):
            if x in lines_t:
                continue
            m = _KEY.match(x) if keys else None
            if m and m.group(1) in keys:
                x = x[m.end():]
            if x:
                kept.append(x)
        out.append(_tidy("\n".join(kept), keep_emoji))
    return out
