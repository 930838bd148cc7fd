"""Person names the caller does not know, found with gazetteers and cues.

Owns the last layer of redaction. A first name from the lexicon followed by capitalised
surname-like tokens, an unambiguous first name alone, and, after a cue ("my name is", "ask for",
"thanks,", "Dr."), also ambiguous first names ("Will", "Grace") and capitalised tokens the
gazetteer does not know. Names must be capitalised, or be a first name and a surname written
together in lower case or all caps ("priya raman", "JOHN SMITH"); a lower-case first name
alone, a lower-case surname the dictionary knows ("john smith"), unknown surnames alone
without a title and nicknames are missed. A first name that is also an everyday word is taken
only with a frequent surname or a cue, so "Mark White" (two everyday words) is missed; some
capitalised non-names next to a first name are over-redacted ("Morgan Stanley"): add product
and company names to ``allow_names``.
"""

from __future__ import annotations

import re

from .lexicon import (
    MONTHS,
    ORG_SUFFIXES,
    PLACE_SUFFIXES,
    PROPER_WORD_SURNAMES,
    WORD_SURNAMES,
    Lexicon,
    dictionary_words,
    fold,
)
from .patterns import phrase_alternatives

# Capitalised, name-shaped tokens (Latin-1 and Latin Extended-A letters), with a possessive.
_UP, _LO = "A-ZÀ-ÖØ-ÞĀ-ſ", "a-zß-öø-ÿĀ-ſ"
_TOKEN_RE = re.compile(
    rf"(?=[{_UP}])(?<![\w@./\\-])(?P<core>(?:[OD]['’])?(?:Mc|Mac|De|Di|Da|La|Le|Van|Von|Du|Fitz)?"
    rf"[{_UP}][{_LO}]+(?:-(?:[OD]['’])?(?:Mc|Mac)?[{_UP}][{_LO}]+)?)"
    rf"(?P<poss>['’]s)?(?!\w|['’][{_LO}])")
def _uncased(word: str) -> bool:
    """Written in lower case or all caps, so its case says nothing of a name."""
    return word.islower() or (word.isupper() and len(word) > 1)


_PUNCTUATION = str.maketrans({c: " " for c in ".,;:!?()[]{}\"'’“”/&*-_=+<>|~`^%$#@0123456789"})
_PLAIN_WORD_RE = re.compile(rf"(?<![\w@./\\-])[{_UP}{_LO}]+(?![\w@])")
# what may sit between the parts of one name: a space, a middle initial or a particle
_GAP_RE = re.compile(
    rf"[ \t]+(?:[{_UP}]\.?[ \t]+|(?:de la|de los|van der|van den|von der|de|del|della|da|das|"
    r"dos|do|du|van|von|der|den|di|le|la|bin|ibn|al|el|ter|st\.?)[ \t]+)?")
# Cues before a name, the phrases each kind of cue is made of. title: "Dr." (surnames welcome;
# letter case matters); greet / signoff: "Hi", "Thanks," (the name must then end at
# punctuation or the line end: "Hello, Lately we ..." is a sentence; a sign-off needs its
# comma, "!", dash or line break, "regards" does not); strong: "my name is", "ask for"; weak:
# "I'm", "met with" (only gazetteer names, or two unknown capitalised tokens).
NAME_TITLES = ("Mr", "Mrs", "Ms", "Mx", "Dr", "Prof", "Mister", "Miss", "Madam", "Mme")
NAME_CUES: dict[str, tuple[str, ...]] = {
    "signoff": ("thanks", "thank you", "many thanks", "cheers", "best", "best wishes",
                "sincerely", "yours", "signed", "warmly"),
    "regards": ("regards", "kind regards", "best regards", "warm regards"),
    "greet": ("hi", "hello", "hey", "dear"),
    "strong": ("my name is", "my name's", "my name’s", "ask for", "asked for", "asking for",
               "talk to", "talk with", "talked to", "talked with", "talking to", "talking with",
               "speak to", "speak with", "speaking to", "speaking with", "spoke to", "spoke with",
               "spoken to", "spoken with", "chat with", "chatted with", "chatting with", "attn"),
    "weak": ("i'm", "i’m", "i am", "this is", "call me", "named", "thanks", "thank you",
             "met with", "meeting with", "worked with", "working with", "contact", "contacted",
             "emailed", "introduced", "my manager", "my boss", "my colleague", "my coworker",
             "my co-worker", "my lead", "my director", "my admin", "my contact"),
}


# every cue starts with one of these letters: the regex engine skips straight to them
_CUE_FIRST = "".join(sorted({p[0].lower() for p in (*NAME_TITLES, *(x for v in NAME_CUES.values()
                                                                    for x in v))}))
_CUE_RE = re.compile(
    rf"\b(?=[{_CUE_FIRST}])(?:(?P<title>\b(?-i:{phrase_alternatives(NAME_TITLES)})\b\.?)"
    rf"|(?P<signoff>\b(?:(?:{phrase_alternatives(NAME_CUES['signoff'])})[ \t]*(?:,|!|\r?\n|--?)"
    rf"|(?:{phrase_alternatives(NAME_CUES['regards'])})\b[ \t]*[,!]?))"
    rf"|(?P<greet>\b(?:{phrase_alternatives(NAME_CUES['greet'])})\b[ \t]*,?)"
    rf"|(?P<strong>\b(?:{phrase_alternatives(NAME_CUES['strong'])})\b[,:]?)"
    rf"|(?P<weak>\b(?:{phrase_alternatives(NAME_CUES['weak'])})\b))"
    r"[ \t]*(?:\r?\n[ \t]*){0,2}", re.IGNORECASE)
# how a name after a greeting or sign-off ends: "Hi Will," "Thanks, Zorblax!" "Regards,\nAl Ng"
_NAME_END_RE = re.compile(r"[ \t]*(?:[,.!?:;)\r\n]|$|--?[ \t]|[–—]|(?:from|at|and|here)\b)")
# "St. Louis", "San Francisco", "Fort Collins", "Lake Charles" are places
_PLACE_BEFORE_RE = re.compile(
    r"\b(?:St|Ste|Saint|San|Santa|Fort|Ft|Port|Mount|Mt|Lake|Cape)\.?[ \t]+$")
_TITLE_BEFORE_RE = re.compile(rf"\b(?:{phrase_alternatives(NAME_TITLES)})\.?[ \t]+$")
_SUFFIX_RE = re.compile(r",? (?:Jr\.?|Sr\.?|II|III|IV|MD|DDS|PhD|DVM|Esq\.?)(?![\w])")

# a name-shaped token: (start, end of the name, the name, end including a possessive "'s")
Token = tuple[int, int, str, int]


class NameFinder:
    """Finds person names by gazetteer and cues; ``allow`` holds folded words never taken as
    names (the single words of the policy's ``allow_names``)."""

    def __init__(self, lexicon: Lexicon, allow: frozenset[str]) -> None:
        self._lex = lexicon
        self._allow = allow
        self._everyday = lexicon.common | lexicon.english | lexicon.ambiguous | allow
        # first names that may be recased: no everyday word (see _recased)
        self._plain_first = lexicon.first - self._everyday
        self._plain_first_lower = frozenset(k.lower() for k in self._plain_first)

    def find(self, text: str) -> list[tuple[int, int]]:
        """Person names by gazetteer and cues (text has other spans masked out)."""
        text = self._recased(text)
        toks = [(m.start(), m.end("core"), m.group("core"), m.end())
                for m in _TOKEN_RE.finditer(text)]
        if not toks:
            return []
        lex, allow = self._lex, self._allow
        first, ambiguous, common = lex.first, lex.ambiguous, lex.common
        out: list[tuple[int, int]] = []
        cues: dict[int, str] | None = None
        n, i = len(toks), 0
        while i < n:
            s, e, core, _pe = toks[i]
            if not core[0].isupper():
                i += 1
                continue
            key = fold(core)
            if key in allow:
                i += 1
                continue
            if key in common and key not in first:
                # a word ("Price", "Good") is a name only right after a title: "Dr. Price"
                if key in lex.surnames and _TITLE_BEFORE_RE.search(text, max(0, s - 8), s):
                    j = self._extend(text, toks, i, strong=True)
                    out.append((s, self._with_suffix(text, toks[j][1])))
                    i = j + 1
                    continue
                i += 1
                continue
            if key in first and _PLACE_BEFORE_RE.search(text, max(0, s - 7), s):
                i += 1
                continue
            if key in first:
                amb = key in ambiguous
                j = self._extend(text, toks, i, strong=not amb)
                if j > i:
                    out.append((s, self._with_suffix(text, toks[j][1])))
                    i = j + 1
                    continue
                if not amb and len(core) > 2:
                    out.append((s, e))
                    i += 1
                    continue
            # everything else needs a cue right before it
            if cues is None:
                cues = {m.end(): _cue_kind(m) for m in _CUE_RE.finditer(text)}
            cue = cues.get(s)
            if cue:
                j = self._cued(text, toks, i, key, cue)
                if j >= i:
                    out.append((s, self._with_suffix(text, toks[j][1])))
                    i = j + 1
                    continue
            i += 1
        return out

    def _recased(self, text: str) -> str:
        """``text`` with names written in lower case or all caps given their capitals ("priya
        raman", "JOHN SMITH"), so the rules below read them; the same length, so offsets
        hold. Only a first name and a surname together, neither an everyday word, are
        recased: alone, a lower-case "jean", "tad" or "cami" is a word as often as a name
        (clothing reviews), and "will", "mark", "grace" always are."""
        lex, plain_first = self._lex, self._plain_first
        # most texts hold no uncased first name at all: one C-level pass says so
        if self._plain_first_lower.isdisjoint(text.lower().translate(_PUNCTUATION).split()) \
                and text.isascii():
            return text
        words = None
        chars: list[str] | None = None
        for a in _PLAIN_WORD_RE.finditer(text):
            first = a.group()
            if len(first) < 3 or (first.upper() if first.isascii() else fold(first)) \
                    not in plain_first or not _uncased(first):
                continue
            if words is None:
                words = {m.start(): m for m in _PLAIN_WORD_RE.finditer(text)}
            b = words.get(a.end() + 1)
            if b is None or text[a.end()] != " ":
                continue
            last = b.group()
            kl = fold(last)
            # in lower case, a surname the dictionary knows is a word ("bell shape", "paige
            # jeans"); all caps is shouting, where the name lists alone decide
            if (_uncased(last) and len(last) > 1 and kl in lex.surnames
                    and kl not in self._everyday
                    and not (last.islower() and last in dictionary_words())):
                if chars is None:
                    chars = list(text)
                for m, w in ((a, first), (b, last)):
                    cased = w[0].upper() + w[1:].lower()
                    if len(cased) == len(w):
                        chars[m.start():m.end()] = cased
        return "".join(chars) if chars is not None else text

    def _cued(self, text: str, toks: list[Token], i: int, key: str, cue: str) -> int:
        """Index of the last token of a name starting at token i after a cue, or -1."""
        lex = self._lex
        if key in lex.first:  # an ambiguous first name ("thanks, Will"; "Hi June")
            if cue in ("weak", "greet_weak") and key in MONTHS:
                return -1
            j = self._extend(text, toks, i, strong=True)
        elif key in self._allow:
            return -1
        elif cue == "title":  # "Mr. Long", "Dr. Price": surnames welcome
            if key in lex.common and key not in lex.surnames:
                return -1
            return self._extend(text, toks, i, strong=True)
        elif key in lex.common or key in lex.english:
            return -1
        else:
            j = self._extend(text, toks, i, strong=True, unknown_only=True)
            if cue in ("weak", "greet_weak") and j == i:
                return -1  # "I'm Canadian", "Hello, Frakly, ...": one unknown word is not enough
            if j + 1 < len(toks) and fold(toks[j + 1][2]) in ORG_SUFFIXES \
                    and text[toks[j][3]:toks[j + 1][0]] == " ":
                return -1  # "thanks, Acme Corp"
        if cue in ("greet", "greet_weak", "signoff") and not _NAME_END_RE.match(text, toks[j][3]):
            return -1
        return j

    def _extend(self, text: str, toks: list[Token], i: int, *,
                strong: bool, unknown_only: bool = False) -> int:
        """Index of the last surname-like token following token i (i itself if none)."""
        lex, allow = self._lex, self._allow
        j, n = i, len(toks)
        while j + 1 < n and j - i < 3:
            _s, e, _core, pe = toks[j]
            if pe != e:  # a possessive ends the name
                break
            ns, ne, ncore, _npe = toks[j + 1]
            gap = text[e:ns]
            if gap != " " and not _GAP_RE.fullmatch(gap):
                break
            key = fold(ncore)
            if key in allow or key in PLACE_SUFFIXES or not ncore[0].isupper():
                break
            if unknown_only:
                ok = key not in lex.common and key not in lex.english
            elif key in lex.common:
                # "Jennifer Price" and "Jennifer May" are names, "Jennifer May 3rd" is not;
                # after "Mark" only a place-like one ("Mark Washington", not "Mark Price")
                ok = (j == i and key in WORD_SURNAMES and key in lex.frequent_surnames
                      and (strong or key in PROPER_WORD_SURNAMES)
                      and not (key in MONTHS and text[ne:ne + 2].strip()[:1].isdigit()))
            elif strong:
                ok = (key in lex.surnames or key not in lex.english
                      or ("-" in key and any(p in lex.surnames for p in key.split("-"))))
            else:  # after "Will", "Spring", "Grace": only a frequent surname ("Spring Boot")
                ok = (key in lex.frequent_surnames and key not in lex.english) or (
                    "-" in key and any(p in lex.frequent_surnames for p in key.split("-")))
            if not ok:
                break
            j += 1
        return j

    @staticmethod
    def _with_suffix(text: str, end: int) -> int:
        """The end of a name with its suffix (", Jr.", " PhD") when one follows."""
        m = _SUFFIX_RE.match(text, end)
        return m.end() if m else end


def _cue_kind(m: re.Match[str]) -> str:
    kind = m.lastgroup or ""
    if kind == "greet" and ("," in m.group() or "\n" in m.group()):
        return "greet_weak"  # "Hello, Frakly, ..." (a typo) vs "Hi Zorblax," (a name)
    return kind
