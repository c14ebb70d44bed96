"""Fast paths of the sentence splitters equal the plain computations they replace (issue 9).

* :func:`extract.nlp.sentences.split_sentences` finds the lines a bullet or an
  "Action:" marker may start with one search per paragraph (``_MAY_CUT``) and
  where a sentence's text starts with a regex instead of slicing it; the plain
  per-line loop and ``strip`` are kept here as the reference.
* The sentence component works out the spans of all sentences of a batch of docs
  in one array pass (``_sentence_spans_many``); the reference is spaCy's own
  ``doc.sents``, on the batched (``nlp.pipe``) and the one-doc path alike.

All text is fictional minutes written for these tests, plus generated strings.
"""

from __future__ import annotations

import re

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from extract.nlp import sentences as S
from extract.nlp.pipeline import load_nlp

MINUTES = (
    "Kettlebay Borough Council\n\n"
    "MINUTES of the Audit Committee held on 3 March 2025.\n"
    "PRESENT: Councillor Ann Prior (Chair), Mr. R. W. Gough, Ms O-Dwyer\n\n"
    "1. Apologies for absence\n"
    "Apologies were received from Cllr. Dev Patel. The Chair welcomed e.g. new members.\n"
    "   a) Internal audit plan\n"
    "(ii) Risk register\n"
    "• Members noted the report\n"
    "- Officers to circulate the figures\n"
    "o the tracker would follow\n"
    "Action: Head of Finance to report back by June.\n"
    "ACTIONS for the Clerk - publish the notes\n"
    "Actions: none\n"
    "Area\tTarget\tActual\n"
    "Calls answered\t90%\t87%\n"
    "The Committee RESOLVED that the plan be approved! Was it agreed? Yes.\n"
    "A long line of wrapped text that runs on past the short line limit and carries on\n"
    "onto the next line where it ends.\n"
    "\u00a0\u2003indented with odd spaces\n \n\t\n"
    "\x0c\rform feed line\n"
)

_PIECES = [
    "Action:", "ACTIONS", "Actions for", "Agreed.", "A", "a)", "(b)", "(iv)", "1.", "12)", "• ", "- ", "– ", "o ",
    "* ", "\uf0b7 ", "Mr.", "e.g.", "No.", "Cllr", "The", "Board", "noted", "the report", "£3m", "25%", "?", "!",
    ".", ",", ":", '"', "“", "(", ")", "\n", "\n\n", "\n \n", "\t", "  ", " ", "\u00a0", "\u2003", "\r", "\x0c", "",
]
_texts = st.lists(st.sampled_from(_PIECES), max_size=60).map("".join)


def _plain_line_cuts(ptxt: str) -> list[int]:
    """The per-line loop ``split_sentences`` ran before ``_MAY_CUT``: every line tested."""
    cuts = [0]
    first = ptxt.find("\n")
    tab = "\t" in (ptxt if first < 0 else ptxt[:first])
    for ln in re.finditer(r"\n([^\n]+)", ptxt):
        line = ln.group(1)
        has_tab = "\t" in line
        if tab or has_tab or S.BULLET.match(line) or S.MARKER_LINE.match(line):
            cuts.append(ln.start(1))
            tab = has_tab
    cuts.append(len(ptxt))
    return cuts


def _plain_trim(text: str, spans: list[tuple[int, int]]) -> list[tuple[int, int]]:
    """The last step of ``split_sentences`` as it was: drop blank spans, skip leading whitespace by slicing."""
    out = []
    for s, e in spans:
        chunk = text[s:e]
        if chunk.strip():
            out.append((s + len(chunk) - len(chunk.lstrip()), e))
    return out


def _paragraph_texts(text: str) -> list[str]:
    return [text[a:b] for a, b in S._paragraphs(text)]


@pytest.mark.parametrize(
    "text", [MINUTES, MINUTES.replace("\t", " "), MINUTES.lower(), MINUTES.upper(), "", "\n", "Action: x", "\nb) y"]
)
def test_line_cuts_equal_the_per_line_loop(text: str) -> None:
    for ptxt in _paragraph_texts(text) or [text]:
        assert S._line_cuts(ptxt) == _plain_line_cuts(ptxt)


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(text=_texts)
def test_line_cuts_on_generated_texts(text: str) -> None:
    for ptxt in _paragraph_texts(text) + [text]:
        assert S._line_cuts(ptxt) == _plain_line_cuts(ptxt)


def test_may_cut_skips_plain_lines() -> None:
    """The pre-search really leaves out lines that start with an ordinary word (else it would save nothing)."""
    assert S._MAY_CUT.search("Members noted the report\nthe tracker would follow\nMembers agreed") is None
    assert S._MAY_CUT.search("x\n  Action: y") is not None


@pytest.mark.parametrize("text", [MINUTES, " \n  lead", "\u00a0x\u2003", "a\n\n\n", ""])
def test_split_sentences_trims_as_strip_does(text: str) -> None:
    spans = S.split_sentences(text)
    untrimmed = [(a, b) for a, b in _reference_untrimmed(text)]
    assert spans == _plain_trim(text, untrimmed)


def _reference_untrimmed(text: str) -> list[tuple[int, int]]:
    """``split_sentences`` before its last step, with the plain line loop."""
    spans: list[tuple[int, int]] = []
    for p0, p1 in S._paragraphs(text):
        ptxt = text[p0:p1]
        cuts = _plain_line_cuts(ptxt)
        for a, b in zip(cuts, cuts[1:], strict=False):
            seg = ptxt[a:b]
            start = 0
            for m in S._SENT_END.finditer(seg):
                dot = m.start() + 1
                if S._ABBREV.search(seg, max(0, dot - S._ABBREV_REACH), dot) or S._LIST_LABEL.fullmatch(seg, start, dot):
                    continue
                end = m.start() + len(m.group().rstrip())
                spans.append((p0 + a + start, p0 + a + end))
                start = m.end()
            spans.append((p0 + a + start, p0 + a + len(seg.rstrip())))
    return spans


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(text=_texts)
def test_split_sentences_equals_the_plain_splitter(text: str) -> None:
    assert S.split_sentences(text) == _plain_trim(text, _reference_untrimmed(text))


# ------------------------------------------------------------------- the component's spans


@pytest.fixture(scope="module")
def nlp():
    return load_nlp()


def _sents_reference(doc) -> list[tuple[int, int]]:
    return [(s.start_char, s.end_char) for s in doc.sents if s.text.strip()]


_BATCH = [MINUTES, "", "  \n\n  ", "\n\nAction: Clerk.", "Item 5. Noted.", MINUTES[::-1], "\t• a\n• b", " x"]


def test_batched_spans_equal_doc_sents(nlp):
    comp = nlp.get_pipe("minutes_sentences")
    docs = [nlp.make_doc(t) for t in _BATCH]
    S.set_sentence_starts_many(docs, comp.rules, comp.short_line)
    for doc in docs:
        assert doc.user_data["sent_spans"] == _sents_reference(doc)
        assert [t.i for t in doc if t.is_sent_start] == doc.user_data["sent_tokens"]


@pytest.mark.parametrize("text", _BATCH)
def test_one_doc_spans_equal_doc_sents(nlp, text):
    doc = nlp(text)
    assert S.doc_sentence_spans(doc) == _sents_reference(doc)


@settings(max_examples=100, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(texts=st.lists(_texts, min_size=1, max_size=6))
def test_batched_spans_on_generated_texts(nlp, texts):
    comp = nlp.get_pipe("minutes_sentences")
    docs = [nlp.make_doc(t) for t in texts]
    S.set_sentence_starts_many(docs, comp.rules, comp.short_line)
    for doc in docs:
        assert doc.user_data["sent_spans"] == _sents_reference(doc)


def test_doc_sentence_spans_gives_a_new_list_each_time(nlp):
    doc = nlp(MINUTES)
    first = S.doc_sentence_spans(doc)
    first.clear()
    assert S.doc_sentence_spans(doc) == _sents_reference(doc) != []
