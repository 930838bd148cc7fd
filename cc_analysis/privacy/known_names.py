"""Names the caller knows (ticket requesters, interview speakers), found wherever they recur.

Owns the second layer of redaction: each known name is replaced, by its pseudonym when one is
given, written in full in any case, with a middle initial or after a first initial ("Priya R.
Raman", "P. Raman"), as a first name alone and in the possessive; a surname alone too unless it
is an everyday word. A name that is no everyday word matches in any case ("okafor"); one that
is such a word ("Will", "Grace") only capitalised, and not at a sentence start or before
another capitalised word ("Reports Will Not Load"). Handles ("kim77") match as written.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping

from .lexicon import Lexicon, fold
from .policy import NAME_TOKEN, mask_spans

_TITLE_CASE_NEXT_RE = re.compile(r" [A-Z][a-z]")
_HANDLE_RE = re.compile(r"[\d_@]")  # user names and handles rather than person names
_ANYWORD_RE = re.compile(r"[^\W\d_]+(?:['’-][^\W\d_]+)*")
_SENTENCE_END = frozenset(".!?\n\r:;…")
_OPENERS = frozenset(" \t\"“‘'([*•>-–—")


# a capital initial standing alone right before a name ("P. Raman", "J Smith")
_INITIAL_BEFORE_RE = re.compile(r"(?<![\w.'’-])[A-Z]\.? ?$")


_INITIAL_GAP_RE = re.compile(r"\.?\s+")


def _is_initial(word: str) -> bool:
    return len(word) == 1 and word.isupper()


def _sentence_initial(text: str, pos: int) -> bool:
    k = pos - 1
    while k >= 0 and text[k] in _OPENERS:
        k -= 1
    return k < 0 or text[k] in _SENTENCE_END


class KnownNames:
    """Caller-supplied names: matched through a word scan and dict lookups, not a huge regex
    alternation (thousands of ticket requesters would make that slow)."""

    def __init__(self, known: Mapping[str, str] | Iterable[str], lex: Lexicon) -> None:
        if isinstance(known, str):
            known = [known]
        items = list(known.items()) if isinstance(known, Mapping) else [(n, None) for n in known]
        explicit: dict[tuple[str, ...], str] = {}
        derived: dict[tuple[str, ...], set[str]] = {}
        handles: dict[str, str] = {}
        for name, alias in items:
            repl = str(alias) if alias else NAME_TOKEN
            if _HANDLE_RE.search(str(name)):  # "kim77", "j_doe": matched as written
                handles[str(name).strip().casefold()] = repl
                continue
            words = tuple(w.casefold() for w in _ANYWORD_RE.findall(str(name)))
            if not words:
                continue
            explicit[words] = repl
            if len(words) > 1:  # first name alone; surname alone unless an everyday word
                if len(words[0]) > 2:
                    derived.setdefault(words[:1], set()).add(repl)
                last = fold(words[-1])
                if len(words[-1]) > 2 and not (last in lex.common or last in lex.english
                                               or last in lex.ambiguous):
                    derived.setdefault(words[-1:], set()).add(repl)
        entries = {k: (next(iter(v)) if len(v) == 1 else NAME_TOKEN) for k, v in derived.items()}
        entries.update(explicit)
        # the first name of a known full name (derived, or given as a variant of it): followed
        # by another surname, it is someone else ("Matthew Hardin" is not our "Matthew Smith")
        self.first_names = {k[0] for k in entries if len(k) == 1
                            and any(len(w) > 1 and w[0] == k[0] for w in explicit)}
        self.by_first: dict[str, list[tuple[tuple[str, ...], str]]] = {}
        for words, repl in sorted(entries.items(), key=lambda kv: -len(kv[0])):
            self.by_first.setdefault(words[0], []).append((words, repl))
        self.handles = handles
        self.handles_re = re.compile(
            r"(?<![\w.@-])(?:" + "|".join(map(re.escape, sorted(handles, key=len, reverse=True)))
            + r")(?![\w@-])", re.IGNORECASE) if handles else None
        # single words that are also everyday words are skipped at a sentence start
        self.wordlike = {k[0] for k in entries if len(k) == 1 and (
            fold(k[0]) in lex.ambiguous or fold(k[0]) in lex.common
            or fold(k[0]) in lex.english)}

    def __bool__(self) -> bool:
        return bool(self.by_first or self.handles)

    def find(self, text: str) -> list[tuple[int, int, str]]:
        out: list[tuple[int, int, str]] = []
        if self.handles_re is not None:
            out.extend((m.start(), m.end(), self.handles[m.group().casefold()])
                       for m in self.handles_re.finditer(text))
            if out:
                text = mask_spans(text, out)
        words = list(_ANYWORD_RE.finditer(text))
        n, i = len(words), 0
        while i < n:
            w = words[i].group().casefold()
            poss = False
            cands = self.by_first.get(w)
            if cands is None and w.endswith(("'s", "’s")):  # "Priya's"
                poss, cands = True, self.by_first.get(w[:-2])
            hit = None
            for cand, repl in cands or ():
                end = self._match(text, words, i, cand, poss)
                if end is not None:
                    hit = (end, repl, len(cand))
                    break
            if hit is None:
                i += 1
                continue
            end, repl, used = hit
            if used > 1:
                used = self._last_word - i + 1
            if used == 1 and not poss and (nxt := self._surname_after(text, words, i)):
                # a name written whole goes whole: "Priya Raman" when "Priya" is known, and a
                # known first name with someone else's surname is that someone: [NAME]
                end = nxt.end() - 2 if nxt.group().endswith(("'s", "’s")) else nxt.end()
                if w in self.first_names:
                    repl = NAME_TOKEN
                used = 2
            start = words[i].start()
            initial = _INITIAL_BEFORE_RE.search(text, max(0, start - 4), start)
            if initial:  # "P. Raman": the initial goes with the name
                start = initial.start()
            out.append((start, end, repl))
            i += used
        return out

    @staticmethod
    def _surname_after(text: str, words: list[re.Match[str]], i: int) -> re.Match[str] | None:
        """The capitalised word right after ``words[i]`` (one space between them, no sentence
        end), read as that person's surname; None when there is none."""
        if i + 1 >= len(words):
            return None
        cur, nxt = words[i], words[i + 1]
        word = nxt.group()
        if text[cur.end():nxt.start()] != " " or not (word[0].isupper() and word[1:2].islower()):
            return None
        return nxt

    def _match(self, text: str, words: list[re.Match[str]], i: int, cand: tuple[str, ...],
               poss: bool) -> int | None:
        m = words[i]
        if len(cand) == 1:
            word = m.group()
            # an everyday word only when capitalised: "Grace" the person, not "grace" the
            # word; other names in any case ("okafor was here")
            if not word[0].isupper() and cand[0] in self.wordlike:
                return None
            core_end = m.end() - 2 if poss else m.end()
            if cand[0] in self.wordlike and not poss:
                # "Will you ...?" and "Reports Will Not Load" are the word; "Will:" and
                # "asked Will." the person
                if _sentence_initial(text, m.start()) and text[core_end:core_end + 1] not in ",:":
                    return None
                if _TITLE_CASE_NEXT_RE.match(text, core_end):
                    return None
            return core_end
        if poss:
            return None
        j = i  # the word matched last; a middle initial between the names is skipped
        for k in range(1, len(cand)):
            j += 1
            if j < len(words) and _is_initial(words[j].group()) and len(cand[k]) > 1 \
                    and text[words[j - 1].end():words[j].start()].isspace():
                j += 1
            if j >= len(words):
                return None
            prev, cur = words[j - 1], words[j]
            gap = text[prev.end():cur.start()]
            if not (gap.isspace() or (_is_initial(prev.group())
                                      and _INITIAL_GAP_RE.fullmatch(gap))):
                return None
            w = cur.group().casefold()
            last = k == len(cand) - 1
            if w != cand[k] and not (last and w.endswith(("'s", "’s")) and w[:-2] == cand[k]):
                return None
        self._last_word = j
        last_m = words[j]
        return last_m.end() - 2 if last_m.group().casefold() != cand[-1] else last_m.end()

