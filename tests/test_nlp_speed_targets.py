"""The targets component's shortcuts give what the plain computation gives.

* ``_Finder.target_anchors`` skips telling amounts from dates (figures' number_starts) in
  sentences where no anchor is accepted when read as the sentence's first;
* ``_Finder.with_amount`` drops, in one pass, the sentences without a digit or a number word;
* ``_relabel_figures`` finds the figures of each relabelled span by bisection.

The plain path runs every anchor through the plan loop (``_Finder.anchors``, no skip) and
scans every figure for every span. The texts are fictional council minutes and plans.
"""

from __future__ import annotations

import copy

import pytest

from extract.nlp import targets as tg
from extract.nlp.figures import extract_figures
from extract.nlp.sentences import split_sentences
from extract.records import FigureItem, Span

TEXTS = [
    # (reports beside aims: the skip must drop only sentences no target comes of)
    "Burglary rose by 15% in 2023/24 compared with the year before.\nReduce burglary by 10% by March 2026.",
    "Satisfaction fell to 72% last year. We will increase satisfaction to 80% by 2027.",
    "The number of visits went up by 1,200 in the quarter, and the waiting list stood at 340.",
    "Aim: bring the reoffending rate for young people down to 28% (baseline 31%).",
    "We will train at least 600 staff in licensed premises. Attendance was at 95% for the term.",
    "Response times improved from 12 to 9 minutes; the target of 8 minutes was missed.",
    "Recycling reached 45% and we will halve the amount of waste sent to landfill by 2030.",
    # reports only: anchors with no aiming verb, dates after "from"
    "Repeat calls went from 12% to 9% between 2022 and 2023. Footfall rose by 4,000 over the summer.",
    "The service moved from 2019 to 2021 funding rounds; attendance stood at 310 in May.",
    # aims of every kind, alone and after a report in the same sentence
    "Burglary rose by 15% in 2023/24, and we will reduce it by 10% by March 2026 (baseline 1,240).",
    "Reduce repeat victims of domestic abuse by 8% over three years (Baseline figure - 415).",
    "The priority is to cut waiting times; we will have improved response times from 65.8% to at least 70%.",
    "We will train at least 600 staff in licensed premises by 2027.",
    "Attendance was at 95% for the term. The board aims to ensure that 90% of residents are contacted.",
    "Calls answered in time: 87%, against a target of 90%. Satisfaction should be no less than 75% by 2026.",
    "Bring the reoffending rate for young people down to 28% (currently 31%).",
    "Hate crime: increase reporting, and reduce repeat victims by 10% (baseline 2689).",
    "We will halve the number of households in temporary accommodation and double recycling by 2030.",
    "By 2027, the proportion of pupils achieving grade 5 will have risen from 48% to 55%.",
    # number words, money and durations (refused amounts), list lines
    "Increase volunteering by two percent. Cut costs by £2m. Reduce the backlog to 5 weeks.\n"
    "- Maintain the clearance rate at 92%\n- Increase the number of apprentices to forty\n",
    "Minutes of the meeting held on 3 March 2024.\n\nItem 4. The chair noted the figures were to follow.",
    "",
]


def _plain_targets(text: str, monkeypatch: pytest.MonkeyPatch, figures: list[FigureItem] | None = None) -> list:
    """extract_targets with every sentence read and every anchor kept (no skip)."""

    def every_anchor(self: tg._Finder, s0: int, s1: int, amount_known: bool = False) -> tuple[list, dict]:
        return self.anchors(s0, s1), {}

    def every_sentence(self: tg._Finder, sentences: list[tuple[int, int]]) -> list[tuple[int, int]]:
        return list(sentences)

    with monkeypatch.context() as m:
        m.setattr(tg._Finder, "target_anchors", every_anchor)
        m.setattr(tg._Finder, "with_amount", every_sentence)
        return tg.extract_targets(text, split_sentences(text), None, figures)


@pytest.mark.parametrize("text", TEXTS)
def test_target_shortcuts_change_nothing(text: str, monkeypatch: pytest.MonkeyPatch) -> None:
    sentences = split_sentences(text)
    figures = extract_figures(text, sentences)
    plain_figures = copy.deepcopy(figures)
    fast = tg.extract_targets(text, sentences, None, figures)
    assert fast == _plain_targets(text, monkeypatch, plain_figures)
    assert figures == plain_figures  # the same figures relabelled the same way


@pytest.mark.parametrize(
    ("sentence", "skipped"),
    [
        ("Repeat calls went from 12% to 9% last year.", True),  # "from ... to" with no verb or frame
        ("Attendance was at 95% for the term.", True),
        ("Burglary rose by 15% compared with the year before.", True),
        ("The priority is to see calls go from 12% to 9%.", False),  # a sentence frame aims
        ("We will train at least 600 staff.", False),  # "at least": a bare verb after a frame
        ("Reduce burglary by 10% by March 2026.", False),
        ("Bring the rate down to 28%.", False),  # a split verb
        ("Burglary rose by 15% in 2023/24 compared with the year before.", True),  # a report: no aiming verb
        ("The waiting list stood at 340 in June.", True),
        ("Repeat calls went from 12% to 9%.", True),  # "from ... to" may aim, but aim() rejects it: reported
        ("We aim to cut repeat calls from 12% to 9%.", False),  # the same frame, aiming
    ],
)
def test_target_anchors_skip_only_sentences_without_an_aim(sentence: str, skipped: bool) -> None:
    finder = tg._Finder(sentence, tg.load_target_rules())
    every = finder.anchors(0, len(sentence))
    kept, first = finder.target_anchors(0, len(sentence))
    assert every  # every sentence here has an anchor
    assert (kept == []) is skipped
    if not skipped:
        assert kept == every
        assert first  # what the plan loop would say of the first anchor, said once
    assert bool(tg.extract_targets(sentence, split_sentences(sentence))) is not skipped


@pytest.mark.parametrize("text", TEXTS)
def test_with_amount_is_may_hold_amount_per_sentence(text: str) -> None:
    finder = tg._Finder(text, tg.load_target_rules())
    sentences = split_sentences(text)
    assert finder.with_amount(sentences) == [s for s in sentences if finder.may_hold_amount(*s)]


def _figure(start: int, end: int, table_index: int | None = None, metric: str | None = "calls") -> FigureItem:
    return FigureItem(value=1.0, unit="count", raw="1", metric=metric, span=Span(sentence="calls (baseline 1)", start=start, end=end), table_index=table_index)


def _relabel_plain(figures: list[FigureItem], relabel: list) -> None:
    """The scan of every figure for every relabelled span (what the bisection replaces)."""
    for (a, b), metric, direction, period in relabel:
        for f in figures:
            if f.table_index is None and a <= f.span.start < b:
                f.metric, f.direction = metric, direction
                if period:
                    f.period = period


@pytest.mark.parametrize(
    "relabel",
    [
        [],
        [((0, 10), "target level of calls", None, "2025/26")],
        [((5, 30), "target reduction in calls", "decrease", None), ((20, 21), "target level of calls", None, None)],
        [((40, 50), "target level of visits", None, None)],  # no figure there
    ],
)
def test_relabel_reaches_the_figures_a_scan_reaches(relabel: list) -> None:
    figures = [_figure(20, 22), _figure(3, 5), _figure(20, 24, table_index=0), _figure(9, 12), _figure(29, 31), _figure(30, 33)]
    want = copy.deepcopy(figures)
    _relabel_plain(want, [r for r in relabel if not r[1].endswith("(baseline)")])
    tg._relabel_figures(figures, relabel, None)
    assert figures == want
