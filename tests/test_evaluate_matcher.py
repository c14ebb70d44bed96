"""The matcher implements ANNOTATION.md "How items are matched" (hand-made, fictional cases)."""

from __future__ import annotations

import pytest

from extract.evaluate import matching as m
from extract.evaluate.matching import ActionRec, DecisionRec, FigureRec, PersonRec, TargetRec


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("  Mr   O\u2019Brien\tsaid  ", "mr o'brien said"),  # curly apostrophe, runs of whitespace
        ("\u201cAgreed\u201d", '"agreed"'),  # curly double quotes
        ("2016\u20132017 \u2014 \u2212 5 \u2010 x", "2016-2017 - - 5 - x"),  # en/em dash, minus, hyphen
        ("CASE Folded", "case folded"),
        (None, ""),
    ],
)
def test_normalise(raw, expected):
    assert m.normalise(raw) == expected


@pytest.mark.parametrize(
    ("haystack", "needle", "expected"),
    [
        # whitespace and line-break variant of the evidence
        (
            "Councillor  Hale agreed\nto circulate the\tbriefing note.",
            "Hale agreed to circulate the briefing note",
            True,
        ),
        # curly quote in the stored sentence, straight one in the key
        (
            "The Panel\u2019s view was that Ms Okoro\u2019s report be noted.",
            "Ms Okoro's report be noted",
            True,
        ),
        # en dash against hyphen
        ("Fly-tipping fell from 410\u2013380 cases", "from 410-380 cases", True),
        # a word is not matched inside a longer word
        ("The formal report was received", "form", False),
        ("Ms Hale will report back", "Ms Hale will report back in June", False),
        ("anything", "", False),
    ],
)
def test_contains(haystack, needle, expected):
    assert m.contains(haystack, needle) is expected


@pytest.mark.parametrize(
    ("a", "b", "expected"),
    [
        # containment either way
        ("The Board NOTED the report.", "the board noted the report", True),
        (
            "The Committee considered the update. The Committee unanimously AGREED the recommendations.",
            "The Committee unanimously AGREED the recommendations.",
            True,
        ),
        # evidence split across two stored sentences: half of the shorter side in one run
        (
            "Members asked about the Grove Road scheme. It was AGREED that the scheme proceed",
            "It was AGREED that the scheme proceed to consultation in spring",
            True,
        ),
        # shared function words only: no overlap
        ("The Board noted the report on parking.", "The Board agreed the budget for leisure.", False),
        # a short run below three tokens does not count for longer texts
        ("the report on parking enforcement levels", "a report on a different subject entirely", False),
        ("", "The Board noted", False),
    ],
)
def test_overlaps(a, b, expected):
    assert m.overlaps(a, b) is expected


@pytest.mark.parametrize(
    ("a", "b", "expected"),
    [
        ("Mary", "Mary", True),
        ("mary", "MARY", True),
        ("Mary", None, True),  # not given on one side: no constraint
        ("P", "Peter", True),  # an initial
        ("P.", "Peter", True),
        ("Chris", "Christopher", True),  # a short form
        ("Paul", "Paula", True),  # forgives a one-letter typo (prefix of 3+ letters)
        ("Peter", "Paul", False),
        ("Jo", "John", False),  # two letters is neither an initial nor a long enough prefix
        ("R", "Peter", False),
        ("Ren\u00e9e", "Renee", True),  # accents ignored
    ],
)
def test_first_names_agree(a, b, expected):
    assert m.first_names_agree(a, b) is expected


@pytest.mark.parametrize(
    ("a", "b", "same"),
    [
        ("O-Dwyer", "O'Dwyer", True),
        ("O\u2019Dwyer", "ODwyer", True),
        ("Nu\u00f1ez", "NUNEZ", True),
        ("Van der Berg", "van-der-berg", True),
        ("Leach", "Leech", False),
    ],
)
def test_surname_key(a, b, same):
    assert (m.surname_key(a) == m.surname_key(b)) is same


@pytest.mark.parametrize(
    ("name", "surname", "honorific", "expected"),
    [
        ("Anita Okoro", "Okoro", None, "anita"),
        ("Councillor Jane Hale", "Hale", None, "jane"),
        ("Det Insp Sam Price", "Price", "Det Insp", "sam"),
        ("Mr Price", "Price", None, None),
        ("O-Dwyer", "O-Dwyer", "Ms", None),
        ("Joan van der Berg", "van der Berg", None, "joan"),
    ],
)
def test_first_name_from(name, surname, honorific, expected):
    assert m.first_name_from(name, surname, honorific) == expected


# ------------------------------------------------------------------ people


def test_people_same_surname_other_first_name_is_not_a_match():
    gold = [PersonRec("Hale", "Jane", "Jane Hale")]
    pred = [PersonRec("Hale", "Robert", "Robert Hale")]
    res = m.assign(gold, pred, m.person_pair)
    assert (res.pairs, res.missed, res.extra) == ([], [0], [0])


@pytest.mark.parametrize(
    ("gold", "pred"),
    [
        (PersonRec("O-Dwyer", None, "O-Dwyer"), PersonRec("O'Dwyer", "Siobhan", "Siobhan O\u2019Dwyer")),
        (PersonRec("Okoro", "Anita", "Anita Okoro"), PersonRec("OKORO", None, "Ms Okoro")),
        (PersonRec("Okoro", "Anita", "Anita Okoro"), PersonRec("Okoro", "A", "A. Okoro")),
        (
            PersonRec("N\u00fa\u00f1ez", "Luis", "Luis N\u00fa\u00f1ez"),
            PersonRec("Nunez", "Luis", "Luis Nunez"),
        ),
    ],
)
def test_people_variants_match(gold, pred):
    assert m.assign([gold], [pred], m.person_pair).pairs == [(0, 0)]


def test_people_match_prefers_the_agreeing_first_name():
    gold = [PersonRec("Price", "Sam", "Sam Price")]
    pred = [PersonRec("Price", None, "Mr Price"), PersonRec("Price", "Sam", "Sam Price")]
    res = m.assign(gold, pred, m.person_pair)
    assert res.pairs == [(0, 1)]
    assert res.extra == [0]


@pytest.mark.parametrize(
    ("gold_role", "pred_role", "expected"),
    [
        ("Head of Community Safety", "Head of Community Safety", True),
        ("Head of Community Safety", "community safety", True),  # 2 of 3 content words
        ("Chair of the Licensing Committee", "Chair", False),  # 1 of 3 content words
        ("Chief Executive", None, False),
        (None, "Chief Executive", None),  # gold null: not scored
    ],
)
def test_role_correct(gold_role, pred_role, expected):
    gold = PersonRec("Hale", "Jane", role=gold_role)
    pred = PersonRec("Hale", "Jane", role=pred_role)
    assert m.role_correct(gold, pred) is expected


# ----------------------------------------------------------------- figures


FIG_SENTENCE = "Reports of fly\u2011tipping rose by 12.5% in the year, with 340 cases cleared."


def test_figure_whitespace_and_quote_variant_matches():
    gold = FigureRec(
        12.5, "percent", ("reports of fly-tipping   rose by 12.5%",), metric="fly-tipping reports"
    )
    pred = FigureRec(12.5000000001, "percent", (FIG_SENTENCE,), metric="reports of fly-tipping")
    assert m.assign([gold], [pred], m.figure_pair).pairs == [(0, 0)]


@pytest.mark.parametrize(
    "pred",
    [
        FigureRec(12.5, "percentage_points", (FIG_SENTENCE,)),  # same value, other unit
        FigureRec(12.6, "percent", (FIG_SENTENCE,)),  # other value
        FigureRec(12.5, "percent", ("Complaints about noise rose in the year.",)),  # sentence elsewhere
        FigureRec(12.5, "percent", ()),  # no sentence stored
    ],
)
def test_figure_near_misses_do_not_match(pred):
    gold = FigureRec(12.5, "percent", ("fly-tipping rose by 12.5%",))
    res = m.assign([gold], [pred], m.figure_pair)
    assert (res.pairs, res.missed, res.extra) == ([], [0], [0])


def test_duplicate_prediction_counts_once_tp_once_fp():
    gold = [FigureRec(340, "count", ("340 cases cleared",))]
    pred = [FigureRec(340, "count", (FIG_SENTENCE,)), FigureRec(340.0, "count", (FIG_SENTENCE,))]
    res = m.assign(gold, pred, m.figure_pair)
    assert len(res.pairs) == 1
    assert len(res.extra) == 1
    assert res.missed == []


def test_one_to_one_beats_greedy_first_come():
    # Gold A ("40 ... reported") can be matched by both predictions; gold B only by the first.
    # Taking gold A's best-looking partner first (pred 0) would leave gold B unmatched.
    sentence_1 = "In total 40 incidents were reported and 40 were resolved within a week."
    sentence_2 = "Of these, 40 incidents were reported by residents."
    gold = [
        FigureRec(40, "count", ("40 incidents were reported",)),
        FigureRec(40, "count", ("40 were resolved within a week",)),
    ]
    pred = [FigureRec(40, "count", (sentence_1,)), FigureRec(40, "count", (sentence_2,))]
    # pred 0 overlaps both gold items; pred 1 overlaps only gold 0
    assert m.figure_pair(gold[0], pred[0]) is not None
    assert m.figure_pair(gold[1], pred[0]) is not None
    assert m.figure_pair(gold[1], pred[1]) is None
    res = m.assign(gold, pred, m.figure_pair)
    assert res.pairs == [(0, 1), (1, 0)]
    assert (res.missed, res.extra) == ([], [])


def test_assignment_uses_metric_to_pair_equal_sentences():
    # a table row holds two cells with the same value: the metric decides which pair is scored
    row = "Burglary 120 120"
    gold = [
        FigureRec(120, "count", (row,), metric="Burglary 2022/23"),
        FigureRec(120, "count", (row,), metric="Robbery"),
    ]
    pred = [
        FigureRec(120, "count", (row,), metric="Robbery"),
        FigureRec(120, "count", (row,), metric="Burglary"),
    ]
    assert m.assign(gold, pred, m.figure_pair).pairs == [(0, 1), (1, 0)]


@pytest.mark.parametrize(
    ("gold_metric", "pred_metric", "expected"),
    [
        ("fixed penalty notices issued for littering", "penalty notices for littering", True),
        ("fixed penalty notices issued for littering", "notices", False),
        ("fixed penalty notices issued for littering", None, False),
    ],
)
def test_metric_correct(gold_metric, pred_metric, expected):
    g = FigureRec(40, "percent", metric=gold_metric)
    p = FigureRec(40, "percent", metric=pred_metric)
    assert m.metric_correct(g, p) is expected


# ----------------------------------------------------------------- actions


ACTION_SENTENCE = "Ms Okoro agreed to circulate the revised  licensing  policy to members by March."


@pytest.mark.parametrize(
    ("pred", "expected"),
    [
        # sentence contains the evidence (whitespace differs)
        (ActionRec("Okoro", "send something", (ACTION_SENTENCE,)), True),
        # sentence elsewhere, but the descriptions share at least half their words
        (ActionRec("okoro", "circulate revised licensing policy", ("Action: Ms Okoro",)), True),
        # same evidence, other owner
        (ActionRec("Hale", "circulate the revised licensing policy to members", (ACTION_SENTENCE,)), False),
        # right owner, sentence elsewhere, description shares too little
        (ActionRec("Okoro", "circulate the minutes", ("Action: Ms Okoro",)), False),
        # description shares half of the gold words but the prediction is mostly other words
        (
            ActionRec(
                "Okoro", "circulate revised policy draft budget figures staffing plan", ("Action: Ms Okoro",)
            ),
            False,
        ),
        (ActionRec(None, "circulate the revised licensing policy to members", (ACTION_SENTENCE,)), False),
    ],
)
def test_action_match(pred, expected):
    gold = ActionRec(
        "Okoro",
        "circulate the revised licensing policy to members",
        ("Ms Okoro agreed to circulate the revised licensing policy",),
        due="March",
    )
    assert (m.action_pair(gold, pred) is not None) is expected


@pytest.mark.parametrize(
    ("gold_due", "pred_due", "expected"),
    [
        (None, None, True),
        ("the next meeting", "next meeting", True),
        ("March", "by March 2024", True),
        ("the next meeting", None, False),
        (None, "the next meeting", False),
        ("March", "June", False),
    ],
)
def test_due_correct(gold_due, pred_due, expected):
    assert m.due_correct(ActionRec("X", "d", due=gold_due), ActionRec("X", "d", due=pred_due)) is expected


# --------------------------------------------------------------- decisions


@pytest.mark.parametrize(
    ("pred", "expected"),
    [
        (
            DecisionRec(
                "resolved",
                ("That the  minutes of the meeting held on 3 May be approved as a correct record.",),
            ),
            True,
        ),
        # text is a fragment, the sentence holds the evidence
        (
            DecisionRec(
                "RESOLVED",
                ("approved", "RESOLVED \u2013 That the minutes of the meeting held on 3 May be approved"),
            ),
            True,
        ),
        (
            DecisionRec("agreed", ("That the minutes of the meeting held on 3 May be approved",)),
            False,
        ),  # other kind
        (DecisionRec("resolved", ("That the budget be approved.",)), False),
    ],
)
def test_decision_match(pred, expected):
    gold = DecisionRec(
        "resolved", ("That the minutes of the meeting held on 3 May be approved as a correct record",)
    )
    assert (m.decision_pair(gold, pred) is not None) is expected


# ----------------------------------------------------------------- targets


TARGET_SENTENCE = "Reduce vehicle crime by 8.5% over three years (Baseline figure \u2013 2,410)."


@pytest.mark.parametrize(
    ("pred", "expected"),
    [
        (TargetRec(8.5, "percent", 2410, (TARGET_SENTENCE,)), True),
        (TargetRec(8.5, "percent", None, (TARGET_SENTENCE,)), False),  # baseline missing, gold has one
        (TargetRec(8.5, "percentage_points", 2410, (TARGET_SENTENCE,)), False),  # other unit
        (TargetRec(8.5, "percent", 2410.5, (TARGET_SENTENCE,)), False),  # other baseline
        (TargetRec(8.5, "percent", 2410, ("Increase recycling by 8.5% each year.",)), False),
    ],
)
def test_target_match(pred, expected):
    gold = TargetRec(8.5, "percent", 2410, ("Reduce vehicle crime by 8.5% over three years",))
    assert (m.target_pair(gold, pred) is not None) is expected


def test_target_both_baselines_missing_match():
    gold = TargetRec(10, "percent", None, ("Increase satisfaction by 10% each year",))
    pred = TargetRec(10, "percent", None, ("Increase satisfaction by 10% each year.",))
    assert m.target_pair(gold, pred) is not None


def test_assign_with_nothing_on_one_side():
    assert m.assign([], [FigureRec(1, "count")], m.figure_pair).extra == [0]
    assert m.assign([FigureRec(1, "count")], [], m.figure_pair).missed == [0]
