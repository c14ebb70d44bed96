"""Source of the "Safer Northmere Strategy 2022-2025" (fictional).

A partnership strategy in the usual UK shape: a foreword signed by the Chair
and the police commander (name, title and organisation on separate lines),
then priorities with numeric targets written the ways real strategies write
them: "by 10% over three years (Baseline figure - 1,850)", "by five
percentage points", "to 45% by 2025", "Baseline to be set in first year", and
one sentence that sets three targets at once ("82%, 55% and 40% ...
respectively").
"""

from __future__ import annotations

FILE = "northmere-safer-northmere-strategy-2022-2025.pdf"
TITLE = "Safer Northmere Strategy 2022-2025"
HEADER_LEFT = "Safer Northmere Partnership"
FOOTER_LEFT = "Safer Northmere Strategy 2022-2025"
AUTHOR = "Safer Northmere Partnership"

PAGES: list[dict] = [
    {
        "blocks": [
            ("title", "Safer Northmere Strategy 2022-2025"),
            ("subtitle", "Safer Northmere Partnership: working together for a safer borough"),
            ("h", "Foreword"),
            ("p", "Northmere is a safe place to live, work and visit, and most residents tell us that they feel "
                  "safe in their neighbourhood. But crime and the fear of crime still affect too many people, and "
                  "they fall hardest on those who are already vulnerable: victims of domestic abuse, young people "
                  "drawn into violence, and older residents targeted by fraudsters."),
            ("p", "Over the last three years recorded crime in Northmere fell by 9%, and residential burglary fell "
                  "by 8% in 2020/21 alone. We want to build on that progress, and to make sure that every "
                  "neighbourhood shares in it."),
            ("p", "This strategy sets out what the partners on the Safer Northmere Partnership Board will do "
                  "together over the next three years. It is based on our assessment of crime and disorder in the "
                  "borough and on what more than 1,400 residents told us in the Residents' Survey 2021. For each "
                  "priority we have set targets, so that residents and councillors can hold us to account."),
            ("p", "We would like to thank everyone who took part in the consultation, and the officers, volunteers "
                  "and community groups whose work lies behind these pages."),
            ("sign", [
                ["Councillor Helen Marsh", "Chair, Safer Northmere Partnership Board", "Northmere Borough Council"],
                ["Chief Superintendent Alan Petrie", "District Commander", "Eastmarch Police"],
            ]),
        ],
        "footnotes": {},
    },
    {
        "blocks": [
            ("h", "Our priorities and targets"),
            ("p", "The strategy has five priorities. The targets below run from April 2022 to March 2025 and, "
                  "unless stated otherwise, baselines are for 2020/21."),
            ("h2", "Priority 1: Neighbourhood crime"),
            ("p", "We will work with residents and businesses to prevent burglary, robbery and vehicle crime, "
                  "focusing on the streets and households that are targeted most often."),
            ("bullet", "Reduce residential burglary by 10% over three years (Baseline figure - 1,850)"),
            ("bullet", "Reduce vehicle crime by 8% over three years (Baseline figure - 2,240)"),
            ("bullet", "Reduce personal robbery by 12% over three years (Baseline figure - 310)"),
            ("h2", "Priority 2: Anti-social behaviour and feeling safe"),
            ("bullet", "Reduce the number of repeat callers reporting anti-social behaviour by 15% each year "
                       "(Baseline to be set in first year)"),
            ("bullet", "Increase by five percentage points the proportion of residents who feel safe in their "
                       "local area during the day, after dark and late at night, from baselines of 82%, 55% and "
                       "40% respectively (Residents' Survey 2021)"),
            ("h2", "Priority 3: Domestic abuse and violence against women and girls"),
            ("bullet", "Increase the proportion of high-risk domestic abuse victims who engage with the IDVA "
                       "service to 45% by 2025 (Baseline figure - 37%)"),
            ("bullet", "Maintain specialist refuge provision at no fewer than 24 bed spaces throughout the life of "
                       "the strategy"),
            ("h2", "Priority 4: Serious violence and exploitation"),
            ("bullet", "Reduce knife crime by 10% over three years (Baseline figure - 352)"),
            ("bullet", "Reduce first time entrants to the youth justice system by 10% over three years (Baseline "
                       "figure - 118)"),
            ("h2", "Priority 5: Reducing reoffending"),
            ("bullet", "Reduce offending by members of the Integrated Offender Management cohort by 20% each year, "
                       "compared with the year before they joined the scheme"),
        ],
        "footnotes": {},
    },
    {
        "blocks": [
            ("h", "Measuring progress and governance"),
            ("p", "The Safer Northmere Partnership Board will monitor progress against these targets at each of "
                  "its meetings through a performance dashboard, and will review the strategy every year in the "
                  "light of the annual strategic assessment."),
            ("p", "The statutory partners on the Board are Northmere Borough Council, Eastmarch Police, Eastmarch "
                  "Fire and Rescue Service, the Probation Service and the Eastmarch and Northmere Integrated Care "
                  "Board. The Board is supported by the Community Safety Team at Northmere Borough Council."),
            ("p", "In 2022/23 the partnership will have a community safety budget of £420,000, including £185,000 "
                  "from the Police and Crime Commissioner."),
            ("h", "Contact us"),
            ("p", "Community Safety Team, Northmere Borough Council, Civic Centre, Castle Street, Northmere "
                  "NM1 1AA. Email: community.safety@northmere.gov.uk"),
        ],
        "footnotes": {},
    },
]
