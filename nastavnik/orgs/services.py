import uuid

from django.core.files.base import ContentFile
from django.db import transaction

from nastavnik.core.uploads import delete_after_commit
from nastavnik.orgs.models import Organisation


@transaction.atomic
def organisation_update(organisation: Organisation, **fields: str) -> Organisation:
    for field, value in fields.items():
        setattr(organisation, field, value.strip() if isinstance(value, str) else value)
    organisation.full_clean()
    organisation.save(update_fields=list(fields))
    return organisation


@transaction.atomic
def letterhead_set(organisation: Organisation, content: bytes | None) -> None:
    """Store the organisation's letterhead blank (already checked by orgs.letterhead), or
    remove it when `content` is None; the replaced file goes once the change is committed."""
    previous = organisation.letterhead.name
    if content is None:
        organisation.letterhead = ""
    else:
        # A name of our own: the uploader's file name never reaches the storage.
        organisation.letterhead.save(
            f"letterheads/{organisation.pk}/{uuid.uuid4().hex}.docx",
            ContentFile(content),
            save=False,
        )
    organisation.save(update_fields=["letterhead"])
    delete_after_commit(previous)
