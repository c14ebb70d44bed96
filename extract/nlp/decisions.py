"""Decisions: the formal outcomes a body records.

Kinds (``vocab.DECISION_KINDS``): ``resolved`` ("RESOLVED – (1) That ...
(2) That ..." kept as ONE decision with every limb), ``agreed`` ("The Board
unanimously AGREED.", "it was agreed that ..."), ``approved`` ("The minutes
were approved as a correct record", "RESULT: APPROVED"), ``noted`` ("The Board
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

import json
import re
from collections.abc import Sequence
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from spacy.language import Language
from spacy.tokens import Doc

from ..records import DecisionItem, Span
from .actions import doc_sentences, split_sentences

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


@dataclass(frozen=True)
class DecisionRules:
    """Compiled ``decisions.jsonl``."""

    cues: tuple[Cue, ...]
    recs_heading: re.Pattern[str]
    reported: tuple[re.Pattern[str], ...]  # applied to the sentence text before a cue
    past_after: tuple[re.Pattern[str], ...]  # applied to the text after a cue
    limb: re.Pattern[str]
    body_word: re.Pattern[str]


@lru_cache(maxsize=8)
def load_decision_rules(path: str | None = None) -> DecisionRules:
    """Read and compile ``decisions.jsonl``; errors name the file, line and pattern id."""
    p = Path(path) if path else MODELS_DIR / "patterns" / "decisions.jsonl"
    if not p.is_absolute():
        p = MODELS_DIR / p
    rows = []
    for n, line in enumerate(p.read_text(encoding="utf-8").splitlines(), 1):
        if line.strip():
            try:
                rows.append(json.loads(line))
            except json.JSONDecodeError as exc:
                raise ValueError(f"{p}:{n}: invalid JSON in pattern file: {exc}") from exc
    body_words = "|".join(
        w for r in rows if r["label"] == "BODY" for w in sorted(r["pattern"].split("|"), key=len, reverse=True)
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
        Cue(r["id"], r["label"], r["kind"], compile_(r), tuple(r.get("unless_followed_by", ())))
        for r in rows if r["label"] in ("BLOCK", "SENTENCE", "STANDALONE")
    )
    heading = next(compile_(r) for r in rows if r["label"] == "RECS_HEADING")
    limb = next(compile_(r) for r in rows if r["label"] == "LIMB")
    reported = tuple(compile_(r) for r in rows if r["label"] == "REPORTED")
    past_after = tuple(compile_(r) for r in rows if r["label"] == "PAST_AFTER")
    return DecisionRules(cues, heading, reported, past_after, limb, re.compile(rf"\b(?:{body_words})\b"))


# ------------------------------------------------------------------ layout

_HEADING_NUM = re.compile(r"^\s*\d{2,4}[.)]\s+[A-Z0-9]")  # minute numbers: "90. 24/00109 - Transfer ..."
_ITEM_LINE = re.compile(r"^\s*\(?(?:Agenda\s+)?[Ii]tem\s+\d+[a-z]?\)?\s*$")
_CAPS_HEADING = re.compile(r"^\s*(?:\d{1,3}[.)]?\s+)?[A-Z][A-Z0-9&,'’()/\- ]{6,}(?:\(Agenda item \d+\))?\s*$")
_PAGE_NO = re.compile(r"^\s*(?:Page\s+)?\d{1,4}(?:\s+of\s+\d{1,4})?\s*$")


def _lines(text: str, pos: int, limit: int = 20_000) -> list[tuple[int, int]]:
    """(start, end) of each line from the one containing ``pos``, for ``limit`` characters at most."""
    start = text.rfind("\n", 0, pos) + 1
    stop = min(len(text), pos + limit)
    out = []
    while start <= stop:
        end = text.find("\n", start)
        if end < 0:
            end = len(text)
        out.append((start, end))
        if end >= len(text):
            break
        start = end + 1
    return out


def _is_heading(line: str, nxt: str | None) -> bool:
    """A new minute or agenda item: "93. Library Strategy", "5 WORK PROGRAMME", a line before "(Item 9)"."""
    if _ITEM_LINE.match(line) or _CAPS_HEADING.match(line) or (nxt is not None and _ITEM_LINE.match(nxt)):
        return True
    m = _HEADING_NUM.match(line)
    return bool(m and int(re.match(r"\s*(\d+)", line).group(1)) >= 20)  # limbs never run that high


_ROMAN = {"i": 1, "ii": 2, "iii": 3, "iv": 4, "v": 5, "vi": 6, "vii": 7, "viii": 8, "ix": 9, "x": 10, "xi": 11,
          "xii": 12}


def _limb_label(line: str) -> tuple[str, int] | None:
    """(style, value) of a limb label: ("n", 3) for "3." / "(3)", ("a", 2) for "b)" / "(B)", ("r", 4) for "(iv)"."""
    m = re.match(r"[\s\-*>•·●▪]*(?:\*\*)?\(?([0-9]{1,2}|[ivxIVX]{1,4}|[A-Za-z])[.)]", line)
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
    empty_head = bool(re.fullmatch(r"[\s:\-–—.]*", head))
    expects = empty_head or head.endswith((":", ":-")) or bool(re.search(r"\(\s*(?:1|a|i|A)\s*\)", head))
    end = first_s + len(text[first_s:first_e].rstrip())
    prev = text[cue_start:first_e].rstrip()
    got_body = not empty_head
    inline = re.findall(r"\(([0-9]{1,2}|[a-zA-Z]|[ivx]{1,4})\)", head)
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
            if (expects and (nxt_is_limb or re.match(r"\s*That\b", nxt))) or (empty_head and not got_body):
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
    s = re.sub(r"\*\*", "", s)
    return re.sub(r"\s+", " ", s).strip()


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
        if cue.label != "BLOCK":
            continue
        for m in cue.regex.finditer(text):
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

    # 3. sentence cues: the first cue that fits a sentence decides its kind
    for si, (a, b) in enumerate(sents):
        for cue in rules.cues:
            if cue.label == "BLOCK":
                continue
            m = cue.regex.search(text[a:b])  # the sentence alone, so "^" is its start
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
        txt = _clean(text[start:end])
        if len(txt) < 3:
            continue
        sentence = _clean(text[min(start, _sentence_start(sents, start)):end])
        out.append(DecisionItem(kind=kind_, text=txt, span=Span(sentence=sentence, start=start, end=end)))
    return out


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
    if si > 0 and re.search(r"(?:,|\b(?:and|or|the|of|to|that|a|an|in|on|for|by|with|at))\s*$",
                            text[sents[si - 1][0]:sents[si - 1][1]]):
        # a sentence cut by a page break: "At that meeting, [page 2] Members agreed ..."
        before = re.sub(r"\s*\n\s*(?:Page\s+)?\d{1,4}\s*\n\s*", " ",
                        text[sents[si - 1][0]:sents[si - 1][1]] + "\n" + before)
    if _reported(before, rules):
        return None
    if "v" in m.re.groupindex and cue.kind != "agreed" and _reported(sent[: m.start("v")], rules):
        return None
    after = text[me:b]
    formal = bool(re.search(r"\b(?:RESOLVED|AGREED|NOTED|APPROVED|RECOMMENDED|RESULT)\b", m.group()))
    if not formal and any(r.search(after) for r in rules.past_after):
        return None  # "was approved by Cabinet in 2019": an earlier decision, reported
    bare = _bare(sent, m, rules)
    tail_empty = not [w for w in re.findall(r"[A-Za-z]+", after) if w.lower() not in _BARE_WORDS]
    if cue.unless_followed_by or bare or tail_empty:
        # a vote result or a bare "Agreed" that a RESOLVED just after records in full
        ids = set(cue.unless_followed_by) | {"resolved-caps"}
        window = text[me: _follow_end(text, me, 1200)]
        if any(c.regex.search(window) for c in rules.cues if c.id in ids):
            return None
    if re.search(r"\bFAILED\b|\bDEFEATED\b|\bLOST\b|\bREJECTED\b|\bWITHDRAWN\b", sent):
        return None
    earlier = text[max(0, ms - 1500): ms]
    if cue.id == "motion-carried" and re.search(r"\b[Aa]mendment\b", earlier) and not re.search(
            r"\bsubstantive\b", earlier, re.I):
        return None  # an amendment carried: the substantive motion's outcome follows
    start = a
    if bare and si > 0:  # the proposal before a bare "AGREED." is what was decided
        done = max((fe for _fs, fe, _k in found if fe <= a), default=0)
        start = max(sents[si - 1][0], done)
        if not text[start:a].strip():
            start = a
    end = _block_end(text, ms, me, rules) if re.search(r":\s*$", sent) else b
    end = _trim_page_numbers(text, start, end)
    while True:  # a page number the sentence began with
        lead = re.match(r"[ \t]*(?:Page\s+)?\d{1,4}[ \t]*\n", text[start:end])
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
    words = [w for w in re.findall(r"[A-Za-z]+", sent)
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


def _recommendations(text: str, rules: DecisionRules) -> list[tuple[int, int]]:
    """Each numbered (or "That ...") recommendation listed under a Recommendations heading."""
    out: list[tuple[int, int]] = []
    for h in rules.recs_heading.finditer(text):
        lines = _lines(text, h.end())[1:]
        items: list[list[int]] = []
        intro_allowed = True
        blank_run = 0
        for s, e in lines:
            line = text[s:e]
            if not line.strip():
                blank_run += 1
                if blank_run > 3:
                    break
                continue
            if _PAGE_NO.match(line):
                continue
            stripped = re.sub(r"^[\s\-*>•·]*(?:\*\*)?", "", line)
            is_item = bool(rules.limb.match(line)) or stripped.startswith("That ")
            if is_item and not re.match(r"^[\s\-*>•·]*\d+\.\d+", line):
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
            body = re.sub(r"^[\s\-*>•·]*(?:\*\*)?(?:\(?[0-9]{1,2}[.)]|\(?[A-Za-z][.)]|\([ivxlc]+\))?(?:\*\*)?\s*", "",
                          text[a:b])
            if len(body.split()) >= 4:
                out.append((b - len(body), b))
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
        doc._.decision_items = find_decisions(doc.text, doc_sentences(doc), doc.user_data.get("kind"), self.rules)
        return doc


@Language.factory(
    "minutes_decisions",
    default_config={"patterns": "patterns/decisions.jsonl"},
    assigns=["doc._.decision_items"],
)
def make_minutes_decisions(nlp: Language, name: str, patterns: str) -> DecisionsComponent:
    """RESOLVED / AGREED / APPROVED / NOTED outcomes and recommendations; ``patterns`` is relative to ``models/``."""
    return DecisionsComponent(nlp, name, patterns)
