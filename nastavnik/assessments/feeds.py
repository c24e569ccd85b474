"""Questionnaire answers that are entry or exit measures (`questionnaires.feeds`): a question
feeding "assessment.<parameter code>" in a campaign of phase "entry" or "exit"."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from nastavnik.assessments.models import MeasureSource, Parameter, Phase
from nastavnik.assessments.services import measure_record
from nastavnik.questionnaires.feeds import FeedContext, FeedSkipped


def measure(feed: FeedContext, value: Any) -> None:
    parameter = (
        Parameter.objects.available_to(feed.programme.organisation_id)
        .filter(code=feed.argument)
        .first()
    )
    if parameter is None:
        raise FeedSkipped(_("Unknown assessment parameter: %(code)s.") % {"code": feed.argument})
    if feed.phase not in Phase.values:
        raise FeedSkipped(_("The campaign is neither an entry nor an exit assessment."))
    try:
        measure_record(
            feed.programme,
            feed.person,
            parameter,
            feed.phase,
            value,
            feed.answered_on,
            by=feed.by,
            source=MeasureSource.QUESTIONNAIRE,
        )
    except ValidationError as error:
        raise FeedSkipped(" ".join(str(m) for m in error.messages)) from error
