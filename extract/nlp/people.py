"""People named in minutes: members, officers, police, partners, authors.

Component ``minutes_people`` fills ``Doc._.person_mentions`` with one
:class:`~extract.records.PersonMention` per place a person is named, with the
honorific, first name, surname, role and organisation the context gives.

Minutes name people in a handful of shapes, each a "family" here:

* honorific or rank + name: "Superintendent Leach", "Ms O-Dwyer", "Cllr",
  "Chief Supt Mark Ricketts", "Mr R W Gough"; plural "Councillors A, B and C";
* attendance lists after a label: "PRESENT: Mr R W Gough (Chairman), ...",
  "IN ATTENDANCE: Dr A Ghosh (Director of Public Health)", "Apologies for
  absence were received from ...", one-name-per-line membership lists;
* role lines: "Report Author: Peter Clifton", "Contact: Salar Rida";
* signatory and item-header blocks: a name line followed by title and
  organisation lines ("Leo Boland / Chief Executive / Barnet Council");
* bare full names with evidence: a role or organisation in apposition
  ("Peter Clifton, Community Safety Manager, spoke", "Jane Smith – Head of
  Legal"), a role before the name ("The Chairman of the Board, Councillor
  David Longstaff", "Cabinet Member for Housing (Councillor Ann Prior)"), or
  a reporting verb after it ("Wendy Manuel introduced the project").

A bare name without such evidence is not taken: capitalised phrases in
council papers are mostly services, boards and places. Single words in a
speaker position ("Douglas said") are kept as *candidates* and accepted only
when the same document names a person with that first name or surname
(:func:`confirm_candidates`; the orchestrator does this across chunks).

Glued names from careless HTML ("KiranVagarwal") are split at the
lower-to-upper change when both halves are name-shaped and the first is not a
surname prefix (Mc, Mac, Fitz, Van ...).

All word lists (honorifics, role and organisation cues, reporting verbs, list
labels, stop words, a first-name gazetteer) are data in
``models/patterns/people_*.jsonl``.
"""

from __future__ import annotations

import bisect
import re
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, field, replace
from functools import lru_cache

from spacy.language import Language
from spacy.matcher import PhraseMatcher
from spacy.tokens import Doc

from ..records import PersonMention, Span
from ..rx.words import alternation, longest_first
from .sentences import LOWER, capitalised_tokens, expand_patterns, read_jsonl, token_arrays

# ----------------------------------------------------------------------------- vocabulary


@dataclass(frozen=True)
class Honorific:
    text: str
    gender: str | None = None  # "m" / "f" when the title says so
    plural: bool = False
    singular: str | None = None
    role: bool = False  # a title that is also an office ("Chair", "Mayor", "Commissioner")
    rank: bool = False  # police / military rank


@dataclass(frozen=True)
class PeopleVocab:
    """Everything ``people_*.jsonl`` holds, indexed for lookups (all keys lower-case)."""

    honorifics: dict[str, Honorific]
    vocatives: frozenset[str]
    role_heads: frozenset[str]
    role_modifiers: frozenset[str]
    role_labels: dict[str, bool]  # label -> is the label itself a role ("Report Author")?
    org_cues: frozenset[str]
    speech_verbs: frozenset[str]
    adverbs: frozenset[str]
    list_labels: dict[str, bool]  # label -> inline ("Apologies were received from")
    postnominals: frozenset[str]
    particles: frozenset[str]
    glue_prefixes: frozenset[str]
    not_name: dict[str, str]  # word -> kind (function, calendar, jargon, place)
    place_heads: frozenset[str]
    place_suffixes: tuple[str, ...]
    first_names: frozenset[str]
    nicknames: dict[str, frozenset[str]]  # short form -> full forms ("dave" -> {"david"})
    role_re: re.Pattern[str]
    org_re: re.Pattern[str]
    # answers of :func:`_word_ok`, which depend on these word lists only (filled as words are met)
    word_ok_cache: dict[tuple[str, str, bool, bool], bool] = field(
        default_factory=dict, init=False, repr=False, compare=False
    )
    # word -> how a bare name may start with it (see :func:`_start_code`)
    start_cache: dict[str, int] = field(default_factory=dict, init=False, repr=False, compare=False)
    # answers of :func:`classify_phrase` by phrase
    phrase_cache: dict[str, str | None] = field(default_factory=dict, init=False, repr=False, compare=False)

    def is_function(self, low: str) -> bool:
        return self.not_name.get(low) == "function"


def _alternation(words: Iterable[str]) -> re.Pattern[str]:
    body = alternation(words)
    return re.compile(rf"(?<![\w'’])(?:{body})(?![\w])", re.IGNORECASE)


@lru_cache(maxsize=8)
def load_people_vocab(patterns: str) -> PeopleVocab:
    """Read and index the people pattern files named by ``patterns`` (a glob relative to ``models/``)."""
    rows = read_jsonl(expand_patterns(patterns))
    by: dict[str, list[dict]] = {}
    for r in rows:
        by.setdefault(str(r["label"]), []).append(r)

    def words(label: str) -> frozenset[str]:
        return frozenset(str(r["pattern"]).lower() for r in by.get(label, []))

    honorifics = {
        str(r["pattern"]).lower(): Honorific(
            text=str(r["pattern"]),
            gender=r.get("gender"),
            plural=bool(r.get("plural")),
            singular=r.get("singular"),
            role=bool(r.get("role")),
            rank=bool(r.get("rank")),
        )
        for r in by.get("HONORIFIC", [])
    }
    role_heads = words("ROLE_HEAD")
    org_cues = words("ORG_CUE")
    return PeopleVocab(
        honorifics=honorifics,
        vocatives=words("VOCATIVE"),
        role_heads=role_heads,
        role_modifiers=words("ROLE_MODIFIER"),
        role_labels={str(r["pattern"]).lower(): bool(r.get("role")) for r in by.get("ROLE_LABEL", [])},
        org_cues=org_cues,
        speech_verbs=words("SPEECH_VERB"),
        adverbs=words("ADVERB"),
        list_labels={str(r["pattern"]).lower(): bool(r.get("inline")) for r in by.get("LIST_LABEL", [])},
        postnominals=words("POSTNOMINAL"),
        particles=words("PARTICLE"),
        glue_prefixes=words("GLUE_PREFIX"),
        not_name={str(r["pattern"]).lower(): str(r.get("kind", "jargon")) for r in by.get("NOT_NAME", [])},
        place_heads=words("PLACE_HEAD"),
        place_suffixes=tuple(longest_first(words("PLACE_SUFFIX"))),
        first_names=words("FIRST_NAME"),
        nicknames={
            str(r["pattern"]).lower(): frozenset(str(f).lower() for f in r.get("full", []))
            for r in by.get("NICKNAME", [])
        },
        role_re=_alternation(role_heads),
        org_re=_alternation(org_cues),
    )


# ----------------------------------------------------------------------------- phrase classes

_UNSET = object()
_CACHE_MAX = 200_000
"""Entries a per-vocabulary cache of answers keeps before it starts again (memory stays flat)."""

_ACRONYM = re.compile(r"^[A-Z][A-Z&]{1,6}s?$")
_ROMAN = frozenset({"II", "III", "IV", "VI", "VII", "VIII", "IX", "XI", "XII"})
_CONNECTORS = frozenset(
    {
        "of",
        "for",
        "and",
        "&",
        "the",
        "to",
        "in",
        "on",
        "with",
        "-",
        "–",
        "'s",
        "’s",
        "/",
        "at",
        "from",
        "de",
        "la",
        "le",
    }
)
_SPLITTERS = frozenset({"at", "from"})
_SEPARATORS = frozenset({",", "and", "&", ";"})
_CAP_PREFIXES = ("Mc", "Mac", "O'", "O’", "O-", "D'", "D’")
_PHRASE_STOPS = frozenset({",", ".", ";", ":", "(", ")", "[", "]", '"', "“", "”"})
_GLUE = re.compile(r"^([A-Z][a-z]{2,})([A-Z][a-z]{2,})$")
_DOTTED_INITIALS = re.compile(r"(?:[A-Z]\.){1,3}")
_SURNAME_SHAPE = re.compile(r"^(?:Mc[A-Z]|Mac[A-Z]|O['’-][A-Z]|[A-Z][a-z]+-[A-Z][a-z]+$)")


def clean_phrase(text: str) -> str:
    """Collapse whitespace and trim punctuation and dangling connectors."""
    out = " ".join(text.split()).strip(" ,;:-–")
    words = out.split(" ")
    while words and words[-1].lower() in {"and", "of", "the", "for", "to", "at", "from", "&", "in"}:
        words.pop()
    while words and words[0].lower() in {"the", "a", "an", "and"}:
        words.pop(0)
    out = " ".join(words).strip(" ,;:-–")
    return out.replace(" ,", ",")


def _is_acronym(word: str, vocab: PeopleVocab) -> bool:
    return (
        bool(_ACRONYM.match(word))
        and word not in _ROMAN
        and word.lower() not in vocab.postnominals
        and not vocab.is_function(word.lower())
    )


def classify_phrase(text: str, vocab: PeopleVocab) -> str | None:
    """ "role" for a job or office, "org" for an organisation, None when neither is evident.

    (Cached per vocabulary: the same role and organisation phrases come back
    in every document, and the role and organisation regexes are long.)
    """
    cache = vocab.phrase_cache
    got = cache.get(text, _UNSET)
    if got is _UNSET:
        if len(cache) >= _CACHE_MAX:
            cache.clear()
        got = cache[text] = _classify_phrase(text, vocab)
    return got  # type: ignore[return-value]


def _classify_phrase(text: str, vocab: PeopleVocab) -> str | None:
    if not text or not any(ch.isalpha() for ch in text):
        return None
    if vocab.role_re.search(text):
        return "role"
    first = text.split()[0].lower().strip("(")
    if first in vocab.role_modifiers and len(text.split()) > 1:
        return "role"
    words = [w.strip("(),.") for w in text.split()]
    if len(words) > 1 and all(w.isupper() or not w.isalpha() for w in words):
        return None  # an all-capitals line is a heading ("UNRESTRICTED ITEMS", "IN ATTENDANCE")
    if vocab.org_re.search(text):
        return "org"
    if any(_is_acronym(w, vocab) for w in words):
        return "org"
    return None


# ----------------------------------------------------------------------------- doc view


@dataclass(slots=True)  # (built for every name tried: no instance dict)
class NameParse:
    start: int  # first token of the name (after any honorific)
    end: int  # token after the name
    parts: list[str]  # name parts as written, initials included
    pieces: list[str]  # full-word parts only
    initials: list[str]

    @property
    def surname(self) -> str | None:
        return self.pieces[-1] if self.pieces else None

    @property
    def first_name(self) -> str | None:
        if len(self.pieces) >= 2 and (not self.initials or self.parts[0] == self.pieces[0]):
            return self.pieces[0]
        if self.initials:
            return self.initials[0][0]
        return None

    @property
    def name(self) -> str:
        return " ".join(self.parts)


@dataclass(slots=True)
class _Found:
    mention: PersonMention
    tok_start: int
    tok_end: int


@lru_cache(maxsize=65536)
def _name_shaped(word: str) -> bool:
    """Can the capitalised ``word`` be a name word (letters, not all capitals, no inner capitals)?"""
    letters = word.replace("-", "").replace("'", "").replace("’", "")
    if not letters.isalpha() or len(letters) < 2:
        return False
    if word.isupper():
        return False
    second_lower = letters[1:2].islower()
    inner_caps = sum(ch.isupper() for ch in letters) > 1
    # "PSPOs", "DfE" are not; "McElligott", "O'Neill", "KiranVagarwal" (glued) are
    return second_lower or not inner_caps or word.startswith(_CAP_PREFIXES) or bool(_GLUE.match(word))


class _View:
    """Token arrays for one doc, so the rules below read like string code."""

    def __init__(self, doc: Doc, vocab: PeopleVocab, wrapped_line: int) -> None:
        self.doc = doc
        # one pass over the tokens, shared with the sentence component (no Token objects)
        tk = token_arrays(doc, low=False)  # (lower case read as LOWER[txt[i]] where tested)
        self.text = tk.text
        self.vocab = vocab
        self.wrapped_line = wrapped_line
        self.n = tk.n
        self.txt = tk.txt
        self.idx = tk.idx
        self.end = tk.end
        self.ws = tk.ws
        self.space = tk.space
        self.taken = [False] * self.n
        self._line_len: dict[int, int] = {}
        self._lines: list[tuple[int, int, str]] | None = None
        self._line_starts: list[int] = []
        self.label_starts: set[int] = set()  # tokens starting a list or role-line label
        self._honorific_spans: dict[int, list[tuple[int, Honorific]]] = {}
        self._honorific_at: dict[int, tuple[int, Honorific]] = {}  # see set_honorifics
        # first token of each sentence, when the sentence component left them (else doc.sents is read);
        # where it did, the doc has sentence starts without asking spaCy
        self.sent_tokens: list[int] | None = doc.user_data.get("sent_tokens")
        self.has_sents = self.sent_tokens is not None or doc.has_annotation("SENT_START")
        self.list_starts: set[int] = set()  # tokens starting a list label
        self._sentences: dict[int, str] = {}  # sentence index -> its text, see :func:`_sentence_of`

    # --- navigation
    def tok_at(self, pos: int) -> int | None:
        """The word token starting at character ``pos``, or None."""
        t = bisect.bisect_left(self.idx, pos)
        return t if t < self.n and self.idx[t] == pos and not self.space[t] else None

    def end_char(self, i: int) -> int:
        return self.end[i]

    def next_word(self, i: int) -> int:
        """Index of the first non-space token at or after ``i`` (``n`` when none)."""
        while i < self.n and self.space[i]:
            i += 1
        return i

    def prev_word(self, i: int) -> int:
        """Index of the last non-space token before ``i`` (-1 when none)."""
        i -= 1
        while i >= 0 and self.space[i]:
            i -= 1
        return i

    def gap(self, a: int, b: int) -> str:
        """Text between token ``a`` and token ``b``."""
        return self.text[self.end[a] : self.idx[b]]

    def line_len(self, i: int) -> int:
        """Stripped length of the line holding token ``i``."""
        pos = self.idx[i]
        start = self.text.rfind("\n", 0, pos) + 1
        if start in self._line_len:
            return self._line_len[start]
        end = self.text.find("\n", pos)
        end = len(self.text) if end < 0 else end
        length = len(self.text[start:end].strip())
        self._line_len[start] = length
        return length

    def at_line_start(self, i: int) -> bool:
        j = self.prev_word(i)
        return j < 0 or self.text.find("\n", self.end[j], self.idx[i]) >= 0

    def line_end_index(self, i: int) -> int:
        """Token index just after the last word on token ``i``'s line."""
        k = i
        while k + 1 < self.n:
            nxt = self.next_word(k + 1)
            if nxt >= self.n or self.text.find("\n", self.end[k], self.idx[nxt]) >= 0:
                break
            k = nxt
        return k + 1

    def can_cross(self, a: int, b: int, incomplete: bool) -> bool:
        """May a name (or phrase) run from token ``a`` over to token ``b``?"""
        if b == a + 1:
            return True  # between neighbours at most one space (line breaks and tabs are space tokens)
        text, s, e = self.text, self.end[a], self.idx[b]
        breaks = text.count("\n", s, e)
        if breaks == 0:
            return True
        if breaks > 1 or text.find("\t", s, e) >= 0:
            return False
        return incomplete or self.line_len(a) >= self.wrapped_line

    # --- token shapes
    def is_initial(self, i: int) -> bool:
        t = self.txt[i]
        if len(t) == 1:
            return (
                t.isupper()
                and t.isalpha()
                and not (i + 2 < self.n and self.txt[i + 1] in {"-", "'", "’"} and not self.ws[i])
            )
        # "R." "R.W." "R.W.J.": only such a word can match (a capital, and a dot to end it)
        return t[-1:] == "." and len(t) <= 6 and bool(_DOTTED_INITIALS.fullmatch(t))

    def piece(self, i: int) -> tuple[int, str] | None:
        """A capitalised name word starting at ``i`` (joining "O-Dwyer", "Barrington-King").

        (Not cached: almost every index is asked once.)
        """
        txt = self.txt
        t = txt[i]
        if not t or not t[0].isupper():
            return None
        j = i + 1
        word = t
        while (
            j + 1 < self.n
            and not self.ws[j - 1]
            and txt[j] in {"-", "'", "’"}
            and not self.ws[j]
            and txt[j + 1][:1].isupper()
            and txt[j + 1].replace("'", "").isalpha()
        ):
            word += txt[j] + txt[j + 1]
            j += 2
        return (j, word) if _name_shaped(word) else None

    def set_honorifics(self, spans: dict[int, list[tuple[int, Honorific]]]) -> None:
        """Take the honorifics matched in the doc (start token -> (end token, honorific) of each match)
        and find, once, the longest at each start (see :meth:`honorific_at`)."""
        self._honorific_spans = spans
        best_at: dict[int, tuple[int, Honorific]] = {}
        for i, found in spans.items():
            best: tuple[int, Honorific] | None = None
            for j, hon in found:
                if best is None or j > best[0]:
                    best = (j, hon)
            if best is None:
                continue
            j, hon = best
            if j < self.n and self.txt[j] == "." and not self.ws[j - 1] and len(hon.text) <= 4:
                j += 1  # "Cllr." "Supt." "Dr."
            best_at[i] = (j, hon)
        self._honorific_at = best_at

    def honorific_at(self, i: int) -> tuple[int, Honorific] | None:
        """The longest honorific starting at token ``i`` (capitalised, optional trailing "."): as
        :meth:`set_honorifics` found it."""
        return self._honorific_at.get(i)

    def personal_title_at(self, i: int) -> bool:
        """A title that starts a person's name, not an office ("Mr", "Cllr"; not "Director")."""
        hon = self.honorific_at(i)
        return hon is not None and not hon[1].role and not hon[1].rank


# ----------------------------------------------------------------------------- name parsing


def _word_ok(view: _View, word: str, position: str, strict: bool, first_is_known: bool) -> bool:
    """Can ``word`` be part of a name here?

    ``position`` is "first", "middle" or "last"; ``strict`` is for bare names
    (no honorific), where jargon, role and organisation words are refused
    unless the first word is a known first name and this is the surname.
    (Cached per vocabulary: the answer depends on the word lists only.)
    """
    cache = view.vocab.word_ok_cache
    key = (word, position, strict, first_is_known)
    got = cache.get(key)
    if got is None:
        if len(cache) >= _CACHE_MAX:
            cache.clear()
        got = cache[key] = _word_ok_uncached(view.vocab, word, position, strict, first_is_known)
    return got


def _word_ok_uncached(v: PeopleVocab, word: str, position: str, strict: bool, first_is_known: bool) -> bool:
    low = word.lower()
    kind = v.not_name.get(low)
    if kind == "function" and not (position == "first" and low in v.first_names):
        return False  # "the", "And" ... but "Will Barrow", "May Okoro"
    if low in v.honorifics:
        return False
    if not strict:
        if position == "first" and low in v.vocatives:
            return False
        if position != "first" and (kind in {"jargon", "place"} or low in v.org_cues) and not first_is_known:
            return low in v.first_names or low not in v.org_cues and kind != "jargon"
        return True
    if position == "first":
        if low in v.first_names:
            return True
        return kind is None and low not in v.role_heads and low not in v.org_cues and low not in v.place_heads
    bad = kind is not None or low in v.role_heads or low in v.org_cues or low in v.place_heads
    if not bad:
        return True
    # a known first name lets a jargon word be the surname: "Steve Leader", "Mrs Anne Head"
    return position == "last" and first_is_known and kind != "calendar"


def parse_name(
    view: _View, i: int, strict: bool, max_pieces: int = 4, allow_single: bool = True
) -> NameParse | None:
    """Parse a personal name starting at token ``i``.

    ``strict`` applies the bare-name word checks (see :func:`_word_ok`).
    Returns None when no name word is found.
    """
    n = view.n
    if i >= n:
        return None  # "Present: Councillor" at the end of a page: a title with no name after it
    v = view.vocab
    txt, taken, label_starts, first_names = view.txt, view.taken, view.label_starts, v.first_names
    parts: list[str] = []
    pieces: list[str] = []
    initials: list[str] = []
    k = i
    if (
        (len(txt[k]) == 1 or txt[k][-1:] == ".")  # (what is_initial needs first, tested without a call)
        and view.is_initial(k)
        and view.at_line_start(k)
        and k + 1 < n
        and (txt[k].endswith(".") or txt[k + 1] in {".", ")"})
    ):
        # "A. Sarah Szabo" / "b) Tom Smith": a list letter when two name words follow
        nxt = view.next_word(k + 1)
        if nxt < n and txt[nxt] in {".", ")"}:
            nxt = view.next_word(nxt + 1)
        pc = view.piece(nxt) if nxt < n else None
        if pc:
            after = view.next_word(pc[0])
            if after < n and view.piece(after) and view.can_cross(pc[0] - 1, after, incomplete=False):
                k = i = nxt
    last_tok = -1
    end = i
    first_known: bool | None = None  # is the first name word a known first name (once there is one)
    word_ok_cache = v.word_ok_cache
    while k < n and len(pieces) < max_pieces:
        if last_tok >= 0 and not view.can_cross(last_tok, k, incomplete=not pieces):
            break
        t = txt[k]
        if (len(t) == 1 or t[-1:] == ".") and view.is_initial(k) and (not pieces or len(pieces) < max_pieces - 1):
            if taken[k]:
                break
            # an initial must be followed by more name on the same or a wrapped line
            nxt = view.next_word(k + 1)
            if nxt >= n or not view.can_cross(k, nxt, incomplete=True):
                break
            parts.append(t.replace(".", " ").strip() if "." in t and len(t) > 2 else t.rstrip("."))
            initials.append(t.rstrip(".").replace(".", ""))
            last_tok = k
            k = view.next_word(k + 1)
            # "R. W. Gough": skip a lone dot token after the initial
            if k < n and txt[k] == "." and not view.ws[last_tok]:
                k = view.next_word(k + 1)
            continue
        if pieces and LOWER[t] in v.particles and k + 1 < n:
            nxt = view.next_word(k + 1)
            if nxt < n and view.piece(nxt) and t[:1].islower():
                parts.append(t)
                last_tok = k
                k = nxt
                continue
        if taken[k] or k in label_starts:
            break
        pc = view.piece(k)
        if pc is None:
            break
        j, word = pc
        if pieces:
            if first_known is None:
                first_known = pieces[0].lower() in first_names
            ok = word_ok_cache.get((word, "last", strict, first_known))  # (_word_ok, its cache read inline)
            if ok is None:
                ok = _word_ok(view, word, "last", strict, first_known)
            if not ok:
                break
            if strict and first_known:
                # a jargon word accepted as surname ends the name: "Steve Leader", not "Steve Leader Board"
                low = word.lower()
                if low in v.not_name or low in v.role_heads or low in v.org_cues or low in v.place_heads:
                    pieces.append(word)
                    parts.append(word)
                    end = j
                    last_tok = j - 1
                    break
        elif not _word_ok(view, word, "first", strict, False):
            break
        pieces.append(word)
        parts.append(word)
        end = j
        last_tok = j - 1
        k = view.next_word(j)
    if not pieces:
        return None
    # a trailing particle or initial that no name word followed is not part of the name
    while parts and parts[-1] != pieces[-1]:
        parts.pop()
    if len(pieces) == 1 and len(pieces[0]) >= 6 and not pieces[0].istitle():  # (a glued name is not title-case)
        m = _GLUE.match(pieces[0])
        if m and m.group(1).lower() not in v.glue_prefixes:
            a, b = m.group(1), m.group(2)
            if a.lower() not in v.not_name and b.lower() not in v.not_name:
                idx = parts.index(pieces[0])
                parts[idx : idx + 1] = [a, b]
                pieces = [a, b]
    if len(pieces) == 1 and not allow_single and not initials:
        return None
    return NameParse(start=i, end=end, parts=parts, pieces=pieces, initials=initials)


def _bare_ok(view: _View, name: NameParse) -> bool:
    """Checks for a bare name taken on weak evidence (a reporting verb after it).

    A first word that is not a known first name but looks like a place
    ("Hendon", "Kingsbury") is refused unless the surname has a surname shape.
    """
    v = view.vocab
    if len(name.pieces) < 2 and not name.initials:
        return False
    first = name.pieces[0]
    low = first.lower()
    place_like = any(low.endswith(s) and len(low) > len(s) + 2 for s in v.place_suffixes)
    if (
        low not in v.first_names
        and not name.initials
        and place_like
        and not _SURNAME_SHAPE.match(name.pieces[-1])
    ):
        return False
    return not v.org_re.search(" ".join(name.pieces))


# ----------------------------------------------------------------------------- context: roles and organisations


@dataclass(slots=True)
class Extras:
    role: str | None = None
    organisation: str | None = None
    end: int = 0  # token after the consumed context
    evidence: bool = False  # a role head, an organisation cue or an acronym was seen


def _phrase_end(view: _View, k: int, closing: str | None = None, max_tokens: int = 30) -> int:
    """End (exclusive) of a role / organisation phrase starting at ``k``.

    Open phrases are capitalised words and connectors ("Head of Finance",
    "Children's Social Care"); they stop at punctuation, digits, a lower-case
    word, a line that is not wrapped text, and the next person's title. With
    ``closing`` the phrase runs to that character (parenthesised roles).
    """
    start, last, count = k, -1, 0
    while k < view.n and count < max_tokens:
        t = view.txt[k]
        if closing is not None:
            if t == closing:
                break
        else:
            if last >= 0 and not view.can_cross(last, k, incomplete=False):
                break
            if t in _PHRASE_STOPS or t[:1].isdigit():
                break
            if t[:1].islower() and LOWER[view.txt[k]] not in _CONNECTORS:
                break
            if view.taken[k] or k in view.label_starts or (k > start and view.personal_title_at(k)):
                break
        last = k
        k = view.next_word(k + 1)
        count += 1
    return max(k, start)


def _text(view: _View, a: int, b: int) -> str:
    """Text of tokens ``a`` .. ``b``-1."""
    if b <= a:
        return ""
    return view.text[view.idx[a] : view.end_char(b - 1)]


def _split_org(view: _View, a: int, b: int) -> tuple[str, str | None]:
    """Split "Assistant Director ... at Barnet Council" into role text and organisation."""
    for k in range(a, b):
        if LOWER[view.txt[k]] in _SPLITTERS and view.txt[k].islower():
            return _text(view, a, k), clean_phrase(_text(view, k + 1, b)) or None
    return _text(view, a, b), None


def _looks_like_name_start(view: _View, k: int) -> bool:
    """Does a new person's name start at ``k`` ("Mr Smith", "Kayleigh Leonard")?"""
    hon = view.honorific_at(k)
    if hon:
        if hon[1].role:
            return False  # "Director of ...", "Chair of ..." are roles here
        nxt = view.next_word(hon[0])
        return nxt < view.n and view.piece(nxt) is not None
    nm = parse_name(view, k, strict=True, max_pieces=3, allow_single=False)
    return bool(nm and nm.pieces[0].lower() in view.vocab.first_names and len(nm.pieces) >= 2)


def read_extras(view: _View, k: int) -> Extras:
    """Role / organisation written right after a name (``k`` = token after the name)."""
    v = view.vocab
    ex = Extras(end=k)
    k = view.next_word(k)
    # post-nominals: ", OBE", " MBE"
    while k < view.n:
        j = k
        if view.txt[j] == ",":
            j = view.next_word(j + 1)
        if j < view.n and LOWER[view.txt[j]] in v.postnominals and view.txt[j].isupper() and len(view.txt[j]) > 1:
            k = view.next_word(j + 1)
            ex.end = k
            continue
        break
    if k >= view.n:
        return ex
    t = view.txt[k]
    role_parts: list[str] = []
    org_parts: list[str] = []
    if t in {"-", "–", "—"} and view.ws[view.prev_word(k)] and "\n" not in view.gap(view.prev_word(k), k):
        # "Jane Smith – Head of Legal Services" (attendance tables)
        a = view.next_word(k + 1)
        b = _with_acronym(view, _phrase_end(view, a)) if a < view.n and view.txt[a][:1].isupper() else a
        phrase = clean_phrase(_text(view, a, b))
        cls = classify_phrase(phrase, v)
        if cls == "role":
            ex.role, ex.evidence, ex.end = phrase, True, b
        elif cls == "org":
            ex.organisation, ex.evidence, ex.end = phrase, bool(v.org_re.search(phrase)), b
        return ex
    if t == "(" and view.can_cross(view.prev_word(k), k, incomplete=True):
        close = _phrase_end(view, view.next_word(k + 1), closing=")")
        if close < view.n and view.txt[close] == ")":
            inner = clean_phrase(_text(view, view.next_word(k + 1), close))
            cls = classify_phrase(inner, v)
            if cls == "role":
                ex.role = inner
                ex.evidence = True
            elif cls == "org":
                ex.organisation = inner
                # a lone acronym is weak: after a bare capitalised phrase it usually abbreviates it
                ex.evidence = not _is_acronym(inner, v)
            ex.end = close + 1
            k = view.next_word(close + 1)
    elif t in {"from", "of", "at"} and view.can_cross(view.prev_word(k), k, incomplete=False):
        a = view.next_word(k + 1)
        if a < view.n and LOWER[view.txt[a]] == "the":
            a = view.next_word(a + 1)
        if a < view.n and view.txt[a][:1].isupper():
            b = _phrase_end(view, a)
            b = _with_acronym(view, b)
            org = clean_phrase(_text(view, a, b))
            if org and (t == "from" or classify_phrase(org, v) == "org"):
                ex.organisation = org
                ex.evidence = bool(v.org_re.search(org))  # "from Mencap", not "of the KMWLP"
                ex.end = b
                k = view.next_word(b)
    if k < view.n and view.txt[k] == "," and ex.role is None:
        # apposition: ", Community Safety Manager, ..." / ", Assistant Director of X, Y at Z," / ", CRC stated"
        pos = view.next_word(k + 1)
        last_good = None
        role_started = False
        while pos < view.n:
            if view.txt[pos] in {"from", "at"}:
                pos = view.next_word(pos + 1)
                if pos < view.n and LOWER[view.txt[pos]] == "the":
                    pos = view.next_word(pos + 1)
                if pos >= view.n or not view.txt[pos][:1].isupper():
                    break
                b = _with_acronym(view, _phrase_end(view, pos))
                org = clean_phrase(_text(view, pos, b))
                if org:
                    org_parts.append(org)
                    last_good = b
                pos = view.next_word(b)
            elif view.txt[pos][:1].isupper() and pos not in view.label_starts:
                if _looks_like_name_start(view, pos):
                    break
                b = _with_acronym(view, _phrase_end(view, pos))
                if b == pos:
                    break
                role_txt, org = _split_org(view, pos, b)
                role_txt = clean_phrase(role_txt)
                cls = classify_phrase(role_txt, v)
                if cls == "role":
                    role_parts.append(role_txt)
                    role_started = True
                elif cls == "org" and not org:
                    org_parts.append(role_txt)
                elif role_started and not org_parts and role_txt:
                    role_parts.append(role_txt)  # "..., Community Safety & Protection at ..."
                elif cls is None and not role_parts and not org_parts:
                    break
                elif cls == "org":
                    role_parts.append(role_txt)
                if org:
                    org_parts.append(org)
                last_good = b
                pos = view.next_word(b)
            else:
                break
            if pos >= view.n or view.txt[pos] != ",":
                break
            pos = view.next_word(pos + 1)
            if pos < view.n and LOWER[view.txt[pos]] == "and":
                break
        if last_good is not None and (role_parts or org_parts):
            if role_parts and org_parts and all(classify_phrase(p, v) == "org" for p in role_parts):
                org_parts = role_parts + org_parts
                role_parts = []
            ex.role = clean_phrase(", ".join(role_parts)) or None
            ex.organisation = clean_phrase(", ".join(org_parts)) or ex.organisation
            # a lone acronym ("Ms Mukhtar, CRC") is an organisation but weak evidence of a person
            ex.evidence = bool(ex.role) or bool(v.org_re.search(ex.organisation or ""))
            ex.end = last_good
    return ex


def _with_acronym(view: _View, b: int) -> int:
    """Extend a phrase ending at ``b`` over a following "(ACR)"."""
    j = view.next_word(b)
    if j + 2 < view.n and view.txt[j] == "(" and view.txt[j + 2] == ")" and _ACRONYM.match(view.txt[j + 1]):
        return j + 3
    return b


def read_role_before(view: _View, i: int) -> str | None:
    """A role written just before a name: "The Chairman of the X Board, Councillor ..." / "Community Safety Manager Peter Clifton"."""
    v = view.vocab
    j = view.prev_word(i)
    if j < 0 or not view.can_cross(j, i, incomplete=False):
        return None
    comma = view.txt[j] in {",", "("}  # "..., Councillor X" / "Cabinet Member for Housing (Councillor X)"
    if comma:
        j = view.prev_word(j)
        if j < 0:
            return None
    end = j + 1
    k = j
    while k >= 0:
        t = view.txt[k]
        if (
            not (t[:1].isupper() or LOWER[view.txt[k]] in _CONNECTORS)
            or t in {",", ".", ":", ";", "(", ")"}
            or view.taken[k]
        ):
            break
        if LOWER[view.txt[k]] in _SPLITTERS:
            break
        p = view.prev_word(k)
        if p < 0 or not view.can_cross(p, k, incomplete=False):
            k = p
            break
        if "\n" in view.gap(p, k) and v.role_re.search(_text(view, k, end)):
            k = p  # the role is complete on this line; the line above is something else
            break
        k = p
    start = k + 1
    while start < end and (view.space[start] or not view.txt[start][:1].isupper()):
        start += 1
    if start >= end:
        return None
    phrase = clean_phrase(_text(view, start, end))
    if classify_phrase(phrase, v) != "role" or not v.role_re.search(phrase):
        return None
    if not comma and (len(phrase.split()) > 6 or LOWER[view.txt[end - 1]] not in v.role_heads):
        return None  # "Kent MP Katie Lam", not "the MP for Liverpool Wavertree"
    return phrase


def _speaker_follows(view: _View, k: int) -> bool:
    """Is token ``k`` (after optional adverbs) a reporting verb in lower case?"""
    v = view.vocab
    k = view.next_word(k)
    hops = 0
    while k < view.n and LOWER[view.txt[k]] in v.adverbs and view.txt[k].islower() and hops < 2:
        k = view.next_word(k + 1)
        hops += 1
    return k < view.n and view.txt[k].islower() and LOWER[view.txt[k]] in v.speech_verbs


# ----------------------------------------------------------------------------- mention building


def _sentence_of(view: _View, tok: int) -> str:
    """The sentence holding token ``tok``, whitespace collapsed (its line when no sentence component ran)."""
    if view.sent_tokens:
        k = bisect.bisect_right(view.sent_tokens, tok) - 1
        got = view._sentences.get(k)
        if got is None:  # (several mentions share a sentence: attendance lists)
            a = view.sent_tokens[k]
            b = view.sent_tokens[k + 1] - 1 if k + 1 < len(view.sent_tokens) else view.n - 1
            got = view._sentences[k] = " ".join(view.text[view.idx[a] : view.end[b]].split())
        return got
    if view.has_sents:
        return " ".join(view.doc[tok].sent.text.split())
    li = _line_index(view, view.idx[tok])
    return _lines(view)[li][2]


def _mention(
    view: _View, a: int, name: NameParse, honorific: str | None, role: str | None, org: str | None
) -> PersonMention:
    sentence = _sentence_of(view, a)
    start = view.idx[a]
    end = view.end_char(name.end - 1)
    return PersonMention(
        text=" ".join(view.text[start:end].split()),
        span=Span(sentence=sentence, start=start, end=end),
        honorific=honorific,
        first_name=name.first_name,
        surname=name.surname,
        role=role,
        organisation=org,
    )


def _take(view: _View, a: int, b: int) -> None:
    for k in range(a, b):
        view.taken[k] = True


def _hon_text(view: _View, a: int, b: int, hon: Honorific) -> str:
    if hon.plural and hon.singular:
        return hon.singular
    return " ".join(_text(view, a, b).rstrip(".").split())


# ----------------------------------------------------------------------------- families


def _label_body(view: _View, a: int, b: int, inline: bool) -> int | None:
    """Where the names after a label start, or None when tokens ``a:b`` are not used as a label.

    A label starts its line (after an optional bullet) and is followed by
    ":" / "-" / a tab, or fills its line ("Membership", "Abstain (4)"); an
    inline label ("Apologies were received from") may sit anywhere.
    """
    k = view.next_word(b)
    if inline:
        return k
    bullet_before = a > 0 and view.txt[view.prev_word(a)] in {"o", "•", "·", "-", "*", "–"}
    if not (view.at_line_start(a) or bullet_before) or not view.txt[a][:1].isupper():
        return None
    last = b - 1
    if k + 2 < view.n and view.txt[k] == "(" and view.txt[k + 1].isdigit() and view.txt[k + 2] == ")":
        last = k + 2  # "For (32)"
        k = view.next_word(k + 3)
    if k >= view.n:
        return None
    if view.txt[k] in {":", "-", "–"} and "\n" not in view.gap(last, k):
        return view.next_word(k + 1)
    gap = view.gap(last, k)
    if "\t" in gap and "\n" not in gap:
        return k
    if "\n" in gap and view.line_len(a) <= len(_text(view, a, last + 1)) + 2:
        return k  # the label fills its line: the names follow on the next lines
    return None


def _find_lists(view: _View, anchors: dict[str, list[tuple[int, int]]], out: list[_Found]) -> None:
    v = view.vocab
    for a, b in anchors.get("LIST_LABEL", []):
        k = _label_body(view, a, b, v.list_labels.get(" ".join(map(LOWER.__getitem__, view.txt[a:b])), False))
        if k is not None:
            _parse_items(view, k, None, out)


def _parse_items(
    view: _View, k: int, default_hon: str | None, out: list[_Found], max_items: int = 200
) -> int:
    """Comma / "and" / line separated names from token ``k``; returns the token after the list."""
    v = view.vocab
    prev_found: _Found | None = None
    items = 0
    last = view.prev_word(k)
    while k < view.n and items < max_items:
        if last >= 0 and k < view.n and view.gap(last, k).count("\n") > 1:
            break
        # separators and bullets
        while k < view.n and (
            view.txt[k] in {",", ";", "&"}
            or LOWER[view.txt[k]] == "and"
            or view.txt[k] in {"•", "·", "o", "-", "–"}
            and view.at_line_start(k)
        ):
            last = k
            k = view.next_word(k + 1)
        if k >= view.n or (last >= 0 and view.gap(last, k).count("\n") > 1):
            break
        hon_text = default_hon
        start = k
        hon = view.honorific_at(k)
        if hon:
            j, h = hon
            hon_text = _hon_text(view, k, j, h)
            if h.plural:
                default_hon = hon_text
            k = view.next_word(j)
            if h.plural:
                start = k  # "Councillors A, B": the title is shared, the mention is the name
        if k in view.label_starts:
            break  # the next list begins
        name = parse_name(view, k, strict=not hon and not default_hon, max_pieces=4, allow_single=True)
        own_title = hon is not None and not hon[1].plural and not hon[1].role
        if name is not None and not own_title and len(name.pieces) == 1 and not name.initials:
            low = name.pieces[0].lower()
            nxt = view.next_word(name.end)
            sentence_follows = (
                hon is None
                and default_hon is None
                and nxt < view.n
                and view.txt[nxt][:1].islower()
                and LOWER[view.txt[nxt]] != "and"
                and "\n" not in view.gap(name.end - 1, nxt)
            )
            if (
                low in v.not_name
                or low in v.role_heads
                or low in v.org_cues
                or low in v.place_heads
                or sentence_follows
            ):
                name = None  # "Commissioners Academy", "ABSENT: None", "Abstain (0) / Amendment carried"
        if name is None:
            # a role or organisation item belongs to the previous person: "Sue Chandler, Cabinet Member for ..."
            if prev_found is not None and k < view.n and view.txt[k][:1].isupper():
                b = _with_acronym(view, _phrase_end(view, k))
                phrase = clean_phrase(_text(view, k, b))
                cls = classify_phrase(phrase, v)
                if cls == "role" and not prev_found.mention.role:
                    prev_found.mention.role = phrase
                    last = b - 1
                    k = view.next_word(b)
                    continue
                if cls == "org" and not prev_found.mention.organisation:
                    prev_found.mention.organisation = phrase
                    last = b - 1
                    k = view.next_word(b)
                    continue
            break
        ex = read_extras(view, name.end)
        role = ex.role
        if role is None and hon is not None and hon[1].role and not hon[1].plural:
            role = hon_text  # "Provost J Dewar", "Chair Lopez"
        m = _mention(view, start, name, hon_text, role, ex.organisation)
        f = _Found(m, start, name.end)
        out.append(f)
        _take(view, start, name.end)
        prev_found = f
        items += 1
        end = max(ex.end, name.end)
        last = view.prev_word(end) if end > 0 else end
        k = view.next_word(end)
        if k < view.n and view.txt[k] == ".":
            # "Danny Connellan." ends the list unless the next line carries on with names
            last = k
            k = view.next_word(k + 1)
            if k >= view.n or "\n" not in view.gap(last, k):
                break
            default_hon = None  # a new sentence of names does not share the earlier title
            continue
        if k < view.n and view.txt[k][:1].islower() and LOWER[view.txt[k]] != "and":
            break  # "... Nancy Sayer who was substituted by ..."
        if k < view.n and not (
            view.txt[k] in _SEPARATORS or LOWER[view.txt[k]] == "and" or "\n" in view.gap(last, k)
        ):
            break
    return k


def _find_role_lines(view: _View, anchors: dict[str, list[tuple[int, int]]], out: list[_Found]) -> None:
    v = view.vocab
    for a, b in anchors.get("ROLE_LABEL", []):
        if not view.at_line_start(a) or not view.txt[a][:1].isupper():
            continue
        k = view.next_word(b)
        if k >= view.n:
            continue
        sep = view.gap(b - 1, k)
        if view.txt[k] in {":", "-", "–"}:
            k = view.next_word(k + 1)
        elif "\t" not in sep:
            continue
        if (
            k >= view.n
            or "\n" in view.gap(view.prev_word(k), k)
            and view.gap(view.prev_word(k), k).count("\n") > 1
        ):
            continue
        start = k
        hon = view.honorific_at(k)
        hon_text = None
        if hon:
            j, h = hon
            hon_text = _hon_text(view, k, j, h)
            k = view.next_word(j)
        name = parse_name(view, k, strict=hon is None, allow_single=hon is not None)
        if name is None or (hon is None and len(name.pieces) < 2):
            continue
        label = " ".join(view.txt[a:b])
        ex = read_extras(view, name.end)
        role = ex.role or (label if v.role_labels.get(label.lower()) else None)
        out.append(_Found(_mention(view, start, name, hon_text, role, ex.organisation), start, name.end))
        _take(view, start, name.end)


def _find_honorifics(view: _View, out: list[_Found]) -> None:
    """Titles and ranks with a name: "Superintendent Leach", "Cllr Dr A Smith", "Councillors A, B and C".

    An office or rank used as a title ("Commissioner", "Inspector") needs a
    name that is not a jargon or organisation word after it.
    """
    v = view.vocab
    # only a token where an honorific starts can start a find: go from one to the next
    hon_starts = sorted(view._honorific_spans)
    i = 0
    while i < view.n:
        k = bisect.bisect_left(hon_starts, i)
        if k == len(hon_starts):
            break
        i = hon_starts[k]
        if view.taken[i] or view.space[i]:
            i += 1
            continue
        hon = view.honorific_at(i) if i not in view.list_starts else None
        if not hon:
            i += 1
            continue
        j, h = hon
        if not view.txt[i][:1].isupper():
            i += 1
            continue
        # stacked titles: "Councillor Dr", "Chief Supt", "Chairman, Councillor"
        k = view.next_word(j)
        hon_end = j
        while k < view.n and view.can_cross(hon_end - 1, k, incomplete=True):
            nxt = view.honorific_at(k)
            if not nxt or not view.txt[k][:1].isupper():
                break
            hon_end, h2 = nxt
            if h2.plural:
                h = h2
            k = view.next_word(hon_end)
        if k >= view.n or not view.can_cross(hon_end - 1, k, incomplete=True):
            i = hon_end
            continue
        hon_text = _hon_text(view, i, hon_end, h)
        if h.plural:
            end = _parse_items(view, k, hon_text, out, max_items=40)
            i = max(end, i + 1)
            continue
        name = parse_name(view, k, strict=False, allow_single=True)
        if name is not None and (h.role or h.rank):
            low = name.pieces[0].lower()
            kind = v.not_name.get(low)
            if (kind == "jargon" and low not in v.first_names) or (
                name.first_name is None
                and (kind not in {None, "calendar"} or low in v.org_cues or low in v.role_heads)
            ):
                name = None  # "Commissioner Academy", "Inspector Community Safety"
        if name is None:
            i = hon_end
            continue
        if name.pieces[0].lower() in v.vocatives and len(name.pieces) == 1:
            i = hon_end
            continue
        ex = read_extras(view, name.end)
        role = ex.role or read_role_before(view, i)
        if role is None and ex.organisation is None:
            is_block, b_role, b_org = _block_after(
                view, name.end, name.pieces[0].lower() in v.first_names, True
            )
            if is_block:
                role, ex.organisation = b_role, b_org
        if role is None and h.role:
            before = read_role_before_title(view, i)
            role = f"{before} {hon_text}" if before else hon_text
        m = _mention(view, i, name, hon_text, role, ex.organisation)
        out.append(_Found(m, i, name.end))
        _take(view, i, name.end)
        i = name.end


def read_role_before_title(view: _View, i: int) -> str | None:
    """ "Police and Crime" in "Police and Crime Commissioner Sophie Linden"."""
    j = view.prev_word(i)
    words: list[int] = []
    while j >= 0 and view.can_cross(j, words[-1] if words else i, incomplete=False):
        t = view.txt[j]
        if t[:1].isupper() or LOWER[view.txt[j]] in {"and", "&", "of"}:
            words.append(j)
            j = view.prev_word(j)
            continue
        break
    while words and not view.txt[words[-1]][:1].isupper():
        words.pop()
    if not words or LOWER[view.txt[words[-1]]] in {"the", "a"}:
        words = [w for w in words if LOWER[view.txt[w]] not in {"the", "a"}]
    if not words:
        return None
    phrase = clean_phrase(_text(view, words[-1], words[0] + 1))
    if not phrase or view.vocab.not_name.get(phrase.split()[0].lower()) == "function":
        return None
    return phrase if len(phrase.split()) <= 5 else None


_BLOCK_LINE_MAX = 70


def _lines(view: _View) -> list[tuple[int, int, str]]:
    """(start, end, stripped text) of every line; blank lines have empty text."""
    if view._lines is None:
        out: list[tuple[int, int, str]] = []
        pos = 0
        for raw in view.text.split("\n"):
            stripped = raw.strip()
            if stripped:
                off = pos + raw.index(stripped[0])
                out.append((off, off + len(stripped), stripped))
            else:
                out.append((pos, pos, ""))
            pos += len(raw) + 1
        view._lines = out
        view._line_starts = [ln[0] for ln in out]
    return view._lines


def _line_index(view: _View, char: int) -> int:
    _lines(view)
    return bisect.bisect_right(view._line_starts, char) - 1


def _lines_after(text: str, eol: int, most: int, max_blanks: int) -> list[tuple[int, int, str, int]]:
    """The next ``most`` non-blank lines after the line break at ``eol`` (none when ``eol`` < 0), each as
    (start, end, stripped text, blank lines just before it), stopping at a run of more than
    ``max_blanks`` blank lines.

    These are the entries of :func:`_lines` that follow, read from the text on
    demand: most chunks need the lines under a few names only, not a table of
    every line.
    """
    follow: list[tuple[int, int, str, int]] = []
    blanks = 0
    while eol >= 0 and len(follow) < most:
        a = eol + 1
        eol = text.find("\n", a)
        raw = text[a:] if eol < 0 else text[a:eol]
        stripped = raw.strip()
        if not stripped:
            blanks += 1
            if blanks > max_blanks:
                break
        else:
            off = a + raw.index(stripped[0])
            follow.append((off, off + len(stripped), stripped, blanks))
            blanks = 0
    return follow


def _block_after(
    view: _View, name_end: int, known_first: bool, has_title: bool
) -> tuple[bool, str | None, str | None]:
    """Title and organisation lines under a name line (signatory / item-header blocks).

    Returns (is a block, role, organisation). A block needs a role line
    first, or a title before the name, or an unclassified line followed by
    an organisation line ("Senior Partnership Performance / Barnet Council"),
    or an organisation line under a known first name.
    """
    v = view.vocab
    text = view.text
    name_stop = view.end_char(name_end - 1)
    eol = text.find("\n", name_stop)
    # (the rest of the name's line, up to where its stripped text ends: the line's
    # trailing whitespace, which ``rstrip`` removes, follows the name's last word)
    if text[name_stop : len(text) if eol < 0 else eol].rstrip().strip(" ,"):
        return False, None, None  # the name does not end its line
    follow = _lines_after(text, eol, 4, 2)
    roles: list[str] = []
    orgs: list[str] = []
    kinds: list[str] = []
    for fi, (l_start, l_end, s2, blanks) in enumerate(follow):
        s2 = s2.strip(" ,")
        if not s2 or len(s2) > _BLOCK_LINE_MAX or s2[-1] in ".:;?!" or ":" in s2 or not _title_line(s2):
            break
        t2 = view.tok_at(l_start)
        if t2 is None or view.taken[t2]:
            break
        h2 = view.honorific_at(t2)
        if h2 is not None:
            fills_line = view.end_char(h2[0] - 1) >= l_end
            if not (fills_line and h2[1].role):
                break  # the next person's title ("Councillor" / "Mr X")
        nm2 = parse_name(view, t2, strict=True, max_pieces=3, allow_single=False)
        cls = classify_phrase(s2, v)
        if (
            nm2 is not None
            and cls is None
            and not text[view.end_char(nm2.end - 1) : l_end].strip(" ,")
        ):
            break  # the next person's name
        if cls == "role" and not roles and not orgs:
            roles.append(s2)
        elif cls == "org" or (roles or orgs) and cls is None:
            if orgs and blanks == 0:
                orgs[-1] = orgs[-1] + " " + s2
            else:
                orgs.append(s2)
        elif cls is None and fi == 0:
            roles.append(s2)
        else:
            break
        kinds.append(cls or "other")
    if not kinds:
        return False, None, None
    if kinds[0] == "other":
        if not (len(kinds) > 1 and kinds[1] == "org"):
            return False, None, None
    elif not (kinds[0] == "role" or has_title or kinds[0] == "org" and known_first):
        return False, None, None
    return True, (roles[0] if roles else None), (", ".join(orgs) if orgs else None)


_TITLE_CONNECTORS = frozenset({"of", "for", "and", "&", "the", "to", "in", "on", "at", "with", "-", "–"})


def _title_line(s: str) -> bool:
    """A job title or organisation line: capitalised words and connectors, no digits, not all capitals."""
    words = [w.strip("(),’'") for w in s.split()]
    words = [w for w in words if w]
    if not words or any(ch.isdigit() for ch in s):
        return False
    if len(words) > 1 and sum(w.isupper() and len(w) > 1 for w in words) * 2 > len(words):
        return False
    return all(w[:1].isupper() or w.lower() in _TITLE_CONNECTORS for w in words)


def _name_lines(text: str) -> Iterator[tuple[int, int]]:
    """(start, end) of the stripped text of each line that may be a block's name line: at most 45
    characters, not ending in ". : ; ? !", starting with a capital.

    The entries of :func:`_lines` that :func:`_find_blocks` would try, read in
    one pass without a table of every line. A line starting otherwise holds no
    title, initial or name word where it starts, so parse_name finds no name there.
    """
    pos = 0
    for raw in text.split("\n"):
        a = pos
        pos += len(raw) + 1
        s = raw.strip()
        if s and len(s) <= 45 and s[-1] not in ".:;?!" and s[0].isupper():
            start = a + raw.index(s[0])
            yield start, start + len(s)


def _find_blocks(view: _View, out: list[_Found]) -> None:
    """Signatory blocks and ModernGov item headers: name line, then title / organisation lines."""
    for s_off, e_off in _name_lines(view.text):
        t0 = view.tok_at(s_off)
        if t0 is None or view.taken[t0]:
            continue
        hon_text = None
        k = t0
        hon = view.honorific_at(k)
        if hon:
            j, h = hon
            hon_text = _hon_text(view, k, j, h)
            k = view.next_word(j)
            if k >= view.n or view.idx[k] >= e_off:
                continue
        if _alone(view, k) or (hon_text is None and _no_bare_name_at(view, k)):
            continue  # one word at most, or no bare name: not a name line of a block
        name = parse_name(view, k, strict=hon_text is None, max_pieces=3, allow_single=False)
        if name is None or len(name.pieces) < 2:
            continue
        ok, role, org = _block_after(
            view, name.end, name.pieces[0].lower() in view.vocab.first_names, hon_text is not None
        )
        if not ok:
            continue
        out.append(_Found(_mention(view, t0, name, hon_text, role, org), t0, name.end))
        _take(view, t0, name.end)


_JOINERS = frozenset({"-", "'", "’"})


def _initial_or_joined(view: _View, i: int) -> bool:
    """Is token ``i`` an initial ("J", "J."), or a word joined to the next ("O-Dwyer")?

    Any other word is its own name word: its piece is the word itself.
    """
    t = view.txt[i]
    return len(t) == 1 or "." in t or (i + 1 < view.n and not view.ws[i] and view.txt[i + 1] in _JOINERS)


def _alone(view: _View, i: int) -> bool:
    """Can :func:`parse_name` find at most the one word at token ``i``, whatever the checks?

    True for a whole word (not an initial, not joined to the next, not glued
    "KiranVagarwal") after which nothing can continue a name: the next word
    has no capital (so it is no name word or initial) and is no particle
    ("van"). Lets the block and bare-name passes skip most capitalised words
    without parsing them.
    """
    return not _initial_or_joined(view, i) and _whole_word_alone(view, i)


def _whole_word_alone(view: _View, i: int) -> bool:
    """:func:`_alone` for a token known to be neither an initial nor joined to the next."""
    txt, n = view.txt, view.n
    t = txt[i]
    if len(t) >= 6 and not t.istitle():
        return False  # may be glued (parse_name splits those in two)
    nxt = view.next_word(i + 1)
    return nxt >= n or not (txt[nxt][:1].isupper() or LOWER[view.txt[nxt]] in view.vocab.particles)


def _start_code(v: PeopleVocab, word: str) -> int:
    """2 for a word that may be an initial ("J", "J."), else 1 when a bare name may start with
    the word as its own name word (:func:`_word_ok` as a first word), else 0."""
    if len(word) == 1 or "." in word:
        return 2
    return 1 if _name_shaped(word) and _word_ok_uncached(v, word, "first", True, False) else 0


def _start_code_of(view: _View, word: str) -> int:
    """:func:`_start_code` of ``word``, cached per vocabulary."""
    cache = view.vocab.start_cache
    code = cache.get(word)
    if code is None:
        if len(cache) >= _CACHE_MAX:
            cache.clear()
        code = cache[word] = _start_code(view.vocab, word)
    return code


def _no_bare_name_at(view: _View, i: int) -> bool:
    """Does :func:`parse_name` with ``strict`` surely find no name at token ``i``?

    True for a whole word (not an initial, not joined to the next) that no
    bare name may start with (:func:`_start_code` 0): parse_name's first
    check refuses it. Most short capitalised lines ("Barnet Council",
    "Agenda Item") are refused so, without parsing.
    """
    txt = view.txt
    return _start_code_of(view, txt[i]) == 0 and not (
        not view.ws[i] and i + 1 < view.n and txt[i + 1] in _JOINERS
    )


def _name_starts_marked(view: _View) -> tuple[list[int], list[bool]]:
    """The capitalised tokens where :func:`parse_name` may find a name (a superset: it decides),
    each marked True when it is a single name word.

    A word that is not an initial and not joined to the next
    (:func:`_initial_or_joined`) is its own name word, so whether a bare name
    can start with it depends on the word alone (:func:`_start_code`, cached
    per vocabulary); such a word is kept only when it may, and marked True:
    its piece is the word itself and that check is already made.
    """
    cache = view.vocab.start_cache
    txt, ws, n = view.txt, view.ws, view.n
    out: list[int] = []
    single: list[bool] = []
    for i in capitalised_tokens(view.doc):
        t = txt[i]
        code = cache.get(t)
        if code is None:
            code = _start_code_of(view, t)
        if code == 2 or (not ws[i] and i + 1 < n and txt[i + 1] in _JOINERS):
            out.append(i)  # an initial, or a word joined to the next (as _initial_or_joined)
            single.append(False)
        elif code:
            out.append(i)
            single.append(True)
    return out, single


def _find_bare(view: _View, out: list[_Found], candidates: list[_Found]) -> None:
    """Bare names with a role/organisation beside them, or in a speaker position."""
    v = view.vocab
    # only a capitalised word that may be a name word can start a name: go from one to the next
    caps, single = _name_starts_marked(view)
    taken, label_starts = view.taken, view.label_starts
    i = 0
    k = 0
    while i < view.n:
        while k < len(caps) and caps[k] < i:
            k += 1
        if k == len(caps):
            break
        i = caps[k]
        if taken[i] or view.space[i]:
            i += 1
            continue
        if single[k]:
            # a single name word that may start a name (see _name_starts_marked): only a label can stop it
            if i in label_starts:
                i += 1
                continue
            if _whole_word_alone(view, i) and not _speaker_follows(view, i + 1):
                i += 1  # parse_name would find this word alone, kept only before a reporting verb
                continue
        elif not view.is_initial(i):
            # what parse_name checks first: without a name word here it finds no name
            pc = view.piece(i)
            if pc is None or i in label_starts or not _word_ok(view, pc[1], "first", True, False):
                i += 1
                continue
        prev = view.prev_word(i)
        if (
            prev >= 0
            and view.piece(prev)
            and view.can_cross(prev, i, incomplete=False)
            and not view.taken[prev]
        ):
            # inside a capitalised run: only start here after a function word or a title/role word
            # ("Finally Wendy Manuel", "Community Safety Manager Peter Clifton"), not mid-phrase
            low = LOWER[view.txt[prev]]
            if not (v.is_function(low) or v.not_name.get(low) == "calendar" or low in v.role_heads):
                i += 1
                continue
        if prev >= 0 and LOWER[view.txt[prev]] in {"of", "for", "the", "and", "&"}:
            pp = view.prev_word(prev)
            if LOWER[view.txt[prev]] == "the" or pp >= 0 and view.txt[pp][:1].isupper() and not view.taken[pp]:
                i += 1  # "the Barnet Mencap", "Department of Levelling Up"
                continue
        name = parse_name(view, i, strict=True, max_pieces=3, allow_single=True)
        if name is None:
            i += 1
            continue
        if len(name.pieces) == 1 and not name.initials:
            # single word: a candidate only, in a speaker position ("Douglas said")
            if _speaker_follows(view, name.end) and LOWER[view.txt[i]] not in v.not_name:
                m = _mention(view, name.start, name, None, None, None)
                m.first_name = None
                candidates.append(_Found(m, i, name.end))
            i = name.end
            continue
        ex = read_extras(view, name.end)
        role_before = read_role_before(view, i)
        speaker = _speaker_follows(view, ex.end if ex.evidence else name.end)
        known = (
            name.pieces[0].lower() in v.first_names
            or bool(name.initials)
            or bool(_SURNAME_SHAPE.match(name.pieces[-1]))
        )
        if role_before and not ex.evidence and not known:
            role_before = None  # "the HUD Lead Hazard Control grant"
        if (ex.evidence or role_before) and not v.org_re.search(" ".join(name.pieces)):
            m = _mention(view, name.start, name, None, ex.role or role_before, ex.organisation)
            out.append(_Found(m, name.start, name.end))
            _take(view, name.start, name.end)
            i = name.end
            continue
        if speaker and _bare_ok(view, name):
            m = _mention(view, name.start, name, None, ex.role, ex.organisation)
            if known:
                out.append(_Found(m, name.start, name.end))
                _take(view, name.start, name.end)
            else:
                candidates.append(_Found(m, name.start, name.end))
            i = name.end
            continue
        i += 1


# ----------------------------------------------------------------------------- merging


def _merge_found(found: list[_Found]) -> list[_Found]:
    """One mention per name span: overlapping finds merge, keeping the fullest fields."""
    found = sorted(found, key=lambda f: (f.tok_start, -(f.tok_end - f.tok_start)))
    merged: list[_Found] = []
    for f in found:
        if merged and f.tok_start < merged[-1].tok_end:
            keep = merged[-1]
            km, fm = keep.mention, f.mention
            for attr in ("honorific", "first_name", "surname", "role", "organisation"):
                if getattr(km, attr) is None and getattr(fm, attr) is not None:
                    setattr(km, attr, getattr(fm, attr))
            continue
        merged.append(f)
    return merged


def confirm_candidates(
    mentions: Sequence[PersonMention], candidates: Sequence[PersonMention]
) -> list[PersonMention]:
    """Candidates whose name matches a confirmed mention of the same document.

    A single word ("Douglas informed the Board") counts when it is the first
    name of exactly one confirmed person (it then takes that surname) or a
    confirmed surname ("Clifton said"); a full name without other evidence
    counts when its surname is confirmed. Candidates are copies: the inputs
    are not changed.
    """
    firsts: dict[str, set[str]] = {}
    surnames: set[str] = set()
    for m in mentions:
        if m.surname:
            surnames.add(m.surname.lower())
            if m.first_name and len(m.first_name) > 1:
                firsts.setdefault(m.first_name.lower(), set()).add(m.surname)
    out: list[PersonMention] = []
    for c in candidates:
        if not c.surname:
            continue
        key = c.surname.lower()
        if c.first_name is None and len(c.text.split()) == 1 and len(firsts.get(key, ())) == 1:
            out.append(replace(c, first_name=c.surname, surname=next(iter(firsts[key]))))
        elif key in surnames:
            out.append(replace(c))
    return out


# ----------------------------------------------------------------------------- component


@dataclass
class PeopleResult:
    mentions: list[PersonMention] = field(default_factory=list)
    candidates: list[PersonMention] = field(default_factory=list)


class MinutesPeople:
    """spaCy component: ``Doc._.person_mentions`` (and ``Doc._.person_candidates``)."""

    def __init__(self, nlp: Language, name: str, patterns: str, wrapped_line: int) -> None:
        self.name = name
        self.vocab = load_people_vocab(patterns)
        self.wrapped_line = wrapped_line
        self.matcher = PhraseMatcher(nlp.vocab, attr="LOWER")
        for label, entries in (
            ("HONORIFIC", self.vocab.honorifics),
            ("ROLE_LABEL", self.vocab.role_labels),
            ("LIST_LABEL", self.vocab.list_labels),
        ):
            self.matcher.add(label, [nlp.make_doc(text) for text in entries])
        for ext in ("person_mentions", "person_candidates"):
            if not Doc.has_extension(ext):
                Doc.set_extension(ext, default=None, force=True)
        self._labels: dict[int, str] = {}  # match id -> label
        # matched token text -> the honorific it is used as (see _honorific): the same few titles
        # come back in every chunk
        self._honorific_of: dict[str | tuple[str, ...], Honorific | None] = {}

    def _honorific(self, words: str | tuple[str, ...]) -> Honorific | None:
        """The honorific that the matched token text ``words`` (a word, or a tuple of several) is used as:
        written with a capital, and in capitals only when the title is an acronym or one letter."""
        if isinstance(words, str):
            key, surface = LOWER[words], words
        else:
            key, surface = " ".join(map(LOWER.__getitem__, words)), " ".join(words)
        hon = self.vocab.honorifics.get(key)
        if (
            hon is not None
            and surface[:1].isupper()
            and (not surface.isupper() or hon.text.isupper() or len(surface) == 1)
        ):
            return hon
        return None

    def __call__(self, doc: Doc) -> Doc:
        result = self.find(doc)
        underscore = doc._  # (one accessor object for both values)
        underscore.person_mentions = result.mentions
        underscore.person_candidates = result.candidates
        return doc

    def find(self, doc: Doc) -> PeopleResult:
        view = _View(doc, self.vocab, self.wrapped_line)
        anchors: dict[str, list[tuple[int, int]]] = {}
        hon_spans: dict[int, list[tuple[int, Honorific]]] = {}
        strings = doc.vocab.strings
        labels = self._labels
        honorific_of = self._honorific_of
        txt = view.txt
        for match_id, a, b in self.matcher(doc):
            label = labels.get(match_id)
            if label is None:
                label = labels[match_id] = strings[match_id]
            if label == "HONORIFIC":
                words = txt[a] if b == a + 1 else tuple(txt[a:b])
                hon = honorific_of.get(words, _UNSET)
                if hon is _UNSET:
                    if len(honorific_of) >= _CACHE_MAX:
                        honorific_of.clear()
                    hon = honorific_of[words] = self._honorific(words)
                if hon is not None:
                    hon_spans.setdefault(a, []).append((b, hon))  # type: ignore[arg-type]
            else:
                anchors.setdefault(label, []).append((a, b))
        for label in anchors:
            # longest match per start
            best: dict[int, int] = {}
            for a, b in anchors[label]:
                best[a] = max(best.get(a, b), b)
            anchors[label] = sorted(best.items())
        view.set_honorifics(hon_spans)
        for label in ("LIST_LABEL", "ROLE_LABEL"):
            starts = {
                a
                for a, b in anchors.get(label, [])
                if view.at_line_start(a) and _label_body(view, a, b, inline=False) is not None
            }
            view.label_starts.update(starts)
            if label == "LIST_LABEL":
                view.list_starts = starts
        found: list[_Found] = []
        cands: list[_Found] = []
        _find_lists(view, anchors, found)
        _find_role_lines(view, anchors, found)
        _find_honorifics(view, found)
        _find_blocks(view, found)
        _find_bare(view, found, cands)
        merged = _merge_found(found)
        mentions = [f.mention for f in merged]  # (in text order: merged by first token)
        if not cands:  # (nothing to confirm)
            return PeopleResult(mentions, [])
        seen = {(m.span.start, m.span.end) for m in mentions}
        pending = [c.mention for c in cands if (c.mention.span.start, c.mention.span.end) not in seen]
        confirmed = confirm_candidates(mentions, pending)
        if not confirmed:
            return PeopleResult(mentions, pending)
        done = {(m.span.start, m.span.end) for m in confirmed}
        rest = [c for c in pending if (c.span.start, c.span.end) not in done]
        return PeopleResult(sorted(mentions + confirmed, key=lambda m: m.span.start), rest)


@Language.factory(
    "minutes_people",
    default_config={"patterns": "patterns/people_*.jsonl", "wrapped_line": 50},
    requires=["token.is_sent_start"],
    assigns=["doc._.person_mentions"],
)
def make_minutes_people(nlp: Language, name: str, patterns: str, wrapped_line: int) -> MinutesPeople:
    """People named in the text; ``patterns`` is a glob relative to ``models/``."""
    return MinutesPeople(nlp, name, patterns, wrapped_line)
