"""Actions: who must do what by when, as the minutes record it.

Three kinds (``vocab.ACTION_KINDS``):

* ``action``: an explicit marker, "Action: Superintendent Leach" after the task
  sentence(s), "(Action)" closing a sentence, "ACTION: JS to circulate ...";
* ``commitment``: a named person undertakes something ("Mr Clifton agreed to
  report back", "Duncan said he will bring an update", "it was agreed that Ms
  Manuel would attend ...");
* ``request``: a named person is asked to do something ("requested an update
  from Steve Leader", "asked City Manager Kowalczyk to ...").

Action logs ("Action | Owner | Deadline" typed as text, or a parsed table that
the parsers render as tab-separated lines) give one action per row with a
named owner; a row restating a task the minutes record is folded into that
action (:func:`merge_log_rows`, and across agenda items
:func:`extract.resolve.actions.merge_action_logs`).

A task with no named owner ("the officers will ...", "they will put in place
...") is not an action: the archive's users chase people, not departments.
One task recorded twice (an undertaking and the "Action:" line after it) is
one action.

Everything here works on plain text plus sentence boundaries and person
mentions, so the rules can be tested without a full pipeline. The cue words,
honorifics and due-date phrases are data in ``models/patterns/actions.jsonl``.
"""

from __future__ import annotations

import bisect
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field, replace
from functools import lru_cache
from itertools import accumulate
from pathlib import Path

from rapidfuzz import fuzz
from spacy.language import Language
from spacy.tokens import Doc

from ..records import ActionItem, PersonMention, Span, Table
from ..rx.fold import CASE_FOLD_EXTRAS, fold_case
from ..rx.literals import (
    by_first_char,
    char_class,
    could_match,
    first_chars,
    required_folded_literals,
    required_literals,
)
from ..rx.scan import finditer as scan_finditer
from ..rx.scan import reversed_text
from ..rx.words import alternation, longest_first
from .sentences import BULLET as _BULLET
from .sentences import MARKER_LINE as _MARKER_LINE
from .sentences import doc_sentences, doc_text, read_jsonl, sentences_holding, split_sentences

MODELS_DIR = Path(__file__).resolve().parents[2] / "models"

def _wordset(words: str) -> frozenset[str]:
    return frozenset(words.split())


MONTHS = (
    "January|February|March|April|May|June|July|August|September|October|November|December|"
    "Jan|Feb|Mar|Apr|Jun|Jul|Aug|Sep|Sept|Oct|Nov|Dec"
)
DETERMINERS = frozenset(
    ["the", "a", "an", "this", "that", "these", "those", "his", "her", "their", "its", "our", "my", "your", "all", "any", "some", "each", "every", "it", "them", "him", "me", "us", "you"]
)
# Capitalised words that start sentences but are never a person's name.
NOT_NAMES = frozenset(
    ["The", "This", "That", "These", "Those", "It", "Its", "There", "Their", "They", "He", "She", "We", "I", "You", "Our", "Her", "His", "A", "An", "In", "On", "At", "By", "For", "From", "To", "Of", "And", "But", "Or", "If", "As", "When", "Where", "While", "Whilst", "Although", "However", "Also", "Finally", "Further", "Following", "Members", "Member", "Board", "Committee", "Council", "Cabinet", "Panel", "Partnership", "Chairman", "Chairwoman", "Chair", "Vice", "Leader", "Officers", "Officer", "Police", "Councillors", "Councillor", "Director", "Manager", "Head", "Clerk", "Mayor", "Commission", "Group", "Minutes", "Action", "Actions", "Agenda", "Item", "Report", "Update", "Resolved", "Agreed", "Noted", "Approved", "Recommendations", "Recommendation", "Meeting", "Apologies", "Present", "Attendance", "Any", "Other", "Next", "Date", "Time", "Venue", "Public", "Questions", "Mr", "Mrs", "Ms", "Miss", "Dr", "Sir", "Dame", "Lord", "Lady", "Thanks", "Thank", "Discussion", "Overall", "Yes", "No", "Please", "Note", "Notes", "All", "Some", "Many", "Most", "Each", "Every", "Both", "Everyone", "Nobody", "Somebody", "Someone", "One", "Two", "Three"]
)
# Last words of organisations that look like "Firstname Surname" to a regex.
ORG_WORDS = _wordset(
    """Support Safety Service Services Team Teams Police Partnership Board Council Group Trust Project Unit
    Centre Center Hub Network Forum Agency Company Office Department Authority Watch Court Homes Housing Care
    Health Fund Programme Program Plan Strategy Scheme Week Day Act Order Orders Panel Committee
    Borough London England Street Road Hall House Mencap Crime Justice Community Communities Youth
    Authorities Councils Partners Members Officers Schools Residents Agencies Boards Committees Teams"""
)


# ----------------------------------------------------------------------------- rules

_NEVER = re.compile(r"(?!x)x")


@dataclass(frozen=True)
class ActionRules:
    """Compiled cue patterns from ``actions.jsonl`` (loaded once per process)."""

    honorifics: dict[str, str | None]  # honorific -> gender ("m"/"f"/None)
    markers: tuple[re.Pattern[str], ...]
    cue: re.Pattern[str]  # all commitment cues, one named group per cue kind
    modal_cues: frozenset[str]
    line_start_cues: frozenset[str]
    reporting_verbs: frozenset[str]
    non_task_verbs: frozenset[str]
    allow_after: tuple[re.Pattern[str], ...]
    offer: re.Pattern[str]
    skip_trailing: re.Pattern[str]  # adverb between subject and cue, at the end of a text
    skip_leading: re.Pattern[str]  # adverb at the start of a text
    # last words of the skip words, lower-case (None: some is not plain ASCII letters, so no prefilter)
    skip_last_words: tuple[str, ...] | None
    pronouns: dict[str, str | None]
    requests: tuple[tuple[str, re.Pattern[str]], ...]  # (pattern id, regex)
    due: tuple[re.Pattern[str], ...]
    person_re: re.Pattern[str]  # fallback name finder
    # a character ``person_re`` can never match, and no word character (see :func:`_person_barrier`)
    person_barrier: re.Pattern[str] | None = None
    # action-log columns, matched against a whole heading cell
    log_task_head: re.Pattern[str] = _NEVER
    log_owner_head: re.Pattern[str] = _NEVER
    log_due_head: re.Pattern[str] = _NEVER
    log_status_head: re.Pattern[str] = _NEVER
    log_done: re.Pattern[str] = _NEVER  # a status cell saying the task is over
    # per heading of a log's task and owner columns, strings one of which the folded text of every
    # heading cell holds (None: unknown); a text holding none of either has no log header
    log_head_literals: tuple[tuple[str, ...] | None, tuple[str, ...] | None] = (None, None)
    # per request pattern, strings one of which every match holds (None: unknown), to skip hopeless searches
    request_literals: tuple[tuple[str, ...] | None, ...] = ()
    # per marker pattern, the same (a text holding none of them has no marker of that pattern)
    marker_literals: tuple[tuple[str, ...] | None, ...] = ()
    # per deadline pattern, strings one of which the folded text (rx.fold.fold_case) of every match holds
    due_literals: tuple[tuple[str, ...] | None, ...] = ()
    # the cues allowed only at a line start, lower-case, when all are plain words whose letters match
    # case-insensitively only their two ASCII cases (None: unknown shapes, so no sentence prefilter)
    line_start_words: tuple[str, ...] | None = None
    # what may follow "he"/"she" before a cue: a class of the attached cues' first characters ("" if none)
    attached_class: str = ""
    # derived once from ``honorifics`` (see __post_init__): the longest honorific first, split in words,
    # and one compiled "honorific at the start" regex per honorific, in the order of ``honorifics``
    honorifics_longest_first: tuple[tuple[str, tuple[str, ...]], ...] = field(
        default=(), init=False, repr=False, compare=False)
    honorific_starts: tuple[tuple[re.Pattern[str], str | None], ...] = field(
        default=(), init=False, repr=False, compare=False)
    # ``honorifics_longest_first`` by first word; empty when an honorific has no word
    honorifics_by_first: dict[str, tuple[tuple[str, tuple[str, ...]], ...]] = field(
        default_factory=dict, init=False, repr=False, compare=False)
    # ``honorific_starts`` by the honorific's first character (an honorific matches only a text starting
    # with that character), in the same order; empty when an honorific is blank
    honorific_starts_by_char: dict[str, tuple[tuple[re.Pattern[str], str | None], ...]] = field(
        default_factory=dict, init=False, repr=False, compare=False)
    # :func:`_surface_facts` of the name surfaces seen so far (a pure function of the surface)
    surface_memo: dict[str, tuple[bool, str | None, str | None, str | None, str | None]] = field(
        default_factory=dict, init=False, repr=False, compare=False)
    # (honorific, words, gender) of each mention text seen so far (see :func:`people_from_mentions`)
    mention_memo: dict[str, tuple[str | None, list[str], str | None]] = field(
        default_factory=dict, init=False, repr=False, compare=False)
    # every honorific is words of ASCII letters: what the name regex reads as one is what
    # :func:`_strip_honorific` takes off (see :func:`_surnamed_outside`)
    honorifics_plain: bool = field(default=False, init=False, repr=False, compare=False)
    # the most words a line-start owner and the lead before it can make (see ``_Ctx.line_start_lead``):
    # a lead of at most five characters, and a name of an honorific, two initials, first name and surname
    line_name_words: int = field(default=0, init=False, repr=False, compare=False)
    # every request pattern's words together, when each pattern has some (see ``request_literals``), else None
    request_words: frozenset[str] | None = field(default=None, init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        if self.request_literals and all(lits is not None for lits in self.request_literals):
            object.__setattr__(self, "request_words", frozenset(w for lits in self.request_literals for w in lits or ()))
        object.__setattr__(self, "line_name_words", 5 + max((len(h.split()) for h in self.honorifics), default=0) + 4)
        object.__setattr__(self, "honorifics_plain", all(
            h.split() and all(w.isascii() and w.isalpha() for w in h.split()) for h in self.honorifics))
        longest = tuple((h, tuple(h.split())) for h in longest_first(self.honorifics))
        object.__setattr__(self, "honorifics_longest_first", longest)
        by_first: dict[str, list[tuple[str, tuple[str, ...]]]] = {}
        if all(hw for _h, hw in longest):
            for h, hw in longest:
                by_first.setdefault(hw[0], []).append((h, hw))
        object.__setattr__(self, "honorifics_by_first", {k: tuple(v) for k, v in by_first.items()})
        starts = tuple((re.compile(rf"{re.escape(h)}\b"), g) for h, g in self.honorifics.items())
        object.__setattr__(self, "honorific_starts", starts)
        by_char: dict[str, list[tuple[re.Pattern[str], str | None]]] = {}
        if all(self.honorifics):
            for (h, _g), entry in zip(self.honorifics.items(), starts, strict=True):
                by_char.setdefault(h[0], []).append(entry)
        object.__setattr__(self, "honorific_starts_by_char", {k: tuple(v) for k, v in by_char.items()})


def _rows(path: Path) -> list[dict]:
    return read_jsonl([path], required=())  # one reader for every pattern file


def _words_alt(pattern: str) -> str:
    return alternation(pattern.split("|"))


def _person_regex(honorifics: Iterable[str]) -> str:
    hon = alternation(honorifics)
    cap = r"[A-Z][a-zA-Z'’\-]*[a-z][a-zA-Z'’\-]*"
    sp = r"(?:[ \t]+|[ \t]*\n[ \t]*)"  # a name may wrap once, never across a blank line
    initials = rf"(?:[A-Z]\.?{sp}){{0,2}}"
    return (
        rf"(?:(?:{hon})\.?{sp}{initials}{cap}(?:{sp}{cap})?"  # Ms Vagarwal, Councillor David Longstaff, Mr J Cook
        rf"|(?!(?:{hon})\b){cap}{sp}(?:[A-Z]\.?{sp})?(?!(?:{hon})\b){cap})"  # Steve Leader, Sarah J Hammond
    )


def _person_barrier(honorifics: Iterable[str]) -> re.Pattern[str]:
    """A character that no match of :func:`_person_regex` holds, and that is no word character.

    The regex consumes only honorifics (their characters, ``\\s`` for a space),
    ".", spaces, tabs and line breaks, and ASCII letters, apostrophes and
    hyphens; anything else that is not a word character (so ``\\b`` reads it
    as it reads the end of a text) splits a text into stretches that each
    hold whole matches (:func:`find_people_surnamed`).
    """
    own = "".join(sorted({ch for h in honorifics for ch in h}))
    return re.compile(rf"[^\w\s'’.\-{re.escape(own)}]")


def _lead_class(person: str, honorifics: Iterable[str]) -> re.Pattern[str]:
    """The name regex behind a look-ahead for the characters a name can start with.

    Every match starts with an honorific or a capital, so the look-ahead
    changes no match; it lets the search skip the other positions at once
    instead of trying every alternative there (three times faster).
    """
    hons = list(honorifics)
    if any(not h for h in hons):
        return re.compile(person)
    lead = "".join(sorted({re.escape(h[0]) for h in hons} | {"A-Z"}))
    return re.compile(rf"(?=[{lead}])(?:{person})")


_CASE_EXTRAS = frozenset(CASE_FOLD_EXTRAS)
"""ASCII letters that match more than their two cases when case is ignored ("ſ" is an "s" to ``re.I``)."""


def _plain_word(word: str) -> bool:
    """One word of ASCII letters that ``re.IGNORECASE`` matches only in its upper and lower case."""
    return word.isascii() and word.isalpha() and not (set(word.lower()) & _CASE_EXTRAS)


def _last_words(phrases: Iterable[str]) -> tuple[str, ...] | None:
    """The last word of each phrase (lower-case), or None unless all are plain ASCII letters of at most 16."""
    last = {p.split()[-1].lower() for p in phrases if p.split()}
    if not last or not all(w.isascii() and w.isalpha() and len(w) <= 16 for w in last):
        return None
    return tuple(sorted(last))


@lru_cache(maxsize=8)
def load_action_rules(path: str | None = None) -> ActionRules:
    """Read and compile ``actions.jsonl``; errors name the file and line."""
    p = Path(path) if path else MODELS_DIR / "patterns" / "actions.jsonl"
    if not p.is_absolute():
        p = MODELS_DIR / p
    rows = _rows(p)
    by: dict[str, list[dict]] = {}
    for r in rows:
        by.setdefault(r["label"], []).append(r)

    honorifics = {r["pattern"]: r.get("gender") for r in by.get("HONORIFIC", [])}
    person = _person_regex(honorifics)

    role = next((r["pattern"] for r in by.get("REQUEST_ROLE", [])), "")

    def sub(pat: str) -> str:
        return pat.replace("@MONTH@", f"(?:{MONTHS})").replace("@ROLE@", role).replace("@PERSON@", person)

    def heading(label: str) -> re.Pattern[str]:
        alts = "|".join(f"(?:{r['pattern']})" for r in by.get(label, []))
        return re.compile(rf"(?:{alts})", re.IGNORECASE) if alts else _NEVER

    cue_parts = []
    firsts: list[frozenset[str] | None] = []  # per cue, the characters a match starts with
    modal, line_start = set(), set()
    line_start_words: list[str] | None = []
    # what a match must start with: a word start and one of these letters, or (attached cues) these
    word_start: set[str] | None = set()
    attached: set[str] | None = set()
    for i, r in enumerate(by.get("COMMIT_CUE", [])):
        pat = r["pattern"] if r.get("regex") else re.escape(r["pattern"]).replace(r"\ ", r"\s+")
        name = f"c{i}"
        if r.get("modal"):
            modal.add(name)
        if r.get("line_start_only"):
            line_start.add(name)
            word = str(r["pattern"])
            if r.get("regex") or r.get("attached") or not _plain_word(word) or line_start_words is None:
                line_start_words = None
            else:
                line_start_words.append(word.lower())
        lead = "" if r.get("attached") else r"(?<![\w'’])"
        cue_parts.append(rf"(?P<{name}>{lead}{pat}(?![\w'’]))")
        first = first_chars(pat, re.IGNORECASE)
        firsts.append(first)
        if first is None or word_start is None or attached is None:
            word_start = attached = None
        else:
            (attached if r.get("attached") else word_start).update(first)
    cue_body = by_first_char(cue_parts, firsts)
    if word_start is not None and attached is not None and cue_parts:
        # a look-ahead every match satisfies: the same matches, without trying all cues at every position
        guards = [rf"(?<![\w'’])(?={char_class(word_start)})"] if word_start else []
        guards += [rf"(?={char_class(attached)})"] if attached else []
        cue_body = rf"(?:{'|'.join(guards)})(?:{cue_body})"
    cue = re.compile(cue_body, re.IGNORECASE)

    def words(label: str) -> frozenset[str]:
        out: set[str] = set()
        for r in by.get(label, []):
            out.update(w.strip().lower() for w in r["pattern"].split("|") if w.strip())
        return frozenset(out)

    skip_alt = _words_alt("|".join(words("SKIP_WORD"))) or r"(?!x)x"
    attached_class = char_class(attached) if attached else ""
    if attached is None:
        line_start_words = None  # the attached cues' first characters are unknown
    requests = tuple((r["id"], re.compile(sub(r["pattern"]))) for r in by.get("REQUEST", []))
    task_head, owner_head = heading("LOG_TASK_HEAD"), heading("LOG_OWNER_HEAD")
    due = tuple(re.compile(sub(r["pattern"]), re.IGNORECASE) for r in by.get("DUE", []))
    markers = tuple(re.compile(sub(r["pattern"])) for r in by.get("MARKER", []))
    return ActionRules(
        honorifics=honorifics,
        markers=markers,
        marker_literals=tuple(required_literals(rx) for rx in markers),
        cue=cue,
        modal_cues=frozenset(modal),
        line_start_cues=frozenset(line_start),
        reporting_verbs=words("REPORTING_VERB"),
        non_task_verbs=words("NON_TASK_VERB"),
        allow_after=tuple(re.compile(r["pattern"], re.IGNORECASE) for r in by.get("ALLOW_AFTER", [])),
        offer=re.compile("|".join(f"(?:{r['pattern']})" for r in by.get("OFFER_CUE", [])) or r"(?!x)x", re.I),
        skip_trailing=re.compile(rf"(?:^|(?<=[\s,]))(?:{skip_alt})[\s,]*$", re.IGNORECASE),
        skip_leading=re.compile(rf"(?:{skip_alt})\b[\s,]*", re.IGNORECASE),
        skip_last_words=_last_words(words("SKIP_WORD")),
        line_start_words=tuple(line_start_words) if line_start_words is not None else None,
        attached_class=attached_class,
        pronouns={r["pattern"].lower(): r.get("gender") for r in by.get("PRONOUN", [])},
        requests=requests,
        request_literals=tuple(required_literals(rx) for _id, rx in requests),
        due=due,
        due_literals=tuple(required_folded_literals(rx) for rx in due),
        person_re=_lead_class(person, honorifics),
        person_barrier=_person_barrier(honorifics),
        log_task_head=task_head,
        log_owner_head=owner_head,
        log_due_head=heading("LOG_DUE_HEAD"),
        log_status_head=heading("LOG_STATUS_HEAD"),
        log_done=heading("LOG_DONE"),
        log_head_literals=(required_folded_literals(task_head), required_folded_literals(owner_head)),
    )


# ---------------------------------------------------------------------- people


@dataclass(frozen=True)
class Person:
    """A named person at a place in the text, as far as an owner needs it."""

    start: int
    end: int
    text: str
    surname: str | None
    first_name: str | None = None
    gender: str | None = None

    @property
    def key(self) -> str:
        return (self.surname or self.first_name or self.text).lower()


def _gender(text: str, rules: ActionRules) -> str | None:
    """The gender of the first honorific (in file order) that ``text`` starts with."""
    starts = rules.honorific_starts_by_char.get(text[:1]) if rules.honorific_starts_by_char else None
    for start, g in rules.honorific_starts if starts is None else starts:
        if start.match(text):
            return g
    return None


def _strip_honorific(text: str, rules: ActionRules) -> tuple[str | None, list[str]]:
    words = text.replace(".", " ").split()
    hon = None
    # only honorifics starting with this first word can match (all of them if one is blank)
    if rules.honorifics_by_first:
        candidates = rules.honorifics_by_first.get(words[0] if words else "", ())
    else:
        candidates = rules.honorifics_longest_first
    for h, hw in candidates:
        if tuple(words[: len(hw)]) == hw:
            hon, words = h, words[len(hw):]
            break
    return hon, words


def people_from_mentions(mentions: Sequence[PersonMention], rules: ActionRules) -> list[Person]:
    """Turn the people component's mentions into owner candidates."""
    out = []
    seen = rules.mention_memo  # documents name the same people again and again: each name is read once
    for m in mentions:
        held = seen.get(m.text)
        if held is None:
            if len(seen) >= _SURFACE_MEMO_MAX:
                seen.clear()
            held = seen[m.text] = (*_strip_honorific(m.text, rules), _gender(m.text, rules))
        hon, words, g = held  # (read only)
        surname = m.surname
        first = m.first_name
        if not surname and (hon or len(words) > 1) and words:
            surname = words[-1]
        if not first and len(words) > 1 and len(words[0]) > 1:
            first = words[0]
        if not first and not hon and len(words) == 1 and not surname:
            first = words[0]
        if g is None and m.honorific:
            g = rules.honorifics.get(m.honorific)
        out.append(Person(m.span.start, m.span.end, m.text, surname, first, g))
    return sorted(out, key=lambda p: p.start)


def find_people(text: str, rules: ActionRules) -> list[Person]:
    """A small fallback name finder for when no people component ran.

    Honorific + capitalised name ("Ms Vagarwal", "Councillor David Longstaff"),
    "Firstname Surname" before a verb or after "from"/"by", and a bare first
    name at the start of a sentence before a reporting verb ("Duncan said").
    """
    found: list[Person] = []
    for m in rules.person_re.finditer(text):
        p = _fallback_person(m, text, rules)
        if p is not None:
            found.append(p)
    return _with_bare_first_names(text, found)


_SURFACE_MEMO_MAX = 50_000


def _surface_facts(surface: str, rules: ActionRules) -> tuple[bool, str | None, str | None, str | None, str | None]:
    """What :func:`_fallback_person` reads from a name's surface alone, remembered per surface:
    (no name whatever the context, honorific, surname, first name, gender).

    The same names ("Councillor Smith", "Mr Patel") are matched again and again in a
    document's stretches; the honorific and word tests need doing once per surface.
    """
    memo = rules.surface_memo
    got = memo.get(surface)
    if got is None:
        hon, words = _strip_honorific(surface, rules)
        no_name = not words or (
            (words[-1] in NOT_NAMES) if hon else (words[-1] in ORG_WORDS or words[0] in ORG_WORDS or words[0] in NOT_NAMES)
        )
        if no_name:
            got = (True, hon, None, None, None)
        else:
            first = words[0] if len(words) > 1 and len(words[0]) > 1 else None
            got = (False, hon, words[-1], first, _gender(surface, rules))
        if len(memo) >= _SURFACE_MEMO_MAX:
            memo.clear()
        memo[surface] = got
    return got


def _fallback_person(m: re.Match[str], text: str, rules: ActionRules) -> Person | None:
    """The person a match of ``rules.person_re`` in ``text`` names, or None when it is no name."""
    surface = m.group().strip()
    dead, hon, surname, first, gender = _surface_facts(surface, rules)
    if dead:
        return None
    if not hon:
        # (the cheap word tests came first, in _surface_facts): every test below only skips the match
        start, end = m.start(), m.end()
        nxt = text[end: end + 30]
        if not (_FP_NEXT.match(nxt) or _FP_PREV.search(text[max(0, start - 12): start])):
            return None
        before_word = _FP_BEFORE.search(text[max(0, start - 30): start])
        if before_word:
            bw = before_word.group(1)
            if (bw[:1].isupper() or bw.lower() in _FP_LINKS) and not _FP_STOP_END.search(bw):
                return None
        if _FP_BODY_NEXT.match(nxt):
            return None
    return Person(m.start(), m.end(), surface, surname, first, gender)


def _with_bare_first_names(text: str, found: list[Person]) -> list[Person]:
    """``found`` (in text order) and the bare first names ("Duncan said ...") that the last of them
    with that first name explains, unless inside one of them; sorted by start."""
    firsts = {p.first_name: p for p in found if p.first_name}
    out = list(found)
    for start, name in _bare_first_names(text, firsts):
        if not any(p.start <= start < p.end for p in found):
            full = firsts[name]
            out.append(Person(start, start + len(name), name, full.surname, name, full.gender))
    return sorted(out, key=lambda p: p.start)


def find_people_surnamed(text: str, rules: ActionRules, surnames: set[str]) -> list[Person]:
    """``[q for q in find_people(text, rules) if q.surname and q.surname.lower() in surnames]``, cheaper.

    ``rules.person_re`` can match none of the characters ``rules.person_barrier``
    finds, and these are not word characters: a match lies within one stretch
    between two of them, and ``finditer`` over a stretch alone (the text seen
    around it, its end taken for the text's end) finds the very matches the
    scan of the whole text finds there. So only stretches that can matter are
    read: those holding one of ``surnames`` (every name matched keeps its last
    word, lower-cased, at the same place in the lower-cased text), and for a
    first name that such a person has, every stretch holding that first name
    (a bare "Duncan" takes the surname of the *last* "Duncan ..." found, and
    is dropped inside any name found).
    """
    if not surnames:
        return []
    low = text.lower()
    if rules.person_barrier is None or len(low) != len(text):
        return [q for q in find_people(text, rules) if q.surname and q.surname.lower() in surnames]
    barrier = rules.person_barrier
    done: dict[int, list[Person]] = {}  # stretch start -> the names found in the stretch
    n = len(text)
    rev = reversed_text(text)  # the nearest barrier before a place is the first after it in the reversed text

    def read_stretches(words: Iterable[str], hay: str) -> None:
        """Read every stretch where one of ``words`` starts in ``hay`` (the text or its lower case)."""
        for word in words:
            at = hay.find(word)
            while at >= 0:
                back = barrier.search(rev, n - at)
                s = n - back.start() if back else 0
                stop = barrier.search(text, at)
                e = stop.start() if stop else n
                if s not in done:
                    done[s] = [p for m in rules.person_re.finditer(text, s, e)
                               if (p := _fallback_person(m, text, rules)) is not None]
                at = hay.find(word, max(at + 1, e))  # a later one in this stretch changes nothing

    read_stretches([w for w in surnames if w], low)
    kept = [p for ps in done.values() for p in ps if p.surname.lower() in surnames]
    firsts = {p.first_name for p in kept if p.first_name and _FP_NAME.fullmatch(p.first_name)}
    if firsts:
        read_stretches(firsts, text)
    found = sorted((p for ps in done.values() for p in ps), key=lambda p: p.start)
    out = _with_bare_first_names(text, found)
    return [q for q in out if q.surname and q.surname.lower() in surnames]


def _overlaps_one(starts: Sequence[int], reach: Sequence[int], start: int, end: int) -> bool:
    """Does ``[start, end)`` overlap one of the people whose sorted starts are ``starts``
    (``reach[i]``: the furthest end of the first ``i + 1``)? The test :func:`find_actions` drops a name by."""
    i = bisect.bisect_left(starts, end)
    return bool(i) and reach[i - 1] > start


@lru_cache(maxsize=8)
def _segment_stops(honorifics: tuple[str, ...], barrier: str) -> tuple[re.Pattern[str], re.Pattern[str]]:
    """Where a name :func:`_person_regex` matches cannot run across: (forward search, search of the reversed text).

    Besides the barrier characters (:func:`_person_barrier`, its pattern ``barrier``):
    white space before a lower-case letter. Inside a name every space is followed by a
    space or a capital, or by the next word of an honorific (whose letters are left out
    here), so such a space splits a stretch into parts holding whole names, and a part's
    names are found by a search of that part alone, as of the stretch (see
    :func:`_surnamed_outside`).
    """
    after = {w[0] for h in honorifics for w in h.split()[1:]} | {
        h[k + 1] for h in honorifics for k in range(len(h) - 1) if h[k].isspace()}
    lower = "".join(sorted(set("abcdefghijklmnopqrstuvwxyz") - after))
    if not lower:
        return re.compile(barrier), re.compile(barrier)
    return re.compile(rf"{barrier}|\s(?=[{lower}])"), re.compile(rf"{barrier}|(?<=[{lower}])\s")


_CAP_WORD = re.compile(r"\s([A-Z][A-Za-z'’\-]*)")
_CAP_SCAN = 50_000  # a text this long times the surnames is walked word by word, not searched per surname


def _surname_places(text: str, surnames: set[str]) -> list[tuple[int, int]]:
    """(start, end) of each word of ``text`` that a name the fallback finder matches can end with and
    that is one of ``surnames`` lower-cased: a capital after a space, then letters, apostrophes and
    hyphens up to a character that is none of these (the name regex ends at the end of such a run).

    For a few surnames each is searched in the lower-cased text; for many in a long text, the
    capitalised words are walked once instead (the same places, found in text order).
    """
    n = len(text)
    out: list[tuple[int, int]] = []
    if n * len(surnames) >= _CAP_SCAN:
        for m in _CAP_WORD.finditer(text):
            if m.group(1).lower() in surnames:
                out.append(m.span(1))
        return out
    low = text.lower()
    if len(low) != n:
        return [m.span(1) for m in _CAP_WORD.finditer(text) if m.group(1).lower() in surnames]
    for word in surnames:
        if not word:
            continue
        size = len(word)
        at = low.find(word)
        while at >= 0:
            end = at + size
            if "A" <= text[at] <= "Z" and at and text[at - 1].isspace() and (end == n or text[end] not in _NAME_WORD_CHARS):
                out.append((at, end))
            at = low.find(word, at + 1)
    return out


def _surnamed_outside(
    text: str, rules: ActionRules, surnames: set[str], starts: Sequence[int], reach: Sequence[int]
) -> list[Person]:
    """``[q for q in find_people_surnamed(text, rules, surnames) if not _overlaps_one(starts, reach, q.start, q.end)]``:
    the names the fallback finder adds to the people (``starts``, ``reach``), read where they can be.

    :func:`find_people_surnamed` reads every stretch holding a surname, but most names it
    finds are people already known, whom :func:`find_actions` drops. It returns two sorts:

    * names the regex matches, each ending with its surname: a capital after a space, one of
      ``surnames`` lower-cased, and no letter after it. One outside the people holds such a
      place outside them, so only the parts (:func:`_segment_stops`) around those are read;
    * bare first names ("Duncan said ...") not inside a name found, with the surname of the
      *last* name found with that first name; unless that name has one of ``surnames`` (so it
      is a name of the first sort, read around a surname place, covered or not) the bare name
      is dropped. So the first names of those names are found, and for each that opens a
      sentence somewhere outside the people, the parts holding that first name are read, as
      the finder reads them all.

    The parts read are the ones the finder reads, cut smaller: the names found are the same.
    """
    if not surnames:
        return []
    barrier = rules.person_barrier
    if barrier is None or not rules.honorifics_plain:
        return [q for q in find_people_surnamed(text, rules, surnames)
                if not _overlaps_one(starts, reach, q.start, q.end)]
    fwd, back = _segment_stops(tuple(rules.honorifics), barrier.pattern)
    n = len(text)
    rev = reversed_text(text)
    parts: dict[int, list[Person]] = {}  # part start -> the names found in the part

    def names_at(pos: int) -> list[Person]:
        """The names found in the part around ``pos``."""
        b = back.search(rev, n - pos)
        s = n - b.start() if b else 0
        got = parts.get(s)
        if got is None:
            stop = fwd.search(text, pos)
            got = parts[s] = [p for m in rules.person_re.finditer(text, s, stop.start() if stop else n)
                              if (p := _fallback_person(m, text, rules)) is not None]
        return got

    out: dict[int, Person] = {}  # start -> name added
    firsts: set[str] = set()  # the first names a name ending with a surname place may have (a superset)
    for at, end in _surname_places(text, surnames):
        if _overlaps_one(starts, reach, at, end):
            m = _FIRST_NAME_BEFORE.match(rev, n - at)  # (reversed: the word before, maybe past an initial)
            if m is not None:
                firsts.add(m.group(1)[::-1])
        else:
            for p in names_at(at):
                if p.start not in out and p.surname.lower() in surnames and not _overlaps_one(starts, reach, p.start, p.end):
                    out[p.start] = p
                if p.first_name and _FP_NAME.fullmatch(p.first_name):
                    firsts.add(p.first_name)
    for name in firsts:
        size = len(name)
        places = []
        pos = text.find(name)
        while pos >= 0:
            places.append(pos)
            pos = text.find(name, pos + 1)
        bare = [pos for pos in places if not _overlaps_one(starts, reach, pos, pos + size) and _is_bare(text, pos, name)]
        if not bare:
            continue
        named = [p for pos in places if pos + size < n and text[pos + size] in _AFTER_FIRST_NAME
                 for p in names_at(pos) if p.first_name == name]
        if not named:
            continue
        full = max(named, key=lambda p: p.start)
        if full.surname.lower() not in surnames:
            continue
        for pos in bare:
            if not any(p.start <= pos < p.end for p in names_at(pos)):
                out[pos] = Person(pos, pos + size, name, full.surname, name, full.gender)
    return [out[k] for k in sorted(out)]


def _bare_first_names(text: str, names: Iterable[str]) -> list[tuple[int, str]]:
    """Where ``_FP_BARE`` matches ``text`` with one of ``names`` as its name: (offset, name), in order.

    The same as ``(m.start(1), m.group(1)) for m in _FP_BARE.finditer(text) if m.group(1) in names``
    without walking the whole text: only where a name occurs is the regex
    tried, from each position the whitespace before the name allows. (Two
    matches never overlap: a match ends before a lower-case word, and the
    only capitalised word in it is its name.)
    """
    out: set[tuple[int, str]] = set()
    for name in names:
        if not _FP_NAME.fullmatch(name):
            continue  # group 1 of the regex is always a capitalised word
        pos = text.find(name)
        while pos >= 0:
            if _is_bare(text, pos, name):
                out.add((pos, name))
            pos = text.find(name, pos + 1)
    return sorted(out)


def _is_bare(text: str, pos: int, name: str) -> bool:
    """Does ``_FP_BARE`` match ``text`` with ``name`` (found at ``pos``) as its name, from a place the
    white space before it allows?"""
    w = pos
    while w > 0 and text[w - 1].isspace():
        w -= 1
    return any((m := _FP_BARE.match(text, s)) is not None and m.group(1) == name for s in range(w, pos + 1))


_FP_NAME = re.compile(r"[A-Z][a-z]+")
# read backwards from where a surname starts: the space, maybe an initial ("A. ") and its space, and a
# first name (reversed) as _FP_NAME spells it
_FIRST_NAME_BEFORE = re.compile(r"(?:[ \t]+|[ \t]*\n[ \t]*)(?:\.?[A-Z](?:[ \t]+|[ \t]*\n[ \t]*))?([a-z]+[A-Z])")
_AFTER_FIRST_NAME = frozenset(". \t\n")  # what follows a first name inside a name (a dot or a space)


_FP_BEFORE = re.compile(r"(\S+)\s+$")
_FP_LINKS = ("of", "the", "and", "for", "&", "at", "in")
_FP_STOP_END = re.compile(r"[.:;]$")
_FP_NEXT = re.compile(r"\s*(?:,|\(|[a-z]+\b)")
_FP_PREV = re.compile(r"\b(?:from|by|to|with)\s+$")
_FP_BODY_NEXT = re.compile(r"\s+(?:Board|Committee|Council|Partnership|Team|Service|Services|Group)\b")
_FP_BARE = re.compile(r"(?:(?<=^)|(?<=[.\n]\s)|(?<=\n))\s*([A-Z][a-z]+)\s+(?=[a-z]+\b)")


def _fullest(person: Person, people: Sequence[Person]) -> Person:
    """A first-name-only reference ("Duncan") takes the fuller name seen elsewhere in the text.

    The owner is then written "Duncan Tessier", so the owner's surname is
    known to everyone downstream (people resolution, scoring, the clerk).
    """
    words = person.text.split()
    if len(words) != 1 or not person.first_name or words[0] != person.first_name:
        return person
    same = [p for p in people if p.surname and p.first_name and len(p.text.split()) > 1
            and p.first_name.lower() == person.first_name.lower()
            and (person.surname is None or p.surname.lower() == person.surname.lower())]
    if not same:
        if person.surname:  # the people component already knew whose first name it is
            return Person(person.start, person.end, f"{person.first_name} {person.surname}", person.surname,
                          person.first_name, person.gender)
        return person
    best = max(same, key=lambda p: (len(p.text.split()), -abs(p.start - person.start)))
    text = f"{person.first_name} {best.surname}"
    return Person(person.start, person.end, text, best.surname, person.first_name, person.gender or best.gender)


# ---------------------------------------------------------------- candidates


@dataclass
class _Cand:
    kind: str
    owner: Person
    description: str
    sent: int  # index of the task sentence
    first_sent: int  # first sentence the evidence needs (pronoun antecedent)
    cue_start: int
    due_text: str | None = None
    consumed: bool = False


@dataclass
class _Ctx:
    text: str
    sents: list[tuple[int, int]]
    people: list[Person]
    rules: ActionRules
    # sentence index -> the request literals it holds (see ``sentences_holding``); None: test each sentence
    request_words: dict[int, set[str]] | None = None
    # :func:`marker_matches` of ``text``, when found already
    marker_found: list[tuple[re.Pattern[str], list[re.Match[str]]]] | None = None
    # end offset -> (index in ``people``, person) of the people ending there, in order (see ``ending_at``)
    _ending: dict[int, list[tuple[int, Person]]] | None = field(default=None, init=False, repr=False)
    # (see ``line_start_lead``) per sentence its answer; the people's starts and furthest ends so far
    _line_lead: dict[int, tuple[bool, bool]] | None = field(default=None, init=False, repr=False)
    _starts: list[int] | None = field(default=None, init=False, repr=False)
    _max_end: list[int] = field(default_factory=list, init=False, repr=False)
    _full_surnames: set[str] | None = field(default=None, init=False, repr=False)  # see ``may_request``

    def ending_at(self, pos: int) -> list[tuple[int, Person]]:
        """(index, person) of each of ``people`` (in order) that ends at ``pos``.

        A cue's subject is the person ending right before it: looked up here
        instead of scanning everyone named in the chunk at every cue.
        """
        if self._ending is None:
            ending: dict[int, list[tuple[int, Person]]] = {}
            for i, p in enumerate(self.people):
                ending.setdefault(p.end, []).append((i, p))
            self._ending = ending
        return self._ending.get(pos, [])

    def persons_in(self, a: int, b: int) -> list[Person]:
        return [p for p in self.people if a <= p.start and p.end <= b]

    def line_start_lead(self, si: int) -> tuple[bool, bool]:
        """(someone named opens sentence ``si``, it holds an "action" label): where the owner of a
        line-start cue ("P. Halloran to ...") may start, as :func:`_commitments` checks it.

        The owner must start where only a short lead (a bullet or list label: at most five
        characters that are not space) or an "Action:" label precedes it in the sentence; one of
        the people who does starts in its first few characters (or before it, ending in it).
        Found once per sentence.
        """
        if self._line_lead is None:
            self._line_lead = {}
        got = self._line_lead.get(si)
        if got is None:
            a, b = self.sents[si]
            reach = _LEAD_REACH.match(self.text, a).end()  # (a lead the owner may follow is no longer)
            got = self._line_lead[si] = (self.someone_in(reach, a), _ACTION_WORD.search(self.text, a, b) is not None)
        return got

    def someone_in(self, start_by: int, end_from: int) -> bool:
        """Does one of ``people`` start at or before ``start_by`` and end at or after ``end_from``?

        (``people`` are in order of start: a bisection and the furthest end so far answer it.)
        """
        if self._starts is None:
            self._starts = [p.start for p in self.people]
            self._max_end = list(accumulate((p.end for p in self.people), max))
        k = bisect.bisect_right(self._starts, start_by)
        return bool(k) and self._max_end[k - 1] >= end_from

    def may_request(self, si: int) -> bool:
        """False only when :func:`_requests` finds nothing in sentence ``si``: a request's owner is one
        of ``people`` overlapping it, or a capitalised word in it that is the surname of one of them
        named in full (:func:`_titled_surname`)."""
        a, b = self.sents[si]
        if self.someone_in(b - 1, a + 1):
            return True  # (someone starts before its end and ends after its start)
        if self._full_surnames is None:
            self._full_surnames = {p.surname for p in self.people if p.surname and len(p.text.split()) > 1}
        sent = self.text[a:b]
        return any(w in sent for w in self._full_surnames)

    def sent_of(self, pos: int) -> int:
        for i, (a, b) in enumerate(self.sents):
            if a <= pos < b:
                return i
        for i, (a, _b) in enumerate(self.sents):
            if a > pos:
                return max(0, i - 1)
        return len(self.sents) - 1


def _strip_trailing_skip(before: str, rules: ActionRules) -> str:
    """Drop adverbs between subject and cue ("Mr Clifton also agreed to")."""
    s = before.rstrip()
    for _ in range(4):
        if not _may_end_with_skip(s, rules):
            break
        m = rules.skip_trailing.search(s)
        if not m:
            break
        s = s[: m.start()].rstrip().rstrip(",").rstrip()
    return s


def _may_end_with_skip(s: str, rules: ActionRules) -> bool:
    """False only when ``rules.skip_trailing`` cannot match ``s``: its last word ends no skip word.

    A match is a skip word and then only spaces and commas, so (for a plain
    ASCII ending) the text must end with the last word of a skip word; the
    regex search, which walks the whole text, runs only then.
    """
    if rules.skip_last_words is None:
        return True
    k = len(s)
    while k and (s[k - 1] == "," or s[k - 1].isspace()):
        k -= 1
    tail = s[max(0, k - 16): k]
    if not tail.isascii():
        return True  # case-insensitive matching beyond ASCII: leave it to the regex
    return tail.lower().endswith(rules.skip_last_words)


_TITLE_APPOSITION = re.compile(
    r"\s*(?:\(?\w{1,3}(?:\.\d+)*[.)]?\s+)?(?:[Tt]he|[Oo]ur|[Tt]his)\s+(?:[A-Z][\w'’&-]*\s+|of\s+|and\s+|for\s+){0,6}"
    r"[A-Z][\w'’-]*\s*,\s*"
)
"""Text before a name that is a title in apposition: "The Police and Crime Commissioner, " (optionally numbered)."""


def _subject_before(ctx: _Ctx, sent_start: int, pos: int) -> tuple[Person | None, str | None]:
    """The person (or he/she) that ends right before ``pos``: the cue's subject.

    Allows an appositive between name and cue: "Mr J Cook (Democratic Services
    Manager) would ..." or "Peter Clifton, Community Safety Manager, would ...".
    """
    before = _strip_trailing_skip(ctx.text[sent_start:pos], ctx.rules)
    end = sent_start + len(before)
    # the first person (in order) ending there, or before a possessive "'s"
    hits = ctx.ending_at(end)[:1] + (ctx.ending_at(end - 2)[:1] if end >= 2 and ctx.text[end - 2:end] == "'s" else [])
    if hits:
        return min(hits, key=lambda hit: hit[0])[1], None
    if before.endswith(")"):
        op = before.rfind("(")
        if op > 0:
            for _i, p in ctx.ending_at(sent_start + len(before[:op].rstrip()))[:1]:
                return p, None
    if before.endswith(","):
        comma = before[:-1].rfind(",")
        if comma > 0 and len(before[comma:].split()) <= 8:
            for _i, p in ctx.ending_at(sent_start + len(before[:comma].rstrip()))[:1]:
                return p, None
        # "The Commissioner, Harriet Dunmore, will ...": a title opening the sentence, then the name in apposition
        for _i, p in ctx.ending_at(sent_start + len(before[:-1].rstrip())):
            if _TITLE_APPOSITION.fullmatch(ctx.text[sent_start:p.start]):
                return p, None
    rel = _WHO_END.search(before) if before.endswith("who") else None
    if rel:  # "... thanked Ms Green, who agreed to ..."
        for _i, p in ctx.ending_at(sent_start + rel.start())[:1]:
            return p, None
    m = _PRONOUN_END.search(before) if before.endswith(("he", "He")) else None
    if m:
        return None, m.group(1).lower()
    return None, None


# (``before`` has no trailing space, so these can only match a text ending in "who" / "he")
_WHO_END = re.compile(r",?\s+who$")
_PRONOUN_END = re.compile(r"(?:^|[\s,;:(\"'‘“])([Hh]e|[Ss]he)$")


def _coordinated_before(ctx: _Ctx, person: Person, sent_start: int) -> list[Person]:
    """People joined to ``person`` as one subject: "Dr Frost and Ms Yates", "Ms Hale, Mr Ito and Dr Roe"."""
    out: list[Person] = []
    cur = person
    while True:
        prev = [q for q in ctx.people if sent_start <= q.start and q.end <= cur.start
                and re.fullmatch(r"\s*(?:,|,?\s+and|&)\s*", ctx.text[q.end:cur.start])]
        if not prev:
            break
        cur = prev[-1]
        out.append(cur)
    # only a chain that opens its clause ("It was agreed that Dr Frost and Ms Yates would ..."), not an
    # object before a new subject ("Ms Hale thanked Mr Ito, and Ms Lee would ...")
    if out and not re.search(r"(?:^|\bthat|[:;])\s*(?:[-•·*]|\(?\w{1,3}[.)])?\s*$", ctx.text[sent_start:cur.start]):
        return []
    return out[::-1]


_AND_END = re.compile(r"(?:^|[\s,])and$")
_BULLET_LEAD = re.compile(r"\s*(?:[-•·*]|\(?\w{1,3}[.)])?\s*")  # nothing but a bullet or a label: "- ", "(b) "


def _coordinated_subject(ctx: _Ctx, si: int, pos: int) -> Person | None:
    """The subject of a sentence whose second verb is the undertaking.

    "Dr Rao apologised for the delay, explaining that ..., and agreed to
    present the findings": the sentence opens with the person, the cue
    follows "and", and nobody else is named in between.
    """
    a, _b = ctx.sents[si]
    before = _strip_trailing_skip(ctx.text[a:pos], ctx.rules)
    if not _AND_END.search(before):
        return None
    named = ctx.persons_in(a, pos)
    if len(named) != 1 or not _is_subject(ctx, named[0], ctx.sents[si]):
        return None
    lead = ctx.text[a: named[0].start]
    if lead.strip() and not _BULLET_LEAD.fullmatch(lead):
        return None  # "Following the report by Mr X, ... and agreed": Mr X is not the subject
    return named[0]


_SUBJECT_LEAD = re.compile(
    r"\s*(?:[-•·*]|\(?\w{1,3}[.)])?\s*(?:(?:Finally|Also|However|Then|Further|In response|In addition|"
    r"Separately|Lastly|Firstly|Secondly|Thirdly|Additionally),?\s*)?")
_ASIDE_AFTER = re.compile(r"^\s*(?:\([^)]*\)|,[^,]{1,60},)")
_NEXT_VERB = re.compile(r"\s*(?:also\s+|then\s+|further\s+)?([a-z]+)")


def _is_subject(ctx: _Ctx, p: Person, sent: tuple[int, int]) -> bool:
    """A person is a clause subject when the sentence starts with them or a reporting verb follows."""
    lead = ctx.text[sent[0]: p.start]
    if _SUBJECT_LEAD.fullmatch(lead):
        return True
    nxt = ctx.text[p.end: p.end + 60]
    nxt = _ASIDE_AFTER.sub("", nxt)
    m = _NEXT_VERB.match(nxt)
    return bool(m and m.group(1) in ctx.rules.reporting_verbs)


def _antecedent(ctx: _Ctx, si: int, pos: int, pronoun: str) -> tuple[Person | None, int]:
    """Who "he"/"she" is: the subject of the reporting clause, else of the previous sentence(s)."""
    gender = ctx.rules.pronouns.get(pronoun)

    def ok(p: Person) -> bool:
        return p.gender is None or gender is None or p.gender == gender

    sent = ctx.sents[si]
    here = [p for p in ctx.persons_in(sent[0], pos) if ok(p)]
    subj = [p for p in here if _is_subject(ctx, p, sent)]
    if subj:
        return subj[-1], si
    if here:
        return None, si  # someone else is named in between: too ambiguous
    lead = ctx.text[sent[0]:pos]
    words = re.findall(r"[a-z]+", lead.lower())
    if any(w in ctx.rules.reporting_verbs for w in words) and not re.match(
            r"\W*(?:\w+,\s*)?(?:[Hh]e|[Ss]he)\b", lead):
        return None, si  # "The Chair said she would ...": an unnamed speaker
    for back in (1, 2):
        j = si - back
        if j < 0 or _para_break(ctx, ctx.sents[j][1], sent[0]) > 1:
            break
        cands = [p for p in ctx.persons_in(*ctx.sents[j]) if ok(p)]
        subj = [p for p in cands if _is_subject(ctx, p, ctx.sents[j])]
        if subj:
            return subj[0], j
        if cands:
            return None, si
    return None, si


_PARA_BREAK = re.compile(r"\n\s*\n")


def _para_break(ctx: _Ctx, a: int, b: int) -> int:
    """How many blank-line paragraph breaks lie between two offsets."""
    return len(_PARA_BREAK.findall(ctx.text[a:b]))


_CLAUSE_END = re.compile(
    r"(?:[.;!?](?:\s|$)|\(\s*action|\baction\s*[:\-–]|\s+which\s+|\s+who\s+|,\s+and\s+(?:that|he|she|they|it)\b|"
    r"\s+but\s+|\s+so\s+that\s+|\s+although\s+|\s+however\b|,\s+as\s+|\s+-\s+|\s+–\s+|\n\s*\n)",
    re.IGNORECASE,
)


def _clause(text: str, limit: int = 30) -> str:
    m = _CLAUSE_END.search(text)
    out = text[: m.start()] if m else text
    words = out.split()
    if len(words) > limit:
        words = words[:limit]
    return " ".join(words).strip(" ,:;-–\"'”’")


_FIRST_WORD = re.compile(r"([a-z][a-z\-]*)\b")


def _verb_ok(after: str, rules: ActionRules, modal: bool) -> bool:
    """Is what follows the cue a task ("provide a contact") rather than a state ("be available")?"""
    s = after
    for _ in range(3):
        stripped = _strip_leading_skip(s, rules)
        if stripped == s:
            break
        s = stripped
    if any(p.match(s) for p in rules.allow_after):
        return True
    m = _FIRST_WORD.match(s)
    if not m:
        return False
    w = m.group(1)
    if w in ("no", "not", "never"):
        return False
    if modal:
        two = " ".join(s.split()[:2]).lower()
        return w not in rules.non_task_verbs and two not in rules.non_task_verbs
    return w not in DETERMINERS and w not in ("be", "have", "not")


def _strip_leading_skip(s: str, rules: ActionRules) -> str:
    s = s.lstrip()
    m = rules.skip_leading.match(s)
    return s[m.end():] if m else s


@lru_cache(maxsize=1024)
def _due_at_end(due: str) -> re.Pattern[str]:
    """The deadline ``due`` closing a task, with the word that introduces it (compiled once per deadline)."""
    return re.compile(
        r"[\s,]*\b(?:(?:by|before|at|in|for|to|until|during|no\s+later\s+than|ahead\s+of|prior\s+to)\s+)?"
        + re.escape(due).replace(r"\ ", r"\s+") + r"[\s.,;]*$")


def _without_due(desc: str, due: str | None) -> str:
    """The task without the deadline that closes it ("circulate the plan by 30 May" -> "circulate the plan").

    The deadline has its own column; it stays in the task when it is the
    task's object ("attend the next meeting") or sits inside it.
    """
    if not due:
        return desc
    m = _due_at_end(due).search(desc)
    if not m or m.start() == 0:
        return desc
    head = desc[: m.start()].rstrip(" ,")
    return head if len(head.split()) >= 2 else desc


_WS_RUN = re.compile(r"\s+")


def _find_due(text: str, rules: ActionRules) -> str | None:
    best: tuple[int, str] | None = None
    folded = fold_case(text)
    for pat, need in zip(rules.due, rules.due_literals or (None,) * len(rules.due), strict=True):
        if not could_match(need, folded):
            continue  # none of the words every match holds: no deadline of this kind
        for m in pat.finditer(text):
            due = _WS_RUN.sub(" ", m.group("due")).strip()
            if best is None or m.start("due") < best[0] or (m.start("due") == best[0] and len(due) > len(best[1])):
                best = (m.start("due"), due)  # the earliest deadline, in its longest reading
    return best[1] if best else None


_LINE_LEAD = re.compile(r"\s*(?:[-•·*]|\(?\w{1,3}[.)])?\s*(?:(?:ACTIONS?|Actions?)\s*[:\-–—]\s*)?")
_INITIALS_NAME = re.compile(r"(?:[A-Z]\.?[ \t]*){1,3}[ \t]+[A-Z][a-z][a-zA-Z'’\-]*|(?:[A-Z]\.){1,3}[ \t]*[A-Z][a-z][a-zA-Z'’\-]*")


def _line_start_name(ctx: _Ctx, sent_start: int, pos: int) -> Person | None:
    """The owner of an action-log style line ("P. Halloran to include ...") that no mention covers.

    Only the whole stretch between the line's start (after a bullet or an
    "Action:" label) and the cue counts, and it must read as a name:
    honorific + name, initials + surname, or first name + surname.
    """
    line_start = max(sent_start, ctx.text.rfind("\n", 0, pos) + 1)
    seg = ctx.text[line_start:pos]
    lead = _LINE_LEAD.match(seg)
    cut = lead.end() if lead else 0
    for k in (cut, len(seg) - len(seg.lstrip())):  # "P. Halloran": the initial is not a list label
        name = seg[k:].rstrip()
        if name and (ctx.rules.person_re.fullmatch(name) or _INITIALS_NAME.fullmatch(name)):
            cut = k
            break
    else:
        return None
    words = name.replace(".", " ").split()
    if any(w in NOT_NAMES or w in ORG_WORDS for w in words[1:]) or words[0] in ("The", "All", "Each"):
        return None
    start = line_start + cut
    hon, rest = _strip_honorific(name, ctx.rules)
    first = rest[0] if len(rest) > 1 and len(rest[0]) > 1 else None
    return Person(start, start + len(name), name, words[-1], first, _gender(name, ctx.rules))


_LEAD_REACH = re.compile(r"(?:\s*\S){0,5}\s*")
r"""From a sentence start, as far as a lead the line-start rule allows (a bullet or list label and
spaces, fullmatching ``\s*(?:[-•·*]|\(?\w{1,3}[.)])?\s*``: at most five characters that are not space) can reach."""
_ACTION_WORD = re.compile("action", re.IGNORECASE)  # what the line-start rule's "Action:" lead needs


_NAME_WORD_CHARS = frozenset("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz'’-")
_PRONOUN_STARTS = ("he", "He", "she", "She")


def _undertaking_sentences(ctx: _Ctx) -> set[int] | None:
    """The sentences in which :func:`_commitments` may find an undertaking (a superset), None for all.

    An undertaking needs a subject: a person of ``ctx.people`` ending in the
    sentence (or just before it), "he"/"she" as a word in it, or, for a cue
    allowed only at a line start ("P. Halloran to circulate ..."), a name
    right before the cue, whose last word is capitalised. Finding these once
    per chunk leaves the cue search, which walks every character, to the
    sentences that have one.
    """
    words = ctx.rules.line_start_words
    text, sents = ctx.text, ctx.sents
    if words is None:
        return None
    starts = [a for a, _b in sents]
    out: set[int] = set()
    prev_end = 0
    for k, (a, b) in enumerate(sents):
        if a < prev_end or b < a:
            return None  # not sorted and disjoint: look at every sentence
        prev_end = b
        if text.startswith(_PRONOUN_STARTS, a):
            out.add(k)
    lowered = text.lower() if words else text
    if len(lowered) != len(text):
        return None  # lower-casing moved the offsets

    def mark(pos: int) -> None:
        k = bisect.bisect_right(starts, pos) - 1
        if k >= 0 and pos < sents[k][1]:
            out.add(k)

    for p in ctx.people:  # the subject ends in the sentence, or two characters before it ("'s")
        k = bisect.bisect_right(starts, p.end + 2) - 1
        while k >= 0 and sents[k][1] >= p.end:
            out.add(k)
            k -= 1
    he_she = _he_she(ctx.rules.attached_class)
    for m in he_she.finditer(text):
        mark(m.start())
    n = len(text)
    most = ctx.rules.line_name_words
    for word in words:
        size = len(word)
        pos = lowered.find(word)
        while pos >= 0:
            # (the cue is a whole word: most places, inside a word, are passed over at once)
            if ((pos == 0 or not _word_char(text[pos - 1])) and (pos + size == n or not _word_char(text[pos + size]))
                    and _capitalised_word_before(text, pos)):
                k = bisect.bisect_right(starts, pos) - 1
                if k >= 0 and k not in out and pos < sents[k][1]:
                    a, b = sents[k]
                    # nobody named ends in this sentence: only a name opening it can own the cue, so the
                    # cue comes within its first words, unless an "Action:" label opens the owner's line
                    if len(text[a:pos].split()) <= most or _ACTION_WORD.search(text, a, b):
                        out.add(k)
            pos = lowered.find(word, pos + 1)
    return out


def _word_char(ch: str) -> bool:
    """Is ``ch`` one of ``[\\w'’]``, which a cue word may not touch (``(?<![\\w'’])``, ``(?![\\w'’])``)?"""
    return ch.isalnum() or ch in "_'’"


@lru_cache(maxsize=8)
def _he_she(attached_class: str) -> re.Pattern[str]:
    """ "he"/"she" after a space or an opening mark, before a space, a comma or an attached cue.

    Where :func:`_subject_before` can read a pronoun ending the text before a cue;
    the leading class makes the search skip to an "h" or "s" at once.
    """
    after = rf"[\s,]|{attached_class}" if attached_class else r"[\s,]"
    return re.compile(rf"[HhSs](?<![^\s,;:(\"'‘“][HhSs])(?:(?<=[Ss])h|(?<=[Hh]))e(?={after}|$)")


def _capitalised_word_before(text: str, pos: int) -> bool:
    """Does a capitalised word of letters, apostrophes and hyphens end right before ``pos`` (spaces between)?"""
    j = pos
    while j > 0 and text[j - 1].isspace():
        j -= 1
    i = j
    while i > 0 and text[i - 1] in _NAME_WORD_CHARS:
        i -= 1
    return i < j and "A" <= text[i] <= "Z"


_ACTION_LABEL_END = re.compile(r"action\w*\s*[:\-–]\s*$", re.I)
_IF_WORD = re.compile(r"\bif\b")


def _commitments(ctx: _Ctx, si: int) -> list[_Cand]:
    """Undertakings in one sentence whose subject is a named person (or he/she pointing at one)."""
    a, b = ctx.sents[si]
    sent = ctx.text[a:b]
    out: list[_Cand] = []
    for m in ctx.rules.cue.finditer(sent):
        name = m.lastgroup or ""
        modal = name in ctx.rules.modal_cues
        pos = a + m.start()
        line_start = name in ctx.rules.line_start_cues
        far = False  # (a line-start cue this far into a sentence without an "Action" label: only an opening person)
        if line_start:
            opening, labelled = ctx.line_start_lead(si)
            far = not labelled and len(sent[: m.start()].split()) > ctx.rules.line_name_words
            if far and not opening:
                continue  # no owner can open its line (the usual "to"): see _Ctx.line_start_lead
        person, pronoun = _subject_before(ctx, a, pos)
        first = si
        if line_start:
            # "Mr Patel to circulate ..." only as a line of its own or after a marker.
            if person is None and not far:
                person = _line_start_name(ctx, a, pos)  # (a name from the line's start: not this far)
            if person is None:
                continue
            lead = ctx.text[a: person.start]
            if not (_BULLET_LEAD.fullmatch(lead) or _ACTION_LABEL_END.search(lead)):
                continue
        if person is None and pronoun:
            person, first = _antecedent(ctx, si, pos, pronoun)
        if person is None and not modal and name not in ctx.rules.line_start_cues:
            person = _coordinated_subject(ctx, si, pos)
        if person is None:
            continue
        after = sent[m.end():]
        if not _verb_ok(after, ctx.rules, modal):
            continue
        clause_before = sent[max(0, person.end - a): m.start()]
        if ctx.rules.offer.search(clause_before + " " + after[:40]) or (
            "offer" in m.group().lower() and _IF_WORD.search(_clause(after, 40))
        ):
            continue
        desc = _clause(_strip_leading_skip(after, ctx.rules))
        if len(desc.split()) < 1:
            continue
        due = _find_due(after, ctx.rules)
        for owner in [*_coordinated_before(ctx, person, a), person]:  # "Dr Frost and Ms Yates would meet ..."
            out.append(_Cand("commitment", _fullest(owner, ctx.people), desc, si, min(first, si), pos, due))
    return out


def _titled_surname(ctx: _Ctx, start: int, end: int) -> Person | None:
    """A job title and a surname ("City Manager Kowalczyk") whose surname names someone in the text.

    The people component may leave a title + surname unmarked; the surname
    alone is trusted only when the same text names that person in full.
    """
    m = re.search(r"([A-Z][a-zA-Z'’\-]+)\s*$", ctx.text[start:end])
    if not m:
        return None
    word = m.group(1)
    known = next((p for p in ctx.people if p.surname and p.surname == word and len(p.text.split()) > 1), None)
    if known is None:
        return None
    lead = re.match(r"(?:[Tt]he\s+)?", ctx.text[start:end]).end()
    return Person(start + lead, end, _ws(ctx.text[start + lead:end]), word, known.first_name, known.gender)


_NO_WORDS: frozenset[str] = frozenset()


_ABOUT_AFTER = re.compile(r"\s+(?:on|about|around|regarding|concerning|in\s+relation\s+to|for|of)\b")
_PROVIDE_VERB = re.compile(r"(?:provide|give|send|bring|share)\b")
_THING_ASKED = re.compile(r"(?:a|an|the|some|more|further|additional|written|regular)\b")


def _requests(ctx: _Ctx, si: int) -> list[_Cand]:
    """A named person asked to do something; the asker is not the owner."""
    here = ctx.request_words.get(si, _NO_WORDS) if ctx.request_words is not None else None
    if here is not None and not here:
        return []  # no request word in the sentence (``request_words`` is set only when every pattern has some)
    a, b = ctx.sents[si]
    sent = ctx.text[a:b]
    out: list[_Cand] = []
    lits = ctx.rules.request_literals or (None,) * len(ctx.rules.requests)
    for (_pid, pat), need in zip(ctx.rules.requests, lits, strict=True):
        if here is not None and need is not None:
            if here.isdisjoint(need):
                continue  # none of the words every match needs
        elif not could_match(need, sent):
            continue
        for m in pat.finditer(sent):
            o0, o1 = a + m.start("owner"), a + m.end("owner")
            owner = next((p for p in ctx.people if p.start <= o0 < p.end or o0 <= p.start < o1), None)
            if owner is None:
                owner = _titled_surname(ctx, o0, o1)
            if owner is None:
                continue
            what = m.group("what")
            if m.start("what") < m.start("owner"):
                # "requested an update from Steve Leader around the bid ...": the object, then what it is about
                tail = sent[max(m.end("owner"), owner.end - a):]
                if _ABOUT_AFTER.match(tail):
                    what = f"{what} {tail}"
                what = _clause(what)
                if what and not _PROVIDE_VERB.match(what):
                    what = f"provide {what}"
            else:
                what = _clause(what)
                if _THING_ASKED.match(what):
                    what = f"provide {what}"  # "asked Ms Osei for a written update": the thing asked for
            if not what:
                continue
            due = _find_due(sent[m.start("what"):], ctx.rules)
            out.append(_Cand("request", _fullest(owner, ctx.people), what, si, si, a + m.start(), due))
    return out


_INITIALS_LEAD = re.compile(r"[ ,/&]*([A-Z]{2,3})\b(?![a-z])")
_OWNER_JOIN = re.compile(r"\s*(?:,|/|&|\band\b)\s*")
_OPENS_NAME = re.compile(r"[(\-–—:]\s*$")
_TASK_AFTER_OWNERS = re.compile(r"\s*(?:to|will|would|is\s+to|agreed\s+to)\s+(?P<task>[a-z].*)")


def _marker_owners(ctx: _Ctx, start: int, rest: str) -> tuple[list[Person], str | None]:
    """Owners named in a marker's text and an inline task ("JS to circulate the minutes")."""
    owners: list[Person] = []
    pos = 0
    body = rest
    while True:
        seg = body[pos:]
        lead = len(seg) - len(seg.lstrip(" ,/&"))
        s0 = start + pos + lead
        p = next((q for q in ctx.people if q.start == s0), None)
        if p is None:
            ini = _INITIALS_LEAD.match(seg)
            if ini and ini.group(1) not in ("ALL", "THE", "AND", "TBC", "N/A", "NA"):
                p = Person(start + pos + ini.start(1), start + pos + ini.end(1), ini.group(1), None, None, None)
        if p is None:
            break
        owners.append(p)
        pos = p.end - start
        conj = _OWNER_JOIN.match(body[pos:])
        if not conj:
            break
        pos += conj.end()
    if not owners:
        # "Action: circulate the report to members (Ms Khan)" / "... – Ms Khan"
        tail = [q for q in ctx.people if start <= q.start and q.end <= start + len(rest)]
        if tail and _OPENS_NAME.search(ctx.text[start: tail[-1].start]):
            task = ctx.text[start: tail[-1].start].rstrip(" (-–—:")
            return [tail[-1]], _clause(task) or None
        return [], None
    remainder = _ws(body[pos:])  # a task wrapped over lines reads as one
    m = _TASK_AFTER_OWNERS.match(remainder)
    return owners, (_clause(m.group("task")) if m else None)


_MEETING_DUE = re.compile(r"\b(?:meeting|session)s?\b", re.IGNORECASE)


def find_actions(
    text: str,
    sentences: Sequence[tuple[int, int]] | None = None,
    mentions: Sequence[PersonMention] | None = None,
    rules: ActionRules | None = None,
    meeting_date: str | None = None,
) -> list[ActionItem]:
    """All actions in ``text``; offsets in the returned spans are into ``text``.

    ``mentions`` come from the people component; when None a small fallback
    name finder is used. ``meeting_date`` (ISO) lets absolute due dates
    ("by March 2025", "within two weeks") be resolved at once; "the next
    meeting" waits for :func:`extract.resolve.actions.track_actions`.
    """
    rules = rules or load_action_rules()
    sents = list(sentences) if sentences is not None else split_sentences(text)
    if mentions is not None:
        people = people_from_mentions(mentions, rules)
        # A name the people component tagged elsewhere in the text but missed here ("from Steve Leader")
        # is still that person: the fallback finder may add it, never a stranger.
        known = {p.surname.lower() for p in people if p.surname}
        # (people come sorted by start, and so do the names found: whether one overlaps a person
        # is a look-up in the starts and the furthest end so far, not a scan of everyone)
        starts = [p.start for p in people]
        reach = list(accumulate((p.end for p in people), max))  # furthest end of people[:i + 1]
        added_reach = -1
        for q in _surnamed_outside(text, rules, known, starts, reach):
            if added_reach > q.start:
                continue  # overlaps a name added before, which starts before q
            people.append(q)
            added_reach = max(added_reach, q.end)
        people.sort(key=lambda p: p.start)
    else:
        people = find_people(text, rules)
    people = [p for p in people if p.surname or p.first_name]
    found_markers = marker_matches(text, rules)
    ctx = _Ctx(text, _split_at_markers(text, sents, rules, found_markers), people, rules, marker_found=found_markers)
    ctx.request_words = _request_sentences(text, ctx.sents, people, rules)

    log_items, log_spans = _text_log_actions(ctx)

    def in_log(pos: int) -> bool:
        return any(s <= pos < e for s, e in log_spans)

    cands: list[_Cand] = []
    may_commit = _undertaking_sentences(ctx)
    requested = ctx.request_words
    # only sentences that may hold an undertaking or a request word can give a candidate
    order: Iterable[int] = (
        sorted(may_commit.union(si for si, words in requested.items() if words))
        if may_commit is not None and requested is not None else range(len(ctx.sents))
    )
    for si in order:
        if log_spans and in_log(ctx.sents[si][0]):
            continue  # a log row: read as a row below, not as prose
        if may_commit is None or si in may_commit:
            cands.extend(_commitments(ctx, si))
        if (requested is None or requested.get(si)) and ctx.may_request(si):
            cands.extend(_requests(ctx, si))  # (without a request word, or anyone to ask, it finds none)

    items = _marker_actions(ctx, cands) + log_items
    kept = [c for c in cands if not c.consumed]
    kept = _dedupe(kept)
    for c in kept:
        a = ctx.sents[c.first_sent][0]
        b = ctx.sents[c.sent][1]
        items.append((a, ActionItem(
            kind=c.kind, owner_text=c.owner.text, description=c.description,
            span=Span(sentence=_ws(ctx.text[a:b]), start=a, end=b), due_text=c.due_text,
        )))
    items.sort(key=lambda t: t[0])
    out = merge_log_rows([it for _, it in items])
    for it in out:
        it.description = _without_due(it.description, it.due_text)
    if meeting_date:
        from ..resolve.actions import resolve_due

        for it in out:
            if it.due_text and not _MEETING_DUE.search(it.due_text):
                # "the next meeting", "the December meeting": the archive knows that date (track_actions)
                it.due_date = resolve_due(it.due_text, meeting_date, None)
    return out


def _request_sentences(
    text: str, sents: Sequence[tuple[int, int]], people: Sequence[Person], rules: ActionRules
) -> dict[int, set[str]] | None:
    """Per sentence, the request words it holds (see ``sentences_holding``; None: test each sentence).

    Found once for the whole text; a sentence without any is not searched. Where nobody is
    named, no sentence is: a request's owner is one of the people (see ``_Ctx.may_request``).
    """
    if not people:
        return {}
    if rules.request_words is None:
        return None
    return sentences_holding(text, sents, rules.request_words)


_SEMI_SEGMENT = re.compile(r";\s*([^;]+)")
_INITIALS = re.compile(r"[A-Z]{2,3}")


def _marker_actions(ctx: _Ctx, cands: list[_Cand]) -> list[tuple[int, ActionItem]]:
    """One action per owner of each "Action:" / "(Action)" marker; the undertakings it restates are consumed.

    The task is the closest undertaking by the same owner in the marker's
    sentence or the three before it (not past an earlier marker, nor across
    more than one paragraph break), else the closest sentence naming the
    owner, else the sentence just before the marker.
    """
    items: list[tuple[int, ActionItem]] = []
    rules = ctx.rules
    prev_marker_end = 0
    for mk in _markers(ctx):
        m_start, m_end, rest_start, rest, paren = mk
        owners, inline_task = _marker_owners(ctx, rest_start, rest or "")
        msi = ctx.sent_of(m_start)
        # sentences that may hold the task: the marker's own (text before it) and up to 3 before
        window = []
        for j in range(msi, max(-1, msi - 4), -1):
            a, b = ctx.sents[j]
            if b <= prev_marker_end:
                break
            if j < msi and _para_break(ctx, b, m_start) > 1:
                break
            if j < msi and _para_break(ctx, b, m_start) == 1 and ctx.text[ctx.sents[msi][0]: m_start].strip():
                break
            window.append(j)
        if not owners and paren:
            # "(Action)": the owner is the subject of the sentence it closes
            # a sentence of its own before "(Action)" is the task; the one before may only serve a bare marker
            scope = window[:1] if len(ctx.text[ctx.sents[msi][0]:m_start].split()) >= 3 else window[:2]
            own = [c for c in cands if c.sent in scope and c.cue_start < m_start]
            if own:
                owners = [own[-1].owner]
            else:
                a, _b = ctx.sents[msi]
                subj = [p for p in ctx.persons_in(a, m_start) if _is_subject(ctx, p, ctx.sents[msi])]
                owners = subj[:1]
        if not owners:
            prev_marker_end = m_end
            continue
        jobs = [(owners, inline_task)]
        # "ACTIONS: MT to circulate the metrics; SP to arrange a session": one owner and task per segment
        for seg in _SEMI_SEGMENT.finditer(rest or ""):
            more, task = _marker_owners(ctx, rest_start + seg.start(1), seg.group(1))
            if more and task:
                jobs.append((more, task))
        for seg_owners, seg_task in jobs:
            for owner in seg_owners:
                owner = _fullest(owner, ctx.people)
                same = [c for c in cands if c.sent in window and c.cue_start < m_end and _same_owner(c.owner, owner)]
                if same and owner.surname is None:
                    owner = same[-1].owner  # initials in the marker, the full name in the task sentence
                elif owner.surname is None:
                    owner = _by_initials(owner, ctx.people)
                for c in same:
                    c.consumed = True
                earlier = _restated(cands, owner, seg_task, msi) if seg_task and not same else None
                if earlier is not None:
                    # an action line restating an undertaking recorded earlier in the item: one task, kept
                    # where the minutes record it, with the marker's kind and (failing its own) deadline
                    earlier.consumed = True
                    a0, b0 = ctx.sents[earlier.first_sent][0], ctx.sents[earlier.sent][1]
                    items.append((a0, ActionItem(
                        kind="action", owner_text=earlier.owner.text, description=earlier.description,
                        span=Span(sentence=_ws(ctx.text[a0:b0]), start=a0, end=b0),
                        due_text=earlier.due_text or _find_due(seg_task, rules),
                    )))
                    continue
                if seg_task:
                    first, desc, due, task_si = msi, seg_task, _find_due(seg_task, rules), msi
                    s0 = ctx.sents[msi][0] if not ctx.text[ctx.sents[msi][0]: m_start].strip() else m_start
                    span_start = min(s0, m_start)
                else:
                    if same:
                        best = max(same, key=lambda c: (c.kind != "request", c.cue_start))
                        first, desc, due, task_si = best.first_sent, best.description, best.due_text, best.sent
                    else:
                        named = [j for j in window if any(_same_owner(p, owner) for p in ctx.persons_in(*ctx.sents[j]))]
                        task_si = named[0] if named else (window[1] if len(window) > 1 and not
                                                          ctx.text[ctx.sents[msi][0]:m_start].strip() else msi)
                        first = task_si
                        a, b = ctx.sents[task_si]
                        desc = _clause(ctx.text[a: min(b, m_start)], 30)
                        due = _find_due(ctx.text[a: min(b, m_start)], rules)
                    span_start = ctx.sents[min(first, task_si)][0]
                if not desc:
                    continue
                sentence = _ws(ctx.text[span_start:m_end])
                if owner.surname is None and owner.first_name is None and not _INITIALS.fullmatch(owner.text):
                    continue
                items.append((span_start, ActionItem(
                    kind="action", owner_text=owner.text, description=desc,
                    span=Span(sentence=sentence, start=span_start, end=m_end), due_text=due,
                )))
        prev_marker_end = m_end

    return items


def _restated(cands: Sequence[_Cand], owner: Person, task: str, msi: int, reach: int = 12) -> _Cand | None:
    """The undertaking an action line ("ACTION: MT to circulate the metrics") restates, if the item records one.

    Same owner, an earlier sentence within ``reach``, and at least two content
    words in common, half of the shorter task's.
    """
    words = _task_words(task)
    best: tuple[int, _Cand] | None = None
    for c in cands:
        if c.consumed or not (0 < msi - c.sent <= reach) or not _same_owner(c.owner, owner):
            continue
        shared = len(words & _task_words(c.description))
        if shared >= 2 and 2 * shared >= min(len(words), len(_task_words(c.description))) and (
                best is None or shared > best[0]):
            best = (shared, c)
    return best[1] if best else None


def _by_initials(owner: Person, people: Sequence[Person]) -> Person:
    """"MT" in an action line is Mark Tull when he is the only person the text names with those initials."""
    if not _INITIALS.fullmatch(owner.text):
        return owner
    found = {p.surname.lower(): p for p in people
             if p.surname and len(p.text.split()) > 1 and _initials_match(owner.text, p)}
    if len(found) != 1:
        return owner
    full = next(iter(found.values()))
    name = f"{full.first_name} {full.surname}" if full.first_name else full.text
    return Person(owner.start, owner.end, name, full.surname, full.first_name, full.gender)


def _initials_match(initials: str, p: Person) -> bool:
    """"SB" for Sarah Bird: action logs often name owners by initials."""
    if not (_INITIALS.fullmatch(initials) and p.first_name and p.surname):
        return False
    return initials == (p.first_name[0] + p.surname[0]).upper() or (
        len(initials) == 3 and initials[0] == p.first_name[0].upper() and initials[-1] == p.surname[0].upper())


def _same_owner(a: Person, b: Person) -> bool:
    if _initials_match(a.text, b) or _initials_match(b.text, a):
        return True
    if a.surname and b.surname:
        return a.surname.lower() == b.surname.lower()
    if a.first_name and b.first_name:
        return a.first_name.lower() == b.first_name.lower()
    return a.text.lower() == b.text.lower()


def _dedupe(cands: list[_Cand]) -> list[_Cand]:
    """One task said twice by the same owner in adjacent sentences is one action.

    A request answered by the owner's own undertaking keeps the undertaking.
    """
    out: list[_Cand] = []
    for c in sorted(cands, key=lambda c: c.cue_start):
        dup = None
        for o in out:
            if not _same_owner(o.owner, c.owner) or abs(o.sent - c.sent) > 1:
                continue
            sim = fuzz.token_set_ratio(o.description.lower(), c.description.lower())
            if (o.sent == c.sent and o.kind == c.kind) or sim >= 70 or ("request" in (o.kind, c.kind) and sim >= 45):
                dup = o
                break
        if dup is None:
            out.append(c)
        elif dup.kind == "request" and c.kind != "request":
            out[out.index(dup)] = c
    return out


def _ws(s: str) -> str:
    return _WS_RUN.sub(" ", s).strip()


_TO_VERB = re.compile(r"\bto\s+[a-z]")
_CLOSED_END = re.compile(r"[.!?)]\s*$")
_CAPS_LINE = re.compile(r"[^a-z]*[A-Z]{3}[^a-z]*")
_SENTENCE_STOP = re.compile(r"(?<=[\w)])[.!?](?:\s|$)")


def _wrapped_task(text: str, rest: str, rest_start: int) -> tuple[str, int]:
    """An inline task ("ACTION: Cllr Patel to circulate the results to") that a hard wrap continues.

    Only a task in the "owner to verb" form that has not reached a sentence end
    goes on, over at most three following lines, each neither blank nor a new
    marker, bullet or heading; it stops at the first sentence end.
    """
    if not _TO_VERB.search(rest) or _CLOSED_END.search(rest):
        return rest, rest_start + len(rest)
    end = rest_start + len(rest)
    for _ in range(3):
        if not text.startswith("\n", end):
            break
        nl_end = text.find("\n", end + 1)
        nxt = text[end + 1: nl_end if nl_end >= 0 else len(text)]
        if (not nxt.strip() or _MARKER_LINE.match(nxt) or _BULLET.match(nxt)
                or _CAPS_LINE.fullmatch(nxt.strip())):
            break
        stop = _SENTENCE_STOP.search(nxt)
        take = nxt[: stop.start() + 1] if stop else nxt
        rest = f"{rest}\n{take}"
        end = end + 1 + len(take)
        if stop:
            break
    return rest, end


def marker_matches(text: str, rules: ActionRules) -> list[tuple[re.Pattern[str], list[re.Match[str]]]]:
    """Every match of every marker pattern in ``text``, pattern by pattern (found once per text)."""
    lits = rules.marker_literals or (None,) * len(rules.markers)
    return [
        (pat, list(scan_finditer(pat, text)) if could_match(need, text) else [])  # pat.finditer's matches
        for pat, need in zip(rules.markers, lits, strict=True)
    ]


_OWNER_LIST_END = re.compile(r"(?<=[a-z)])\.(?:\s|$)|\n")


def _markers(ctx: _Ctx) -> list[tuple[int, int, int, str | None, bool]]:
    """(start, end, start of owner text, owner text, is-parenthesised) for every action marker."""
    found = []
    matches = ctx.marker_found if ctx.marker_found is not None else marker_matches(ctx.text, ctx.rules)
    for pat, pat_matches in matches:
        for m in pat_matches:
            rest = m.group("rest") if "rest" in pat.groupindex else None
            rest_start = m.start("rest") if rest is not None else m.end()
            paren = m.group().startswith("(")
            end = m.end()
            if rest is not None and not paren:
                # the marker's owner list ends at the end of the line or sentence
                cut = _OWNER_LIST_END.search(rest)
                if cut:
                    rest = rest[: cut.start()]
                    end = m.start("rest") + cut.start()
                else:
                    rest, end = _wrapped_task(ctx.text, rest, m.start("rest"))
                rest = rest.rstrip()
            found.append((m.start(), end, rest_start, rest, paren))
    found.sort()
    out: list[tuple[int, int, int, str | None, bool]] = []
    for f in found:
        if out and f[0] < out[-1][1]:
            continue
        out.append(f)
    return out


def _split_at_markers(
    text: str,
    sents: list[tuple[int, int]],
    rules: ActionRules,
    matches: list[tuple[re.Pattern[str], list[re.Match[str]]]] | None = None,
) -> list[tuple[int, int]]:
    """Cut sentences at "Action:" markers so a marker never hides inside its task's sentence.

    ``matches`` are :func:`marker_matches` of ``text`` when the caller has them.
    """
    cuts: set[int] = set()
    for _pat, pat_matches in matches if matches is not None else marker_matches(text, rules):
        for m in pat_matches:
            if not m.group().startswith("("):
                cuts.add(m.start())
    ordered = sorted(cuts)
    out = []
    for a, b in sents:
        prev = a
        if ordered:
            for c in ordered[bisect.bisect_right(ordered, a): bisect.bisect_left(ordered, b)]:
                if text[a:c].strip():
                    out.append((prev, c))
                    prev = c
        out.append((prev, b))
    kept = []
    for a, b in out:
        if a < b and not text[a].isspace():
            kept.append((a, b))  # (most sentences start with their first word: nothing to strip)
            continue
        seg = text[a:b]
        body = seg.lstrip()
        if body:
            kept.append((a + len(seg) - len(body), b))
    return kept


# ---------------------------------------------------------------------- tables

_CELL_SEP = re.compile(r" *(?:\t|\|) *")
_LOG_SENTENCE = re.compile(r"[^|]+(?: \| [^|]+)+")
_TASK_STOP = _wordset("a an and any all are as at be by for from in into is it of on or the their this that these those to with")


@dataclass(frozen=True)
class LogColumns:
    """Where an action log keeps its task, owner, deadline and status (column indices)."""

    task: int
    owner: int
    due: int | None = None
    status: int | None = None


def log_columns(head: Sequence[str], rules: ActionRules | None = None) -> LogColumns | None:
    """The columns of an action log's header row ("Action | Owner | Deadline"), or None when it is not one.

    Headings are data (``LOG_*_HEAD`` in ``actions.jsonl``); a log needs a task
    and an owner column, deadline and status are optional.
    """
    rules = rules or load_action_rules()
    cells = [_ws(c).strip(" :*#") for c in head]

    def find(pat: re.Pattern[str], taken: tuple[int | None, ...] = ()) -> int | None:
        return next((i for i, c in enumerate(cells) if c and i not in taken and pat.fullmatch(c)), None)

    ti = find(rules.log_task_head)
    oi = find(rules.log_owner_head, (ti,))
    if ti is None or oi is None:
        return None
    di = find(rules.log_due_head, (ti, oi))
    return LogColumns(ti, oi, di, find(rules.log_status_head, (ti, oi, di)))


def _owner_names(cell: str, rules: ActionRules) -> list[Person]:
    """Named people in an owner cell ("Jonathan Hendry", "Cllr Patel / Ms Sandhu", "SB"); a role gives none."""
    out: list[Person] = []
    pos = 0
    for part in re.split(r"\s*(?:/|&|,|;|\band\b)\s*", cell):
        start = cell.find(part, pos) if part else pos
        pos = start + len(part)
        part = part.strip()
        if not part:
            continue
        names = [n for n in find_people(part + " to", rules) if n.start == 0]
        if names:
            n = names[0]
            out.append(Person(start, start + n.end, n.text, n.surname, n.first_name, n.gender))
        elif re.fullmatch(r"[A-Z]{2,3}", part) and part not in ("ALL", "TBC", "N/A", "NA", "CEO", "DPH"):
            out.append(Person(start, start + len(part), part, None))
        elif re.fullmatch(r"[A-Z][a-z]+(?:\s+[A-Z][a-zA-Z'\-]+){1,2}", part) and not any(
                w in NOT_NAMES or w in ORG_WORDS for w in part.split()):
            out.append(Person(start, start + len(part), part, part.split()[-1]))
    return out


def _task_text(task: str) -> str:
    """The log's task as a clause like the minutes' own ("Provide a breakdown" -> "provide a breakdown")."""
    t = _clause(task, 30) or task
    if re.match(r"[A-Z][a-z]", t):
        t = t[0].lower() + t[1:]
    return t


def _log_row_items(
    cells: Sequence[str], cols: LogColumns, rules: ActionRules, start: int, end: int,
    page: int | None = None, people: Sequence[Person] = (), offsets: Sequence[int] | None = None,
) -> list[ActionItem]:
    """One action per named owner of one action-log row; rows reported done in a status column give none.

    ``people`` (with ``offsets``, the start of each cell in the text) lets the
    people component's mentions name the owner; otherwise the cell is read alone.
    """
    cells = [_ws(c) for c in cells] + [""] * (max(cols.task, cols.owner) + 1 - len(cells))
    task, owner_cell = cells[cols.task], cells[cols.owner]
    if not task or not owner_cell or len(task.split()) < 2:
        return []
    if cols.status is not None and cols.status < len(cells) and rules.log_done.search(cells[cols.status]):
        return []  # "Complete": an old task reported on, not a new one
    owners: list[Person] = []
    if offsets is not None and cols.owner < len(offsets):
        c0 = offsets[cols.owner]
        owners = [q for q in people if c0 <= q.start and q.end <= c0 + len(owner_cell) + 1]
    owners = owners or _owner_names(owner_cell, rules)
    due = cells[cols.due] if cols.due is not None and cols.due < len(cells) and cells[cols.due] else None
    if due and not re.search(r"\d|" + MONTHS + r"|meeting|week|month|quarter|year|asap|soon", due, re.I):
        due = None  # "Ongoing", "TBC": no deadline
    sentence = " | ".join(c for c in cells if c)
    return [ActionItem(kind="action", owner_text=o.text, description=_task_text(task),
                       span=Span(sentence=sentence, start=start, end=end, page=page), due_text=due)
            for o in owners if o.surname or re.fullmatch(r"[A-Z]{2,3}", o.text)]


def _cells(line: str) -> list[str]:
    line = line.strip()
    if line.startswith("|") and line.endswith("|") and len(line) > 1:
        line = line[1:-1]
    return [c.strip() for c in _CELL_SEP.split(line)] if ("\t" in line or "|" in line) else [line]


def text_log_rows(text: str, rules: ActionRules | None = None) -> list[tuple[int, int, list[str], LogColumns]]:
    """(start, end, cells, columns) of each row of an action log written as text.

    Parsers write table rows as tab-separated lines, and minutes typed as text
    use " | "; a log starts at a header line with task and owner headings and
    runs while lines keep splitting into cells (blank lines between rows allowed).
    """
    rules = rules or load_action_rules()
    if "\t" not in text and "|" not in text:
        return []
    if rules.log_head_literals != (None, None):
        folded = fold_case(text)
        if not all(could_match(lits, folded) for lits in rules.log_head_literals):
            return []  # no task or no owner heading: no header line, so no log
    lines: list[tuple[int, int, str]] = []
    pos = 0
    for line in text.split("\n"):
        lines.append((pos, pos + len(line), line))
        pos += len(line) + 1
    out: list[tuple[int, int, list[str], LogColumns]] = []
    i = 0
    while i < len(lines):
        cells = _cells(lines[i][2])
        cols = log_columns(cells, rules) if len(cells) >= 2 else None
        i += 1
        if cols is None:
            continue
        while i < len(lines):
            s, e, line = lines[i]
            if not line.strip():
                k = i
                while k < len(lines) and not lines[k][2].strip():
                    k += 1
                if k < len(lines) and len(_cells(lines[k][2])) >= 2:
                    i = k
                    continue
                break
            row = _cells(line)
            if len(row) < 2 or log_columns(row, rules):
                break
            lead = len(line) - len(line.lstrip())
            out.append((s + lead, s + len(line.rstrip()), row, cols))
            i += 1
    return out


def _text_log_actions(ctx: _Ctx) -> tuple[list[tuple[int, ActionItem]], list[tuple[int, int]]]:
    """Actions from the action-log rows in the text, and the rows' spans (no other rule reads them)."""
    items: list[tuple[int, ActionItem]] = []
    spans: list[tuple[int, int]] = []
    for s, e, cells, cols in text_log_rows(ctx.text, ctx.rules):
        spans.append((s, e))
        line = ctx.text[s:e]
        offsets, cur = [], 0
        for c in cells:
            k = line.find(c, cur) if c else cur
            k = cur if k < 0 else k
            offsets.append(s + k)
            cur = k + len(c)
        for it in _log_row_items(cells, cols, ctx.rules, s, e, people=ctx.people, offsets=offsets):
            items.append((s, it))
    return items, spans


def is_log_row(item: ActionItem) -> bool:
    """Did ``item`` come from a row of an action log (its evidence is the row's cells joined by " | ")?"""
    return item.kind == "action" and bool(_LOG_SENTENCE.fullmatch(item.span.sentence or ""))


def _task_words(text: str | None) -> set[str]:
    return {w[:5] for w in re.findall(r"[a-z0-9]+", (text or "").lower()) if w not in _TASK_STOP and len(w) > 1}


def _owner_key(owner: str | None) -> str:
    words = re.findall(r"[A-Za-z][A-Za-z'’\-]*", owner or "")
    return words[-1].lower() if words else ""


def log_row_pairs(items: Sequence[ActionItem]) -> list[tuple[int, int]]:
    """(row index, body index) of each action-log row that restates a task the minutes' body records.

    Minutes often end with an action log that repeats the tasks recorded in
    the body. A row is the same task as a body action when the owner's
    surname agrees and the tasks share at least two content words, half of
    the shorter one's; each body action pairs with one row at most.
    """
    logs = [i for i, it in enumerate(items) if is_log_row(it)]
    body = [i for i, it in enumerate(items) if not is_log_row(it)]
    used: set[int] = set()
    pairs: list[tuple[int, int]] = []
    for li in logs:
        row = items[li]
        row_words = _task_words(row.description)
        best: tuple[int, int] | None = None
        for bi in body:
            b = items[bi]
            if bi in used or not _owner_key(b.owner_text) or _owner_key(b.owner_text) != _owner_key(row.owner_text):
                continue
            bw = _task_words(b.description)
            shared = len(row_words & bw)
            if shared >= 2 and 2 * shared >= min(len(row_words), len(bw)) and (best is None or shared > best[0]):
                best = (shared, bi)
        if best is not None:
            used.add(best[1])
            pairs.append((li, best[1]))
    return pairs


def merged_with_row(body: ActionItem, row: ActionItem) -> ActionItem:
    """The body action once its log row is folded in: kind ``action`` (a log entry is an explicit
    marker) and the row's deadline when the body gives none."""
    due_text, due_date = (body.due_text, body.due_date) if body.due_text else (row.due_text, row.due_date)
    return replace(body, kind="action", due_text=due_text, due_date=due_date)


def merge_log_rows(items: Sequence[ActionItem]) -> list[ActionItem]:
    """One task, two records (the body's sentence and the log row restating it) become one action.

    The body action is kept, since its sentence is what the clerk reads; see
    :func:`log_row_pairs` and :func:`merged_with_row`. Rows naming a task the
    body gives to nobody stay as they are.
    """
    out = list(items)
    drop = set()
    for li, bi in log_row_pairs(out):
        out[bi] = merged_with_row(out[bi], out[li])
        drop.add(li)
    return [it for i, it in enumerate(out) if i not in drop]


def actions_from_tables(tables: Sequence[Table], rules: ActionRules | None = None) -> list[ActionItem]:
    """Rows of action logs ("Action | Owner | Deadline") whose owner is a named person.

    Roles in the owner column ("Head of Service") are not named owners and are
    skipped, like "the officers" in prose; rows a status column reports
    complete are old tasks, not new ones.
    """
    rules = rules or load_action_rules()
    out: list[ActionItem] = []
    for t in tables:
        if not t.rows or not t.header_rows:
            continue
        cols = log_columns(t.rows[0], rules)
        if cols is None:
            continue
        for row in t.rows[t.header_rows:]:
            out.extend(_log_row_items(row, cols, rules, 0, 0, page=t.page))
    return out


# ------------------------------------------------------------------ component


class ActionsComponent:
    """spaCy component: fills ``Doc._.action_items`` (after ``minutes_people``)."""

    def __init__(self, nlp: Language, name: str, patterns: str) -> None:
        self.name = name
        self.rules = load_action_rules(patterns)
        if not Doc.has_extension("action_items"):
            Doc.set_extension("action_items", default=None, force=True)

    def __call__(self, doc: Doc) -> Doc:
        kind = doc.user_data.get("kind")
        if kind == "agenda":
            doc._.action_items = []
            return doc
        mentions = None
        if Doc.has_extension("person_mentions") and doc._.person_mentions is not None:
            # None means the people component did not run: keep the fallback name finder
            mentions = list(doc._.person_mentions)
            if Doc.has_extension("person_candidates"):
                # "Douglas informed the Board ...": a speaker the document names in full in another chunk
                taken = [(m.span.start, m.span.end) for m in mentions]
                mentions += [c for c in doc._.person_candidates or []
                             if not any(a < c.span.end and c.span.start < b for a, b in taken)]
        doc._.action_items = find_actions(
            doc_text(doc), doc_sentences(doc), mentions, self.rules, doc.user_data.get("meeting_date")
        )
        return doc


@Language.factory(
    "minutes_actions",
    default_config={"patterns": "patterns/actions.jsonl"},
    requires=["doc.sents"],
    assigns=["doc._.action_items"],
)
def make_minutes_actions(nlp: Language, name: str, patterns: str) -> ActionsComponent:
    """Actions, commitments and requests with a named owner; ``patterns`` is relative to ``models/``."""
    return ActionsComponent(nlp, name, patterns)
