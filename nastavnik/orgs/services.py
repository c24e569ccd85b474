from django.db import transaction

from nastavnik.orgs.models import Organisation


@transaction.atomic
def organisation_update(organisation: Organisation, **fields: str) -> Organisation:
    for field, value in fields.items():
        setattr(organisation, field, value.strip() if isinstance(value, str) else value)
    organisation.full_clean()
    organisation.save(update_fields=list(fields))
    return organisation
