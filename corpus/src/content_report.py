"""Source of the report "Community Safety Strategic Assessment 2023/24" (fictional).

A committee report in the usual UK shape: a cover table, a summary,
recommendations put to the Board, numbered paragraphs, a crime table and
footnotes whose markers are real superscripts (``[^n]`` in the text) placed
after words ("months") and after years ("2022"). Each page lists its blocks
and the footnotes that belong at its foot, so a footnote is always printed on
the page that cites it; ``build.py`` fails if a page overflows.
"""

from __future__ import annotations

FILE = "northmere-snpb-2024-09-18-item-4-strategic-assessment-2023-24.pdf"
TITLE = "Community Safety Strategic Assessment 2023/24"
HEADER_LEFT = "Safer Northmere Partnership Board - 18 September 2024"
HEADER_RIGHT = "Agenda Item 4"
FOOTER_LEFT = "Community Safety Strategic Assessment 2023/24"
AUTHOR = "Peter Halloran, Northmere Borough Council"

COVER = [
    ("Report Name:", "Community Safety Strategic Assessment 2023/24"),
    ("Meeting:", "Safer Northmere Partnership Board"),
    ("Meeting Date:", "18 September 2024"),
    ("Report Author:", "Peter Halloran, Community Safety Manager"),
    ("Contact:", "Priya Nandakumar, Senior Community Safety Analyst, priya.nandakumar@northmere.gov.uk"),
    ("Outcome Required:", "For noting and comment"),
    ("Restricted:", "No"),
]

TABLE_CAPTION = "Table 1: Recorded offences by crime type, Northmere, 2019/20 to 2023/24"
TABLE_HEADER = ["Crime type", "2019/20", "2020/21", "2021/22", "2022/23", "2023/24", "% change"]
TABLE_ROWS = [
    ["Residential burglary", "2,010", "1,850", "1,790", "1,720", "1,514", "-12.0%"],
    ["Personal robbery", "338", "310", "296", "281", "266", "-5.3%"],
    ["Vehicle crime", "2,405", "2,240", "2,198", "2,102", "1,987", "-5.5%"],
    ["Violence with injury", "1,902", "1,811", "1,958", "2,047", "2,131", "+4.1%"],
    ["Criminal damage and arson", "1,688", "1,604", "1,575", "1,549", "1,482", "-4.3%"],
    ["Knife crime", "377", "352", "398", "412", "389", "-5.6%"],
]
TABLE_NOTE = "% change compares 2023/24 with 2022/23. Source: Eastmarch Police recorded crime."

PAGES: list[dict] = [
    {
        "blocks": [
            ("cover", COVER),
            ("h", "Summary"),
            ("p", "This report summarises the findings of the Community Safety Strategic Assessment 2023/24. The "
                  "assessment finds a 12% reduction in residential burglary in the 12 months to March 2024 and a "
                  "fall in knife crime from 412 to 389 offences, but a continued rise in violence with injury, "
                  "much of it linked to the night-time economy."),
            ("h", "Recommendations"),
            ("rec", "1.", "That the Board note the findings of the Community Safety Strategic Assessment 2023/24."),
            ("rec", "2.", "That the Board agree that violence with injury in the night-time economy be added as a "
                          "focus within the serious violence priority for 2024/25."),
            ("h", "1. Introduction"),
            ("np", "1.1", "Under the Crime and Disorder Act 1998, community safety partnerships must carry out an "
                          "annual assessment of crime, disorder and substance misuse in their area and use it to "
                          "set their priorities. This report presents the Safer Northmere Partnership's assessment "
                          "for 2023/24."),
            ("np", "1.2", "The assessment covers the 12 months[^1] to the end of March 2024 and reviews progress in "
                          "the third year of the Safer Northmere Strategy 2022-2025."),
            ("np", "1.3", "It draws on police recorded crime and incident data, fire service data, youth justice "
                          "and probation data, hospital admissions data and the Northmere Residents' Survey "
                          "2023[^2]."),
        ],
        "footnotes": {
            1: "Police recorded crime, 1 April 2023 to 31 March 2024, extracted on 15 April 2024.",
            2: "Fieldwork took place in October and November 2023; 1,503 residents responded.",
        },
    },
    {
        "blocks": [
            ("h", "2. Overall crime levels"),
            ("np", "2.1", "There were 14,552 crimes recorded in Northmere in 2023/24, equivalent to 68 crimes per "
                          "1,000 residents. This is the 3rd lowest rate in Northmere's most similar group of 15 "
                          "community safety partnerships. Total recorded crime fell by 3.2% compared with "
                          "2022/23."),
            ("np", "2.2", "Table 1 shows recorded offences for the main crime types over the last five years."),
            ("table", TABLE_CAPTION, TABLE_HEADER, TABLE_ROWS, TABLE_NOTE),
            ("np", "2.3", "Residential burglary fell by 12% in 2023/24, the largest fall of any crime type. At "
                          "1,514 offences it is now 18.2% below the strategy baseline of 1,850 offences[^3]."),
            ("np", "2.4", "Violence with injury rose by 4.1% to 2,131 offences and has now risen in each of the "
                          "last three years. In the Market Quarter, 38% of violence with injury offences took "
                          "place on Friday and Saturday nights, which is why this report recommends a stronger "
                          "focus on the night-time economy."),
            ("h", "3. Anti-social behaviour and feeling safe"),
            ("np", "3.1", "Eastmarch Police received 9,412 ASB reports in Northmere in 2023/24, down from 10,106 in "
                          "2022/23, a reduction of 6.9%. The number of repeat callers reporting ASB fell from 612 "
                          "to 540."),
            ("np", "3.2", "The Residents' Survey 2023 found that 84% of residents felt safe in their local area "
                          "during the day, 57% after dark and 41% late at night. Feeling safe during the day was "
                          "up 2 percentage points on the 2021 baseline. However, 31% of respondents still said "
                          "that ASB was a problem in their area."),
        ],
        "footnotes": {
            3: "Baseline year 2020/21, as set in the Safer Northmere Strategy 2022-2025.",
        },
    },
    {
        "blocks": [
            ("h", "4. Domestic abuse and violence against women and girls"),
            ("np", "4.1", "Eastmarch Police recorded 3,118 domestic abuse incidents in Northmere in 2023/24, an "
                          "increase of 3% on the previous year. The partnership regards this as partly reflecting "
                          "greater confidence in reporting."),
            ("np", "4.2", "The MARAC heard 402 cases, of which 29% were repeat referrals. Of the high-risk victims "
                          "referred to the IDVA service, 42% engaged with it, up from 37% at the start of the "
                          "strategy."),
            ("h", "5. Serious violence and young people"),
            ("np", "5.1", "Knife crime fell from 412 to 389 offences, a reduction of 5.6%. There were 23 hospital "
                          "admissions for assault with a sharp object[^4] among Northmere residents in 2023/24, "
                          "compared with 27 in 2022/23."),
            ("np", "5.2", "First time entrants to the youth justice system fell from 118 in 2020/21 to 96 in "
                          "2023/24."),
            ("h", "6. Reducing reoffending"),
            ("np", "6.1", "The proven reoffending rate for adults in Northmere was 24.1% for the cohort released "
                          "from custody or starting a community sentence between April and June 2022[^5], "
                          "compared with 25.8% a year earlier."),
            ("np", "6.2", "The Integrated Offender Management cohort of 64 people reduced its offending by 27% "
                          "compared with the year before joining the scheme."),
        ],
        "footnotes": {
            4: "Hospital Episode Statistics supplied by the Eastmarch and Northmere Integrated Care Board.",
            5: "Ministry of Justice proven reoffending statistics, published in July 2024.",
        },
    },
    {
        "blocks": [
            ("h", "7. Emerging issues"),
            ("np", "7.1", "Reports of fraud and cyber crime from Northmere residents rose by 16% in 2023/24, with "
                          "reported losses of £2.3m. Older residents were disproportionately targeted by courier "
                          "and investment fraud."),
            ("np", "7.2", "Complaints about the nuisance riding of e-scooters and e-bikes increased, particularly "
                          "in Holme Park and the town centre."),
            ("h", "8. Next steps"),
            ("np", "8.1", "The findings of this assessment will inform the refresh of the Partnership Plan and the "
                          "development of the next Safer Northmere Strategy for 2025-2028, which will be brought "
                          "to the Board in March 2025."),
            ("np", "8.2", "Board members are asked to share the assessment within their organisations and to send "
                          "any comments to the Community Safety Manager by 31 October 2024."),
            ("h", "9. Implications"),
            ("np", "9.1", "Financial: there are no direct financial implications arising from this report. Any new "
                          "activity proposed in the Partnership Plan will be met from existing budgets."),
            ("np", "9.2", "Legal: the assessment meets the partnership's duties under the Crime and Disorder "
                          "(Formulation and Implementation of Strategy) Regulations 2007."),
            ("np", "9.3", "Equalities: older residents are disproportionately targeted by fraud, and domestic abuse "
                          "mainly affects women and girls. These findings will inform the equality impact "
                          "assessment of the next strategy."),
            ("h", "Background papers"),
            ("p", "Safer Northmere Strategy 2022-2025; Partnership Plan 2024/25."),
        ],
        "footnotes": {},
    },
]
