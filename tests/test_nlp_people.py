"""People in minutes: each pattern family, the false-positive families, sentences and the orchestrator.

All text here is fictional, written for these tests in the style of UK and US
council minutes. One test reads ../shared gold keys when present.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from extract.nlp import chunk_bounds, run_nlp
from extract.nlp.pipeline import load_nlp
from extract.records import AgendaItem, Page, ParsedDocument, PersonMention, Segmentation

SHARED = Path(__file__).resolve().parents[1] / ".." / "shared"


@pytest.fixture(scope="module")
def nlp():
    return load_nlp()


def people(nlp, text: str) -> list[PersonMention]:
    return list(nlp(text)._.person_mentions)


def one(nlp, text: str, surname: str) -> PersonMention:
    found = [m for m in people(nlp, text) if m.surname == surname]
    assert found, f"{surname!r} not found in {text!r}: {[m.text for m in people(nlp, text)]}"
    return found[0]


# ---------------------------------------------------------------------- honorific or rank + name


@pytest.mark.parametrize(
    ("text", "surface", "honorific", "first", "surname"),
    [
        # rank + full name
        (
            "Superintendent Amira Holt replied that the project had ended.",
            "Superintendent Amira Holt",
            "Superintendent",
            "Amira",
            "Holt",
        ),
        # hyphenated Irish surname split by the tokenizer
        (
            "Ms O-Brannigan said that she would liaise with the team.",
            "Ms O-Brannigan",
            "Ms",
            None,
            "O-Brannigan",
        ),
        (
            "Councillor Gerald Pemberton welcomed everyone.",
            "Councillor Gerald Pemberton",
            "Councillor",
            "Gerald",
            "Pemberton",
        ),
        ("Cllr Hartley asked about the budget.", "Cllr Hartley", "Cllr", None, "Hartley"),
        ("Cllr. Hartley asked about the budget.", "Cllr. Hartley", "Cllr", None, "Hartley"),
        # two-word rank abbreviation
        (
            "Chief Supt Dominic Varley gave an update.",
            "Chief Supt Dominic Varley",
            "Chief Supt",
            "Dominic",
            "Varley",
        ),
        ("PC Jenkins attended the ward panel.", "PC Jenkins", "PC", None, "Jenkins"),
        ("DC Rahman confirmed the figures.", "DC Rahman", "DC", None, "Rahman"),
        ("Dr Ferris introduced the report.", "Dr Ferris", "Dr", None, "Ferris"),
        ("Sir Alan Whitcombe opened the meeting.", "Sir Alan Whitcombe", "Sir", "Alan", "Whitcombe"),
        ("Dame Edith Carrow thanked officers.", "Dame Edith Carrow", "Dame", "Edith", "Carrow"),
        # initials, Kent style
        ("Mr R W Ashdown moved the motion.", "Mr R W Ashdown", "Mr", "R", "Ashdown"),
        # a name running over a PDF line break after an initial
        (
            "The report was presented by Dr M \nGillory who answered questions.",
            "Dr M Gillory",
            "Dr",
            "M",
            "Gillory",
        ),
        # US style title
        (
            "Commissioner Luis Ortega made a motion.",
            "Commissioner Luis Ortega",
            "Commissioner",
            "Luis",
            "Ortega",
        ),
    ],
)
def test_honorific_names(nlp, text, surface, honorific, first, surname):
    m = one(nlp, text, surname)
    assert (m.text, m.honorific, m.first_name, m.surname) == (surface, honorific, first, surname)
    assert text[m.span.start : m.span.end].split() == surface.replace("Cllr. ", "Cllr. ").split()


@pytest.mark.parametrize("text", [
    "Report Author: Mr", "Present: Councillor", "Contact: Dr", "Apologies: Mr",
    "Present: Councillor Jane Smith (Chair), Councillor",
])
def test_a_title_with_no_name_after_it_at_the_end_of_a_chunk(nlp, text):
    """A page can end on "Present: Councillor": no crash, and no person made of the title alone."""
    found = [m.text for m in nlp(text)._.person_mentions]
    assert all(" " in name for name in found), found
    assert found == (["Councillor Jane Smith"] if "Jane" in text else [])


def test_plural_councillors_share_the_title(nlp):
    ms = people(nlp, "Councillors Anne Voss, Peter Quill (Chair) and Tom Akers attended.")
    assert [(m.text, m.honorific, m.role) for m in ms] == [
        ("Anne Voss", "Councillor", None),
        ("Peter Quill", "Councillor", "Chair"),
        ("Tom Akers", "Councillor", None),
    ]


# ---------------------------------------------------------------------- speaker positions


@pytest.mark.parametrize(
    ("text", "first", "surname"),
    [
        ("Fiona Halloran introduced the project and its aims.", "Fiona", "Halloran"),
        ("Marcus Obi updated the Board on youth matters.", "Marcus", "Obi"),
        ("Finally, Grace Mbeki responded that the data would follow.", "Grace", "Mbeki"),
        # adverb between the name and the verb
        ("Colin Ashworth also reported a fall in burglary.", "Colin", "Ashworth"),
        # a surname that is also a role word, after a known first name
        ("Steve Warden updated the Board on the bid.", "Steve", "Warden"),
        # Mc surname shape, first name not in the gazetteer
        ("Ysolde McTavish thanked the team.", "Ysolde", "McTavish"),
    ],
)
def test_speaker_names(nlp, text, first, surname):
    m = one(nlp, text, surname)
    assert (m.first_name, m.surname, m.honorific) == (first, surname, None)


def test_first_name_alone_needs_the_full_name_in_the_document(nlp):
    alone = people(nlp, "Duncan said he would bring an update.")
    assert alone == []
    text = "Duncan Ferrars updated the Board.\n\nDuncan said he would bring an update."
    ms = people(nlp, text)
    assert [(m.text, m.first_name, m.surname) for m in ms] == [
        ("Duncan Ferrars", "Duncan", "Ferrars"),
        ("Duncan", "Duncan", "Ferrars"),
    ]


# ---------------------------------------------------------------------- role lines


@pytest.mark.parametrize(
    ("text", "surname", "role"),
    [
        ("Report Author:\tHelen Markby 12 March 2019\n", "Markby", "Report Author"),
        # "Contact" is a label, not a job
        ("Contact: Tobias Fenn, 020 7946 0000 Email: tobias.fenn@example.gov.uk\n", "Fenn", None),
        ("Chair: Councillor Ruth Abbot\n", "Abbot", "Chair"),
        ("Lead Officer: Sunita Rao, Head of Housing Strategy\n", "Rao", "Head of Housing Strategy"),
    ],
)
def test_role_lines(nlp, text, surname, role):
    m = one(nlp, text, surname)
    assert m.role == role


# ---------------------------------------------------------------------- apposition and roles before names


@pytest.mark.parametrize(
    ("text", "surname", "role", "org"),
    [
        (
            "Graham Pettifer, Housing Strategy Manager, spoke to the report.",
            "Pettifer",
            "Housing Strategy Manager",
            None,
        ),
        (
            "Nadia Kershaw, Assistant Director of Environment, Parks & Leisure at Northbrook Council, presented the item.",
            "Kershaw",
            "Assistant Director of Environment, Parks & Leisure",
            "Northbrook Council",
        ),
        ("Ms Lena Ostrowski, CRC stated that work was ongoing.", "Ostrowski", None, "CRC"),
        (
            "Mr Felix Marr from the Probation Service added that data would follow.",
            "Marr",
            None,
            "Probation Service",
        ),
        ("Ravi Menon, CEO, Westfield Mencap, described the project.", "Menon", "CEO", "Westfield Mencap"),
        (
            "Councillor Joan Fairley, Chair of the Safer Streets Board, noted the report.",
            "Fairley",
            "Chair of the Safer Streets Board",
            None,
        ),
        (
            "The Chairman of the Safer Streets Board, Councillor Walter Dunmore welcomed all attendees.",
            "Dunmore",
            "Chairman of the Safer Streets Board",
            None,
        ),
        ("Mr Oyelaran (General Counsel) confirmed the legal position.", "Oyelaran", "General Counsel", None),
        (
            "The Cabinet Member for Highways (Councillor Lucy Breen) responded.",
            "Breen",
            "Cabinet Member for Highways",
            None,
        ),
        ("Present:\nJane Corrigan – Head of Legal Services\n", "Corrigan", "Head of Legal Services", None),
        (
            "Community Safety Manager Peter Lindqvist said the plan was on track.",
            "Lindqvist",
            "Community Safety Manager",
            None,
        ),
    ],
)
def test_roles_and_organisations(nlp, text, surname, role, org):
    m = one(nlp, text, surname)
    assert (m.role, m.organisation) == (role, org)


def test_apposition_list_of_officers(nlp):
    text = (
        "1. Jo Penhale, Participation Manager, Kim Aldous, Participation Support Assistant, "
        "and Tom Brack, Participation Support Officer, presented the report."
    )
    got = [(m.first_name, m.surname, m.role) for m in people(nlp, text)]
    assert got == [
        ("Jo", "Penhale", "Participation Manager"),
        ("Kim", "Aldous", "Participation Support Assistant"),
        ("Tom", "Brack", "Participation Support Officer"),
    ]


# ---------------------------------------------------------------------- attendance lists

KENT_STYLE = """MINUTES of a meeting of the Cabinet held in the Council Chamber on Thursday, 6 June 2024.
PRESENT: Mr R W Ashdown (Chairman), Mr N Pell, Mrs S Tanner, Mr R C Lowe, OBE, Mr D Moss and
Mr P J Oldfield
IN ATTENDANCE: Dr A Gupta (Director of Public Health), Mrs S Harrow
(Corporate Director Children, Young People and Education), Mr B Wyatt (General Counsel) and
McKenna (Acting Chief Accountant)
UNRESTRICTED ITEMS
1. Apologies
Apologies were received from Mrs C Bellamy.
"""


def test_attendance_list_with_initials_and_roles(nlp):
    got = [(m.text, m.role) for m in people(nlp, KENT_STYLE)]
    assert got == [
        ("Mr R W Ashdown", "Chairman"),
        ("Mr N Pell", None),
        ("Mrs S Tanner", None),
        ("Mr R C Lowe", None),
        ("Mr D Moss", None),
        ("Mr P J Oldfield", None),
        ("Dr A Gupta", "Director of Public Health"),
        ("Mrs S Harrow", "Corporate Director Children, Young People and Education"),
        ("Mr B Wyatt", "General Counsel"),
        ("McKenna", "Acting Chief Accountant"),
        ("Mrs C Bellamy", None),
    ]


MERTON_STYLE = """Audit Committee
Membership:
Councillors:
Irene Coombe
Rashid Tamil
Other Members:
Dave Ingram (Independent Chair)
A meeting of the Audit Committee will be held on 3 March.

PRESENT: Dave Ingram (Chairman), Councillors Irene Coombe and Rashid Tamil.
ALSO PRESENT: Grant Eccles (Head of Finance), Norah Pike (Democratic Services)
Apologies for absence were received from Councillor Will Barrow
"""


def test_one_name_per_line_lists_and_inline_apologies(nlp):
    got = [(m.text, m.honorific, m.role, m.organisation) for m in people(nlp, MERTON_STYLE)]
    assert got == [
        ("Irene Coombe", None, None, None),
        ("Rashid Tamil", None, None, None),
        ("Dave Ingram", None, "Independent Chair", None),
        ("Dave Ingram", None, "Chairman", None),
        ("Irene Coombe", "Councillor", None, None),
        ("Rashid Tamil", "Councillor", None, None),
        ("Grant Eccles", None, "Head of Finance", None),
        ("Norah Pike", None, None, "Democratic Services"),
        ("Councillor Will Barrow", "Councillor", None, None),
    ]


def test_semicolon_lists_and_scottish_titles(nlp):
    text = (
        "PRESENT: Prof Sir Ian Dunmore, Chair; Dr Helen Achebe, Medical Director; Mr Tom Eddings, Non-Executive Director\n"
        "\nPresent:\nCouncillor A Strachan (Convener), Bailie M Kerr, Provost J Dewar, Councillors L Grant and S Whyte.\n"
        "Also present: K Fraser (Executive Director of Education), D Lyall (Clerk).\n"
    )
    got = [(m.surname, m.honorific, m.role) for m in people(nlp, text)]
    assert got == [
        ("Dunmore", "Prof Sir", "Chair"),
        ("Achebe", "Dr", "Medical Director"),
        ("Eddings", "Mr", "Non-Executive Director"),
        ("Strachan", "Councillor", "Convener"),
        ("Kerr", "Bailie", None),
        ("Dewar", "Provost", "Provost"),
        ("Grant", "Councillor", None),
        ("Whyte", "Councillor", None),
        ("Fraser", None, "Executive Director of Education"),
        ("Lyall", None, "Clerk"),
    ]


def test_vote_lists_take_bare_surnames(nlp):
    text = "RESULT: APPROVED\nMOTION BY: Okafor\nSECOND: Lindgren\nAYES: Okafor, Lindgren, Pruitt\nABSENT: None\n"
    assert [m.surname for m in people(nlp, text)] == ["Okafor", "Lindgren", "Okafor", "Lindgren", "Pruitt"]


# ---------------------------------------------------------------------- blocks


def test_signatory_block(nlp):
    text = (
        "We commend this Strategy to you.\n\n\n"
        "Councillor\nMargaret Olsen\nLeader of the Council\n\n\n"
        "Ian Whitlow\nChief Executive\nNorthbrook Council\n\n\n"
        "Chief Supt\nKaren Doyle\nBorough Commander\nMetropolitan Police\n\n\n"
        "Alan Brewster,\nChief Executive\nNorthbrook Primary Care\nTrust\n\n\n"
        "Overall targets\n"
    )
    got = [(m.surname, m.honorific, m.role, m.organisation) for m in people(nlp, text)]
    assert got == [
        ("Olsen", "Councillor", "Leader of the Council", None),
        ("Whitlow", None, "Chief Executive", "Northbrook Council"),
        ("Doyle", "Chief Supt", "Borough Commander", "Metropolitan Police"),
        ("Brewster", None, "Chief Executive", "Northbrook Primary Care Trust"),
    ]


def test_moderngov_item_header_block(nlp):
    text = (
        "Agenda item\n\nUpdate on the annual review\n\n \n\nMiranda Shale\n\nSenior Partnership Performance\n\n"
        "Northbrook Council\n\n \n\nOwen Tarrant\n\nCommunity Safety Manager\n\nMinutes:\n\n"
        "Owen Tarrant, Community Safety Manager, spoke to the report.\n"
    )
    got = [(m.surname, m.role, m.organisation) for m in people(nlp, text)]
    assert got == [
        ("Shale", "Senior Partnership Performance", "Northbrook Council"),
        ("Tarrant", "Community Safety Manager", None),
        ("Tarrant", "Community Safety Manager", None),
    ]


# ---------------------------------------------------------------------- glued names


@pytest.mark.parametrize(
    ("text", "first", "surname"),
    [
        (
            "JaniceOkafor introduced the report on performance.\n\nMs Okafor said that rates were low.",
            "Janice",
            "Okafor",
        ),
        # a Mc / Mac surname is not glue
        ("Ms Moira McAllister said that rates were low.", "Moira", "McAllister"),
    ],
)
def test_glued_names_are_split(nlp, text, first, surname):
    m = people(nlp, text)[0]
    assert (m.first_name, m.surname) == (first, surname)


# ---------------------------------------------------------------------- not people


@pytest.mark.parametrize(
    "text",
    [
        "Northbrook Council reported a rise in fly-tipping.",
        "Victim Support said that victims could get door alarms.",
        "Mr Chairman, I would like to thank officers.",
        "The Chairman welcomed all attendees to the meeting.",
        "The Hate Crime Awareness Week will take place in October.",
        "A patrol service operates at Oak Hill Park in the summer.",
        "The Community Safety Team reported progress against the plan.",
        "In March the Board noted the Community Safety Strategic Assessment.",
        "Safer Neighbourhood Teams\n\nWorking with partners across the borough\n",
        "Public Health explained the new measures.",
        "The Department of Levelling Up, Housing and Communities (DLUHC) confirmed the grant.",
        "Automatic Number Plate Recognition (ANPR) cameras monitor the key routes.",
        "Grant Thornton reported on the accounts.",
        "The HUD Lead Hazard Control grant was extended.",
        "Members of the Labour MP for Northbrook West and other MPs highlighted the scheme.",
        "Commissioners Present: \nCommissioners Academy will take place in May.",
        "MS Teams will be used for the meeting.",
        "Partially Complete\nMaximise scope of effective scrutiny by all Members\n",
        "Apologies and Substitutes\n(Item 1)\n",
        "UNRESTRICTED ITEMS\nDeclarations of Interest\n",
    ],
)
def test_not_people(nlp, text):
    assert [m.text for m in people(nlp, text)] == []


# ---------------------------------------------------------------------- sentences


@pytest.mark.parametrize(
    ("text", "sentences"),
    [
        ("Mr. Smith said hello. Cllr. Jones agreed.", ["Mr. Smith said hello.", "Cllr. Jones agreed."]),
        ("Items e.g. No. 5 were noted. Next item.", ["Items e.g. No. 5 were noted.", "Next item."]),
        (
            "Superintendent Leach would reply.\nAction: Superintendent Leach\n",
            ["Superintendent Leach would reply.", "Action: Superintendent Leach"],
        ),
        (
            "The Board noted:\n·         Update on CCTV\n·         Parks review\n",
            ["The Board noted:", "· Update on CCTV", "· Parks review"],
        ),
        (
            "Minutes:\n\n1.    Relevant data for every quarter\n2.    Report on targets\n",
            ["Minutes:", "1. Relevant data for every quarter", "2. Report on targets"],
        ),
        # a wrapped PDF line runs on; a short heading line ends
        (
            "Hate Crime\nThe Board noted that the number of reported incidents had risen over the\nlast year in the borough.",
            [
                "Hate Crime",
                "The Board noted that the number of reported incidents had risen over the last year in the borough.",
            ],
        ),
        ("Mr R. W. Gough moved the motion.", ["Mr R. W. Gough moved the motion."]),
    ],
)
def test_minutes_sentences(nlp, text, sentences):
    doc = nlp(text)
    assert [" ".join(s.text.split()) for s in doc.sents if s.text.strip()] == sentences


# ---------------------------------------------------------------------- orchestrator


def test_run_nlp_shifts_offsets_and_fills_page_and_item(nlp):
    page1 = "Minutes\n\n1. Welcome\n\nCouncillor Rosa Quint welcomed everyone."
    page2 = "2. Youth matters\n\nDuncan Ferrars updated the Board.\n\nDuncan said he would report back."
    parsed = ParsedDocument(format="pdf", pages=[Page(1, page1), Page(2, page2)], page_count=2)
    text = parsed.text
    start2 = text.index("2. Youth")
    seg = Segmentation(
        kind="minutes",
        items=[
            AgendaItem(number="1", title="Welcome", start=text.index("1. Welcome"), end=start2),
            AgendaItem(number="2", title="Youth matters", start=start2, end=len(text)),
        ],
    )
    ext = run_nlp(parsed, seg, nlp=nlp)
    got = [
        (m.text, text[m.span.start : m.span.end], m.span.page, m.span.agenda_item, m.surname)
        for m in ext.people
    ]
    assert got == [
        ("Councillor Rosa Quint", "Councillor Rosa Quint", 1, "1", "Quint"),
        ("Duncan Ferrars", "Duncan Ferrars", 2, "2", "Ferrars"),
        ("Duncan", "Duncan", 2, "2", "Ferrars"),
    ]
    assert ext.people[0].span.sentence == "Councillor Rosa Quint welcomed everyone."


def test_candidates_are_confirmed_across_chunks(nlp):
    text = "1. Youth\n\nDuncan Ferrars updated the Board.\n\n2. Forward plan\n\nDuncan said he will report in May."
    parsed = ParsedDocument(format="text", pages=[Page(None, text)])
    start2 = text.index("2. Forward")
    seg = Segmentation(
        items=[
            AgendaItem("1", "Youth", start=0, end=start2),
            AgendaItem("2", "Forward plan", start=start2, end=len(text)),
        ]
    )
    assert len(chunk_bounds(text, seg)) == 2
    ext = run_nlp(parsed, seg, nlp=nlp)
    assert [(m.text, m.surname, m.span.agenda_item) for m in ext.people] == [
        ("Duncan Ferrars", "Ferrars", "1"),
        ("Duncan", "Ferrars", "2"),
    ]


def test_chunks_cover_the_text_and_respect_the_limit():
    text = ("A paragraph of minutes text. " * 40 + "\n\n") * 30
    bounds = chunk_bounds(text, None, max_chunk=5000)
    assert bounds[0][0] == 0 and bounds[-1][1] == len(text)
    assert all(b - a <= 5000 for a, b in bounds)
    assert all(bounds[i][1] == bounds[i + 1][0] for i in range(len(bounds) - 1))
    assert all(text[a - 2 : a] == "\n\n" for a, _ in bounds[1:])


# ---------------------------------------------------------------------- the shared gold keys


def _gold_docs():
    gold_dir = SHARED / "gold"
    if not gold_dir.is_dir():
        pytest.skip(f"../shared not present: {gold_dir} holds the gold keys")
    return sorted(gold_dir.glob("*.json"))


@pytest.mark.shared
def test_people_on_the_gold_keys(nlp):
    """Per-document people (surname + agreeing first name) against the hand-made keys."""
    from extract.resolve.people import cluster_mentions, first_names_compatible, name_key

    tp = fp = fn = 0
    for path in _gold_docs():
        gold = json.loads(path.read_text(encoding="utf-8"))
        seed = SHARED / "corpus" / "seeds" / gold["document"]
        text = seed.read_text(encoding="utf-8")
        ext = run_nlp(ParsedDocument(format="text", pages=[Page(None, text)]), Segmentation(), nlp=nlp)
        found, _ = cluster_mentions(ext.people)
        unmatched = list(found)
        for g in gold["people"]:
            first = g["name"].split()[0] if len(g["name"].split()) > 1 else None
            hit = next(
                (
                    p
                    for p in unmatched
                    if name_key(p.surname) == name_key(g["surname"])
                    and first_names_compatible(first, p.first_full()) != -1
                ),
                None,
            )
            if hit is None:
                fn += 1
            else:
                tp += 1
                unmatched.remove(hit)
        fp += len(unmatched)
    precision = tp / (tp + fp)
    recall = tp / (tp + fn)
    f1 = 2 * precision * recall / (precision + recall)
    assert f1 >= 0.9, (precision, recall)


# ---------------------------------------------------------------------- data files

PEOPLE_LABELS = {
    "HONORIFIC",
    "VOCATIVE",
    "ROLE_HEAD",
    "ROLE_MODIFIER",
    "ROLE_LABEL",
    "ORG_CUE",
    "SPEECH_VERB",
    "ADVERB",
    "LIST_LABEL",
    "POSTNOMINAL",
    "PARTICLE",
    "GLUE_PREFIX",
    "NOT_NAME",
    "PLACE_HEAD",
    "PLACE_SUFFIX",
    "FIRST_NAME",
    "NICKNAME",
}


@pytest.mark.parametrize(
    ("pattern_glob", "labels"),
    [("people_*.jsonl", PEOPLE_LABELS), ("sentences.jsonl", {"ABBREV", "BULLET", "LINE_LABEL"})],
)
def test_pattern_files_are_well_formed(pattern_glob, labels):
    patterns = Path(__file__).resolve().parents[1] / "models" / "patterns"
    ids = set()
    files = sorted(patterns.glob(pattern_glob))
    assert files
    for path in files:
        for n, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
            row = json.loads(line)
            assert row["label"] in labels, f"{path.name}:{n}"
            assert isinstance(row["pattern"], str) and row["pattern"].strip(), f"{path.name}:{n}"
            assert row["id"] not in ids, f"{path.name}:{n} repeats id {row['id']}"
            ids.add(row["id"])


def test_component_works_without_the_sentence_component():
    import spacy

    import extract.nlp.people  # noqa: F401  registers the factory

    bare = spacy.blank("en")
    bare.add_pipe("minutes_people")
    doc = bare("Ms Patel agreed.\nPeter Lindqvist, Community Safety Manager, spoke.")
    assert [(m.text, m.span.sentence) for m in doc._.person_mentions] == [
        ("Ms Patel", "Ms Patel agreed."),
        ("Peter Lindqvist", "Peter Lindqvist, Community Safety Manager, spoke."),
    ]


# ---------------------------------------------------------------------- fast paths equal their definitions

# Fragments of minutes-like text for the property tests below: names, titles, labels, bullets,
# punctuation, line breaks and a few non-ASCII letters and typographic marks.
_FRAGMENTS = [
    "Mr", "Mrs", "Ms", "Dr", "Cllr", "Cllr.", "Councillor", "Councillors", "Superintendent", "Chief Supt",
    "Chair", "Director", "Peter", "Clifton", "Anna", "Szabo", "O'Neill", "O-Dwyer", "McAllister", "KiranVagarwal",
    "Barrington-King", "May-Okoro", "Board-Ashby", "Étienne", "Øyvind", "Łukasz", "R.", "W.", "J", "A.", "b)", "(iv)", "1.", "12)",
    "the", "and", "of", "said", "agreed", "would", "will", "to", "noted", "RESOLVED", "PRESENT:", "Apologies",
    "Action:", "Report Author:", "Community Safety Manager", "Barnet Council", "NHS", "Board", "Mencap",
    ",", ".", ";", ":", "(", ")", "–", "-", "’", "“", "”", "•", "·", "o", "", "etc.", "e.g.", "No.",
    " ", " ", " ", "  ", "\n", "\n", "\n\n", "\t", "     ",
]


def _minutes_text(draw_list: list[int]) -> str:
    out = []
    for k in draw_list:
        frag = _FRAGMENTS[k % len(_FRAGMENTS)]
        out.append(frag if frag.isspace() or not out or out[-1].isspace() else " " + frag)
    return "".join(out)


_text_strategy = st.lists(st.integers(min_value=0, max_value=10_000), max_size=60).map(_minutes_text)


def _boundary(tk, text: str, p: int, i: int, rules, short_line: int) -> bool:
    """The sentence-boundary rule token by token: the reference for the batched one."""
    from extract.nlp import sentences as S

    gap = text[tk.end[p] : tk.idx[i]]
    breaks = gap.count("\n")
    t = tk.txt[i]
    if breaks >= 2:
        return True
    final = S._final_punct(tk, p, rules)
    if breaks == 1:
        prev_text = tk.txt[p]
        if final or prev_text in {":", ";"}:
            return True
        t_low = tk.low[i]
        if t_low in rules.bullets and (t != "o" or tk.ws[i]):
            return True
        if S._starts_numbered_point(tk, i):
            return True
        nxt = tk.txt[i + 1] if i + 1 < tk.n else ""
        if nxt == ":" and t_low in rules.line_labels:
            return True
        if t.isupper() and len(t) > 3 and t.isalpha():
            return True  # "RESOLVED", "PRESENT:" headings
        ls, le = S._line_bounds(text, tk.idx[p])
        line = text[ls:le].strip()
        if len(line) < short_line and tk.low[p] not in S._CONTINUATION:
            return t[:1].isupper() or t[:1].isdigit() or t[:1] in "\"'“‘(£$"
        return False
    if final:
        return t[:1].isupper() or t[:1].isdigit() or t[:1] in "\"'“‘(£$" or tk.low[i] in rules.bullets
    # an inline bullet after a run of spaces
    return t in {"·", "•", "▪", "●", "■", "➢", "►"} and gap.count(" ") >= 2


@settings(max_examples=150, deadline=None)
@given(text=_text_strategy)
def test_sentence_starts_and_capitals_equal_the_token_by_token_rules(nlp, text):
    """Only words after a space token or a possible sentence end are tested; the result is that of testing all."""
    from extract.nlp import sentences as S

    doc = nlp(text)
    tk = S.token_arrays(doc)
    rules = S.load_sentence_rules("patterns/sentences.jsonl")
    first, prev = [0], -1
    for i in range(len(doc)):
        if tk.space[i]:
            continue
        if i and (prev < 0 or _boundary(tk, tk.text, prev, i, rules, 50)):
            first.append(i)
        prev = i
    if len(doc):
        assert doc.user_data["sent_tokens"] == first
    assert doc.user_data["cap_tokens"] == [t.i for t in doc if t.text[:1].isupper()]


def _sentence_state(doc) -> tuple:
    from extract.nlp import sentences as S

    return (
        doc.user_data["sent_tokens"],
        doc.user_data["sent_spans"],
        doc.user_data["cap_tokens"],
        tuple(S.token_arrays(doc)),
        [t.is_sent_start for t in doc],
    )


@settings(max_examples=100, deadline=None)
@given(texts=st.lists(_text_strategy, max_size=6), batch=st.integers(min_value=1, max_value=4))
def test_sentence_component_on_a_batch_equals_one_doc_at_a_time(nlp, texts, batch):
    """``nlp.pipe`` hands the sentence component several docs at once (one array pass over all of them):
    every doc ends up as it would alone, empty docs and docs of one token included."""
    comp = nlp.get_pipe("minutes_sentences")
    texts = [*texts, "", "A."]
    alone = [_sentence_state(comp(nlp.make_doc(t))) for t in texts]
    together = [_sentence_state(d) for d in comp.pipe((nlp.make_doc(t) for t in texts), batch_size=batch)]
    assert together == alone


def test_nlp_pipe_runs_the_sentence_component_by_batches():
    import spacy

    from extract.nlp import sentences as S

    bare = spacy.blank("en")
    bare.add_pipe("minutes_sentences")
    calls = []
    many = S.set_sentence_starts_many

    def spy(docs, *args):
        calls.append(len(docs))
        return many(docs, *args)

    texts = ["Present: Cllr A Smith.\nApologies: none.", "", "The Board noted it. Action: Mr Jones.", "A."]
    S.set_sentence_starts_many = spy
    try:
        docs = list(bare.pipe(texts, batch_size=3))
    finally:
        S.set_sentence_starts_many = many
    assert calls == [3, 1]
    assert [_sentence_state(d) for d in docs] == [_sentence_state(bare(t)) for t in texts]
    assert [s.text for s in docs[2].sents] == ["The Board noted it.", "Action: Mr Jones."]


@settings(max_examples=150, deadline=None)
@given(text=_text_strategy, picks=st.lists(st.integers(min_value=0, max_value=10_000), max_size=5))
def test_sentences_holding_equals_testing_each_sentence(nlp, text, picks):
    from extract.nlp.sentences import doc_sentence_spans, sentences_holding

    sents = doc_sentence_spans(nlp(text)) or []
    literals = {_FRAGMENTS[k % len(_FRAGMENTS)].strip() for k in picks} | {"he", "o"}
    expected = {}
    for k, (a, b) in enumerate(sents):
        held = {lit for lit in literals if lit in text[a:b]}
        if held:
            expected[k] = held
    assert sentences_holding(text, sents, literals) == expected
    assert sentences_holding(text, [(5, 9), (3, 4)], literals) is None  # not sorted: the caller tests each


@settings(max_examples=150, deadline=None)
@given(text=_text_strategy)
def test_bare_name_starts_cover_every_token_a_name_can_start_at(nlp, text):
    """The bare-name pass looks only at :func:`_name_starts_marked`; every token parse_name accepts is among them."""
    from extract.nlp import people as P

    doc = nlp.make_doc(text)
    comp = nlp.get_pipe("minutes_people")
    view = P._View(doc, comp.vocab, comp.wrapped_line)
    caps, single = P._name_starts_marked(view)
    starts = set(caps)
    for i, whole in zip(caps, single, strict=True):
        # a token marked single is a whole word, where the bare-name pass's shortcut is _alone itself
        assert whole != P._initial_or_joined(view, i), (text, view.txt[i])
        if whole:
            assert P._whole_word_alone(view, i) == P._alone(view, i), (text, view.txt[i])
    for i in range(view.n):
        if view.txt[i][:1].isupper() and P.parse_name(view, i, strict=True, max_pieces=3, allow_single=True):
            assert i in starts, (text, view.txt[i])


@settings(max_examples=150, deadline=None)
@given(text=_text_strategy)
def test_a_word_alone_parses_to_one_word_at_most(nlp, text):
    """Where :func:`_alone` holds, parse_name (any mode) finds no name or just that word: the block and
    bare-name passes skip those tokens unparsed."""
    from extract.nlp import people as P

    doc = nlp(text)
    comp = nlp.get_pipe("minutes_people")
    view = P._View(doc, comp.vocab, comp.wrapped_line)
    for i in range(view.n):
        if not view.space[i] and P._alone(view, i):
            for strict in (True, False):
                for max_pieces in (3, 4):
                    name = P.parse_name(view, i, strict=strict, max_pieces=max_pieces, allow_single=True)
                    assert name is None or (name.pieces == [view.txt[i]] and not name.initials), (text, i)
                    assert name is None or (name.start, name.end) == (i, i + 1)


@pytest.mark.parametrize(
    ("text", "alone"),
    [
        ("Douglas said that the report was late.", {"Douglas"}),
        ("Peter Clifton spoke.", {"Clifton"}),  # "Peter" is followed by a capital
        ("Ludwig van Beethoven attended.", {"Beethoven"}),  # "van" is a particle
        ("KiranVagarwal said so.", set()),  # glued: parse_name splits it
        ("O-Dwyer noted it.", {"Dwyer"}),  # "O" is joined to the next token
        ("R. Gough noted it.", {"Gough"}),  # an initial is never alone
    ],
)
def test_alone_examples(nlp, text, alone):
    from extract.nlp import people as P

    doc = nlp(text)
    comp = nlp.get_pipe("minutes_people")
    view = P._View(doc, comp.vocab, comp.wrapped_line)
    got = {view.txt[i] for i in range(view.n) if view.txt[i][:1].isupper() and P._alone(view, i)}
    assert got == alone


def test_run_nlp_copies_records_like_dataclasses_replace():
    import dataclasses

    from extract.nlp import _replace
    from extract.records import ActionItem, DecisionItem, Span

    span = Span("Ms Patel agreed.", 3, 9)
    for item in (
        PersonMention("Ms Patel", span, honorific="Ms", surname="Patel"),
        ActionItem("commitment", "Ms Patel", "send the terms", span, due_text="May"),
        DecisionItem("agreed", "The Board agreed.", span),
    ):
        moved = dataclasses.replace(span, start=13, end=19, page=2, agenda_item="4")
        copy = _replace(item, span=moved)
        assert copy == dataclasses.replace(item, span=moved) and type(copy) is type(item) and copy is not item
        assert item.span is span  # the original is left alone

    @dataclasses.dataclass
    class Checked:
        value: int
        double: int = 0

        def __post_init__(self) -> None:
            self.double = 2 * self.value

    assert _replace(Checked(1), value=5).double == 10  # not a plain record: the real replace runs
