"""Tables: one figure per numeric cell, labelled by its row and column."""

from __future__ import annotations

import pytest

from extract.nlp.tables import (
    figures_from_tables,
    is_data_table,
    parse_cell,
    table_blocks,
    table_figures,
    tables_from_text,
)
from extract.records import Table

CRIME = Table(
    page=4,
    index=2,
    rows=[
        ["", "2021/22", "2022/23", "2023/24", "% change vs. 1 year ago"],
        ["Residential burglary", "1,790", "1,720", "1,514", "-12.0%"],
        ["Personal robbery", "296", "281", "266", "-5.3%"],
        ["Violence with injury", "1,958", "2,047", "2,131", "+4.1%"],
    ],
)


def test_one_figure_per_numeric_cell_with_row_and_column_labels():
    figs = figures_from_tables([CRIME])
    assert len(figs) == 12
    first = figs[0]
    assert (first.value, first.unit, first.raw) == (1790, "count", "1,790")
    assert (first.metric, first.period, first.direction) == ("Residential burglary", "2021/22", None)
    assert first.span.sentence == "Residential burglary | 1,790 | 1,720 | 1,514 | -12.0%"
    assert (first.span.page, first.table_index) == (4, 2)
    change = figs[3]
    assert (change.value, change.unit, change.period, change.direction) == (-12.0, "percent", "% change vs. 1 year ago", "decrease")
    assert figs[-1].direction == "increase"


def test_header_without_label_column_is_right_aligned():
    t = Table(page=None, index=0, rows=[["2022/23", "2023/24"], ["Burglary", "1,720", "1,514"]])
    assert [(f.metric, f.period) for f in figures_from_tables([t])] == [("Burglary", "2022/23"), ("Burglary", "2023/24")]


def test_year_rows_swap_metric_and_period():
    t = Table(page=None, index=0, rows=[["Year", "Burglary", "Robbery"], ["2022/23", "1,720", "281"], ["2023/24", "1,514", "266"]])
    figs = figures_from_tables([t])
    assert [(f.metric, f.period, f.value) for f in figs] == [
        ("Burglary", "2022/23", 1720),
        ("Robbery", "2022/23", 281),
        ("Burglary", "2023/24", 1514),
        ("Robbery", "2023/24", 266),
    ]


@pytest.mark.parametrize(
    "rows",
    [
        # a report front sheet laid out as a table
        [["Report Author:", "Jo Bloggs 16 October 2023"], ["Restricted", "No", "1"], ["Enclosures:", ""]],
        # contact details
        [["Head of Finance", "Ann Rowe", "03000 410 066"], ["Chief Accountant", "Joe Hill", "03000 419 601"]],
    ],
)
def test_layout_tables_give_no_figures(rows):
    t = Table(page=1, index=0, rows=rows)
    assert not is_data_table(t)
    assert figures_from_tables([t]) == []


def test_numbered_first_column_is_not_a_value():
    t = Table(
        page=3,
        index=1,
        rows=[
            ["2.2", "Note the forecast overspend of £30.4m", "Please refer to Section 3"],
            ["2.3", "Note the capital underspend", "Please refer to Section 6"],
            ["2.4", "Agree the budget changes", "Please refer to Section 7"],
        ],
    )
    assert figures_from_tables([t]) == []


@pytest.mark.parametrize(
    ("cell", "heading", "expected"),
    [
        ("1,234", "", (1234, "count")),
        ("-25.6%", "", (-25.6, "percent")),
        ("+ 23.3", "Variance", (23.3, "count")),
        ("£150k", "", (150000, "gbp")),
        ("12.5", "Spend (£000)", (12500, "gbp")),
        ("45.1", "Rate (%)", (45.1, "percent")),
        ("3rd", "", (3, "rank")),
        ("2.5pp", "", (2.5, "percentage_points")),
        ("2016", "", None),  # a year labels a row
        ("2016/17", "", None),
        ("n/a", "", None),
        ("Robbery", "", None),
    ],
)
def test_parse_cell(cell, heading, expected):
    got = parse_cell(cell, heading)
    if expected is None:
        assert got is None
    else:
        assert got == (pytest.approx(expected[0]), expected[1])


TEXT = (
    "Report Name:\tStrategic Assessment\t\n"
    "Restricted\tNo\t1\n"
    "\n"
    "2.1 The table below shows recorded crime.\n"
    "\n"
    "\t2022/23\t2023/24\t% change\n"
    "Burglary\t1,720\t1,514\t-12.0%\n"
    "Robbery\t281\t266\t-5.3%\n"
    "\n"
    "Burglary fell by 12%.\n"
)


def test_tables_from_text_finds_tab_blocks():
    tables = tables_from_text(TEXT)
    assert [t.rows for t in tables] == [
        [["Report Name:", "Strategic Assessment"], ["Restricted", "No", "1"]],
        [["", "2022/23", "2023/24", "% change"], ["Burglary", "1,720", "1,514", "-12.0%"], ["Robbery", "281", "266", "-5.3%"]],
    ]
    assert [t.header_rows for t in tables] == [1, 1]
    assert len(figures_from_tables(tables)) == 6  # the front-sheet block is no data table


def test_table_blocks_give_the_spans_the_prose_reader_skips():
    (block,) = table_blocks(TEXT)
    a, b, table = block
    assert TEXT[a:b].startswith("\t2022/23") and TEXT[a:b].endswith("-5.3%")
    assert table.rows[1][0] == "Burglary"


def test_table_figures_prefers_the_parsers_tables():
    assert len(table_figures([CRIME], TEXT)) == 12
    assert len(table_figures([], TEXT)) == 6
