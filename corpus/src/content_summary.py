"""Source of a plain-text meeting summary of the 4 December 2024 meeting (fictional).

Councils and civic sites publish short summaries in plain language before the
minutes are approved. This one restates some figures and decisions of the
minutes in other words, so the archive holds the same facts twice in two
genres.
"""

from __future__ import annotations

FILE = "northmere-snpb-2024-12-04-meeting-summary.txt"

TEXT = """\
Safer Northmere Partnership Board
Meeting summary: Wednesday 4 December 2024, 2.00 pm
Committee Room 2, Northmere Civic Centre

This is a short summary of the meeting, written by Democratic Services for residents and partners. It is not the formal record: the minutes will be approved at the next meeting.

The meeting was chaired by Councillor Helen Marsh, Cabinet Member for Communities and Public Safety.

Youth justice

Tom Achebe, who manages the council's Youth Justice Service, presented the Youth Justice Plan 2024/25. The service is working with 57 children on court orders. The plan aims to bring the reoffending rate for children down from 31.5% to 28% by March 2026. The Board agreed to endorse the plan, which will now go to Cabinet.

Violence in the night-time economy

Inspector Hannah Reyes of Eastmarch Police explained that violence with injury in the Market Quarter fell by 17% between September and November, compared with a year earlier. Street Pastors have given 1,240 hours of their time since October. Superintendent Claire Danvers will report the results of the winter operation in March. The Board noted the report.

Safer Streets funding

Sarah Whitcombe, Head of Community Safety, confirmed that the council has been awarded £150k from the Home Office Safer Streets Fund for new lighting and CCTV in Carrow Vale.

Refuge places

Joanne Fairley of Safe Haven Northmere told the Board that since April the refuge has had to turn away 43 women and 61 children because it was full. The Board agreed to write to the Police and Crime Commissioner in support of continued funding for domestic abuse advisers.

Performance

Peter Halloran, Community Safety Manager, reported that residential burglary was 8% lower than in the same quarter last year. The Board noted the performance dashboard.

Coming up

At its next meeting on 12 March 2025 the Board will consider the refresh of the Safer Northmere Strategy. Dr Anjali Rao, Director of Public Health, will present the findings of the audit of drug-related deaths at the same meeting.

Contact: Naomi Strand, Governance Officer, 01632 960418, democratic.services@northmere.gov.uk
"""
