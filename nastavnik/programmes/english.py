"""English texts of the roadmap template, shown when the interface is English.

A generated roadmap stores the template's Russian titles (`roadmap_template.EVENTS`): they are
the content of the organisation's roadmap and go into its documents as they are. On an English
page an event whose title is still the template's reads in English, keyed by the template
code; an event the organisation added or retitled reads as entered. One place decides:
`event_title`.
"""

from __future__ import annotations

import re
from datetime import datetime
from typing import TYPE_CHECKING

from django.utils.formats import date_format
from django.utils.translation import gettext

from nastavnik.core.language import reads_english
from nastavnik.programmes.roadmap_template import EVENTS as TEMPLATE_EVENTS

if TYPE_CHECKING:
    from nastavnik.programmes.models import RoadmapEvent

EVENTS: dict[str, str] = {
    "approve_programme": "Appointing the curator, approving the mentoring programme and the "
    "roadmap of its implementation by the head's order",
    "assessment_autumn": "Assessing the effectiveness of introducing the target mentoring model "
    "over the past half-year",
    "inform_teachers": "Informing the organisation's teaching community about the mentoring "
    "programme",
    "inform_parents": "Informing the parents' community about the planned mentoring programme",
    "choose_forms": "Choosing the forms and role models of mentoring for the current programme",
    "partners": "Meeting the alumni community and representatives of organisations and "
    "companies; concluding agreements with social partners",
    "inform_students": "Meeting the organisation's students to inform them about the mentoring "
    "programme",
    "mentee_survey": "Surveying the students and teachers who wish to take part in the "
    "mentoring programme; collecting consents to the processing of personal data from adult "
    "participants and from the legal representatives of minors",
    "third_party_input": "Collecting more information about the mentees' requests from third "
    "parties: form tutor, educational psychologist, social pedagogue, parents",
    "mentee_base": "Analysing the data received from mentees and third parties. Forming the "
    "mentee base",
    "mentee_entry_assessment": "Assessing the mentees on the set parameters needed to compare "
    "and monitor the programme's impact on all participants later",
    "mentor_survey": "Surveying potential mentors who wish to take part in the mentoring "
    "programme. Collecting consents to the processing of personal data",
    "mentor_base": "Analysing the potential mentors' questionnaires and comparing them with "
    "the mentees'. Forming the mentor base",
    "mentor_entry_assessment": "Assessing the mentors on the set parameters needed to compare "
    "and monitor the programme's impact on all participants later",
    "mentor_interviews": "Interviewing the mentors (in some cases with the educational "
    "psychologist)",
    "mentor_registry": "Approving the mentor registry by the head's order and publishing it on "
    "the organisation's website",
    "training_materials": "Finding experts and materials for training the mentors",
    "mentor_training": "Training the mentors (the mentors' school)",
    "group_meeting": "Organising a group meeting of mentors and mentees",
    "preference_survey": "Surveying preferred mentors or mentees after the group meeting",
    "matching": "Analysing the group meeting questionnaires and matching mentors and mentees "
    "into pairs or groups",
    "pairs_order": "Informing the participants about the pairs and groups formed. Fixing the "
    "pairs and groups by the head's order",
    "first_meeting": "The first, organisational, meeting of mentor and mentee",
    "trial_meeting": "The second, trial working, meeting of mentor and mentee",
    "planning_meeting": "A meeting to plan the work; drawing up the mentees' individual "
    "development plans from the programme's model plans",
    "regular_meetings": "Regular meetings of mentor and mentee",
    "feedback": "Collecting feedback from the participants of the mentoring programme",
    "assessment_spring": "Assessing the effectiveness of introducing the target mentoring model "
    "over the half-year",
    "final_meeting": "The final meeting of mentor and mentee",
    "group_final_meeting": "The final group meeting of all pairs and groups of mentors and mentees",
    "satisfaction_survey": "Surveying the participants. Monitoring personal satisfaction with "
    "taking part in the mentoring programme",
    "final_event_invitations": "Inviting to the closing ceremony all participants of the "
    "mentoring programme, their families, representatives of partner organisations, the "
    "municipal administration, other educational and non-profit organisations",
    "final_event": "Holding the closing ceremony to sum up the mentoring programme and reward "
    "the best mentors",
    "quality_monitoring": "Monitoring the quality of the mentoring programme",
    "exit_assessment": "Assessing the participants on the set parameters: the second, final "
    "stage of monitoring the programme's impact on all participants",
    "cases": "Writing up the results and processes of the joint work in the mentoring "
    "programme as cases",
    "publication": "Publishing the results of the mentoring programme, the best mentors and "
    "cases on the websites of the organisation and its partners",
    "bases_update": "Entering the results of the mentoring programme into the mentor base and "
    "the mentee base",
    "long_term_base": "Forming a long-term mentor base",
}

# The notes an act leaves on the event it fulfils (`compliance.roadmap`), stored in Russian:
# they go into the roadmap document. Read in English on an English page.
ORDER_NOTE = "Приказ от {date:%d.%m.%Y} № {number}"
HELD_BY_ALL = "Проведены всеми парами и группами"
SNAPSHOT_TAKEN = "Срез показателей сохранён"
MEASURES_RECORDED = "Измерения внесены"
AUTO_NOTES: dict[str, str] = {
    HELD_BY_ALL: "Held by every pair and group",
    SNAPSHOT_TAKEN: "Indicator snapshot saved",
    MEASURES_RECORDED: "Measures recorded",
}
_ORDER_NOTE = re.compile(r"^Приказ от (?P<date>\d{2}\.\d{2}\.\d{4}) № (?P<number>.+)$")

# The template's own Russian title of each code: an event still bearing it is unedited.
_RUSSIAN: dict[str, str] = {event.code: event.title for event in TEMPLATE_EVENTS}


def event_title(event: RoadmapEvent) -> str:
    """The event's title as the reader's language shows it: English for an event whose title is
    still the template's when the interface is English, else as stored."""
    stored = event.title
    code = event.template_code
    if not code or not reads_english() or _RUSSIAN.get(code) != stored:
        return stored
    return EVENTS.get(code, stored)


def done_note(event: RoadmapEvent) -> str:
    """The note of a done event as the reader's language shows it: a note left by the act that
    fulfils it reads in English when the interface is English; a note written by hand reads as
    written."""
    stored = event.done_note
    if not event.done_auto or not reads_english():
        return stored
    order = _ORDER_NOTE.match(stored)
    if order is not None:
        day = datetime.strptime(order["date"], "%d.%m.%Y").date()
        return gettext("Order № %(number)s of %(date)s") % {
            "number": order["number"],
            "date": date_format(day, "SHORT_DATE_FORMAT"),
        }
    return AUTO_NOTES.get(stored, stored)


def stored_title(event: RoadmapEvent, posted: str) -> str:
    """The title to store when a form posts `posted`: the template's Russian title if the
    reader left the English text of an unedited event as it was shown."""
    if posted == event_title(event) and posted != event.title:
        return event.title
    return posted
