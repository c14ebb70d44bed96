"""Actions: who must do what by when, as the minutes record it.

Three kinds (``vocab.ACTION_KINDS``):

* ``action``: an explicit marker, "Action: Superintendent Leach" after the task
  sentence(s), "(Action)" closing a sentence, "ACTION: JS to circulate ...";
* ``commitment``: a named person undertakes something ("Mr Clifton agreed to
  report back", "Duncan said he will bring an update", "it was agreed that Ms
  Manuel would attend ...");
* ``request``: a named person is asked to do something ("requested an update
  from Steve Leader").

A task with no named owner ("the officers will ...", "they will put in place
...") is not an action: the archive's users chase people, not departments.
One task recorded twice (an undertaking and the "Action:" line after it) is
one action.

Everything here works on plain text plus sentence boundaries and person
mentions, so the rules can be tested without a full pipeline. The cue words,
honorifics and due-date phrases are data in ``models/patterns/actions.jsonl``.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from rapidfuzz import fuzz
from spacy.language import Language
from spacy.tokens import Doc

from ..records import ActionItem, PersonMention, Span, Table

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
    pronouns: dict[str, str | None]
    requests: tuple[tuple[str, re.Pattern[str]], ...]  # (pattern id, regex)
    due: tuple[re.Pattern[str], ...]
    person_re: re.Pattern[str]  # fallback name finder


def _rows(path: Path) -> list[dict]:
    rows = []
    with path.open(encoding="utf-8") as fh:
        for n, line in enumerate(fh, 1):
            line = line.strip()
            if not line:
                continue
            try:
                rows.append(json.loads(line))
            except json.JSONDecodeError as exc:
                raise ValueError(f"{path}:{n}: invalid JSON in pattern file: {exc}") from exc
    return rows


def _words_alt(pattern: str) -> str:
    return "|".join(re.escape(w).replace(r"\ ", r"\s+") for w in sorted(pattern.split("|"), key=len, reverse=True))


def _person_regex(honorifics: Iterable[str]) -> str:
    hon = "|".join(re.escape(h).replace(r"\ ", r"\s+") for h in sorted(honorifics, key=len, reverse=True))
    cap = r"[A-Z][a-zA-Z'’\-]*[a-z][a-zA-Z'’\-]*"
    sp = r"(?:[ \t]+|[ \t]*\n[ \t]*)"  # a name may wrap once, never across a blank line
    initials = rf"(?:[A-Z]\.?{sp}){{0,2}}"
    return (
        rf"(?:(?:{hon})\.?{sp}{initials}{cap}(?:{sp}{cap})?"  # Ms Vagarwal, Councillor David Longstaff, Mr J Cook
        rf"|(?!(?:{hon})\b){cap}{sp}(?:[A-Z]\.?{sp})?(?!(?:{hon})\b){cap})"  # Steve Leader, Sarah J Hammond
    )


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

    def sub(pat: str) -> str:
        return pat.replace("@MONTH@", f"(?:{MONTHS})").replace("@PERSON@", person)

    cue_parts = []
    modal, line_start = set(), set()
    for i, r in enumerate(by.get("COMMIT_CUE", [])):
        pat = r["pattern"] if r.get("regex") else re.escape(r["pattern"]).replace(r"\ ", r"\s+")
        name = f"c{i}"
        if r.get("modal"):
            modal.add(name)
        if r.get("line_start_only"):
            line_start.add(name)
        lead = "" if r.get("attached") else r"(?<![\w'’])"
        cue_parts.append(rf"(?P<{name}>{lead}{pat}(?![\w'’]))")
    cue = re.compile("|".join(cue_parts), re.IGNORECASE)

    def words(label: str) -> frozenset[str]:
        out: set[str] = set()
        for r in by.get(label, []):
            out.update(w.strip().lower() for w in r["pattern"].split("|") if w.strip())
        return frozenset(out)

    skip_alt = _words_alt("|".join(words("SKIP_WORD"))) or r"(?!x)x"
    return ActionRules(
        honorifics=honorifics,
        markers=tuple(re.compile(sub(r["pattern"])) for r in by.get("MARKER", [])),
        cue=cue,
        modal_cues=frozenset(modal),
        line_start_cues=frozenset(line_start),
        reporting_verbs=words("REPORTING_VERB"),
        non_task_verbs=words("NON_TASK_VERB"),
        allow_after=tuple(re.compile(r["pattern"], re.IGNORECASE) for r in by.get("ALLOW_AFTER", [])),
        offer=re.compile("|".join(f"(?:{r['pattern']})" for r in by.get("OFFER_CUE", [])) or r"(?!x)x", re.I),
        skip_trailing=re.compile(rf"(?:^|(?<=[\s,]))(?:{skip_alt})[\s,]*$", re.IGNORECASE),
        skip_leading=re.compile(rf"(?:{skip_alt})\b[\s,]*", re.IGNORECASE),
        pronouns={r["pattern"].lower(): r.get("gender") for r in by.get("PRONOUN", [])},
        requests=tuple((r["id"], re.compile(sub(r["pattern"]))) for r in by.get("REQUEST", [])),
        due=tuple(re.compile(sub(r["pattern"]), re.IGNORECASE) for r in by.get("DUE", [])),
        person_re=re.compile(person),
    )


# ------------------------------------------------------------------- sentences


_ABBREV = re.compile(r"(?:\b(?:Mr|Mrs|Ms|Dr|Cllr|Prof|Supt|Insp|Sgt|St|No|Nos|vs|etc|e\.g|i\.e|approx|para|paras|Rev|Revd)|\b[A-Z])\.$")
_SENT_END = re.compile(r"[.!?][\"'’”)]*\s+(?=[\"'‘“(]?[A-Z0-9•·])")
_MARKER_LINE = re.compile(r"\s*(?:ACTIONS?|Actions?)\b\s*(?:by|for)?\s*[:\-–]")
_BULLET = re.compile(r"^\s*(?:[-•·*o\uf0b7\uf0a7\uf076\uf0d8\u25aa\u25cf\u25e6\u2043\u2219]\s|\(?[0-9]{1,3}[.)]\s|\(?[a-zA-Z][.)]\s|\([ivxIVX]+\)\s)")


def split_sentences(text: str) -> list[tuple[int, int]]:
    """Sentence spans for minutes text when no sentence component ran.

    Blank lines, bullets and "Action:" lines always start a new sentence; a
    single line break inside a paragraph (a PDF's hard wrap) does not.
    """
    spans: list[tuple[int, int]] = []
    for para in re.finditer(r"(?:[^\n]|\n(?!\s*\n))+", text):
        p0, ptxt = para.start(), para.group()
        cuts = [0]
        for ln in re.finditer(r"\n([^\n]+)", ptxt):
            if _BULLET.match(ln.group(1)) or _MARKER_LINE.match(ln.group(1)):
                cuts.append(ln.start(1))
        cuts.append(len(ptxt))
        for a, b in zip(cuts, cuts[1:], strict=False):
            seg = ptxt[a:b]
            start = 0
            for m in _SENT_END.finditer(seg):
                if _ABBREV.search(seg[: m.start() + 1]) or re.fullmatch(r"\s*\(?\w{1,3}[.)]", seg[start: m.start() + 1]):
                    continue  # "Mr.", "e.g.", or a list label "1." / "b."
                end = m.start() + len(m.group().rstrip())
                spans.append((p0 + a + start, p0 + a + end))
                start = m.end()
            spans.append((p0 + a + start, p0 + a + len(seg.rstrip())))
    out = []
    for s, e in spans:
        chunk = text[s:e]
        if chunk.strip():
            out.append((s + len(chunk) - len(chunk.lstrip()), e))
    return out


def doc_sentences(doc: Doc) -> list[tuple[int, int]]:
    """Sentence spans from the pipeline's sentence component, else :func:`split_sentences`."""
    if doc.has_annotation("SENT_START"):
        return [(s.start_char, s.end_char) for s in doc.sents if s.text.strip()]
    return split_sentences(doc.text)


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
    for hon, g in rules.honorifics.items():
        if re.match(rf"{re.escape(hon)}\b", text):
            return g
    return None


def _strip_honorific(text: str, rules: ActionRules) -> tuple[str | None, list[str]]:
    words = text.replace(".", " ").split()
    hon = None
    for h in sorted(rules.honorifics, key=len, reverse=True):
        hw = h.split()
        if words[: len(hw)] == hw:
            hon, words = h, words[len(hw):]
            break
    return hon, words


def people_from_mentions(mentions: Sequence[PersonMention], rules: ActionRules) -> list[Person]:
    """Turn the people component's mentions into owner candidates."""
    out = []
    for m in mentions:
        hon, words = _strip_honorific(m.text, rules)
        surname = m.surname
        first = m.first_name
        if not surname and (hon or len(words) > 1) and words:
            surname = words[-1]
        if not first and len(words) > 1 and len(words[0]) > 1:
            first = words[0]
        if not first and not hon and len(words) == 1 and not surname:
            first = words[0]
        g = _gender(m.text, rules)
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
    taken: list[tuple[int, int]] = []
    for m in rules.person_re.finditer(text):
        surface = m.group().strip()
        hon, words = _strip_honorific(surface, rules)
        if not words or (hon and words[-1] in NOT_NAMES):
            continue
        if not hon:
            nxt = text[m.end(): m.end() + 30]
            prev = text[max(0, m.start() - 12): m.start()]
            before_word = re.search(r"(\S+)\s+$", text[max(0, m.start() - 30): m.start()])
            if before_word and (before_word.group(1)[:1].isupper() or before_word.group(1).lower() in (
                    "of", "the", "and", "for", "&", "at", "in")) and not re.search(r"[.:;]$", before_word.group(1)):
                continue
            if words[-1] in ORG_WORDS or words[0] in ORG_WORDS:
                continue
            if words[0] in NOT_NAMES or not (
                re.match(r"\s*(?:,|\(|[a-z]+\b)", nxt) or re.search(r"\b(?:from|by|to|with)\s+$", prev)
            ):
                continue
            if re.match(r"\s+(?:Board|Committee|Council|Partnership|Team|Service|Services|Group)\b", nxt):
                continue
        first = words[0] if len(words) > 1 and len(words[0]) > 1 else None
        found.append(Person(m.start(), m.end(), surface, words[-1], first, _gender(surface, rules)))
        taken.append((m.start(), m.end()))
    # Bare first names ("Duncan said ...") that an earlier full name explains.
    firsts = {p.first_name: p for p in found if p.first_name}
    for m in re.finditer(r"(?:(?<=^)|(?<=[.\n]\s)|(?<=\n))\s*([A-Z][a-z]+)\s+(?=[a-z]+\b)", text):
        name = m.group(1)
        if name in firsts and not any(a <= m.start(1) < b for a, b in taken):
            full = firsts[name]
            found.append(Person(m.start(1), m.end(1), name, full.surname, name, full.gender))
    return sorted(found, key=lambda p: p.start)


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

    def persons_in(self, a: int, b: int) -> list[Person]:
        return [p for p in self.people if a <= p.start and p.end <= b]

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
        m = rules.skip_trailing.search(s)
        if not m:
            break
        s = s[: m.start()].rstrip().rstrip(",").rstrip()
    return s


def _subject_before(ctx: _Ctx, sent_start: int, pos: int) -> tuple[Person | None, str | None]:
    """The person (or he/she) that ends right before ``pos``: the cue's subject.

    Allows an appositive between name and cue: "Mr J Cook (Democratic Services
    Manager) would ..." or "Peter Clifton, Community Safety Manager, would ...".
    """
    before = _strip_trailing_skip(ctx.text[sent_start:pos], ctx.rules)
    end = sent_start + len(before)
    for p in ctx.people:
        if p.end == end or (p.end == end - 2 and ctx.text[p.end:end] == "'s"):
            return p, None
    if before.endswith(")"):
        op = before.rfind("(")
        if op > 0:
            inner_end = sent_start + len(before[:op].rstrip())
            for p in ctx.people:
                if p.end == inner_end:
                    return p, None
    if before.endswith(","):
        comma = before[:-1].rfind(",")
        if comma > 0 and len(before[comma:].split()) <= 8:
            inner_end = sent_start + len(before[:comma].rstrip())
            for p in ctx.people:
                if p.end == inner_end:
                    return p, None
    rel = re.search(r",?\s+who$", before)
    if rel:  # "... thanked Ms Green, who agreed to ..."
        inner_end = sent_start + rel.start()
        for p in ctx.people:
            if p.end == inner_end:
                return p, None
    m = re.search(r"(?:^|[\s,;:(\"'‘“])([Hh]e|[Ss]he)$", before)
    if m:
        return None, m.group(1).lower()
    return None, None


def _is_subject(ctx: _Ctx, p: Person, sent: tuple[int, int]) -> bool:
    """A person is a clause subject when the sentence starts with them or a reporting verb follows."""
    lead = ctx.text[sent[0]: p.start]
    if re.fullmatch(r"\s*(?:[-•·*]|\(?\w{1,3}[.)])?\s*(?:(?:Finally|Also|However|Then|Further|In response|In addition|"
                    r"Separately|Lastly|Firstly|Secondly|Thirdly|Additionally),?\s*)?", lead):
        return True
    nxt = ctx.text[p.end: p.end + 60]
    nxt = re.sub(r"^\s*(?:\([^)]*\)|,[^,]{1,60},)", "", nxt)
    m = re.match(r"\s*(?:also\s+|then\s+|further\s+)?([a-z]+)", nxt)
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


def _para_break(ctx: _Ctx, a: int, b: int) -> int:
    """How many blank-line paragraph breaks lie between two offsets."""
    return len(re.findall(r"\n\s*\n", ctx.text[a:b]))


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
    m = re.match(r"([a-z][a-z\-]*)\b", s)
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


def _find_due(text: str, rules: ActionRules) -> str | None:
    best: tuple[int, str] | None = None
    for pat in rules.due:
        for m in pat.finditer(text):
            due = re.sub(r"\s+", " ", m.group("due")).strip()
            if best is None or m.start("due") < best[0]:
                best = (m.start("due"), due)
    return best[1] if best else None


def _commitments(ctx: _Ctx, si: int) -> list[_Cand]:
    """Undertakings in one sentence whose subject is a named person (or he/she pointing at one)."""
    a, b = ctx.sents[si]
    sent = ctx.text[a:b]
    out: list[_Cand] = []
    for m in ctx.rules.cue.finditer(sent):
        name = m.lastgroup or ""
        modal = name in ctx.rules.modal_cues
        pos = a + m.start()
        person, pronoun = _subject_before(ctx, a, pos)
        first = si
        if name in ctx.rules.line_start_cues:
            # "Mr Patel to circulate ..." only as a line of its own or after a marker.
            if person is None:
                continue
            lead = ctx.text[a: person.start]
            if not (re.fullmatch(r"\s*(?:[-•·*]|\(?\w{1,3}[.)])?\s*", lead) or re.search(r"action\w*\s*[:\-–]\s*$", lead, re.I)):
                continue
        if person is None and pronoun:
            person, first = _antecedent(ctx, si, pos, pronoun)
        if person is None:
            continue
        after = sent[m.end():]
        if not _verb_ok(after, ctx.rules, modal):
            continue
        clause_before = sent[max(0, person.end - a): m.start()]
        if ctx.rules.offer.search(clause_before + " " + after[:40]) or (
            "offer" in m.group().lower() and re.search(r"\bif\b", _clause(after, 40))
        ):
            continue
        desc = _clause(_strip_leading_skip(after, ctx.rules))
        if len(desc.split()) < 1:
            continue
        due = _find_due(after, ctx.rules)
        out.append(_Cand("commitment", _fullest(person, ctx.people), desc, si, min(first, si), pos, due))
    return out


def _requests(ctx: _Ctx, si: int) -> list[_Cand]:
    """A named person asked to do something; the asker is not the owner."""
    a, b = ctx.sents[si]
    sent = ctx.text[a:b]
    out: list[_Cand] = []
    for _pid, pat in ctx.rules.requests:
        for m in pat.finditer(sent):
            o0, o1 = a + m.start("owner"), a + m.end("owner")
            owner = next((p for p in ctx.people if p.start <= o0 < p.end or o0 <= p.start < o1), None)
            if owner is None:
                continue
            what = m.group("what")
            if m.start("what") < m.start("owner"):
                # "requested an update from Steve Leader around the bid ...": the object, then what it is about
                tail = sent[max(m.end("owner"), owner.end - a):]
                if re.match(r"\s+(?:on|about|around|regarding|concerning|in\s+relation\s+to|for|of)\b", tail):
                    what = f"{what} {tail}"
                what = _clause(what)
                if what and not re.match(r"(?:provide|give|send|bring|share)\b", what):
                    what = f"provide {what}"
            else:
                what = _clause(what)
            if not what:
                continue
            due = _find_due(sent[m.start("what"):], ctx.rules)
            out.append(_Cand("request", _fullest(owner, ctx.people), what, si, si, a + m.start(), due))
    return out


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
            ini = re.match(r"[ ,/&]*([A-Z]{2,3})\b(?![a-z])", seg)
            if ini and ini.group(1) not in ("ALL", "THE", "AND", "TBC", "N/A", "NA"):
                p = Person(start + pos + ini.start(1), start + pos + ini.end(1), ini.group(1), None, None, None)
        if p is None:
            break
        owners.append(p)
        pos = p.end - start
        conj = re.match(r"\s*(?:,|/|&|\band\b)\s*", body[pos:])
        if not conj:
            break
        pos += conj.end()
    if not owners:
        # "Action: circulate the report to members (Ms Khan)" / "... – Ms Khan"
        tail = [q for q in ctx.people if start <= q.start and q.end <= start + len(rest)]
        if tail and re.search(r"[(\-–—:]\s*$", ctx.text[start: tail[-1].start]):
            task = ctx.text[start: tail[-1].start].rstrip(" (-–—:")
            return [tail[-1]], _clause(task) or None
        return [], None
    remainder = body[pos:]
    m = re.match(r"\s*(?:to|will|would|is\s+to|agreed\s+to)\s+(?P<task>[a-z].*)", remainder)
    return owners, (_clause(m.group("task")) if m else None)


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
        for q in find_people(text, rules):
            if q.surname and q.surname.lower() in known and not any(
                    p.start < q.end and q.start < p.end for p in people):
                people.append(q)
        people.sort(key=lambda p: p.start)
    else:
        people = find_people(text, rules)
    people = [p for p in people if p.surname or p.first_name]
    ctx = _Ctx(text, _split_at_markers(text, sents, rules), people, rules)

    cands: list[_Cand] = []
    for si in range(len(ctx.sents)):
        cands.extend(_commitments(ctx, si))
        cands.extend(_requests(ctx, si))

    items = _marker_actions(ctx, cands)
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
    out = [it for _, it in items]
    if meeting_date:
        from ..resolve.actions import resolve_due

        for it in out:
            if it.due_text:
                it.due_date = resolve_due(it.due_text, meeting_date, None)
    return out


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
            own = [c for c in cands if c.sent in window[:2] and c.cue_start < m_start]
            if own:
                owners = [own[-1].owner]
            else:
                a, _b = ctx.sents[msi]
                subj = [p for p in ctx.persons_in(a, m_start) if _is_subject(ctx, p, ctx.sents[msi])]
                owners = subj[:1]
        if not owners:
            prev_marker_end = m_end
            continue
        for owner in owners:
            owner = _fullest(owner, ctx.people)
            same = [c for c in cands if c.sent in window and c.cue_start < m_end and _same_owner(c.owner, owner)]
            if same and owner.surname is None:
                owner = same[-1].owner  # initials in the marker, the full name in the task sentence
            for c in same:
                c.consumed = True
            if inline_task:
                first, desc, due, task_si = msi, inline_task, _find_due(inline_task, rules), msi
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
            if owner.surname is None and owner.first_name is None and not re.fullmatch(r"[A-Z]{2,3}", owner.text):
                continue
            items.append((span_start, ActionItem(
                kind="action", owner_text=owner.text, description=desc,
                span=Span(sentence=sentence, start=span_start, end=m_end), due_text=due,
            )))
        prev_marker_end = m_end

    return items


def _initials_match(initials: str, p: Person) -> bool:
    """"SB" for Sarah Bird: action logs often name owners by initials."""
    if not (re.fullmatch(r"[A-Z]{2,3}", initials) and p.first_name and p.surname):
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
    return re.sub(r"\s+", " ", s).strip()


def _markers(ctx: _Ctx) -> list[tuple[int, int, int, str | None, bool]]:
    """(start, end, start of owner text, owner text, is-parenthesised) for every action marker."""
    found = []
    for pat in ctx.rules.markers:
        for m in pat.finditer(ctx.text):
            rest = m.group("rest") if "rest" in pat.groupindex else None
            rest_start = m.start("rest") if rest is not None else m.end()
            paren = m.group().startswith("(")
            end = m.end()
            if rest is not None and not paren:
                # the marker's owner list ends at the end of the line or sentence
                cut = re.search(r"(?<=[a-z)])\.(?:\s|$)|\n", rest)
                if cut:
                    rest = rest[: cut.start()]
                    end = m.start("rest") + cut.start()
                rest = rest.rstrip()
            found.append((m.start(), end, rest_start, rest, paren))
    found.sort()
    out: list[tuple[int, int, int, str | None, bool]] = []
    for f in found:
        if out and f[0] < out[-1][1]:
            continue
        out.append(f)
    return out


def _split_at_markers(text: str, sents: list[tuple[int, int]], rules: ActionRules) -> list[tuple[int, int]]:
    """Cut sentences at "Action:" markers so a marker never hides inside its task's sentence."""
    cuts: set[int] = set()
    for pat in rules.markers:
        for m in pat.finditer(text):
            if not m.group().startswith("("):
                cuts.add(m.start())
    out = []
    for a, b in sents:
        inner = sorted(c for c in cuts if a < c < b and text[a:c].strip())
        prev = a
        for c in inner:
            out.append((prev, c))
            prev = c
        out.append((prev, b))
    return [(a + len(text[a:b]) - len(text[a:b].lstrip()), b) for a, b in out if text[a:b].strip()]


# ---------------------------------------------------------------------- tables

_TASK_HEAD = re.compile(r"^(?:agreed\s+)?(?:actions?|tasks?)(?:\s+(?:required|agreed|description|point))?$|^description$", re.I)
_OWNER_HEAD = re.compile(
    r"^(?:owners?|lead(?:\s+officer)?|responsible(?:\s+(?:officer|person))?|by\s+whom|who|action\s+by|led\s+by|assigned\s+to)$",
    re.I,
)
_DUE_HEAD = re.compile(r"^(?:deadline|due(?:\s+date)?|by\s+when|when|timescales?|target\s+date|date\s+due|completion\s+date)$", re.I)


def actions_from_tables(tables: Sequence[Table], rules: ActionRules | None = None) -> list[ActionItem]:
    """Rows of action logs ("Action | Owner | Deadline") whose owner is a named person.

    Roles in the owner column ("Head of Service") are not named owners and are
    skipped, like "the officers" in prose.
    """
    rules = rules or load_action_rules()
    out: list[ActionItem] = []
    for t in tables:
        if not t.rows or not t.header_rows:
            continue
        head = [_ws(c).strip(" :*") for c in t.rows[0]]
        ti = next((i for i, h in enumerate(head) if _TASK_HEAD.match(h)), None)
        oi = next((i for i, h in enumerate(head) if _OWNER_HEAD.match(h)), None)
        di = next((i for i, h in enumerate(head) if _DUE_HEAD.match(h)), None)
        if ti is None or oi is None or ti == oi:
            continue
        for row in t.rows[t.header_rows:]:
            cells = [_ws(c) for c in row] + [""] * (len(head) - len(row))
            task, owner_cell = cells[ti], cells[oi]
            if not task or not owner_cell:
                continue
            names = find_people(owner_cell + " to", rules) if owner_cell else []
            names = [n for n in names if n.start == 0] or [
                Person(0, len(owner_cell), owner_cell, None) for _ in [0] if re.fullmatch(r"[A-Z]{2,3}", owner_cell)
            ]
            if not names:
                m = re.fullmatch(r"([A-Z][a-z]+(?:\s+[A-Z][a-zA-Z'\-]+){1,2})", owner_cell)
                if m and not any(w in NOT_NAMES for w in owner_cell.split()):
                    names = [Person(0, len(owner_cell), owner_cell, owner_cell.split()[-1])]
            if not names:
                continue
            due = cells[di] if di is not None and cells[di] else None
            sentence = " | ".join(c for c in cells if c)
            out.append(ActionItem(
                kind="action", owner_text=names[0].text, description=_clause(task, 30) or task,
                span=Span(sentence=sentence, start=0, end=0, page=t.page), due_text=due,
            ))
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
            doc.text, doc_sentences(doc), mentions, self.rules, doc.user_data.get("meeting_date")
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
