"""Source text of three meetings of the (fictional) Safer Northmere Partnership Board.

Everything here was written for this project: Northmere Borough Council, its
partners and every person named are invented. The text follows the genre of
UK community safety partnership minutes so the pipeline meets the same
structures it will meet in real archives: attendance lists, RESOLVED blocks,
actions written in several styles, actions followed up at later meetings and
figures written into prose.

Paragraph markup understood by ``build.py``:

* ``**text**`` is bold;
* a paragraph starting ``(1) `` is one limb of a resolution (hanging indent);
* a paragraph starting ``- `` is a bullet; consecutive bullets form one list.
"""

from __future__ import annotations

BODY = "Safer Northmere Partnership Board"
COUNCIL = "Northmere Borough Council"
COMMITTEE_ID = 412
VENUE = "Committee Room 2, Northmere Civic Centre, Castle Street, Northmere NM1 1AA"
CONTACT_NAME = "Naomi Strand, Governance Officer"
CONTACT_PHONE = "01632 960418"
CONTACT_EMAIL = "naomi.strand@northmere.gov.uk"

MEETINGS: list[dict] = [
    {
        "file": "northmere-snpb-2024-06-12-agenda-and-minutes.html",
        "date": "2024-06-12",
        "when": "Wednesday, 12th June, 2024 2.00 pm",
        "meeting_id": 5187,
        "first_item_id": 24868,
        "documents": [
            ("Agenda frontsheet", "PDF 57 KB", "g5187/Public reports pack 12th-Jun-2024 14.00"),
            ("Agenda reports pack", "PDF 1 MB", "g5187/Public reports pack 12th-Jun-2024 14.00 full"),
            ("Printed minutes", "PDF 96 KB", "g5187/Printed minutes 12th-Jun-2024 14.00"),
        ],
        "items": [
            {
                "number": "1",
                "title": "Welcome, Introductions and Apologies for Absence",
                "minutes": [
                    "Present: Councillors Daniel Okafor, Helen Marsh (Chair) and Ruth Penhaligon.",
                    "Partner representatives: Superintendent Claire Danvers and Chief Inspector Mark Tolley "
                    "(Eastmarch Police); Dr Anjali Rao (Director of Public Health, Northmere Borough Council); "
                    "Lisa Brennan (Group Manager, Prevention, Eastmarch Fire and Rescue Service); Joanne Fairley "
                    "(Chief Executive, Safe Haven Northmere); and Kerry Vance (Senior Probation Officer, "
                    "Probation Service).",
                    "Officers in attendance: Sarah Whitcombe (Head of Community Safety), Peter Halloran "
                    "(Community Safety Manager) and Naomi Strand (Governance Officer).",
                    "The Chair welcomed everyone to the meeting, in particular Ms Vance, who was attending the "
                    "Board for the first time.",
                    "Apologies for absence were received from Councillor Imran Sadiq and from Gareth Lloyd (Head "
                    "of Northmere Probation Delivery Unit), for whom Ms Vance was substituting.",
                ],
            },
            {
                "number": "2",
                "title": "Declarations of Interest",
                "minutes": [
                    "Councillor Penhaligon declared a non-pecuniary interest in item 5 as a trustee of Safe Haven "
                    "Northmere. She remained in the room and took part in the discussion.",
                ],
            },
            {
                "number": "3",
                "title": "Minutes of the Previous Meeting",
                "link": ("Minutes 13 March 2024", "PDF 73 KB", "s31902"),
                "purpose": "To approve the minutes of the meeting held on 13 March 2024.",
                "minutes": [
                    "**RESOLVED –** That the minutes of the meeting held on 13 March 2024 be agreed as a correct "
                    "record and signed by the Chair.",
                    "Mr Halloran reported that all actions from the March meeting had been completed.",
                ],
            },
            {
                "number": "4",
                "title": "Police Performance Update",
                "purpose": "To receive a verbal update from Eastmarch Police.",
                "minutes": [
                    "Superintendent Danvers gave a verbal update on policing in Northmere. She reported a 12% "
                    "reduction in residential burglary in the 12 months to March 2024, which she attributed to "
                    "the targeted patrol plan in Eastbridge and Carrow Vale and to the visits made to repeat "
                    "victims by Neighbourhood Policing Teams. Knife crime had fallen from 412 to 389 offences "
                    "over the same period.",
                    "Violence with injury remained a concern, having risen by 4.1% on the previous year. Much of "
                    "the increase was linked to the night-time economy in the Market Quarter, where 38% of "
                    "violence with injury offences had taken place on Friday and Saturday nights.",
                    "Councillor Okafor asked whether the fall in burglary had been seen in every ward. Chief "
                    "Inspector Tolley explained that Holme Park had not seen the same improvement and that a "
                    "crime prevention week would be held there in July, when 250 households would be offered "
                    "free door and window locks.",
                    "Councillor Penhaligon reported residents' concerns about street drinking and anti-social "
                    "behaviour around the bus station. Chief Inspector Tolley to arrange a joint walkabout of the "
                    "Market Quarter with ward councillors before the end of July (Action).",
                    "The Board NOTED the update.",
                ],
            },
            {
                "number": "5",
                "title": "Domestic Abuse and Safe Accommodation Update",
                "link": ("Domestic abuse and safe accommodation update", "PDF 164 KB", "s31907"),
                "purpose": "Report of Safe Haven Northmere.",
                "minutes": [
                    "Joanne Fairley, Chief Executive of Safe Haven Northmere, introduced the report. The new "
                    "eight-unit refuge in the north of the borough had opened in April and had been full since "
                    "its second week. The helpline had taken 1,126 calls in 2023/24, an increase of 9% on the "
                    "previous year.",
                    "Ms Fairley said that police referrals to the outreach service had fallen during the last "
                    "quarter and asked for a named police contact so that referral problems could be resolved "
                    "quickly. Superintendent Danvers agreed to provide Ms Fairley with a named contact in the "
                    "Domestic Abuse Safeguarding Unit.",
                    "**Action: Superintendent Danvers**",
                    "In response to a question from the Chair about the Independent Domestic Violence Advisor "
                    "(IDVA) service, Ms Fairley reported that each IDVA was now holding around 112 cases, "
                    "against a recommended maximum of 100.",
                    "The Board NOTED the report and thanked Ms Fairley and her team for their work.",
                ],
            },
            {
                "number": "6",
                "title": "Partnership Plan Priorities 2024/25",
                "link": ("Partnership Plan priorities 2024-25", "PDF 212 KB", "s31911"),
                "purpose": "Report of the Head of Community Safety.",
                "additional": [("Appendix A - Performance framework 2024-25", "PDF 88 KB", "s31912")],
                "minutes": [
                    "Peter Halloran, Community Safety Manager, introduced the report, which set out the proposed "
                    "priorities for the final year of the Safer Northmere Strategy 2022-2025: neighbourhood "
                    "crime; anti-social behaviour; domestic abuse and violence against women and girls; serious "
                    "violence; and reducing reoffending.",
                    "Mr Halloran explained that the plan had been shaped by the Serious Violence Duty and by the "
                    "findings of the residents' survey. For the first time the plan included an annual youth "
                    "justice measure: to reduce first time entrants to the youth justice system by 5% in 2024/25 "
                    "(baseline 96).",
                    "Councillor Penhaligon welcomed the separate priority for violence against women and girls "
                    "and asked how the Board would know whether the work in the night-time economy was making a "
                    "difference. Mr Halloran explained that the performance framework at Appendix A included at "
                    "least one measure for each priority.",
                    "Mr Halloran reported that the ASB Case Review (Community Trigger) procedure had been "
                    "rewritten to reflect the revised statutory guidance. Mr Halloran agreed to circulate the "
                    "draft procedure to all Board members by the next meeting.",
                    "**RESOLVED –**",
                    "(1) That the Partnership Plan priorities for 2024/25, as set out in section 3 of the report, "
                    "be approved.",
                    "(2) That the performance framework at Appendix A be noted, subject to the addition of a "
                    "measure on violence against women and girls in the night-time economy.",
                    "(3) That the Head of Community Safety be authorised to make minor amendments to the "
                    "Partnership Plan in consultation with the Chair.",
                ],
            },
            {
                "number": "7",
                "title": "Combating Drugs Partnership Update",
                "purpose": "To receive a verbal update from the Director of Public Health.",
                "minutes": [
                    "Dr Anjali Rao, Director of Public Health, updated the Board on the work of the Northmere "
                    "Combating Drugs Partnership. The number of adults in structured drug and alcohol treatment "
                    "had risen to 1,082, against a local ambition of 1,150 by March 2025. There had been 14 "
                    "drug-related deaths in the borough in 2023, compared with 9 in 2022.",
                    "Dr Rao explained that an audit of the 2023 deaths was being carried out with the coroner's "
                    "office to identify missed opportunities to intervene. Councillor Okafor asked whether the "
                    "audit would consider links with homelessness.",
                    "The Chair requested an update from Dr Rao on the findings of the drug-related deaths audit, "
                    "including any links with homelessness and release from prison.",
                    "The Board NOTED the update.",
                ],
            },
            {
                "number": "8",
                "title": "Safer Streets Fund Bid",
                "purpose": "To receive a verbal update from the Head of Community Safety.",
                "minutes": [
                    "Sarah Whitcombe, Head of Community Safety, reported that the council had submitted a bid to "
                    "the Home Office Safer Streets Fund for street lighting, CCTV and home security improvements "
                    "in Carrow Vale. The bid sought £150k over two years, and Northmere Homes had committed a "
                    "further £35,000 as match funding.",
                    "It was agreed that Ms Whitcombe would report back in October on the outcome of the bid.",
                    "The Board NOTED the update.",
                ],
            },
            {
                "number": "9",
                "title": "Forward Work Programme",
                "link": ("Forward work programme 2024-25", "PDF 58 KB", "s31915"),
                "minutes": [
                    "The Board considered its forward work programme for 2024/25. Councillor Okafor asked that "
                    "the Youth Justice Plan be considered by the Board before it went to Cabinet.",
                    "The Board AGREED the forward work programme, subject to the addition of the Community Safety "
                    "Strategic Assessment at the September meeting and the Youth Justice Plan 2024/25 at the "
                    "December meeting.",
                ],
            },
            {
                "number": "10",
                "title": "Any Other Business",
                "minutes": [
                    "Ms Brennan reported that deliberate secondary fires had increased by 21% in April and May "
                    "compared with the same months last year, most of them rubbish and grass fires in Holme Park. "
                    "The fire service would run joint patrols with the police during the school summer holidays.",
                    "The next meeting would be held on Wednesday 18 September 2024 at 2.00 pm.",
                    "The meeting finished at 4.05 pm.",
                ],
            },
        ],
    },
    {
        "file": "northmere-snpb-2024-09-18-agenda-and-minutes.html",
        "date": "2024-09-18",
        "when": "Wednesday, 18th September, 2024 2.00 pm",
        "meeting_id": 5188,
        "first_item_id": 25140,
        "documents": [
            ("Agenda frontsheet", "PDF 55 KB", "g5188/Public reports pack 18th-Sep-2024 14.00"),
            ("Agenda reports pack", "PDF 2 MB", "g5188/Public reports pack 18th-Sep-2024 14.00 full"),
            ("Printed minutes", "PDF 91 KB", "g5188/Printed minutes 18th-Sep-2024 14.00"),
        ],
        "items": [
            {
                "number": "1",
                "title": "Welcome, Introductions and Apologies for Absence",
                "minutes": [
                    "Present: Councillor Helen Marsh (Chair); Councillors Daniel Okafor, Ruth Penhaligon and "
                    "Imran Sadiq.",
                    "Partner representatives: Superintendent Claire Danvers and Chief Inspector Mark Tolley "
                    "(Eastmarch Police); Gareth Lloyd (Head of Northmere Probation Delivery Unit); Lisa Brennan "
                    "(Eastmarch Fire and Rescue Service); Joanne Fairley (Safe Haven Northmere); Martin Greaves "
                    "(Chief Executive, Northmere Council for Voluntary Service); and Tom Achebe (Youth Justice "
                    "Service Manager).",
                    "Officers in attendance: Ms Whitcombe (Head of Community Safety), Mr Halloran (Community "
                    "Safety Manager), Ms Nandakumar (Senior Community Safety Analyst) and Ms Strand (Governance "
                    "Officer).",
                    "The Chair welcomed Mr Greaves, who had joined the Board as the voluntary sector "
                    "representative.",
                    "Apologies for absence were received from Dr Anjali Rao (Director of Public Health).",
                ],
            },
            {
                "number": "2",
                "title": "Declarations of Interest",
                "minutes": ["There were no declarations of interest."],
            },
            {
                "number": "3",
                "title": "Minutes of the Previous Meeting and Matters Arising",
                "link": ("Minutes 12 June 2024", "PDF 96 KB", "s32240"),
                "purpose": "To approve the minutes of the meeting held on 12 June 2024 and to review the action log.",
                "minutes": [
                    "**RESOLVED –** That the minutes of the meeting held on 12 June 2024 be approved as a correct "
                    "record.",
                    "The Board reviewed the action log and noted the following updates:",
                    "- Superintendent Danvers confirmed that she had provided the contact in the Domestic Abuse "
                    "Safeguarding Unit to Ms Fairley, and that the unit and Safe Haven Northmere now met every two "
                    "weeks to review outreach referrals.",
                    "- Mr Halloran reported that the draft ASB Case Review (Community Trigger) procedure had been "
                    "circulated to members on 3 July and was on the agenda for approval at item 6.",
                    "- Chief Inspector Tolley reported that the walkabout of the Market Quarter had taken place on "
                    "24 July with Councillors Penhaligon and Sadiq. A dispersal order had since been used on 6 "
                    "occasions around the bus station.",
                ],
            },
            {
                "number": "4",
                "title": "Community Safety Strategic Assessment 2023/24",
                "link": ("Community Safety Strategic Assessment 2023-24", "PDF 412 KB", "s32244"),
                "purpose": "Report of the Community Safety Manager.",
                "additional": [("Appendix A - Crime data tables", "PDF 96 KB", "s32245")],
                "minutes": [
                    "Mr Halloran presented the Community Safety Strategic Assessment 2023/24, supported by Ms "
                    "Nandakumar. The assessment showed that Northmere remained a relatively safe place to live, "
                    "with 68 crimes per 1,000 residents in the 12 months to March 2024, the 3rd lowest rate in its "
                    "most similar group of 15 community safety partnerships.",
                    "Residential burglary had fallen by 12% and knife crime had fallen from 412 to 389 offences, "
                    "but violence with injury had risen by 4.1%. Eastmarch Police had received 9,412 ASB reports, "
                    "6.9% fewer than in 2022/23.",
                    "Councillor Sadiq asked why residents' perceptions of anti-social behaviour had not improved "
                    "in line with the fall in reports. Ms Nandakumar explained that the residents' survey had been "
                    "carried out in the autumn, when fireworks-related ASB usually peaked, and that 31% of "
                    "respondents still identified ASB as a problem in their area.",
                    "Councillor Penhaligon asked for ASB figures to be broken down by ward. Chief Inspector Tolley "
                    "agreed to provide ward-level ASB figures to all councillors before the next meeting.",
                    "**Action: Chief Inspector Tolley**",
                    "Mr Halloran would circulate the full strategic assessment data pack to partners by the end "
                    "of September.",
                    "**Action: Mr Halloran**",
                    "**RESOLVED –**",
                    "(1) That the findings of the Community Safety Strategic Assessment 2023/24 be noted.",
                    "(2) That violence with injury in the night-time economy be added as a focus within the "
                    "serious violence priority for 2024/25.",
                ],
            },
            {
                "number": "5",
                "title": "Reducing Reoffending: Integrated Offender Management",
                "link": ("Integrated Offender Management update", "PDF 188 KB", "s32249"),
                "purpose": "Report of the Head of Northmere Probation Delivery Unit.",
                "minutes": [
                    "Gareth Lloyd, Head of Northmere Probation Delivery Unit, presented the report. The "
                    "Integrated Offender Management cohort stood at 64 people, of whom 41 were managed for "
                    "neighbourhood crime. Offending by the cohort had fallen by 27% in the year to June 2024, "
                    "measured against the year before each person joined the scheme.",
                    "Mr Lloyd explained that the greatest barrier to resettlement was the lack of accommodation on "
                    "release: 18% of people released from prison to Northmere had no settled address on the day "
                    "of release.",
                    "Councillor Okafor asked what more the council's housing service could do. Mr Lloyd agreed to "
                    "report back at the next meeting on the accommodation pathway being developed with the "
                    "housing service.",
                    "The Board NOTED the report.",
                ],
            },
            {
                "number": "6",
                "title": "ASB Case Review (Community Trigger) Procedure",
                "link": ("ASB case review procedure", "PDF 143 KB", "s32252"),
                "purpose": "Report of the Community Safety Manager.",
                "minutes": [
                    "Mr Halloran introduced the revised procedure. In 2023/24 the council had received 11 "
                    "applications for an ASB case review, of which 7 had met the threshold. The revised procedure "
                    "lowered the threshold from three complaints to two complaints in six months where the victim "
                    "was vulnerable, and added an independent chair from a neighbouring authority.",
                    "Mr Greaves asked that the voluntary sector be represented on the case review panel. The Board "
                    "AGREED that Northmere Council for Voluntary Service be invited to nominate a member of the "
                    "panel.",
                    "**RESOLVED –** That the revised ASB Case Review (Community Trigger) procedure be approved "
                    "with effect from 1 October 2024.",
                ],
            },
            {
                "number": "7",
                "title": "Deliberate Fires Update",
                "purpose": "To receive a verbal update from Eastmarch Fire and Rescue Service.",
                "minutes": [
                    "Ms Brennan reported that the joint patrols over the summer holidays had been followed by a "
                    "fall in deliberate secondary fires, with 86 incidents in July and August compared with 109 "
                    "in the same months of 2023.",
                    "The Board asked Ms Brennan to share the fire service's monthly deliberate fires data with the "
                    "council's ASB team.",
                    "The Board NOTED the update.",
                ],
            },
            {
                "number": "8",
                "title": "Youth Justice Update",
                "purpose": "To receive a verbal update from the Youth Justice Service Manager.",
                "minutes": [
                    "Tom Achebe, Youth Justice Service Manager, informed the Board that the Youth Justice Plan "
                    "2024/25 had been submitted to the Youth Justice Board in line with the national deadline. "
                    "Mr Achebe said he will bring the plan to the December meeting for the Board's endorsement.",
                    "The Board NOTED the update.",
                ],
            },
            {
                "number": "9",
                "title": "Any Other Business",
                "minutes": [
                    "Mr Greaves reported that Northmere Council for Voluntary Service had secured £48,500 from the "
                    "Police and Crime Commissioner's Community Safety Fund to recruit and train volunteer Street "
                    "Pastors for the town centre.",
                    "The next meeting would be held on Wednesday 4 December 2024 at 2.00 pm.",
                    "The meeting finished at 3.55 pm.",
                ],
            },
        ],
    },
    {
        "file": "northmere-snpb-2024-12-04-agenda-and-minutes.html",
        "date": "2024-12-04",
        "when": "Wednesday, 4th December, 2024 2.00 pm",
        "meeting_id": 5189,
        "first_item_id": 25433,
        "documents": [
            ("Agenda frontsheet", "PDF 56 KB", "g5189/Public reports pack 04th-Dec-2024 14.00"),
            ("Agenda reports pack", "PDF 2 MB", "g5189/Public reports pack 04th-Dec-2024 14.00 full"),
            ("Printed minutes", "PDF 102 KB", "g5189/Printed minutes 04th-Dec-2024 14.00"),
        ],
        "items": [
            {
                "number": "1",
                "title": "Welcome, Introductions and Apologies for Absence",
                "minutes": [
                    "Present: Councillor Helen Marsh (Chair); Councillors Daniel Okafor and Imran Sadiq.",
                    "Partner representatives: Supt C. Danvers (Eastmarch Police); Dr A. Rao (Director of Public "
                    "Health); G. Lloyd (Probation Service); J. Fairley (Safe Haven Northmere); M. Greaves "
                    "(Northmere Council for Voluntary Service); T. Achebe (Youth Justice Service).",
                    "Officers in attendance: S. Whitcombe (Head of Community Safety), P. Halloran (Community "
                    "Safety Manager) and N. Strand (Governance Officer).",
                    "Also in attendance: Inspector Hannah Reyes (Night-Time Economy Lead, Eastmarch Police) for "
                    "item 5.",
                    "Apologies for absence were received from Councillor Ruth Penhaligon, Chief Inspector Mark "
                    "Tolley and Lisa Brennan (Eastmarch Fire and Rescue Service).",
                ],
            },
            {
                "number": "2",
                "title": "Declarations of Interest",
                "minutes": [
                    "Councillor Sadiq declared a non-pecuniary interest in item 5 as the holder of a personal "
                    "licence under the Licensing Act 2003.",
                ],
            },
            {
                "number": "3",
                "title": "Minutes of the Previous Meeting and Matters Arising",
                "link": ("Minutes 18 September 2024", "PDF 91 KB", "s32561"),
                "purpose": "To approve the minutes of the meeting held on 18 September 2024 and to review the "
                "action log.",
                "minutes": [
                    "**RESOLVED –** That the minutes of the meeting held on 18 September 2024 be approved as a "
                    "correct record.",
                    "Matters arising from the action log:",
                    "- Ward-level ASB figures had been sent to all councillors by Chief Inspector Tolley on "
                    "7 October. The action was closed.",
                    "- The strategic assessment data pack had been circulated to partners by P. Halloran on "
                    "27 September.",
                    "- Ms Whitcombe reported that, as members had been told in October, the Safer Streets Fund "
                    "bid had been successful. The council had been awarded £150k, and the new lighting and CCTV in "
                    "Carrow Vale would be in place by the end of March 2025.",
                    "- The Chair noted that the update from Dr Rao on the drug-related deaths audit, requested at "
                    "the June meeting, was still outstanding. Dr Rao apologised for the delay, explaining that "
                    "several inquests had not yet concluded, and agreed to present the audit findings at the "
                    "March 2025 meeting.",
                ],
            },
            {
                "number": "4",
                "title": "Youth Justice Plan 2024/25",
                "link": ("Youth Justice Plan 2024-25", "PDF 356 KB", "s32566"),
                "purpose": "Report of the Youth Justice Service Manager.",
                "minutes": [
                    "Tom Achebe, Youth Justice Service Manager, presented the Youth Justice Plan 2024/25. The "
                    "service was working with 57 children on court orders and a further 33 on out-of-court "
                    "disposals. The plan set a target to bring the reoffending rate for children down to 28% by "
                    "March 2026, from a baseline of 31.5%.",
                    "Councillor Okafor asked about the over-representation of Black children in the youth justice "
                    "system. Mr Achebe reported that Black children made up 14% of the service's caseload but 6% "
                    "of the borough's 10 to 17 population, and that an independent review of disproportionality "
                    "had been commissioned. Mr Achebe agreed to share the findings of the review with the Board "
                    "when it was completed in the spring.",
                    "**RESOLVED –** That the Youth Justice Plan 2024/25 be endorsed and recommended to Cabinet for "
                    "approval.",
                ],
            },
            {
                "number": "5",
                "title": "Night-Time Economy and Violence with Injury",
                "link": ("Operation Lantern report", "PDF 221 KB", "s32570"),
                "purpose": "Report of Eastmarch Police.",
                "minutes": [
                    "Inspector Hannah Reyes presented the report on Operation Lantern, the partnership response to "
                    "violence in the night-time economy. Between September and November, violence with injury in "
                    "the Market Quarter had fallen by 17% compared with the same period in 2023.",
                    "Street Pastors had given 1,240 hours of volunteer time since the scheme restarted in October, "
                    "and 22 licensed premises had signed up to the Ask for Angela scheme.",
                    "Superintendent Danvers said that Operation Lantern would continue through the Christmas and "
                    "New Year period. She would report the results of the winter operation to the next meeting.",
                    "**Action: Superintendent Danvers**",
                    "The Board noted the report and thanked Inspector Reyes and the Street Pastors for their work.",
                ],
            },
            {
                "number": "6",
                "title": "Reducing Reoffending: Accommodation Pathway",
                "purpose": "To receive a verbal update from the Probation Service.",
                "minutes": [
                    "Mr Lloyd reported that a protocol with the council's housing service had been agreed in "
                    "November, under which housing assessments would start eight weeks before release. Since the "
                    "pilot began in August, the proportion of people released to Northmere with no settled "
                    "address had fallen from 18% to 11%.",
                    "The Board noted the update.",
                ],
            },
            {
                "number": "7",
                "title": "Domestic Abuse: Refuge Capacity",
                "purpose": "To receive a verbal update from Safe Haven Northmere.",
                "minutes": [
                    "Ms Fairley reported that since April the refuge had been unable to accept 43 women and 61 "
                    "children because no space was available.",
                    "The Chair requested an update from Ms Fairley on options for additional refuge capacity at "
                    "the next meeting.",
                    "P. Halloran to include refuge capacity in the refresh of the Domestic Abuse Needs Assessment "
                    "(Action).",
                    "The Board AGREED to write to the Police and Crime Commissioner in support of continued "
                    "funding for the IDVA service.",
                ],
            },
            {
                "number": "8",
                "title": "Quarter 2 Performance Dashboard",
                "link": ("Performance dashboard Q2 2024-25", "PDF 167 KB", "s32575"),
                "purpose": "Report of the Community Safety Manager.",
                "minutes": [
                    "P. Halloran presented the performance dashboard for quarter 2 of 2024/25. Residential "
                    "burglary was 8% lower than in the same quarter last year. Repeat callers reporting ASB had "
                    "fallen to 251 in the first half of the year, from 289 in the same period of 2023/24.",
                    "Councillor Sadiq asked why robbery had risen in the quarter. P. Halloran explained that 9 of "
                    "the 31 robberies in the quarter had been linked to a single group of young people, who had "
                    "since been arrested.",
                    "Councillor Okafor asked what was being done in Holme Park, where burglary had fallen more "
                    "slowly than elsewhere in the borough. P. Halloran explained that a burglary reduction plan "
                    "for Holme Park had been drawn up with the Neighbourhood Policing Team, combining target "
                    "hardening for repeat victims with property marking events and crime prevention advice for "
                    "residents. Superintendent Danvers agreed to circulate the burglary hotspot analysis for Holme "
                    "Park to Board members before the next meeting (Action).",
                    "The Board AGREED to endorse the burglary reduction plan for Holme Park.",
                    "**RESOLVED –**",
                    "(1) That the quarter 2 performance dashboard be noted.",
                    "(2) That a report on the refresh of the Safer Northmere Strategy for 2025-2028 be brought to "
                    "the March 2025 meeting.",
                ],
            },
            {
                "number": "9",
                "title": "Any Other Business",
                "minutes": [
                    "The Chair thanked members and partners for their work during the year.",
                    "The next meeting would be held on Wednesday 12 March 2025 at 2.00 pm.",
                    "The meeting finished at 4.10 pm.",
                ],
            },
        ],
    },
]
