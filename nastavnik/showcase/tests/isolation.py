"""Rows behind the public page's settings URLs, for the project-wide isolation test."""

from datetime import timedelta

from django.utils import timezone

from nastavnik.showcase.models import Announcement

ROW_MAKERS = {
    "announcement_pk": lambda org: (
        Announcement.objects.create(
            organisation=org,
            title="Школа наставника: занятие 3",
            starts_at=timezone.now() + timedelta(days=7),
        ).pk
    ),
}
