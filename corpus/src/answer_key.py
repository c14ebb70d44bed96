"""Answer key for the Northmere demo corpus, in the format of ``shared/gold/*.json``.

The key follows shared/docs/ANNOTATION.md: it is exhaustive (every person,
action, decision, figure and target the rules cover is listed), ``evidence`` is
an exact substring of the document text (whitespace aside) and ``owner`` /
``surname`` are surnames. Beyond the gold format each entry carries
``agenda_items`` (number and title) and, for minutes, the ``agenda_item`` each
action, decision, figure and target was recorded under; actions carry
``due_date`` (ISO, when the text lets a reader resolve it). ``action_status``
at the top level says which actions later documents report as done.

``build.py`` writes this to ``corpus/expected.json`` and refuses to build when
an evidence string or a surname is missing from its document.
"""

from __future__ import annotations

import re
from typing import Any

import content_meetings as meetings
import content_report as report
import content_strategy as strategy
import content_summary as summary

BODY = meetings.BODY
EP = "Eastmarch Police"
EFRS = "Eastmarch Fire and Rescue Service"
SHN = "Safe Haven Northmere"
NCVS = "Northmere Council for Voluntary Service"
NBC = "Northmere Borough Council"


def person(name: str, honorific: str | None = None, role: str | None = None,
           organisation: str | None = None) -> dict[str, Any]:
    """One person, surname taken as the last word of ``name``."""
    return {"name": name, "surname": name.split()[-1], "honorific": honorific, "role": role,
            "organisation": organisation}


def action(item: str | None, owner: str, kind: str, description: str, due: str | None,
           due_date: str | None, evidence: str) -> dict[str, Any]:
    return {"owner": owner, "kind": kind, "description": description, "due": due, "due_date": due_date,
            "agenda_item": item, "evidence": evidence}


def decision(item: str | None, kind: str, evidence: str) -> dict[str, Any]:
    return {"kind": kind, "agenda_item": item, "evidence": evidence}


def figure(item: str | None, value: float, unit: str, metric: str, direction: str | None,
           period: str | None, evidence: str) -> dict[str, Any]:
    return {"value": value, "unit": unit, "metric": metric, "direction": direction, "period": period,
            "agenda_item": item, "evidence": evidence}


def target(item: str | None, metric: str, direction: str, amount: float, unit: str,
           baseline: float | None, period: str | None, evidence: str) -> dict[str, Any]:
    return {"metric": metric, "direction": direction, "amount": amount, "amount_unit": unit,
            "baseline": baseline, "period": period, "agenda_item": item, "evidence": evidence}


def agenda(meeting: dict) -> list[dict[str, str]]:
    return [{"number": it["number"], "title": it["title"]} for it in meeting["items"]]


def _number(cell: str) -> float:
    return float(re.sub(r"[,%+]", "", cell))


def table_figures() -> list[dict[str, Any]]:
    """Every numeric cell of Table 1: metric = row label, period = column heading."""
    out = []
    for row in report.TABLE_ROWS:
        evidence = " ".join(row)
        for heading, cell in zip(report.TABLE_HEADER[1:], row[1:], strict=True):
            value = _number(cell)
            if cell.endswith("%"):
                direction = "increase" if value > 0 else "decrease"
                out.append(figure(None, value, "percent", row[0], direction, "% change 2022/23 to 2023/24",
                                  evidence))
            else:
                out.append(figure(None, int(value), "count", row[0], None, heading, evidence))
    return out


M1, M2, M3 = meetings.MEETINGS

MINUTES_1 = {
    "document": M1["file"],
    "kind": "minutes",
    "meeting": {"body": BODY, "date": M1["date"]},
    "agenda_items": agenda(M1),
    "people": [
        person("Naomi Strand", None, "Governance Officer"),
        person("Daniel Okafor", "Councillor"),
        person("Helen Marsh", "Councillor", "Chair"),
        person("Ruth Penhaligon", "Councillor"),
        person("Claire Danvers", "Superintendent", None, EP),
        person("Mark Tolley", "Chief Inspector", None, EP),
        person("Anjali Rao", "Dr", "Director of Public Health", NBC),
        person("Lisa Brennan", "Ms", "Group Manager, Prevention", EFRS),
        person("Joanne Fairley", "Ms", "Chief Executive", SHN),
        person("Kerry Vance", "Ms", "Senior Probation Officer", "Probation Service"),
        person("Sarah Whitcombe", "Ms", "Head of Community Safety"),
        person("Peter Halloran", "Mr", "Community Safety Manager"),
        person("Imran Sadiq", "Councillor"),
        person("Gareth Lloyd", None, "Head of Northmere Probation Delivery Unit"),
    ],
    "actions": [
        action("4", "Tolley", "action", "arrange a joint walkabout of the Market Quarter with ward councillors",
               "before the end of July", "2024-07-31",
               "Chief Inspector Tolley to arrange a joint walkabout of the Market Quarter with ward councillors "
               "before the end of July (Action)"),
        action("5", "Danvers", "action",
               "provide Ms Fairley with a named contact in the Domestic Abuse Safeguarding Unit", None, None,
               "Superintendent Danvers agreed to provide Ms Fairley with a named contact in the Domestic Abuse "
               "Safeguarding Unit"),
        action("6", "Halloran", "commitment",
               "circulate the draft ASB Case Review (Community Trigger) procedure to all Board members",
               "the next meeting", "2024-09-18",
               "Mr Halloran agreed to circulate the draft procedure to all Board members by the next meeting"),
        action("7", "Rao", "request",
               "update the Board on the findings of the drug-related deaths audit, including any links with "
               "homelessness and release from prison", None, None,
               "The Chair requested an update from Dr Rao on the findings of the drug-related deaths audit"),
        action("8", "Whitcombe", "commitment", "report back on the outcome of the Safer Streets Fund bid",
               "October", "2024-10-31",
               "It was agreed that Ms Whitcombe would report back in October on the outcome of the bid"),
    ],
    "decisions": [
        decision("3", "resolved", "That the minutes of the meeting held on 13 March 2024 be agreed as a correct "
                                  "record and signed by the Chair"),
        decision("4", "noted", "The Board NOTED the update."),
        decision("5", "noted", "The Board NOTED the report and thanked Ms Fairley and her team for their work."),
        decision("6", "resolved", "That the Partnership Plan priorities for 2024/25, as set out in section 3 of "
                                  "the report, be approved."),
        decision("6", "resolved", "That the performance framework at Appendix A be noted, subject to the "
                                  "addition of a measure on violence against women and girls in the night-time "
                                  "economy."),
        decision("6", "resolved", "That the Head of Community Safety be authorised to make minor amendments to "
                                  "the Partnership Plan in consultation with the Chair."),
        decision("7", "noted", "The Board NOTED the update."),
        decision("8", "agreed", "It was agreed that Ms Whitcombe would report back in October on the outcome "
                                "of the bid."),
        decision("8", "noted", "The Board NOTED the update."),
        decision("9", "agreed", "The Board AGREED the forward work programme, subject to the addition of the "
                                "Community Safety Strategic Assessment at the September meeting"),
    ],
    "figures": [
        figure("4", 12, "percent", "reduction in residential burglary", "decrease", "12 months to March 2024",
               "a 12% reduction in residential burglary in the 12 months to March 2024"),
        figure("4", 412, "count", "knife crime offences (from)", "decrease", "12 months to March 2024",
               "Knife crime had fallen from 412 to 389 offences"),
        figure("4", 389, "count", "knife crime offences (to)", "decrease", "12 months to March 2024",
               "Knife crime had fallen from 412 to 389 offences"),
        figure("4", 4.1, "percent", "violence with injury", "increase", "on the previous year",
               "Violence with injury remained a concern, having risen by 4.1% on the previous year"),
        figure("4", 38, "percent",
               "violence with injury offences in the Market Quarter on Friday and Saturday nights", None, None,
               "where 38% of violence with injury offences had taken place on Friday and Saturday nights"),
        figure("4", 250, "count", "households to be offered free door and window locks in Holme Park", None,
               "July", "250 households would be offered free door and window locks"),
        figure("5", 1126, "count", "calls taken by the Safe Haven Northmere helpline", None, "2023/24",
               "The helpline had taken 1,126 calls in 2023/24"),
        figure("5", 9, "percent", "increase in helpline calls", "increase", "on the previous year",
               "an increase of 9% on the previous year"),
        figure("5", 112, "count", "cases held by each IDVA", None, None,
               "each IDVA was now holding around 112 cases"),
        figure("5", 100, "count", "recommended maximum IDVA caseload", None, None,
               "against a recommended maximum of 100"),
        figure("6", 5, "percent", "target reduction in first time entrants to the youth justice system",
               "decrease", "2024/25",
               "to reduce first time entrants to the youth justice system by 5% in 2024/25"),
        figure("6", 96, "count", "first time entrants to the youth justice system (baseline)", None, None,
               "(baseline 96)"),
        figure("7", 1082, "count", "adults in structured drug and alcohol treatment", "increase", None,
               "The number of adults in structured drug and alcohol treatment had risen to 1,082"),
        figure("7", 1150, "count", "local ambition for adults in structured drug and alcohol treatment", None,
               "by March 2025", "against a local ambition of 1,150 by March 2025"),
        figure("7", 14, "count", "drug-related deaths in the borough", None, "2023",
               "There had been 14 drug-related deaths in the borough in 2023"),
        figure("7", 9, "count", "drug-related deaths in the borough", None, "2022", "compared with 9 in 2022"),
        figure("8", 150000, "gbp", "Safer Streets Fund bid", None, "over two years",
               "The bid sought £150k over two years"),
        figure("8", 35000, "gbp", "match funding committed by Northmere Homes", None, None,
               "Northmere Homes had committed a further £35,000 as match funding"),
        figure("10", 21, "percent", "deliberate secondary fires", "increase", "April and May",
               "deliberate secondary fires had increased by 21% in April and May"),
    ],
    "targets": [
        target("6", "first time entrants to the youth justice system", "reduce", 5, "percent", 96, "in 2024/25",
               "to reduce first time entrants to the youth justice system by 5% in 2024/25 (baseline 96)"),
        target("7", "adults in structured drug and alcohol treatment", "reach", 1150, "count", None,
               "by March 2025", "against a local ambition of 1,150 by March 2025"),
    ],
    "notes": [
        "'Peter Halloran (Community Safety Manager)' in the attendance list and 'Peter Halloran, Community "
        "Safety Manager' at item 6 are the same person as 'Mr Halloran' (later minutes) and 'P. Halloran' "
        "(4 December 2024 minutes).",
        "Naomi Strand is the page contact and also appears in the attendance list as Governance Officer.",
        "Superintendent Danvers' undertaking followed by 'Action: Superintendent Danvers' is one task of kind "
        "action; 'Chief Inspector Tolley to arrange ... (Action)' is kind action.",
        "'It was agreed that Ms Whitcombe would report back ...' is annotated both as a commitment and as an "
        "agreed decision (as in the shared gold keys).",
        "Each numbered limb of a RESOLVED block is one decision of kind resolved.",
        "'The Board NOTED the update.' occurs under items 4, 7 and 8: three decisions with the same evidence.",
        "Not actions: 'The fire service would run joint patrols ...' (organisation, no named person); Mr "
        "Halloran 'explained that the performance framework ... included' (statement, no task).",
        "Targets: the youth justice measure (5%, baseline 96) and the treatment ambition (1,150, no baseline); "
        "their numbers are figures too.",
        "Not figures: dates, times, '12 months to March 2024' (period), 2023/24 and other years, item and "
        "section numbers, 'eight-unit', 'two years', phone number, postcode, file sizes.",
    ],
}

MINUTES_2 = {
    "document": M2["file"],
    "kind": "minutes",
    "meeting": {"body": BODY, "date": M2["date"]},
    "agenda_items": agenda(M2),
    "people": [
        person("Naomi Strand", "Ms", "Governance Officer"),
        person("Helen Marsh", "Councillor", "Chair"),
        person("Daniel Okafor", "Councillor"),
        person("Ruth Penhaligon", "Councillor"),
        person("Imran Sadiq", "Councillor"),
        person("Claire Danvers", "Superintendent", None, EP),
        person("Mark Tolley", "Chief Inspector", None, EP),
        person("Gareth Lloyd", "Mr", "Head of Northmere Probation Delivery Unit"),
        person("Lisa Brennan", "Ms", None, EFRS),
        person("Joanne Fairley", "Ms", None, SHN),
        person("Martin Greaves", "Mr", "Chief Executive", NCVS),
        person("Tom Achebe", "Mr", "Youth Justice Service Manager"),
        person("Whitcombe", "Ms", "Head of Community Safety"),
        person("Halloran", "Mr", "Community Safety Manager"),
        person("Nandakumar", "Ms", "Senior Community Safety Analyst"),
        person("Anjali Rao", "Dr", "Director of Public Health"),
    ],
    "actions": [
        action("4", "Tolley", "action", "provide ward-level ASB figures to all councillors", "the next meeting",
               "2024-12-04",
               "Chief Inspector Tolley agreed to provide ward-level ASB figures to all councillors before the "
               "next meeting"),
        action("4", "Halloran", "action", "circulate the full strategic assessment data pack to partners",
               "the end of September", "2024-09-30",
               "Mr Halloran would circulate the full strategic assessment data pack to partners by the end of "
               "September"),
        action("5", "Lloyd", "commitment",
               "report back on the accommodation pathway being developed with the housing service",
               "the next meeting", "2024-12-04",
               "Mr Lloyd agreed to report back at the next meeting on the accommodation pathway being developed "
               "with the housing service"),
        action("7", "Brennan", "request",
               "share the fire service's monthly deliberate fires data with the council's ASB team", None, None,
               "The Board asked Ms Brennan to share the fire service's monthly deliberate fires data with the "
               "council's ASB team"),
        action("8", "Achebe", "commitment",
               "bring the Youth Justice Plan 2024/25 to the December meeting for the Board's endorsement",
               "the December meeting", "2024-12-04",
               "Mr Achebe said he will bring the plan to the December meeting for the Board's endorsement"),
    ],
    "decisions": [
        decision("3", "resolved", "That the minutes of the meeting held on 12 June 2024 be approved as a correct "
                                  "record."),
        decision("3", "noted", "The Board reviewed the action log and noted the following updates"),
        decision("4", "resolved", "That the findings of the Community Safety Strategic Assessment 2023/24 be "
                                  "noted."),
        decision("4", "resolved", "That violence with injury in the night-time economy be added as a focus "
                                  "within the serious violence priority for 2024/25."),
        decision("5", "noted", "The Board NOTED the report."),
        decision("6", "agreed", "The Board AGREED that Northmere Council for Voluntary Service be invited to "
                                "nominate a member of the panel."),
        decision("6", "resolved", "That the revised ASB Case Review (Community Trigger) procedure be approved "
                                  "with effect from 1 October 2024."),
        decision("7", "noted", "The Board NOTED the update."),
        decision("8", "noted", "The Board NOTED the update."),
    ],
    "figures": [
        figure("3", 6, "count", "uses of the dispersal order around the bus station", None, None,
               "A dispersal order had since been used on 6 occasions around the bus station"),
        figure("4", 68, "rate", "crimes per 1,000 residents in Northmere", None, "12 months to March 2024",
               "with 68 crimes per 1,000 residents in the 12 months to March 2024"),
        figure("4", 3, "rank", "crime rate in the most similar group of community safety partnerships (lowest)",
               None, "12 months to March 2024",
               "the 3rd lowest rate in its most similar group of 15 community safety partnerships"),
        figure("4", 15, "count", "community safety partnerships in the most similar group", None, None,
               "its most similar group of 15 community safety partnerships"),
        figure("4", 12, "percent", "residential burglary", "decrease", None,
               "Residential burglary had fallen by 12%"),
        figure("4", 412, "count", "knife crime offences (from)", "decrease", None,
               "knife crime had fallen from 412 to 389 offences"),
        figure("4", 389, "count", "knife crime offences (to)", "decrease", None,
               "knife crime had fallen from 412 to 389 offences"),
        figure("4", 4.1, "percent", "violence with injury", "increase", None,
               "violence with injury had risen by 4.1%"),
        figure("4", 9412, "count", "ASB reports received by Eastmarch Police", None, None,
               "Eastmarch Police had received 9,412 ASB reports"),
        figure("4", 6.9, "percent", "ASB reports", "decrease", "compared with 2022/23",
               "6.9% fewer than in 2022/23"),
        figure("4", 31, "percent", "survey respondents identifying ASB as a problem in their area", None, None,
               "31% of respondents still identified ASB as a problem in their area"),
        figure("5", 64, "count", "Integrated Offender Management cohort", None, None,
               "The Integrated Offender Management cohort stood at 64 people"),
        figure("5", 41, "count", "IOM cohort members managed for neighbourhood crime", None, None,
               "of whom 41 were managed for neighbourhood crime"),
        figure("5", 27, "percent", "offending by the IOM cohort", "decrease", "the year to June 2024",
               "Offending by the cohort had fallen by 27% in the year to June 2024"),
        figure("5", 18, "percent", "people released from prison to Northmere with no settled address", None,
               None, "18% of people released from prison to Northmere had no settled address"),
        figure("6", 11, "count", "applications for an ASB case review", None, "2023/24",
               "the council had received 11 applications for an ASB case review"),
        figure("6", 7, "count", "ASB case review applications that met the threshold", None, "2023/24",
               "of which 7 had met the threshold"),
        figure("7", 86, "count", "deliberate secondary fires", "decrease", "July and August",
               "with 86 incidents in July and August"),
        figure("7", 109, "count", "deliberate secondary fires", None, "July and August 2023",
               "compared with 109 in the same months of 2023"),
        figure("9", 48500, "gbp", "PCC Community Safety Fund grant for Street Pastors", None, None,
               "had secured £48,500 from the Police and Crime Commissioner's Community Safety Fund"),
    ],
    "targets": [],
    "notes": [
        "Officers are listed by title and surname only ('Mr Halloran', 'Ms Whitcombe', 'Ms Nandakumar'); "
        "Naomi Strand's full name comes from the page contact.",
        "Matters arising report three actions of 12 June 2024 as done (Danvers, Halloran, Tolley); they are not "
        "new actions. Ms Whitcombe's and Dr Rao's actions are not mentioned.",
        "'The Board reviewed the action log and noted the following updates' is a noted decision of the body.",
        "'Mr Halloran would circulate ...' followed by 'Action: Mr Halloran' is one task of kind action.",
        "'The Board asked Ms Brennan to share ...' is a request with a named owner, not a decision.",
        "Not actions: 'The Board AGREED that Northmere Council for Voluntary Service be invited ...' (the owner "
        "is an organisation); it is an agreed decision.",
        "Not figures: 'every two weeks', 'three complaints to two complaints in six months' (words); dates "
        "(3 July, 24 July, 1 October 2024); '1,000' inside the rate '68 crimes per 1,000 residents'.",
    ],
}

MINUTES_3 = {
    "document": M3["file"],
    "kind": "minutes",
    "meeting": {"body": BODY, "date": M3["date"]},
    "agenda_items": agenda(M3),
    "people": [
        person("Naomi Strand", None, "Governance Officer"),
        person("Helen Marsh", "Councillor", "Chair"),
        person("Daniel Okafor", "Councillor"),
        person("Imran Sadiq", "Councillor"),
        person("C. Danvers", "Superintendent", None, EP),
        person("A. Rao", "Dr", "Director of Public Health"),
        person("G. Lloyd", "Mr", None, "Probation Service"),
        person("J. Fairley", "Ms", None, SHN),
        person("M. Greaves", None, None, NCVS),
        person("Tom Achebe", "Mr", "Youth Justice Service Manager"),
        person("S. Whitcombe", "Ms", "Head of Community Safety"),
        person("P. Halloran", None, "Community Safety Manager"),
        person("Hannah Reyes", "Inspector", "Night-Time Economy Lead", EP),
        person("Ruth Penhaligon", "Councillor"),
        person("Mark Tolley", "Chief Inspector"),
        person("Lisa Brennan", None, None, EFRS),
    ],
    "actions": [
        action("3", "Rao", "commitment", "present the findings of the drug-related deaths audit",
               "the March 2025 meeting", "2025-03-12",
               "Dr Rao apologised for the delay, explaining that several inquests had not yet concluded, and "
               "agreed to present the audit findings at the March 2025 meeting"),
        action("4", "Achebe", "commitment", "share the findings of the disproportionality review with the Board",
               "the spring", None,
               "Mr Achebe agreed to share the findings of the review with the Board when it was completed in the "
               "spring"),
        action("5", "Danvers", "action", "report the results of the winter operation", "the next meeting",
               "2025-03-12", "She would report the results of the winter operation to the next meeting"),
        action("7", "Fairley", "request", "update the Board on options for additional refuge capacity",
               "the next meeting", "2025-03-12",
               "The Chair requested an update from Ms Fairley on options for additional refuge capacity at the "
               "next meeting"),
        action("7", "Halloran", "action",
               "include refuge capacity in the refresh of the Domestic Abuse Needs Assessment", None, None,
               "P. Halloran to include refuge capacity in the refresh of the Domestic Abuse Needs Assessment "
               "(Action)"),
        action("8", "Danvers", "action",
               "circulate the burglary hotspot analysis for Holme Park to Board members", "the next meeting",
               "2025-03-12",
               "Superintendent Danvers agreed to circulate the burglary hotspot analysis for Holme Park to Board "
               "members before the next meeting (Action)"),
    ],
    "decisions": [
        decision("3", "resolved", "That the minutes of the meeting held on 18 September 2024 be approved as a "
                                  "correct record."),
        decision("4", "resolved", "That the Youth Justice Plan 2024/25 be endorsed and recommended to Cabinet for "
                                  "approval."),
        decision("5", "noted", "The Board noted the report and thanked Inspector Reyes and the Street Pastors "
                               "for their work."),
        decision("6", "noted", "The Board noted the update."),
        decision("7", "agreed", "The Board AGREED to write to the Police and Crime Commissioner in support of "
                                "continued funding for the IDVA service."),
        decision("8", "agreed", "The Board AGREED to endorse the burglary reduction plan for Holme Park."),
        decision("8", "resolved", "That the quarter 2 performance dashboard be noted."),
        decision("8", "resolved", "That a report on the refresh of the Safer Northmere Strategy for 2025-2028 be "
                                  "brought to the March 2025 meeting."),
    ],
    "figures": [
        figure("3", 150000, "gbp", "Safer Streets Fund award", None, None, "The council had been awarded £150k"),
        figure("4", 57, "count", "children on court orders", None, None,
               "The service was working with 57 children on court orders"),
        figure("4", 33, "count", "children on out-of-court disposals", None, None,
               "a further 33 on out-of-court disposals"),
        figure("4", 28, "percent", "target reoffending rate for children", "decrease", "by March 2026",
               "bring the reoffending rate for children down to 28% by March 2026"),
        figure("4", 31.5, "percent", "reoffending rate for children (baseline)", None, None,
               "from a baseline of 31.5%"),
        figure("4", 14, "percent", "Black children in the youth justice caseload", None, None,
               "Black children made up 14% of the service's caseload"),
        figure("4", 6, "percent", "Black children in the borough's 10 to 17 population", None, None,
               "6% of the borough's 10 to 17 population"),
        figure("5", 17, "percent", "violence with injury in the Market Quarter", "decrease",
               "Between September and November",
               "violence with injury in the Market Quarter had fallen by 17%"),
        figure("5", 1240, "hours", "hours of volunteer time given by Street Pastors", None, "since October",
               "Street Pastors had given 1,240 hours of volunteer time"),
        figure("5", 22, "count", "licensed premises signed up to Ask for Angela", None, None,
               "22 licensed premises had signed up to the Ask for Angela scheme"),
        figure("6", 18, "percent", "people released to Northmere with no settled address (from)", "decrease",
               "since August", "had fallen from 18% to 11%"),
        figure("6", 11, "percent", "people released to Northmere with no settled address (to)", "decrease",
               "since August", "had fallen from 18% to 11%"),
        figure("7", 43, "count", "women the refuge was unable to accept", None, "since April",
               "unable to accept 43 women and 61 children"),
        figure("7", 61, "count", "children the refuge was unable to accept", None, "since April",
               "unable to accept 43 women and 61 children"),
        figure("8", 8, "percent", "residential burglary compared with the same quarter last year", "decrease",
               "quarter 2 of 2024/25", "Residential burglary was 8% lower than in the same quarter last year"),
        figure("8", 251, "count", "repeat callers reporting ASB", "decrease", "first half of 2024/25",
               "Repeat callers reporting ASB had fallen to 251 in the first half of the year"),
        figure("8", 289, "count", "repeat callers reporting ASB", None, "same period of 2023/24",
               "from 289 in the same period of 2023/24"),
        figure("8", 9, "count", "robberies linked to a single group of young people", None, "quarter 2",
               "9 of the 31 robberies in the quarter"),
        figure("8", 31, "count", "robberies in the quarter", None, "quarter 2",
               "9 of the 31 robberies in the quarter"),
    ],
    "targets": [
        target("4", "reoffending rate for children", "reach", 28, "percent", 31.5, "by March 2026",
               "The plan set a target to bring the reoffending rate for children down to 28% by March 2026, "
               "from a baseline of 31.5%"),
    ],
    "notes": [
        "Partners and officers are written with initials ('Supt C. Danvers', 'P. Halloran', 'S. Whitcombe'); "
        "each is the same person as in the earlier minutes.",
        "Matters arising report as done: Tolley's ward-level figures and Halloran's data pack (18 September "
        "2024) and Whitcombe's report on the bid (12 June 2024). Dr Rao's update requested on 12 June 2024 is "
        "still outstanding; her new undertaking for the March 2025 meeting is a commitment.",
        "'The Chair noted that the update from Dr Rao ... was still outstanding' is a person noting, not a "
        "decision of the Board.",
        "'She would report the results ...' followed by 'Action: Superintendent Danvers' is one task of kind "
        "action. 'Superintendent Danvers said that Operation Lantern would continue ...' is not a task of hers "
        "(the operation is the subject).",
        "Not actions: 'the new lighting and CCTV ... would be in place by the end of March 2025' (no owner); "
        "'P. Halloran explained that a burglary reduction plan ... had been drawn up' (past, a statement).",
        "Superintendent Danvers' undertaking at item 8 ('agreed to circulate ... (Action)') is a second task of "
        "hers in these minutes, about burglary; no later document reports on it, so it stays open.",
        "Not figures: 'Licensing Act 2003', '10 to 17' (age band), 'eight weeks', 'quarter 2' (label), dates "
        "and years.",
    ],
}


def report_figures() -> list[dict[str, Any]]:
    f = figure
    prose = [
        f(None, 12, "percent", "reduction in residential burglary", "decrease", "12 months to March 2024",
          "a 12% reduction in residential burglary in the 12 months to March 2024"),
        f(None, 412, "count", "knife crime offences (from)", "decrease", "12 months to March 2024",
          "a fall in knife crime from 412 to 389 offences"),
        f(None, 389, "count", "knife crime offences (to)", "decrease", "12 months to March 2024",
          "a fall in knife crime from 412 to 389 offences"),
        f(None, 14552, "count", "crimes recorded in Northmere", None, "2023/24",
          "There were 14,552 crimes recorded in Northmere in 2023/24"),
        f(None, 68, "rate", "crimes per 1,000 residents", None, "2023/24", "equivalent to 68 crimes per 1,000 residents"),
        f(None, 3, "rank", "crime rate in the most similar group of community safety partnerships (lowest)", None,
          "2023/24", "This is the 3rd lowest rate in Northmere's most similar group"),
        f(None, 15, "count", "community safety partnerships in the most similar group", None, None,
          "most similar group of 15 community safety partnerships"),
        f(None, 3.2, "percent", "total recorded crime", "decrease", "compared with 2022/23",
          "Total recorded crime fell by 3.2% compared with 2022/23"),
    ]
    prose += table_figures()
    prose += [
        f(None, 12, "percent", "residential burglary", "decrease", "2023/24",
          "Residential burglary fell by 12% in 2023/24"),
        f(None, 1514, "count", "residential burglary offences", None, "2023/24", "At 1,514 offences"),
        f(None, 18.2, "percent", "residential burglary below the strategy baseline", "decrease", "2023/24",
          "it is now 18.2% below the strategy baseline"),
        f(None, 1850, "count", "residential burglary (strategy baseline)", None, "2020/21",
          "the strategy baseline of 1,850 offences"),
        f(None, 4.1, "percent", "violence with injury", "increase", "2023/24",
          "Violence with injury rose by 4.1% to 2,131 offences"),
        f(None, 2131, "count", "violence with injury offences", "increase", "2023/24",
          "Violence with injury rose by 4.1% to 2,131 offences"),
        f(None, 38, "percent", "violence with injury offences in the Market Quarter on Friday and Saturday nights",
          None, "2023/24", "In the Market Quarter, 38% of violence with injury offences took place on Friday and "
                           "Saturday nights"),
        f(None, 9412, "count", "ASB reports received by Eastmarch Police", "decrease", "2023/24",
          "Eastmarch Police received 9,412 ASB reports in Northmere in 2023/24"),
        f(None, 10106, "count", "ASB reports received by Eastmarch Police", None, "2022/23",
          "down from 10,106 in 2022/23"),
        f(None, 6.9, "percent", "ASB reports", "decrease", "2023/24", "a reduction of 6.9%"),
        f(None, 612, "count", "repeat callers reporting ASB (from)", "decrease", "2022/23",
          "The number of repeat callers reporting ASB fell from 612 to 540"),
        f(None, 540, "count", "repeat callers reporting ASB (to)", "decrease", "2023/24",
          "The number of repeat callers reporting ASB fell from 612 to 540"),
        f(None, 84, "percent", "residents who feel safe in their local area during the day", None,
          "Residents' Survey 2023", "84% of residents felt safe in their local area during the day"),
        f(None, 57, "percent", "residents who feel safe in their local area after dark", None,
          "Residents' Survey 2023", "57% after dark"),
        f(None, 41, "percent", "residents who feel safe in their local area late at night", None,
          "Residents' Survey 2023", "41% late at night"),
        f(None, 2, "percentage_points", "residents feeling safe during the day", "increase",
          "on the 2021 baseline", "up 2 percentage points on the 2021 baseline"),
        f(None, 31, "percent", "respondents who said ASB was a problem in their area", None,
          "Residents' Survey 2023", "31% of respondents still said that ASB was a problem in their area"),
        f(None, 3118, "count", "domestic abuse incidents recorded by Eastmarch Police", "increase", "2023/24",
          "Eastmarch Police recorded 3,118 domestic abuse incidents in Northmere in 2023/24"),
        f(None, 3, "percent", "domestic abuse incidents", "increase", "on the previous year",
          "an increase of 3% on the previous year"),
        f(None, 402, "count", "cases heard by the MARAC", None, "2023/24", "The MARAC heard 402 cases"),
        f(None, 29, "percent", "MARAC repeat referrals", None, "2023/24", "of which 29% were repeat referrals"),
        f(None, 42, "percent", "high-risk victims referred to the IDVA service who engaged", "increase", "2023/24",
          "42% engaged with it"),
        f(None, 37, "percent", "high-risk victims referred to the IDVA service who engaged", None,
          "at the start of the strategy", "up from 37% at the start of the strategy"),
        f(None, 412, "count", "knife crime offences (from)", "decrease", "2022/23",
          "Knife crime fell from 412 to 389 offences"),
        f(None, 389, "count", "knife crime offences (to)", "decrease", "2023/24",
          "Knife crime fell from 412 to 389 offences"),
        f(None, 5.6, "percent", "knife crime", "decrease", "2023/24", "a reduction of 5.6%"),
        f(None, 23, "count", "hospital admissions for assault with a sharp object", None, "2023/24",
          "There were 23 hospital admissions for assault with a sharp object"),
        f(None, 27, "count", "hospital admissions for assault with a sharp object", None, "2022/23",
          "compared with 27 in 2022/23"),
        f(None, 118, "count", "first time entrants to the youth justice system", "decrease", "2020/21",
          "First time entrants to the youth justice system fell from 118 in 2020/21 to 96 in 2023/24"),
        f(None, 96, "count", "first time entrants to the youth justice system", "decrease", "2023/24",
          "First time entrants to the youth justice system fell from 118 in 2020/21 to 96 in 2023/24"),
        f(None, 24.1, "percent", "proven reoffending rate for adults", None, "April to June 2022 cohort",
          "The proven reoffending rate for adults in Northmere was 24.1%"),
        f(None, 25.8, "percent", "proven reoffending rate for adults", None, "a year earlier",
          "compared with 25.8% a year earlier"),
        f(None, 64, "count", "Integrated Offender Management cohort", None, None,
          "The Integrated Offender Management cohort of 64 people"),
        f(None, 27, "percent", "offending by the IOM cohort", "decrease", None, "reduced its offending by 27%"),
        f(None, 16, "percent", "reports of fraud and cyber crime", "increase", "2023/24",
          "Reports of fraud and cyber crime from Northmere residents rose by 16% in 2023/24"),
        f(None, 2300000, "gbp", "reported losses to fraud and cyber crime", None, "2023/24",
          "with reported losses of £2.3m"),
        f(None, 1503, "count", "Residents' Survey 2023 respondents", None, "October and November 2023",
          "1,503 residents responded"),
    ]
    return prose


REPORT = {
    "document": report.FILE,
    "kind": "report",
    "meeting": {"body": BODY, "date": "2024-09-18"},
    "agenda_items": [],
    "people": [
        person("Peter Halloran", None, "Community Safety Manager"),
        person("Priya Nandakumar", None, "Senior Community Safety Analyst"),
    ],
    "actions": [],
    "decisions": [
        decision(None, "recommended", "That the Board note the findings of the Community Safety Strategic "
                                      "Assessment 2023/24."),
        decision(None, "recommended", "That the Board agree that violence with injury in the night-time economy be "
                                      "added as a focus within the serious violence priority for 2024/25."),
    ],
    "figures": report_figures(),
    "targets": [],
    "notes": [
        "Footnote markers are superscript digits after words and years ('months¹', '2023²', 'offences³', "
        "'object⁴', '2022⁵'); they are not figures and a year followed by its marker is still a year.",
        "Footnote 2 holds a figure (1,503 respondents); the other footnotes hold only dates and sources.",
        "Table 1: every numeric cell is a figure (metric = row label, period = column heading; the % change "
        "column compares 2023/24 with 2022/23). Evidence is the row as extracted, cells joined by spaces.",
        "The two numbered recommendations are decisions of kind recommended.",
        "Not actions: 'Board members are asked to ... send any comments to the Community Safety Manager' (no "
        "named owner).",
        "Not figures: 'Agenda Item 4', paragraph numbers, 'Crime and Disorder Act 1998', dates, years, "
        "'five years', 'three years', the page numbers in the running footer.",
    ],
}

STRATEGY = {
    "document": strategy.FILE,
    "kind": "strategy",
    "meeting": {"body": None, "date": None},
    "agenda_items": [],
    "people": [
        person("Helen Marsh", "Councillor", "Chair, Safer Northmere Partnership Board", NBC),
        person("Alan Petrie", "Chief Superintendent", "District Commander", EP),
    ],
    "actions": [],
    "decisions": [],
    "figures": [
        figure(None, 9, "percent", "recorded crime in Northmere", "decrease", "over the last three years",
               "Over the last three years recorded crime in Northmere fell by 9%"),
        figure(None, 8, "percent", "residential burglary", "decrease", "2020/21",
               "residential burglary fell by 8% in 2020/21 alone"),
        figure(None, 1400, "count", "residents who responded to the Residents' Survey 2021", None, "2021",
               "more than 1,400 residents told us"),
        figure(None, 10, "percent", "target reduction in residential burglary", "decrease", "over three years",
               "Reduce residential burglary by 10% over three years"),
        figure(None, 1850, "count", "residential burglary (baseline)", None, "2020/21", "Baseline figure - 1,850"),
        figure(None, 8, "percent", "target reduction in vehicle crime", "decrease", "over three years",
               "Reduce vehicle crime by 8% over three years"),
        figure(None, 2240, "count", "vehicle crime (baseline)", None, "2020/21", "Baseline figure - 2,240"),
        figure(None, 12, "percent", "target reduction in personal robbery", "decrease", "over three years",
               "Reduce personal robbery by 12% over three years"),
        figure(None, 310, "count", "personal robbery (baseline)", None, "2020/21", "Baseline figure - 310"),
        figure(None, 15, "percent", "target reduction in repeat callers reporting anti-social behaviour",
               "decrease", "each year",
               "Reduce the number of repeat callers reporting anti-social behaviour by 15% each year"),
        figure(None, 82, "percent", "residents who feel safe in their local area during the day (baseline)", None,
               "Residents' Survey 2021", "from baselines of 82%, 55% and 40% respectively"),
        figure(None, 55, "percent", "residents who feel safe in their local area after dark (baseline)", None,
               "Residents' Survey 2021", "from baselines of 82%, 55% and 40% respectively"),
        figure(None, 40, "percent", "residents who feel safe in their local area late at night (baseline)", None,
               "Residents' Survey 2021", "from baselines of 82%, 55% and 40% respectively"),
        figure(None, 45, "percent", "target share of high-risk domestic abuse victims engaging with the IDVA "
                                    "service", "increase", "by 2025", "service to 45% by 2025"),
        figure(None, 37, "percent", "high-risk domestic abuse victims engaging with the IDVA service (baseline)",
               None, "2020/21", "Baseline figure - 37%"),
        figure(None, 24, "count", "specialist refuge bed spaces (minimum)", None,
               "throughout the life of the strategy", "at no fewer than 24 bed spaces"),
        figure(None, 10, "percent", "target reduction in knife crime", "decrease", "over three years",
               "Reduce knife crime by 10% over three years"),
        figure(None, 352, "count", "knife crime (baseline)", None, "2020/21", "Baseline figure - 352"),
        figure(None, 10, "percent", "target reduction in first time entrants to the youth justice system",
               "decrease", "over three years",
               "Reduce first time entrants to the youth justice system by 10% over three years"),
        figure(None, 118, "count", "first time entrants to the youth justice system (baseline)", None, "2020/21",
               "figure - 118"),
        figure(None, 20, "percent", "target reduction in offending by the IOM cohort", "decrease", "each year",
               "Integrated Offender Management cohort by 20% each year"),
        figure(None, 420000, "gbp", "community safety budget", None, "2022/23",
               "a community safety budget of £420,000"),
        figure(None, 185000, "gbp", "Police and Crime Commissioner contribution to the community safety budget",
               None, "2022/23", "including £185,000 from the Police and Crime Commissioner"),
    ],
    "targets": [
        target(None, "residential burglary", "reduce", 10, "percent", 1850, "over three years",
               "Reduce residential burglary by 10% over three years (Baseline figure - 1,850)"),
        target(None, "vehicle crime", "reduce", 8, "percent", 2240, "over three years",
               "Reduce vehicle crime by 8% over three years (Baseline figure - 2,240)"),
        target(None, "personal robbery", "reduce", 12, "percent", 310, "over three years",
               "Reduce personal robbery by 12% over three years (Baseline figure - 310)"),
        target(None, "repeat callers reporting anti-social behaviour", "reduce", 15, "percent", None, "each year",
               "Reduce the number of repeat callers reporting anti-social behaviour by 15% each year (Baseline "
               "to be set in first year)"),
        target(None, "proportion of residents who feel safe in their local area during the day", "increase", 5,
               "percentage_points", 82, None,
               "Increase by five percentage points the proportion of residents who feel safe in their local area "
               "during the day, after dark and late at night, from baselines of 82%, 55% and 40% respectively"),
        target(None, "proportion of residents who feel safe in their local area after dark", "increase", 5,
               "percentage_points", 55, None,
               "Increase by five percentage points the proportion of residents who feel safe in their local area "
               "during the day, after dark and late at night, from baselines of 82%, 55% and 40% respectively"),
        target(None, "proportion of residents who feel safe in their local area late at night", "increase", 5,
               "percentage_points", 40, None,
               "Increase by five percentage points the proportion of residents who feel safe in their local area "
               "during the day, after dark and late at night, from baselines of 82%, 55% and 40% respectively"),
        target(None, "proportion of high-risk domestic abuse victims who engage with the IDVA service", "reach",
               45, "percent", 37, "by 2025",
               "Increase the proportion of high-risk domestic abuse victims who engage with the IDVA service to "
               "45% by 2025 (Baseline figure - 37%)"),
        target(None, "specialist refuge bed spaces", "maintain", 24, "count", None,
               "throughout the life of the strategy",
               "Maintain specialist refuge provision at no fewer than 24 bed spaces throughout the life of the "
               "strategy"),
        target(None, "knife crime", "reduce", 10, "percent", 352, "over three years",
               "Reduce knife crime by 10% over three years (Baseline figure - 352)"),
        target(None, "first time entrants to the youth justice system", "reduce", 10, "percent", 118,
               "over three years",
               "Reduce first time entrants to the youth justice system by 10% over three years (Baseline figure - "
               "118)"),
        target(None, "offending by members of the Integrated Offender Management cohort", "reduce", 20, "percent",
               None, "each year",
               "Reduce offending by members of the Integrated Offender Management cohort by 20% each year"),
    ],
    "notes": [
        "Signatory blocks: name, title and organisation on separate lines; 'Chief Superintendent' is the "
        "honorific of Alan Petrie.",
        "One sentence sets three targets (day, after dark, late at night), each +5 percentage points from its "
        "own baseline (82, 55, 40); 'five' is a word, so the amounts are not figures but the baselines are.",
        "'Baseline to be set in first year' and the IOM target give no baseline (null).",
        "'to 45% by 2025' is a level to reach (direction reach); 'no fewer than 24 bed spaces' is maintain.",
        "Not figures: years and year ranges (2022-2025, 2020/21), 'three years', the postcode, page numbers.",
    ],
}

SUMMARY = {
    "document": summary.FILE,
    "kind": "summary",
    "meeting": {"body": BODY, "date": "2024-12-04"},
    "agenda_items": [],
    "people": [
        person("Helen Marsh", "Councillor", "Cabinet Member for Communities and Public Safety"),
        person("Tom Achebe"),
        person("Hannah Reyes", "Inspector", None, EP),
        person("Claire Danvers", "Superintendent"),
        person("Sarah Whitcombe", None, "Head of Community Safety"),
        person("Joanne Fairley", None, None, SHN),
        person("Peter Halloran", None, "Community Safety Manager"),
        person("Anjali Rao", "Dr", "Director of Public Health"),
        person("Naomi Strand", None, "Governance Officer"),
    ],
    "actions": [
        action(None, "Danvers", "commitment", "report the results of the winter operation", "March", "2025-03-12",
               "Superintendent Claire Danvers will report the results of the winter operation in March"),
        action(None, "Rao", "commitment", "present the findings of the audit of drug-related deaths",
               "the same meeting", "2025-03-12",
               "Dr Anjali Rao, Director of Public Health, will present the findings of the audit of drug-related "
               "deaths at the same meeting"),
    ],
    "decisions": [
        decision(None, "agreed", "The Board agreed to endorse the plan, which will now go to Cabinet."),
        decision(None, "noted", "The Board noted the report."),
        decision(None, "agreed", "The Board agreed to write to the Police and Crime Commissioner in support of "
                                 "continued funding for domestic abuse advisers."),
        decision(None, "noted", "The Board noted the performance dashboard."),
    ],
    "figures": [
        figure(None, 57, "count", "children on court orders", None, None,
               "The service is working with 57 children on court orders"),
        figure(None, 31.5, "percent", "reoffending rate for children (from)", "decrease", None,
               "down from 31.5% to 28% by March 2026"),
        figure(None, 28, "percent", "target reoffending rate for children", "decrease", "by March 2026",
               "down from 31.5% to 28% by March 2026"),
        figure(None, 17, "percent", "violence with injury in the Market Quarter", "decrease",
               "between September and November", "violence with injury in the Market Quarter fell by 17%"),
        figure(None, 1240, "hours", "hours given by Street Pastors", None, "since October",
               "Street Pastors have given 1,240 hours of their time since October"),
        figure(None, 150000, "gbp", "Safer Streets Fund award", None, None,
               "the council has been awarded £150k from the Home Office Safer Streets Fund"),
        figure(None, 43, "count", "women turned away by the refuge", None, "since April",
               "turn away 43 women and 61 children"),
        figure(None, 61, "count", "children turned away by the refuge", None, "since April",
               "turn away 43 women and 61 children"),
        figure(None, 8, "percent", "residential burglary compared with the same quarter last year", "decrease",
               None, "residential burglary was 8% lower than in the same quarter last year"),
    ],
    "targets": [
        target(None, "reoffending rate for children", "reach", 28, "percent", 31.5, "by March 2026",
               "The plan aims to bring the reoffending rate for children down from 31.5% to 28% by March 2026"),
    ],
    "notes": [
        "Summary of the 4 December 2024 meeting; the same facts as the minutes in plainer words.",
        "Tom Achebe's role is given only as 'who manages the council's Youth Justice Service' (role left null).",
        "Superintendent Claire Danvers' and Dr Rao's future tasks are commitments (named owner, 'will').",
        "Not actions: 'the Board will consider the refresh ...' and 'the minutes will be approved ...' (the Board "
        "is not a named person).",
        "Not figures: '4 December 2024, 2.00 pm', 'Committee Room 2', '12 March 2025', phone number.",
    ],
}


def _ref(doc: dict, owner: str, item: str | None = None) -> dict[str, Any]:
    """The one action of ``owner`` (under ``item`` when given) in ``doc``, as a reference."""
    found = [a for a in doc["actions"] if a["owner"] == owner and (item is None or a["agenda_item"] == item)]
    if len(found) != 1:
        raise ValueError(f"{doc['document']}: expected one action of {owner}, found {len(found)}")
    return {"document": doc["document"], "owner": owner, "evidence": found[0]["evidence"]}


def action_status() -> list[dict[str, Any]]:
    """Which actions later documents report as done; everything else stays open."""
    def done(doc: dict, owner: str, by: dict, evidence: str, item: str | None = None) -> dict[str, Any]:
        return {**_ref(doc, owner, item), "status": "done",
                "closed_by": {"document": by["document"], "evidence": evidence}}

    def still_open(doc: dict, owner: str, note: str, item: str | None = None) -> dict[str, Any]:
        return {**_ref(doc, owner, item), "status": "open", "note": note}

    return [
        done(MINUTES_1, "Danvers", MINUTES_2,
             "Superintendent Danvers confirmed that she had provided the contact in the Domestic Abuse "
             "Safeguarding Unit to Ms Fairley"),
        done(MINUTES_1, "Halloran", MINUTES_2,
             "the draft ASB Case Review (Community Trigger) procedure had been circulated to members on 3 July"),
        done(MINUTES_1, "Tolley", MINUTES_2,
             "the walkabout of the Market Quarter had taken place on 24 July"),
        done(MINUTES_1, "Whitcombe", MINUTES_3,
             "as members had been told in October, the Safer Streets Fund bid had been successful"),
        still_open(MINUTES_1, "Rao", "not mentioned on 18 September 2024; reported as still outstanding on "
                                     "4 December 2024, when Dr Rao made a new commitment for March 2025"),
        done(MINUTES_2, "Tolley", MINUTES_3,
             "Ward-level ASB figures had been sent to all councillors by Chief Inspector Tolley on 7 October"),
        done(MINUTES_2, "Halloran", MINUTES_3,
             "The strategic assessment data pack had been circulated to partners by P. Halloran on 27 September"),
        done(MINUTES_2, "Lloyd", MINUTES_3,
             "Mr Lloyd reported that a protocol with the council's housing service had been agreed in November"),
        done(MINUTES_2, "Achebe", MINUTES_3,
             "Tom Achebe, Youth Justice Service Manager, presented the Youth Justice Plan 2024/25"),
        still_open(MINUTES_2, "Brennan", "never reported on"),
    ]


DOCUMENTS = [MINUTES_1, MINUTES_2, MINUTES_3, REPORT, STRATEGY, SUMMARY]


def answer_key() -> dict[str, Any]:
    """The whole key as written to corpus/expected.json."""
    return {
        "corpus": "Northmere demo corpus (fictional): Safer Northmere Partnership Board",
        "format": "shared/docs/ANNOTATION.md, plus agenda_items, agenda_item, due_date and action_status",
        "documents": DOCUMENTS,
        "action_status": action_status(),
    }
