"""Large runs in the background (`manage.py db_worker`); usual runs are made in the request
through the same function (`services.run_compute`)."""

from __future__ import annotations

import logging

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import translation
from django_tasks import task

from nastavnik.matching.models import MatchingRun, RunStatus
from nastavnik.matching.services import run_compute

logger = logging.getLogger(__name__)


@task()
def matching_run_task(run_id: int, locks: list[list[int]]) -> str:
    run = MatchingRun.objects.select_related("programme", "form", "organisation").get(pk=run_id)
    if run.status != RunStatus.RUNNING:
        return run.status
    # The message of a refusal is stored as text, in the language of whoever started the run.
    with translation.override(run.language or None):
        try:
            with transaction.atomic():
                run_compute(run, [(mentee, mentor) for mentee, mentor in locks])
        except ValidationError as error:
            MatchingRun.objects.filter(pk=run.pk).update(
                status=RunStatus.FAILED, error=" ".join(error.messages)
            )
            logger.info("matching run %s failed: %s", run.pk, error.messages)
            return RunStatus.FAILED
    return RunStatus.PROPOSED
