"""Decisions: the formal outcomes a body records.

Kinds (``vocab.DECISION_KINDS``): ``resolved`` ("RESOLVED – (1) That ...
(2) That ..." kept as ONE decision with every limb; the ``POLICY`` row of
``decisions.jsonl`` switches to one decision per limb), ``agreed`` ("The Board
unanimously AGREED.", "it was agreed that ..."), ``approved`` ("The minutes
were approved as a correct record", "RESULT: APPROVED", "Motion by X ... to
adopt ... Motion carried 5-2" with its motion), ``noted`` ("The Board
NOTED the report"), and ``recommended`` (each numbered recommendation a report
puts to the body, or "RECOMMENDED to Council that ...").

Not decisions: a person noting or agreeing ("Ms Bateman noted ..."),
someone's account of another body's decision ("explained that the Board has
agreed to ..."), and anything in an agenda (a proposed resolution is not a
decision taken), for which the orchestrator passes ``doc.user_data["kind"]``.

Cues are data in ``models/patterns/decisions.jsonl``; this module holds the
layout logic: where a resolution block ends in hard-wrapped PDF text or in
one-paragraph-per-line HTML text.
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import overload

from spacy.language import Language
from spacy.tokens import Doc

from ..records import DecisionItem, Span
from ..rx.literals import could_match, required_literals
from ..rx.scan import finditer as scan_finditer
from ..rx.words import longest_first
from .sentences import doc_sentences, doc_text, read_jsonl, sentences_holding, split_sentences

MODELS_DIR = Path(__file__).resolve().parents[2] / "models"

NO_DECISIONS = frozenset({"agenda"})
"""Document kinds (``vocab.KINDS``) that take no decisions: an agenda's resolutions are only proposed."""
ONLY_RECOMMENDATIONS = frozenset({"report", "strategy"})
"""Kinds whose decisions are only the recommendations they put to the body: "it was agreed" in a
report recounts some earlier meeting."""


@dataclass(frozen=True)
class Cue:
    id: str
    label: str  # BLOCK, SENTENCE, STANDALONE
    kind: str
    regex: re.Pattern[str]
    unless_followed_by: tuple[str, ...] = ()  # cue ids that, just after, record the same decision
    takes_motion: bool = False  # a vote result: the motion just before it is what was decided
    # strings one of which every match holds (None: unknown); a sentence with none is not searched
    literals: tuple[str, ...] | None = None


@dataclass(frozen=True)
class DecisionRules:
    """Compiled ``decisions.jsonl``."""

    cues: tuple[Cue, ...]
    recs_heading: re.Pattern[str]
    reported: tuple[re.Pattern[str], ...]  # applied to the sentence text before a cue
    past_after: tuple[re.Pattern[str], ...]  # applied to the text after a cue
    limb: re.Pattern[str]
    body_word: re.Pattern[str]
    motion: tuple[re.Pattern[str], ...] = ()  # the wording of a motion put to the vote
    rec_line: re.Pattern[str] | None = None  # "That the Board note ..." as a line of a report
    split_limbs: bool = False  # POLICY: one decision per limb of a resolution instead of one per block
    # strings one of which every match of ``recs_heading`` / ``rec_line`` holds (None: unknown)
    recs_heading_literals: tuple[str, ...] | None = None
    rec_line_literals: tuple[str, ...] | None = None
    # derived from ``cues`` (see __post_init__): the cues read sentence by sentence, in order, and the
    # words one of which each of their matches holds (None: some cue has none known)
    sentence_cues: tuple[Cue, ...] = field(default=(), init=False, repr=False, compare=False)
    sentence_literals: frozenset[str] | None = field(default=None, init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        sentence_cues = tuple(cue for cue in self.cues if cue.label != "BLOCK")
        object.__setattr__(self, "sentence_cues", sentence_cues)
        if all(cue.literals is not None for cue in sentence_cues):
            object.__setattr__(self, "sentence_literals",
                               frozenset(lit for cue in sentence_cues for lit in cue.literals or ()))


@lru_cache(maxsize=8)
def load_decision_rules(path: str | None = None) -> DecisionRules:
    """Read and compile ``decisions.jsonl``; errors name the file, line and pattern id."""
    p = Path(path) if path else MODELS_DIR / "patterns" / "decisions.jsonl"
    if not p.is_absolute():
        p = MODELS_DIR / p
    rows = read_jsonl([p], required=())
    body_words = "|".join(
        w for r in rows if r["label"] == "BODY" for w in longest_first(r["pattern"].split("|"))
    )
    body = (
        rf"(?:(?<![Oo]f\s)(?:[Tt]he|[Tt]his|[Oo]ur|[Ii]ts)\s+(?:[A-Z][\w&'’-]*\s+|of\s+|and\s+|&\s+){{0,7}}(?:{body_words})"
        rf"|(?<![\w\s])\s*(?:{body_words})|(?<=^)(?:{body_words})|(?<=\.\s)(?:{body_words}))"
    )

    def compile_(r: dict) -> re.Pattern[str]:
        pat = r["pattern"].replace("@BODYWORD@", rf"(?i:{body_words})").replace("@BODY@", body)
        flags = re.MULTILINE | (0 if r.get("case") == "sensitive" else re.IGNORECASE)
        try:
            return re.compile(pat, flags)
        except re.error as exc:
            raise ValueError(f"{p}: pattern {r['id']!r} does not compile: {exc}") from exc

    cues = tuple(
        Cue(r["id"], r["label"], r["kind"], rx, tuple(r.get("unless_followed_by", ())),
            bool(r.get("takes_motion")), required_literals(rx))
        for r in rows if r["label"] in ("BLOCK", "SENTENCE", "STANDALONE")
        for rx in (compile_(r),)
    )
    heading = next(compile_(r) for r in rows if r["label"] == "RECS_HEADING")
    limb = next(compile_(r) for r in rows if r["label"] == "LIMB")
    reported = tuple(compile_(r) for r in rows if r["label"] == "REPORTED")
    past_after = tuple(compile_(r) for r in rows if r["label"] == "PAST_AFTER")
    motion = tuple(compile_(r) for r in rows if r["label"] == "MOTION")
    rec_line = next((compile_(r) for r in rows if r["label"] == "REC_LINE"), None)
    split = any(r.get("split_limbs") for r in rows if r["label"] == "POLICY")
    return DecisionRules(cues, heading, reported, past_after, limb, re.compile(rf"\b(?:{body_words})\b"),
                         motion, rec_line, split, required_literals(heading),
                         required_literals(rec_line) if rec_line is not None else None)


# ------------------------------------------------------------------ layout

_HEADING_NUM = re.compile(r"^\s*\d{2,4}[.)]\s+[A-Z0-9]")  # minute numbers: "90. 24/00109 - Transfer ..."
_MINUTE_REF = re.compile(r"^\s*(?:[A-Z]{1,5}\s*)?\d{1,4}/\d{2,4}\.?\s+[A-Z][A-Za-z]")  # "13/25 Joint Strategy", "HWB 45/24 ..."
_ITEM_LINE = re.compile(r"^\s*\(?(?:Agenda\s+)?[Ii]tem\s+\d+[a-z]?\)?\s*$")
_CAPS_HEADING = re.compile(r"^\s*(?:\d{1,3}[.)]?\s+)?[A-Z][A-Z0-9&,'’()/\- ]{6,}(?:\(Agenda item \d+\))?\s*$")
_PAGE_NO = re.compile(r"^\s*(?:Page\s+)?\d{1,4}(?:\s+of\s+\d{1,4})?\s*$")


def _lines(text: str, pos: int, limit: int = 20_000) -> _Lines:
    """(start, end) of each line from the one containing ``pos``, for ``limit`` characters at most.

    Read lazily (:class:`_Lines`): the callers stop after a few lines, where the whole
    list would split up to ``limit`` characters at every use.
    """
    return _Lines(text, text.rfind("\n", 0, pos) + 1, min(len(text), pos + limit))


class _Lines(Sequence[tuple[int, int]]):
    """The lines of ``text`` from ``first`` (a line start) whose start is at most ``stop``, found on demand.

    The same (start, end) pairs as splitting them all at once: each line ends at the next
    line break (or the end of the text, even past ``stop``), and there is one line more than
    there are line breaks in ``text[first:stop]``.
    """

    __slots__ = ("_bounds", "_count", "_next", "_skip", "stop", "text")

    def __init__(self, text: str, first: int, stop: int, skip: int = 0) -> None:
        self.text = text
        self.stop = stop
        self._skip = skip  # lines left out at the front (a slice ``[k:]``)
        self._bounds: list[tuple[int, int]] = []
        self._next: int | None = first  # start of the next line to find (None: all found)
        self._count: int | None = None

    def _total(self) -> int:
        """How many lines there are, counting the skipped ones."""
        if self._count is None:
            first = self._bounds[0][0] if self._bounds else self._next
            assert first is not None
            self._count = 1 + self.text.count("\n", first, self.stop)
        return self._count

    def _fill(self, k: int) -> None:
        """Find lines until line ``k`` (counting the skipped ones) is known, or none is left."""
        text, bounds = self.text, self._bounds
        while len(bounds) <= k and self._next is not None:
            start = self._next
            end = text.find("\n", start)
            if end < 0:
                end = len(text)
            bounds.append((start, end))
            self._next = end + 1 if end < len(text) and end + 1 <= self.stop else None

    def __len__(self) -> int:
        return max(0, self._total() - self._skip)

    @overload
    def __getitem__(self, k: int) -> tuple[int, int]: ...

    @overload
    def __getitem__(self, k: slice) -> _Lines: ...

    def __getitem__(self, k: int | slice) -> tuple[int, int] | _Lines:
        if isinstance(k, slice):
            if k.step not in (None, 1) or k.stop is not None or (k.start or 0) < 0:
                raise ValueError("only [k:] slices of lines")
            view = _Lines(self.text, 0, self.stop, self._skip + (k.start or 0))
            view._bounds, view._next, view._count = list(self._bounds), self._next, self._count
            return view
        if k < 0:
            k += len(self)
        if k < 0:
            raise IndexError(k)
        self._fill(k + self._skip)
        if k + self._skip >= len(self._bounds):
            raise IndexError(k)
        return self._bounds[k + self._skip]

    def __iter__(self) -> Iterator[tuple[int, int]]:
        k = self._skip
        while True:
            self._fill(k)
            if k >= len(self._bounds):
                return
            yield self._bounds[k]
            k += 1


def _is_heading(line: str, nxt: str | None) -> bool:
    """A new minute or agenda item: "93. Library Strategy", "5 WORK PROGRAMME", a line before "(Item 9)"."""
    if (_ITEM_LINE.match(line) or _CAPS_HEADING.match(line) or _MINUTE_REF.match(line)
            or (nxt is not None and _ITEM_LINE.match(nxt))):
        return True
    m = _HEADING_NUM.match(line)
    return bool(m and int(re.match(r"\s*(\d+)", line).group(1)) >= 20)  # limbs never run that high


_ROMAN = {"i": 1, "ii": 2, "iii": 3, "iv": 4, "v": 5, "vi": 6, "vii": 7, "viii": 8, "ix": 9, "x": 10, "xi": 11,
          "xii": 12}


_LIMB_LABEL = re.compile(r"[\s\-*>•·●▪]*(?:\*\*)?\(?([0-9]{1,2}|[ivxIVX]{1,4}|[A-Za-z])[.)]")


def _limb_label(line: str) -> tuple[str, int] | None:
    """(style, value) of a limb label: ("n", 3) for "3." / "(3)", ("a", 2) for "b)" / "(B)", ("r", 4) for "(iv)"."""
    m = _LIMB_LABEL.match(line)
    if not m:
        return None
    lab = m.group(1)
    if lab.isdigit():
        return "n", int(lab)
    if lab.lower() in _ROMAN and (len(lab) > 1 or lab.lower() == "i"):
        return "r", _ROMAN[lab.lower()]
    return "a", ord(lab.lower()) - 96


def _next_limb(prev: tuple[str, int] | None, cur: tuple[str, int] | None) -> bool:
    """Does ``cur`` continue the limb sequence ``prev``? ("b)" after "A)", "4." after "3.", "(i)" first)."""
    if cur is None:
        return True  # a bullet: no order to check
    if prev is None:
        return cur[1] == 1 or cur[0] == "a" and cur[1] == 1
    if cur[0] == "r" and prev[0] == "a" and prev[1] == 8 and cur[1] == 1:
        return False
    if prev[0] == "a" and cur == ("r", 1) and prev[1] == 8:  # "h)" then "i)"
        return True
    if prev[0] == "a" and cur[0] == "r" and cur[1] == 1:
        return prev[1] == 8
    return cur[0] == prev[0] and cur[1] == prev[1] + 1 or (prev[0] == "a" and cur == ("a", 9) and prev[1] == 8)


_EMPTY_HEAD = re.compile(r"[\s:\-–—.]*(?:(?:that|to)\s*[:\-–—]+)?\s*")  # "RESOLVED that:" + paragraph
_FIRST_LIMB_IN_HEAD = re.compile(r"\(\s*(?:1|a|i|A)\s*\)")
_INLINE_LABEL = re.compile(r"\(([0-9]{1,2}|[a-zA-Z]|[ivx]{1,4})\)")
_THAT_LINE = re.compile(r"\s*That\b")


def _block_end(text: str, cue_start: int, cue_end: int, rules: DecisionRules) -> int:
    """Where a resolution starting at ``cue_start`` ends.

    A resolution runs to the end of its sentence; when it introduces limbs
    ("RESOLVED that Cabinet agree to:", "RESOLVED – (1) ...") it runs over
    every limb, across hard line wraps, blank lines and page numbers, and
    stops at the next heading or the first paragraph that is not a limb.
    """
    lines = _lines(text, cue_end)
    first_s, first_e = lines[0]
    head = text[cue_end:first_e].strip()
    empty_head = bool(_EMPTY_HEAD.fullmatch(head))  # "RESOLVED that:" + paragraph
    expects = empty_head or head.endswith((":", ":-")) or bool(_FIRST_LIMB_IN_HEAD.search(head))
    end = first_s + len(text[first_s:first_e].rstrip())
    prev = text[cue_start:first_e].rstrip()
    got_body = not empty_head
    inline = _INLINE_LABEL.findall(head)
    last_limb = _limb_label(f"({inline[-1]})") if inline else None
    i = 1
    while i < len(lines):
        s, e = lines[i]
        line = text[s:e]
        if not line.strip():
            # paragraph break: continue only into limbs (skipping page numbers)
            j = i
            while j < len(lines) and (not text[lines[j][0]:lines[j][1]].strip()
                                      or _PAGE_NO.match(text[lines[j][0]:lines[j][1]])):
                j += 1
            if j >= len(lines):
                break
            nxt = text[lines[j][0]:lines[j][1]]
            nxt_is_limb = bool(rules.limb.match(nxt)) and _next_limb(last_limb, _limb_label(nxt))
            if (expects and (nxt_is_limb or _THAT_LINE.match(nxt))) or (empty_head and not got_body):
                if _is_heading(nxt, text[lines[j + 1][0]:lines[j + 1][1]] if j + 1 < len(lines) else None) and got_body:
                    break
                i = j
                continue
            break
        following = text[lines[i + 1][0]:lines[i + 1][1]] if i + 1 < len(lines) else None
        if _is_heading(line, following):
            break
        if _PAGE_NO.match(line):
            i += 1
            continue
        p = prev.rstrip()
        if rules.limb.match(line):
            if not (expects or p.endswith((":", ";", ",", " and", " or", "and/or"))):
                break
            if not expects and p.endswith((".", "!", "?")):
                break
            label = _limb_label(line)
            if not _next_limb(last_limb, label):
                break  # "5. Work Programme" after limbs 1 and 2: the next item, not a limb
            last_limb = label or last_limb
        elif p.endswith((".", "!", "?")) and not expects:
            break
        elif not expects and not got_body:
            pass
        end = s + len(line.rstrip())
        prev = line
        got_body = True
        i += 1
    return end


def _clean(s: str) -> str:
    """``s`` without "**" (bold marks) and with its white space collapsed (``re.sub(r"\\s+", " ", s).strip()``)."""
    return " ".join(s.replace("**", "").split())


def _reported(text_before: str, rules: DecisionRules) -> bool:
    return any(r.search(text_before) for r in rules.reported)


# ------------------------------------------------------------------ finder


def find_decisions(
    text: str,
    sentences: Sequence[tuple[int, int]] | None = None,
    kind: str | None = None,
    rules: DecisionRules | None = None,
) -> list[DecisionItem]:
    """Decisions in ``text`` (offsets into ``text``).

    ``kind`` is the segmenter's document kind: an agenda yields none, a
    report or strategy only its recommendations.
    """
    if kind in NO_DECISIONS:
        return []
    rules = rules or load_decision_rules()
    sents = list(sentences) if sentences is not None else split_sentences(text)
    found: list[tuple[int, int, str]] = []  # (start, end, kind)

    def overlaps(a: int, b: int) -> bool:
        return any(a < fe and fs < b for fs, fe, _k in found)

    # 1. blocks: RESOLVED / RECOMMENDED with all their limbs
    for cue in rules.cues:
        if cue.label != "BLOCK" or not could_match(cue.literals, text):
            continue  # (a text without the words every match needs cannot match)
        for m in scan_finditer(cue.regex, text):  # the matches of cue.regex.finditer(text), found sooner
            if overlaps(m.start(), m.end()):
                continue
            sent_start = _sentence_start(sents, m.start())
            if cue.kind != "resolved" and _reported(text[sent_start:m.start()], rules):
                continue
            end = _block_end(text, m.start(), m.end(), rules)
            start = m.start()
            prefix = text[sent_start:start]
            if prefix.strip() and "\n" not in prefix.strip() and len(prefix.split()) <= 14 and rules.body_word.search(prefix):
                # "The Committee RESOLVED to approve ...": the body is part of the decision
                start = sent_start + len(prefix) - len(prefix.lstrip())
                lab = re.match(r"\(?\w{1,3}[.)]\s+", text[start:m.start()])
                start += lab.end() if lab else 0
            found.append((start, end, cue.kind))

    # 2. numbered recommendations under a "Recommendations" heading
    for a, b in _recommendations(text, rules):
        if not overlaps(a, b):
            found.append((a, b, "recommended"))
    if kind in ONLY_RECOMMENDATIONS:
        # ... and "That the Board note ..." lines whose heading the segmenter left in another chunk
        for a, b in _recommendation_lines(text, rules):
            if not overlaps(a, b):
                found.append((a, b, "recommended"))

    # 3. sentence cues: the first cue that fits a sentence decides its kind
    sentence_cues = rules.sentence_cues
    # which sentences hold which cue words, found once for the whole text: the others cannot match
    present = (
        sentences_holding(text, sents, rules.sentence_literals) if rules.sentence_literals is not None else None
    )
    for si in sorted(present) if present is not None else range(len(sents)):
        a, b = sents[si]
        sent = text[a:b]
        here = present[si] if present is not None else None
        for cue in sentence_cues:
            if here is not None:
                if here.isdisjoint(cue.literals or ()):
                    continue  # none of the words every match needs: the search cannot match
            elif not could_match(cue.literals, sent):
                continue
            m = cue.regex.search(sent)  # the sentence alone, so "^" is its start
            if not m:
                continue
            if overlaps(a + m.start(), a + m.end()):
                break
            hit = _sentence_decision(text, sents, si, cue, m, found, rules)
            if hit:
                found.append(hit)
                break

    found.sort()
    out = []
    for start, end, kind_ in found:
        if kind in ONLY_RECOMMENDATIONS and kind_ != "recommended":
            continue
        sent0 = min(start, _sentence_start(sents, start))
        nl = text.find("\n", start, end)
        if nl > 0 and len(text[nl:end].split()) >= 6 and _is_heading(text[start:nl], None):
            start = nl + 1 + len(text[nl + 1:end]) - len(text[nl + 1:end].lstrip())  # a heading the sentence took in
            sent0 = start
        txt = _clean(text[start:end])
        if len(txt) < 3:
            continue
        sentence = _clean(text[sent0:end])
        limbs = _limbs(text, start, end, rules) if rules.split_limbs else []
        if limbs:
            intro = _clean(text[sent0:limbs[0][2]])
            for a, b, _label in limbs:
                out.append(DecisionItem(kind=kind_, text=_clean(text[a:b]),
                                        span=Span(sentence=f"{intro} {_clean(text[a:b])}".strip(), start=a, end=b)))
            continue
        out.append(DecisionItem(kind=kind_, text=txt, span=Span(sentence=sentence, start=start, end=end)))
    return out


_INLINE_LIMB = re.compile(r"(?:(?<=^)|(?<=[\s;:,–—-]))\((?P<lab>[0-9]{1,2}|[a-zA-Z]|[ivx]{1,4})\)\s+")
_LIMB_TAIL = re.compile(r"(?:[\s;,]+(?:and|or|and/or))?[\s;,]*$")


def _limbs(text: str, start: int, end: int, rules: DecisionRules) -> list[tuple[int, int, int]]:
    """(body start, body end, label start) of each limb of the resolution ``text[start:end]``.

    Limbs are labelled "(1)", "A)", "b.", "(iv)" at the start of a line, or
    "(1) ... (2) ..." inline; labels must run in sequence from the first
    ("A)", "B)", "C)"), so a year or a "(2019)" inside a limb never splits it.
    Fewer than two limbs: [] (the resolution stays whole).
    """
    labels: list[tuple[int, int, tuple[str, int] | None]] = []  # (label start, body start, label)
    bullets: list[tuple[int, int, tuple[str, int] | None]] = []
    for m in rules.limb.finditer(text, start, end):
        line_start = text.rfind("\n", 0, m.end()) + 1
        if line_start < start or not text[line_start:m.end()].strip():
            continue  # the cue's own line: its inline labels are read below
        lab = _limb_label(text[line_start:m.end()])
        lead = line_start + len(text[line_start:m.end()]) - len(text[line_start:m.end()].lstrip())
        if lab is not None:
            labels.append((lead, m.end(), lab))
        elif re.match(r"\s*[-•·●▪*]", text[lead:m.end()]):
            bullets.append((lead, m.end(), None))
    for m in _INLINE_LIMB.finditer(text, start, end):
        if not any(a <= m.start() < b for a, b, _l in labels):
            labels.append((m.start(), m.end(), _limb_label(f"({m.group('lab')})")))
    labels.sort()
    seq: list[tuple[int, int, tuple[str, int] | None]] = []
    for item in labels:
        if item[2] is None:
            continue
        if not seq:
            if _next_limb(None, item[2]):
                seq.append(item)
        elif _next_limb(seq[-1][2], item[2]):
            seq.append(item)
    if len(seq) < 2:
        seq = bullets  # "• Agrees ...; and • Delegates ...": bullets have no order to check
    if len(seq) < 2:
        return []
    out = []
    for k, (lab_start, body_start, _lab) in enumerate(seq):
        stop = seq[k + 1][0] if k + 1 < len(seq) else end
        chunk = text[body_start:stop]
        chunk = chunk[: _LIMB_TAIL.search(chunk).start()]
        if chunk.strip():
            out.append((body_start, body_start + len(chunk), lab_start))
    return out if len(out) >= 2 else []


_CUT_SENTENCE_END = re.compile(r"(?:,|\b(?:and|or|the|of|to|that|a|an|in|on|for|by|with|at))\s*$")
_PAGE_BREAK = re.compile(r"\s*\n\s*(?:Page\s+)?\d{1,4}\s*\n\s*")
_FORMAL_CUE = re.compile(r"\b(?:RESOLVED|AGREED|NOTED|APPROVED|RECOMMENDED|RESULT)\b")
_ALPHA_RUN = re.compile(r"[A-Za-z]+")
_FAILED = re.compile(r"\bFAILED\b|\bDEFEATED\b|\bLOST\b|\bREJECTED\b|\bWITHDRAWN\b")
_AMENDMENT = re.compile(r"\b[Aa]mendment\b")
_SUBSTANTIVE = re.compile(r"\bsubstantive\b", re.I)
_COLON_END = re.compile(r":\s*$")
_LEAD_PAGE_NO = re.compile(r"[ \t]*(?:Page\s+)?\d{1,4}[ \t]*\n")


def _sentence_decision(
    text: str, sents: Sequence[tuple[int, int]], si: int, cue: Cue, m: re.Match[str],
    found: list[tuple[int, int, str]], rules: DecisionRules,
) -> tuple[int, int, str] | None:
    """(start, end, kind) of the decision a sentence cue records, or None when the guards say it is not one.

    ``m`` is the cue's match in the sentence text ``text[a:b]``.
    """
    a, b = sents[si]
    sent = text[a:b]
    ms, me = a + m.start(), a + m.end()
    before = text[a:ms]
    if si > 0 and _CUT_SENTENCE_END.search(text[sents[si - 1][0]:sents[si - 1][1]]):
        # a sentence cut by a page break: "At that meeting, [page 2] Members agreed ..."
        before = _PAGE_BREAK.sub(" ", text[sents[si - 1][0]:sents[si - 1][1]] + "\n" + before)
    if _reported(before, rules):
        return None
    if "v" in m.re.groupindex and cue.kind != "agreed" and _reported(sent[: m.start("v")], rules):
        return None
    after = text[me:b]
    formal = bool(_FORMAL_CUE.search(m.group()))
    if not formal and any(r.search(after) for r in rules.past_after):
        return None  # "was approved by Cabinet in 2019": an earlier decision, reported
    bare = _bare(sent, m, rules)
    # nothing after the cue and nothing of substance in it: "it was agreed unanimously." (not "The minutes ... were agreed.")
    tail_empty = not [w for w in _ALPHA_RUN.findall(after + " " + m.group())
                      if w.lower() not in _BARE_WORDS and not rules.body_word.fullmatch(w.capitalize())]
    if cue.unless_followed_by or bare or tail_empty:
        # a vote result or a bare "Agreed" that a RESOLVED just after records in full
        ids = set(cue.unless_followed_by) | {"resolved-caps"}
        window = text[me: _follow_end(text, me, 1200)]
        if any(c.regex.search(window) for c in rules.cues if c.id in ids):
            return None
    if _FAILED.search(sent):
        return None
    earlier = text[max(0, ms - 1500): ms]
    if cue.id == "motion-carried" and _AMENDMENT.search(earlier) and not _SUBSTANTIVE.search(earlier):
        return None  # an amendment carried: the substantive motion's outcome follows
    start = a
    done = max((fe for _fs, fe, _k in found if fe <= a), default=0)
    if bare and si > 0:  # the proposal before a bare "AGREED." is what was decided
        start = max(sents[si - 1][0], done)
        if not text[start:a].strip():
            start = a
    if cue.takes_motion:
        # "Motion by X, seconded by Y, to adopt ... [Ayes: 5. Nays: 0.] Motion carried 5-2": the motion is decided
        for j in range(si - 1, max(-1, si - 4), -1):
            js, je = sents[j]
            if js < done or "\n\n" in text[je:a] or any(p.search(text[js:je]) for p in rules.past_after):
                break
            if any(p.search(text[js:je]) for p in rules.motion):
                start = min(start, js)
                break
    end = _block_end(text, ms, me, rules) if _COLON_END.search(sent) else b
    end = _trim_page_numbers(text, start, end)
    while True:  # a page number the sentence began with
        lead = _LEAD_PAGE_NO.match(text[start:end])
        if not lead or lead.end() >= end - start:
            break
        start += lead.end()
    return start, end, cue.kind


def _sentence_start(sents: Sequence[tuple[int, int]], pos: int) -> int:
    best = 0
    for a, _b in sents:
        if a <= pos:
            best = a
        else:
            break
    return best if best <= pos else pos


_BARE_WORDS = frozenset(re.findall(r"\w+", """the this a it was were by consensus unanimously unanimous also then
    duly result nem con formally agreed noted approved resolved carried passed adopted motion otherwise as amended"""))


def _bare(sent: str, m: re.Match[str], rules: DecisionRules) -> bool:
    """An outcome with no content of its own ("The Board unanimously AGREED.", "Motion carried.").

    The proposal before it is what was decided, so it becomes the context.
    """
    words = [w for w in _ALPHA_RUN.findall(sent)
             if w.lower() not in _BARE_WORDS and not rules.body_word.fullmatch(w)]
    return not words


def _follow_end(text: str, pos: int, limit: int) -> int:
    """End of the stretch after ``pos`` that still belongs to the same item (stops at a heading)."""
    lines = _lines(text, pos)[1:]
    for k, (s, e) in enumerate(lines):
        if s - pos > limit:
            return pos + limit
        nxt = text[lines[k + 1][0]:lines[k + 1][1]] if k + 1 < len(lines) else None
        line = text[s:e]
        if line.strip() and _is_heading(line, nxt) and not re.search(r"RESOLVED|Resolved", line):
            return s
    return min(len(text), pos + limit)


def _trim_page_numbers(text: str, start: int, end: int) -> int:
    """Drop page numbers and running footers that a hard-wrapped sentence swallowed at its end."""
    chunk = text[start:end]
    lines = chunk.split("\n")
    while len(lines) > 1 and _PAGE_NO.match(lines[-1]):
        lines.pop()
    return start + len("\n".join(lines).rstrip())


_LEAD_BULLET = re.compile(r"^[\s\-*>•·]*(?:\*\*)?")
_SECTION_NUMBER = re.compile(r"^[\s\-*>•·]*\d+\.\d+")
_REC_LABEL = re.compile(r"^[\s\-*>•·]*(?:\*\*)?(?:\(?[0-9]{1,2}[.)]|\(?[A-Za-z][.)]|\([ivxlc]+\))?(?:\*\*)?\s*")


def _recommendations(text: str, rules: DecisionRules) -> list[tuple[int, int]]:
    """Each numbered (or "That ...") recommendation listed under a Recommendations heading."""
    out: list[tuple[int, int]] = []
    if not could_match(rules.recs_heading_literals, text):
        return out  # no heading word: no heading
    for h in scan_finditer(rules.recs_heading, text):
        lines = _lines(text, h.end())[1:]
        items: list[list[int]] = []
        intro_allowed = True
        blank_run = 0
        last_label: tuple[str, int] | None = None
        for s, e in lines:
            line = text[s:e]
            if not line.strip():
                blank_run += 1
                if blank_run > 3:
                    break
                continue
            if _PAGE_NO.match(line):
                continue
            stripped = _LEAD_BULLET.sub("", line)
            is_item = bool(rules.limb.match(line)) or stripped.startswith("That ")
            if is_item and not _SECTION_NUMBER.match(line):
                label = _limb_label(line) if rules.limb.match(line) else None
                if label is not None and not _next_limb(last_label, label):
                    break  # "1. Introduction" after recommendations 1 and 2: the report's first section
                last_label = label or last_label
                items.append([s + len(line) - len(line.lstrip()), s + len(line.rstrip())])
                blank_run = 0
                intro_allowed = False
                continue
            if items and blank_run == 0 and not _is_heading(line, None):
                items[-1][1] = s + len(line.rstrip())  # a hard-wrapped item goes on
                continue
            if intro_allowed and not items and line.rstrip().endswith(":"):
                intro_allowed = False
                blank_run = 0
                continue
            break
        for a, b in items:
            body = _REC_LABEL.sub("", text[a:b])
            if len(body.split()) >= 4:
                out.append((b - len(body), b))
    return out


_STOP_END = re.compile(r"[.;]\s*$")


def _recommendation_lines(text: str, rules: DecisionRules) -> list[tuple[int, int]]:
    """Each "That the Board note ..." line of a report, over its hard-wrapped lines, label left out."""
    if rules.rec_line is None or not could_match(rules.rec_line_literals, text):
        return []
    out: list[tuple[int, int]] = []
    for m in scan_finditer(rules.rec_line, text):
        a = m.start() + m.group().index("That")
        lines = _lines(text, a)
        b = lines[0][1]
        for s, e in lines[1:]:
            line = text[s:e]
            if (not line.strip() or _STOP_END.search(text[a:b]) or rules.limb.match(line)
                    or rules.rec_line.match(line) or _is_heading(line, None) or _PAGE_NO.match(line)):
                break
            b = e
        b = a + len(text[a:b].rstrip())
        if len(text[a:b].split()) >= 5:
            out.append((a, b))
    return out


# ------------------------------------------------------------------ component


class DecisionsComponent:
    """spaCy component: fills ``Doc._.decision_items``."""

    def __init__(self, nlp: Language, name: str, patterns: str) -> None:
        self.name = name
        self.rules = load_decision_rules(patterns)
        if not Doc.has_extension("decision_items"):
            Doc.set_extension("decision_items", default=None, force=True)

    def __call__(self, doc: Doc) -> Doc:
        doc._.decision_items = find_decisions(doc_text(doc), doc_sentences(doc), doc.user_data.get("kind"), self.rules)
        return doc


@Language.factory(
    "minutes_decisions",
    default_config={"patterns": "patterns/decisions.jsonl"},
    assigns=["doc._.decision_items"],
)
def make_minutes_decisions(nlp: Language, name: str, patterns: str) -> DecisionsComponent:
    """RESOLVED / AGREED / APPROVED / NOTED outcomes and recommendations; ``patterns`` is relative to ``models/``."""
    return DecisionsComponent(nlp, name, patterns)
