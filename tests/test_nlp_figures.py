"""Figures: which numbers are statistics, their units, metrics, directions and periods.

Every text here is written for the test (fictional council wording); the
shared seed documents are only read, at run time, by the last tests.
"""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
import spacy

from extract import vocab
from extract.evaluate import matching as m
from extract.nlp.figures import (
    MODELS_DIR,
    extract_figures,
    find_numbers,
    load_figure_rules,
    split_sentences,
)
from extract.nlp.tables import figures_from_tables, tables_from_text

RULES = load_figure_rules()


def found(text: str) -> list[tuple[float, str]]:
    return [(f.value, f.unit) for f in extract_figures(text)]


# ----------------------------------------------------------------------- detection


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # percentages, written three ways, and a signed change
        ("Burglary fell by 40% in Eastfield.", [(40, "percent")]),
        ("Satisfaction rose by 12 per cent over the period.", [(12, "percent")]),
        ("Robbery changed by -25.6% against last year.", [(-25.6, "percent")]),
        # percentage points
        ("This is a 3.5 percentage point reduction in reoffending.", [(3.5, "percentage_points")]),
        ("Turnout was up 2 percentage points on the previous survey.", [(2, "percentage_points")]),
        # counts, with and without thousands separators
        ("There were 9198 ASB reports made to the police.", [(9198, "count")]),
        ("Over 12,500 residents had signed up to the alert scheme.", [(12500, "count")]),
        ("There are now over 1500 fewer burglaries each year.", [(1500, "count")]),
        # money: k, m, million; dollars are "other" (the contract has only gbp)
        ("The fund gave £150k per year for two years.", [(150000, "gbp")]),
        ("A grant of £1.2m was secured.", [(1200000, "gbp")]),
        ("The scheme will cost £3 million.", [(3000000, "gbp")]),
        ("The district received $239,503 in levy income.", [(239503, "other")]),
        ("The overspend fell to -£4.5m by year end.", [(-4500000, "gbp")]),
        # rates and ranks (the "32" of the comparison group is a count)
        ("There were 68 crimes per 1000 residents in the borough.", [(68, "rate")]),
        ("The rate was 8.66 per 1,000 population.", [(8.66, "rate")]),
        ("Westbury had the 3rd lowest rate of violent crime.", [(3, "rank")]),
        ("Westbury is the 4th lowest of the 32 London boroughs.", [(4, "rank"), (32, "count")]),
        # hours
        ("The cameras monitor the ring road 24 hours a day.", [(24, "hours")]),
        ("Outreach workers delivered 201 hours of sessions.", [(201, "hours")]),
        # each number of a range separately
        ("The cohort was increased from 70-200 this year.", [(70, "count"), (200, "count")]),
        ("Costs could rise by 10 to 11 percent.", [(10, "percent"), (11, "percent")]),
        ("Knife crime fell from 347 offences to 318.", [(347, "count"), (318, "count")]),
    ],
)
def test_figures_found(text, expected):
    got = found(text)
    assert [u for _v, u in got] == [u for _v, u in expected]
    assert [v for v, _u in got] == pytest.approx([float(v) for v, _u in expected])


@pytest.mark.parametrize(
    "text",
    [
        "The minutes of the meeting held on 22 July were approved.",  # date
        "The Board will meet on the 10th of November at the Town Hall.",  # ordinal date
        "Friday 20th September, 2024 10.00 am",  # weekday date and a time
        "The meeting starts at 7.30 and ends by 9pm.",  # times
        "The 2015-2020 strategy will be refreshed in 2017/18.",  # years and year ranges
        "In the last 12 months the team was restructured.",  # framing period
        "Over the last 5 years the partnership has grown.",  # framing period
        "The plan runs over three years.",  # number word, framing
        "Retention for 12 weeks or more remains a priority.",  # threshold period
        "1.3.2 Westbury is one of the safest boroughs.",  # paragraph number
        "- 1 Reduce burglary in the town centre",  # list label after a bullet
        "under sections 5,6, and 7 of the Crime and Disorder Act 1998",  # section and act references
        "as required by Section 17 of the Act",
        "the duty under S6 of the Act",  # glued code
        "Contact Ann Rowe on 020 8359 7113 or write to NW4 4BQ.",  # phone and postcode
        "Minutes of the previous meeting pdf icon PDF 73 KB",  # file size
        "most engagement is with the 12 to 15 age group",  # age band
        "young adults aged 18-24 are most at risk",
        "Long term support for older people (65 and over)",
        "crime fell in the months¹ before the summer",  # footnote marker
        "an increase in Public Spaces Protection Orders (PSPO)1, said the Chair",
        "Decision 24/00093 - Commissioned Family Hubs (Item 9)",  # decision reference, item number
        "The bid is for six mobile fire suppression systems.",  # number written as a word
        "each registered speaker has three (3) minutes",  # label word then digits in brackets
        "We serve MOPAC7 crime types with the SO15 unit.",  # codes
        "The replacement of the fans in 25-26 will be capital.",  # short financial year
        "Covid-19 recovery continues.",
    ],
)
def test_not_figures(text):
    assert found(text) == []


def test_offsets_point_at_the_raw_text():
    text = "Our residents' survey found that 82% of residents are satisfied, and £1.2m was spent."
    for f in extract_figures(text):
        assert text[f.span.start : f.span.end] == f.raw


def test_table_of_contents_page_numbers_are_not_figures():
    text = "4. Annual complaints report 9\n\n5. Internal audit progress report 23\n\n6. Managing the risk of fraud 53\n"
    assert found(text) == []


def test_units_are_in_the_vocabulary():
    text = (
        "There were 68 crimes per 1000 residents, the 8th lowest rate; 40% of residents "
        "(a 2 percentage point rise) spent £3m, delivered 24 hours of training and resurfaced 30 miles of roads."
    )
    units = {f.unit for f in extract_figures(text)}
    assert units <= set(vocab.UNITS)
    assert {"rate", "rank", "percent", "percentage_points", "gbp", "hours", "other"} <= units


# --------------------------------------------------------------------------- metric


@pytest.mark.parametrize(
    ("text", "raw", "metric_words"),
    [
        ("There were 9198 ASB reports made to the police.", "9198", "ASB reports made to the police"),
        ("There has been a 40% increase in the number of fixed penalty notices issued for littering.", "40%", "increase fixed penalty notices issued for littering"),
        ("82% of residents are satisfied with their local area as a place to live.", "82%", "residents satisfied local area"),
        ("The proven adult reoffending rate is 19.6%.", "19.6%", "proven adult reoffending rate"),
        ("Prevent referrals had increased by 53% in the last quarter.", "53%", "Prevent referrals"),
        ("Westbury had the 3rd lowest rate of violent crime in the region.", "3rd", "lowest rate violent crime"),
        ("92 young people were being supervised by the Youth Offending Team.", "92", "young people supervised Youth Offending Team"),
        ("The helpline received 42 referrals.", "42", "referrals received helpline"),
        # a bare change noun borrows the figure before it
        ("There were over 700 fewer robberies (a reduction of 61%).", "61%", "reduction robberies"),
        # "from X to Y" shares the topic of the change
        ("- 12% reduction in knife crime (from 218 offences to 191)", "191", "knife crime offences"),
        # a pronoun points back to the clause before it
        ("Most contact is with young men, so that's around 56 per cent.", "56 per cent", "contact young men"),
        # an acronym the document defines is spelled out
        ("Reported violence with injury (VWI) rose. VWI is around 45% higher than in 2012.", "45%", "violence with injury higher"),
        # a performance-report line takes the indicator named above it
        ("Percentage of complaints answered within timescale\tRED\nLatest: 71%\tTarget: 85%, Floor 80%", "71%", "complaints answered within timescale latest"),
    ],
)
def test_metric(text, raw, metric_words):
    figs = {f.raw: f for f in extract_figures(text)}
    assert raw in figs, f"{raw!r} not found in {sorted(figs)}"
    metric = (figs[raw].metric or "").lower()
    for word in metric_words.lower().split():
        assert word in metric, f"{word!r} not in metric {metric!r}"


@pytest.mark.parametrize(
    ("text", "raw", "direction"),
    [
        ("Burglary fell by 15% this year.", "15%", "decrease"),
        ("There were 590 fewer burglaries than a year ago.", "590", "decrease"),
        ("Reports were up 125% on last year.", "125%", "increase"),
        ("There was a 4% rise in theft.", "4%", "increase"),
        ("The rate is 23% lower than the London average.", "23%", None),  # a comparison, not a change
        ("82% of residents feel safe.", "82%", None),
        ("Robbery\t-25.6% change", "-25.6%", "decrease"),
    ],
)
def test_direction(text, raw, direction):
    figs = {f.raw: f for f in extract_figures(text, skip=[])}
    assert figs[raw].direction == direction


@pytest.mark.parametrize(
    ("text", "raw", "period"),
    [
        ("In the last 12 months there were 717 hate crimes.", "717", "In the last 12 months"),
        ("During 2016/17 there was a 5% reduction in crime.", "5%", "2016/17"),
        ("During Quarter 1 we held 67 sessions.", "67", "Quarter 1"),
        ("Notices rose by 570% (April 2017-March 2018).", "570%", "April 2017-March 2018"),
    ],
)
def test_period(text, raw, period):
    figs = {f.raw: f for f in extract_figures(text)}
    assert figs[raw].period == period


# ------------------------------------------------------------------------ component


@pytest.mark.parametrize("with_sentencizer", [False, True])
def test_component_in_a_blank_pipeline(with_sentencizer):
    nlp = spacy.blank("en")
    if with_sentencizer:
        nlp.add_pipe("sentencizer")
    nlp.add_pipe("minutes_figures")
    doc = nlp("The board heard that burglary fell by 22%. Violent crime rose by 3% in 2016/17.")
    assert [(f.raw, f.unit) for f in doc._.figure_items] == [("22%", "percent"), ("3%", "percent")]
    second = doc._.figure_items[1]
    assert second.span.sentence == "Violent crime rose by 3% in 2016/17."
    assert second.metric == "Violent crime"


def test_tab_table_rows_are_left_to_the_table_reader():
    text = (
        "The table below shows recorded crime.\n\n"
        "\t2022/23\t2023/24\t% change\n"
        "Burglary\t1,720\t1,514\t-12.0%\n"
        "Robbery\t281\t266\t-5.3%\n"
    )
    prose = extract_figures(text)
    cells = figures_from_tables(tables_from_text(text))
    assert prose == []
    assert len(cells) == 6


def test_sentence_splitter_keeps_wrapped_lines_together():
    text = "Burglary fell by 12% over the\nlast year.\n\n- 1 Reduce robbery by 5%"
    sents = [text[a:b] for a, b in split_sentences(text)]
    assert sents == ["Burglary fell by 12% over the\nlast year.", "- 1 Reduce robbery by 5%"]


# ---------------------------------------------------------------------- rule files


def test_pattern_file_rules_compile_with_unique_ids():
    rows = [json.loads(line) for line in (MODELS_DIR / "patterns" / "figures.jsonl").read_text().splitlines() if line.strip()]
    ids = [r["id"] for r in rows]
    assert len(ids) == len(set(ids))
    assert {r["label"] for r in rows} <= {"MASK", "LABEL", "PERIOD"}
    assert len(RULES.masks) + len(RULES.periods) == len(rows)


def test_find_numbers_is_fast_enough():
    import time

    text = ("In 2016/17 there were 9,198 ASB reports, up 10% on 8,237 a year ago; £150k was secured. " * 400)
    t0 = time.perf_counter()
    nums = find_numbers(text, RULES)
    assert len(nums) == 4 * 400
    assert time.perf_counter() - t0 < 2.0


# ------------------------------------------------------------------------- gold keys


def _seed_figures(shared: Path, stem: str):
    text = (shared / "corpus" / "seeds" / f"{stem}.txt").read_text(encoding="utf-8")
    from extract.nlp.targets import extract_targets

    figs = extract_figures(text)
    extract_targets(text, figures=figs)  # relabels target amounts and baselines
    return figs + figures_from_tables(tables_from_text(text))


@pytest.mark.shared
def test_shared_gold_figures(shared_dir):
    tp = fp = fn = ok = scored = 0
    for gold_path in sorted((shared_dir / "gold").glob("*.json")):
        gold = json.loads(gold_path.read_text(encoding="utf-8"))
        figs = _seed_figures(shared_dir, gold_path.stem)
        g = [m.FigureRec(value=x["value"], unit=x["unit"], texts=(x["evidence"],), metric=x.get("metric")) for x in gold["figures"]]
        p = [m.FigureRec(value=f.value, unit=f.unit, texts=(f.span.sentence,), metric=f.metric) for f in figs]
        res = m.assign(g, p, m.figure_pair)
        tp, fp, fn = tp + len(res.pairs), fp + len(res.extra), fn + len(res.missed)
        for gi, pi in res.pairs:
            c = m.metric_correct(g[gi], p[pi])
            if c is not None:
                scored += 1
                ok += c
    f1 = 2 * tp / (2 * tp + fp + fn)
    assert f1 >= 0.95, (tp, fp, fn)
    assert ok / scored >= 0.85


@pytest.mark.shared
def test_shared_report_table_gives_35_labelled_figures(shared_dir):
    text = (shared_dir / "corpus" / "seeds" / "barnet-scpb-2017-10-27-strategic-assessment-report.txt").read_text(encoding="utf-8")
    cells = figures_from_tables(tables_from_text(text))
    assert len(cells) == 35
    assert all(f.metric and f.period for f in cells)
    assert {f.metric for f in cells} >= {"Robbery", "Burglary", "Violence with Injury"}
    assert all(re.search(r"\|", f.span.sentence) for f in cells)


# ------------------------------------------------------------ genre rules (issue: generalise)
# Fictional sentences in the styles of UK and US council papers; each case is one rule.


@pytest.mark.parametrize(
    "text",
    [
        "5.b Award of a paving contract to Coastline Surfacing Ltd.",  # lettered item label
        "7(c) Review of the parking strategy",
        "2 Apologies for absence 1 - 4 3 Declarations of interest 5 - 8 4 Minutes of the last meeting 9 - 16",  # agenda pages
        "Report author: Dana Wells, Agenda item: 9",  # label with a colon
        "Residents can report problems on the 101 non-emergency line.",  # service numbers
        "In an emergency, dial 999.",
        "Only category 2 repairs were deferred.",  # a class label
        "Members agreed to extend the consultation to 8 weeks.",  # a framing duration
        "Calls must be answered within 20 minutes.",  # a threshold, not a measurement
    ],
)
def test_genre_labels_are_not_figures(text):
    assert found(text) == []


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # "£2.7m to" is money, not a "12m to Dec" column heading
        ("of which £3.3m related to agency staff and £2.7m to adult transport.", [(3300000, "gbp"), (2700000, "gbp")]),
        # a number that ends a hard-wrapped line's phrase is no list label
        ("The regional average was\n74.2. Officers noted the gap.", [(74.2, "count")]),
        # measured durations have unit "other"
        ("Average life expectancy in the district was 79.4 years for men and 83.1 years for women.", [(79.4, "other"), (83.1, "other")]),
        ("The average wait for an assessment had fallen from 23 working days to 15.", [(23, "other"), (15, "other")]),
        ("The average response time to urgent calls was 7.2 minutes.", [(7.2, "other")]),
        # percentage points across a line break
        ("Turnout rose by 3\npercentage points.", [(3, "percentage_points")]),
        # a tally gives each side, including a zero
        ("Motion by Councilmember Reyes to approve the minutes. Motion carried 6-0.", [(6, "count"), (0, "count")]),
        # the age band of a population is no figure
        ("Girls made up 48% of the 16 to 18 population.", [(48, "percent")]),
    ],
)
def test_genre_figures_found(text, expected):
    got = found(text)
    assert [u for _v, u in got] == [u for _v, u in expected]
    assert [v for v, _u in got] == pytest.approx([float(v) for v, _u in expected])


@pytest.mark.parametrize(
    ("text", "raw", "metric_words"),
    [
        # measured time: the subject, the qualifier and the unit
        ("Average life expectancy in the district was 79.4 years for men and 83.1 years for women.", "83.1", "life expectancy women (years)"),
        ("The average wait for an assessment had fallen from 23 working days to 15.", "15", "average wait assessment working days"),
        # votes name the side and what was voted on
        ("A recorded vote was taken on the budget amendment:\nFor (22)\nAgainst (19)\nAbstain (2)", "2", "abstentions budget amendment"),
        ("Motion by Councilmember Reyes, seconded by Councilmember Park, to approve the Parks Maintenance Agreement. Motion carried 4-1.", "1", "votes against Parks Maintenance Agreement"),
        # money: "X of £N", frames, verbs, costs, modifiers, parts
        ("Savings of £1.4 million had been secured through a review of agency spend.", "£1.4 million", "savings secured review agency spend"),
        ("Approve the Highways Programme 2026/27 to 2028/29 totalling £12.4m.", "£12.4m", "Highways Programme"),
        ("Award of a cleaning contract for the Civic Centre in the amount of $88,000.", "$88,000", "cleaning contract Civic Centre US dollars"),
        ("Flooding repairs had cost the District £94,000 over the winter.", "£94,000", "cost flooding repairs district"),
        ("The insulation grant scheme had saved £31,000 in energy bills.", "£31,000", "energy bills saved insulation grant scheme"),
        ("The council had been awarded a £1.5 million government grant for the harbour wall.", "£1.5 million", "government grant harbour wall"),
        ("The fund gave out £600,000 to groups, including £80,000 for youth diversion.", "£80,000", "fund youth diversion"),
        ("The reserve, currently £4.2m, would fall to £1.1m if the grant were withdrawn.", "£1.1m", "reserve if grant withdrawn"),
        # shares: share verbs, restated shares, elided nouns, fronted places
        ("Burglary accounted for 22% of all reported crime.", "22%", "burglary share reported crime"),
        ("The service ended the year with an underspend of £0.9m, against a budget of £60m, or 1.5% of the budget.", "1.5%", "underspend share budget"),
        ("In town centres 91% of alarms were answered within 10 minutes; in villages 78% were answered within 25 minutes.", "78%", "alarms villages answered within 25 minutes"),
        ("The survey found that 80% of tenants felt safe at home during the day, 66% after dark and 52% late at night.", "52%", "tenants safe home late night"),
        # counts: relative clauses, passives, coordination, infinitives, part and whole
        ("The youth service engaged 418 young people who had attended detached sessions.", "418", "young people who had attended detached sessions"),
        ("The police recorded 2,315 crimes in the district in 2024.", "2,315", "crimes recorded district police"),
        ("The Trust had housed 120 families and 45 single adults.", "45", "single adults housed Trust"),
        ("The Helpdesk received 812 calls and gave advice to 230 tenants.", "230", "tenants given advice Helpdesk"),
        ("The shelter had been unable to accept 12 women because it was full.", "12", "women shelter unable accept"),
        ("3 of the 8 vans were currently in use.", "3", "vans in use"),
        ("Wardens made 36 visits, which had led to 5 referrals that were accepted.", "5", "referrals that were accepted"),
        # names keep their numbers and numerals
        ("Part II offences fell by 6%.", "6%", "Part II offences"),
        ("94% of category 1 defects were made safe within 24 hours.", "94%", "category 1 defects made safe within 24 hours"),
        # the size of the group a rank is taken in
        ("The Constabulary is ranked 9th of 41 forces for its detection rate.", "41", "forces comparison group"),
        # a change stated after a level measures the change in that level
        ("The detection rate was 14.1%, up 0.8 percentage points on the previous year.", "0.8 percentage points", "increase detection rate previous year"),
        # the subject, not the complement, of "X remained the lowest, at N%"
        ("Satisfaction with repairs remained the lowest score, at 61%.", "61%", "satisfaction repairs"),
        # "its" belongs to the sentence's subject
        ("The tenancy support cohort of 80 households reduced its arrears by 15%.", "15%", "arrears tenancy support cohort"),
    ],
)
def test_genre_metric(text, raw, metric_words):
    figs = {f.raw: f for f in extract_figures(text)}
    assert raw in figs, f"{raw!r} not found in {sorted(figs)}"
    metric = (figs[raw].metric or "").lower()
    for word in metric_words.lower().split():
        assert word in metric, f"{word!r} not in metric {metric!r}"


@pytest.mark.parametrize(
    ("text", "raw", "direction"),
    [
        ("The fund grew from £2.1m to £2.6m.", "£2.1m", "increase"),  # both numbers of "from X to Y"
        ("The fund grew from £2.1m to £2.6m.", "£2.6m", "increase"),
        ("Delays fell from 31 days to 24.", "31", "decrease"),
        ("Arrests rose by 9%, or 41 arrests, to 497.", "41", "increase"),  # a restated change
        ("Arrests rose by 9%, or 41 arrests, to 497.", "497", "increase"),  # the level it reached
        ("There were 640 complaints in 2024/25, a fall of 8% on last year.", "640", "decrease"),  # a level, then its change
        ("Reports reached 1,930, up from 1,702 the year before.", "1,702", "increase"),
        ("Staff made up 12% of the panel.", "12%", None),  # a phrasal verb, not "up"
        ("The team served 19 improvement notices.", "19", None),  # a noun modifier, not a change
        ("Response times are now 6% below the baseline.", "6%", "decrease"),  # against an earlier level
        ("Response times are now 6% below the national average.", "6%", None),  # against a benchmark
        ("Costs could rise by 3 to 4 percent next year.", "4 percent", "increase"),  # one range
        ("Overspends were reported in Highways (+£0.4m).", "+£0.4m", "increase"),  # a signed change
        ("The balance, currently £3.0m, would fall to £2.2m.", "£3.0m", None),  # the verb is the later figure's
        ("The balance, currently £3.0m, would fall to £2.2m.", "£2.2m", "decrease"),
        ("Costs were £5,000, with an additional £900 for printing.", "£900", None),  # "additional" is no change
        ("A total of 26 licences were revoked, a lower number than 31 in the previous year.", "31", None),  # the compared one
    ],
)
def test_genre_direction(text, raw, direction):
    figs = {f.raw: f for f in extract_figures(text, skip=[])}
    assert figs[raw].direction == direction


def test_genre_rules_are_data():
    """The genre's cue words live in the vocabulary file, not in code."""
    voc = json.loads((MODELS_DIR / "vocab" / "figures.json").read_text(encoding="utf-8"))
    for name in ("SERVICE_NUMBER", "LABEL_WORD_COLON", "CONTINUATION_WORD", "AMOUNT_FRAME", "MONEY_VERB", "SHARE_OF_VERB", "VOTE_LABEL_NOUN", "STATE_PREDICATE", "EARLIER_LEVEL", "PHRASAL_UP_VERB"):
        assert voc.get(name), name
    assert "additional" not in voc["INCREASE"]
