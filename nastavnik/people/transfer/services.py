"""The people import as named steps, used by the views, the background task and the benchmark:

1. `people_import_upload` reads the file, finds the header row, guesses the columns;
2. `import_job_set_mapping` records the columns the curator confirmed or corrected;
3. `people_import_preview` judges every row and stores what the import would do;
4. `import_job_confirm` then `people_import_commit` write it, all or nothing.

`tasks.import_job_run` runs step 3 or 4 at once for a small file and as a background task
for a large one. Nothing but the ImportJob row is written before step 4, and step 4 writes every row
of the plan in one transaction or none of them.
"""

from __future__ import annotations

import io
import json
import logging
import tempfile
import time
from collections import defaultdict
from collections.abc import Iterable, Iterator, Mapping
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files import File
from django.db import transaction
from django.utils import timezone
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from nastavnik.accounts.models import User
from nastavnik.audit.models import AuditAction, AuditObject
from nastavnik.audit.services import (
    audit_record,
    audit_record_people_created,
    created,
    diff,
)
from nastavnik.core.jobs import fault_pause, lease_expiry
from nastavnik.orgs.models import Organisation
from nastavnik.people.models import (
    GuardianLink,
    ImportJob,
    ImportStatus,
    Person,
    PersonKind,
    person_name_key,
)
from nastavnik.people.transfer.columns import (
    FIELD_LABELS,
    FIELDS_BY_KIND,
    HEADER_SCAN_ROWS,
    IMPORT_KINDS,
    Field,
    Header,
    find_header,
    header_at,
)
from nastavnik.people.transfer.plan import (
    Plan,
    Planner,
    column_labels,
    fingerprint,
)
from nastavnik.people.transfer.tables import (
    TABLE_MESSAGES,
    Cell,
    Row,
    cell_text,
    check_size,
    data_rows,
    load_rows,
    open_table,
    write_rows,
)
from nastavnik.people.validators import EDITABLE_FIELDS, REQUIRED_BY_KIND, org_today

logger = logging.getLogger(__name__)

DEFAULT_INLINE_ROWS = 2000
WRITE_BATCH = 500
PROGRESS_SECONDS = 0.5
SAMPLES = 3

# The columns that give each field the validators require of a category.
_REQUIRED_COLUMNS: dict[str, tuple[Field, ...]] = {
    "birth_date": (Field.BIRTH_DATE,),
    "grade": (Field.CLASS_NAME, Field.GRADE),
    "position": (Field.POSITION,),
}

IMPORT_MESSAGES = {
    "kind": _("Choose whom the list is of: students, staff or parents."),
    "twice": _("«%(field)s» is chosen for more than one column."),
    "unknown": _("«%(field)s» cannot be imported into this list."),
    "names": _(
        "Choose the column with the full name, or the columns with the last name and the "
        "first name."
    ),
    "names_twice": _("Choose either the full name column or the separate name columns, not both."),
    "required": _("Choose the column with: %(fields)s."),
    "state": _("This import is «%(status)s» and cannot take this step."),
    "problems": _(
        "%(count)s rows have errors. Correct the file and upload it again, or choose to import "
        "without those rows."
    ),
    "running": _("The import is running; wait for it to finish."),
    "failed": _(
        "The import stopped because of an error on the server, and nothing was written. Try "
        "again; if it fails again, tell the site administrator."
    ),
    "lost_preview": _(
        "The check of the file stopped: the server process running it ended unexpectedly "
        "(a restart or a lack of memory). Nothing was written, and the file was deleted. "
        "Upload it again; if this happens again, tell the site administrator."
    ),
    "lost_import": _(
        "The import stopped: the server process running it ended unexpectedly (a restart, a "
        "lack of memory or a database failure). The import writes everything at once or "
        "nothing, so nothing was written, and the file was deleted. Upload it again; if this "
        "happens again, tell the site administrator."
    ),
    "expired": _(
        "The import was not finished within %(hours)s hours, so its file, which holds personal "
        "data, was deleted. Upload the file again."
    ),
}


def inline_rows() -> int:
    """Files of up to this many rows are checked and imported during the request."""
    return int(getattr(settings, "PEOPLE_IMPORT_INLINE_ROWS", DEFAULT_INLINE_ROWS))


def _read(upload: File) -> bytes:
    upload.seek(0)
    if hasattr(upload, "chunks"):
        return b"".join(upload.chunks())
    return upload.read()


def _count_rows(rows: Iterable[Row], header_line: int) -> int:
    return sum(1 for line, _cells in rows if line > header_line)


def _stored_mapping(mapping: Mapping[int, str]) -> dict[str, str]:
    return {str(index): str(column) for index, column in sorted(mapping.items())}


def job_mapping(job: ImportJob) -> dict[int, Field]:
    return {int(index): Field(column) for index, column in job.mapping.items()}


def people_import_upload(
    organisation: Organisation,
    kind: str,
    upload: File,
    by: User | None,
    *,
    language: str | None = None,
) -> ImportJob:
    """Start an import: check and store the file, find its header row, guess its columns.

    Raises ValidationError (with the file's problem in words) and stores nothing when the file
    cannot be read as a people list.
    """
    if kind not in IMPORT_KINDS:
        raise ValidationError({"kind": ValidationError(IMPORT_MESSAGES["kind"], code="kind")})
    name = str(upload.name or "")
    check_size(upload.size or 0)
    data = _read(upload)
    table = open_table(data, name)
    with tempfile.TemporaryFile() as stored:
        # The rows as read, not the file: the later steps need no workbook parsing again.
        # They go to disk as they are read; only the first few, for the header, stay here.
        first: list[Row] = []
        count = 0
        for row in data_rows(table):
            write_rows([row], stored)
            count += 1
            if row[0] <= HEADER_SCAN_ROWS:
                first.append(row)
        del data
        if not count:
            raise ValidationError(TABLE_MESSAGES["no_rows"], code="no_rows")
        header = find_header(first, kind)
        rows_total = count - sum(1 for line, _cells in first if line <= header.line)
        if not rows_total:
            raise ValidationError(TABLE_MESSAGES["no_rows"], code="no_rows")
        job = ImportJob(
            organisation=organisation,
            created_by=by,
            kind=kind,
            file_name=name.rsplit("/", 1)[-1][-255:],
            file_format=table.format,
            encoding=table.encoding,
            delimiter=table.delimiter,
            header_row=header.line,
            mapping=_stored_mapping(header.mapping),
            rows_total=rows_total,
            language=language or get_language() or settings.LANGUAGE_CODE,
        )
        stored.seek(0)
        job.file.save("rows", File(stored), save=False)
    # Not stored: said once, on the columns page the upload leads to.
    job.columns_cut = table.cut  # type: ignore[attr-defined]
    try:
        job.save()
    except BaseException:
        job.file.delete(save=False)
        raise
    logger.info(
        "people import %s: %s rows of %s uploaded to %s by %s",
        job.pk,
        rows_total,
        kind,
        organisation.slug,
        by,
    )
    return job


def _rows(job: ImportJob) -> Iterator[Row]:
    """The stored rows, read a line at a time: a step that needs the first rows reads no more."""
    with job.file.open("rb") as stored:
        yield from load_rows(stored)


def import_job_header(
    job: ImportJob, line: int | None = None
) -> tuple[Header, list[dict[str, Any]]]:
    """The header row (the job's, or `line`) and each column with a few values from under it."""
    line = line or job.header_row
    header = header_at(_rows(job), line, job.kind)
    samples: dict[int, list[str]] = defaultdict(list)
    width = len(header.cells)
    looked = 0
    for number, cells in _rows(job):
        if number <= line:
            continue
        width = max(width, len(cells))
        for index, cell in enumerate(cells):
            if cell is not None and len(samples[index]) < SAMPLES:
                samples[index].append(cell_text(cell))
        looked += 1
        if looked >= 50:
            break
    columns = [
        {
            "index": index,
            "title": cell_text(header.cells[index]) if index < len(header.cells) else "",
            "samples": samples.get(index, []),
        }
        for index in range(width)
    ]
    # A column with neither a name nor a value in the first rows is a spacer or a stray cell:
    # nothing to choose for it.
    return header, [column for column in columns if column["title"] or column["samples"]]


def validate_mapping(kind: str, mapping: Mapping[int, str]) -> dict[int, Field]:
    """The mapping as fields, or ValidationError listing what is wrong with it."""
    allowed = FIELDS_BY_KIND[kind]
    errors: list[ValidationError] = []
    result: dict[int, Field] = {}
    for index, value in mapping.items():
        if not value:
            continue
        if value not in allowed:
            errors.append(
                ValidationError(IMPORT_MESSAGES["unknown"], code="unknown", params={"field": value})
            )
            continue
        column = Field(value)
        if column in result.values():
            errors.append(
                ValidationError(
                    IMPORT_MESSAGES["twice"], code="twice", params={"field": FIELD_LABELS[column]}
                )
            )
        result[int(index)] = column
    chosen = set(result.values())
    parts = {Field.LAST_NAME, Field.FIRST_NAME, Field.MIDDLE_NAME} & chosen
    if Field.FULL_NAME in chosen and parts:
        errors.append(ValidationError(IMPORT_MESSAGES["names_twice"], code="names_twice"))
    elif Field.FULL_NAME not in chosen and not {Field.LAST_NAME, Field.FIRST_NAME} <= chosen:
        errors.append(ValidationError(IMPORT_MESSAGES["names"], code="names"))
    missing = [
        str(FIELD_LABELS[_REQUIRED_COLUMNS[name][0]])
        for name in REQUIRED_BY_KIND[PersonKind(kind)]
        if name in _REQUIRED_COLUMNS and not chosen & set(_REQUIRED_COLUMNS[name])
    ]
    if missing:
        errors.append(
            ValidationError(
                IMPORT_MESSAGES["required"], code="required", params={"fields": ", ".join(missing)}
            )
        )
    if errors:
        raise ValidationError(errors)
    return result


def _require(job: ImportJob, *statuses: str) -> None:
    if job.status not in statuses:
        raise ValidationError(
            IMPORT_MESSAGES["state"],
            code="state",
            params={"status": ImportStatus(job.status).label},
        )


def import_job_set_mapping(
    job: ImportJob, header_row: int, mapping: Mapping[int, str], by: User | None
) -> ImportJob:
    """Record the header row and the columns, and make the job ready for the preview."""
    _require(job, ImportStatus.MAPPING, ImportStatus.PREVIEWED)
    fields = validate_mapping(job.kind, mapping)
    if header_row != job.header_row:
        job.rows_total = _count_rows(_rows(job), header_row)
    job.header_row = header_row
    job.mapping = _stored_mapping(fields)
    job.status = ImportStatus.PREVIEWING
    _drop_plan(job)
    job.preview = {}
    job.result = {}
    job.rows_done = 0
    job.lease_until = lease_expiry()
    job.task_id = ""
    job.save()
    logger.info("people import %s: columns %s set by %s", job.pk, job.mapping, by)
    return job


def _progress(job: ImportJob) -> Any:
    last = time.monotonic()

    def report(rows: int) -> None:
        nonlocal last
        # Twice a second is enough for the bar, and each write costs a commit.
        if time.monotonic() - last >= PROGRESS_SECONDS:
            last = time.monotonic()
            # Outside the import's transaction, so the page polling the job sees it move.
            ImportJob.objects.filter(pk=job.pk).update(rows_done=rows)

    return report


def _store_plan(job: ImportJob, plan: Plan) -> None:
    _drop_plan(job)
    # Written as it is encoded: the plan of 50,000 rows is never a string in memory.
    with tempfile.TemporaryFile() as stored:
        text = io.TextIOWrapper(stored, encoding="utf-8")
        plan.write_json(text)
        text.flush()
        stored.seek(0)
        job.plan_file.save("plan", File(stored), save=False)
        text.detach()


def _stored_plan(job: ImportJob) -> Plan | None:
    """The preview's plan, if it still holds: same registry, same day (ages change)."""
    if not job.plan_file:
        return None
    with job.plan_file.open("rb") as stored:
        plan = Plan.from_json(json.load(stored))
    if plan.today != org_today(job.organisation).isoformat():
        return None
    if plan.fingerprint != fingerprint(job.organisation):
        return None
    return plan


def _drop_plan(job: ImportJob) -> None:
    if job.plan_file:
        job.plan_file.delete(save=False)


def import_job_drop_files(job: ImportJob) -> None:
    """Delete the stored rows and plan (personal data) and forget them on the row."""
    had = bool(job.file or job.plan_file)
    job.file.delete(save=False)
    _drop_plan(job)
    if had:
        ImportJob.objects.filter(pk=job.pk).update(file="", plan_file="")


def _plan(job: ImportJob, *, progress: bool = True) -> Plan:
    organisation = job.organisation
    rows = _rows(job)
    header_cells: list[Cell] = []
    for line, cells in rows:
        if line == job.header_row:
            header_cells = cells
            break
    mapping = job_mapping(job)
    planner = Planner(
        organisation,
        job.kind,
        mapping,
        column_labels(header_cells, mapping),
        today=org_today(organisation),
    )
    return planner.run(rows, job.header_row, _progress(job) if progress else None)


def _fail(job: ImportJob, summary: dict[str, Any]) -> ImportJob:
    """End the job as failed: it cannot be taken up again, so its files go at once."""
    import_job_drop_files(job)
    job.status = ImportStatus.FAILED
    job.result = summary
    job.finished_at = timezone.now()
    job.lease_until = None
    # An update, never an insert: a job cancelled meanwhile stays cancelled.
    job.save(force_update=True)
    return job


def people_import_preview(job: ImportJob) -> ImportJob:
    """Judge every row against the registry and store what the import would do."""
    _require(job, ImportStatus.PREVIEWING)
    try:
        plan = _plan(job)
    except ValidationError as error:
        return _fail(job, {"error": error.messages[0]})
    except Exception:
        logger.exception("people import %s: the preview failed", job.pk)
        return _fail(job, {"error": str(IMPORT_MESSAGES["failed"])})
    _store_plan(job, plan)
    # Only a job still being checked takes the result: one found lost meanwhile stays failed.
    settled = ImportJob.objects.filter(pk=job.pk, status=ImportStatus.PREVIEWING).update(
        preview=plan.summary(),
        plan_file=job.plan_file.name,
        rows_total=plan.rows,
        rows_done=plan.rows,
        status=ImportStatus.PREVIEWED,
        lease_until=None,
        updated_at=timezone.now(),
    )
    if not settled:
        _drop_plan(job)
    job.refresh_from_db()
    return job


def import_job_confirm(job: ImportJob, *, skip_invalid: bool, by: User | None) -> ImportJob:
    """The curator's go-ahead after the preview; rows with errors block it unless skipped."""
    _require(job, ImportStatus.PREVIEWED)
    invalid = job.preview.get("invalid", 0)
    if invalid and not skip_invalid:
        raise ValidationError(
            IMPORT_MESSAGES["problems"], code="problems", params={"count": invalid}
        )
    # A second click, or a second curator, finds the job taken.
    taken = ImportJob.objects.filter(pk=job.pk, status=ImportStatus.PREVIEWED).update(
        status=ImportStatus.IMPORTING,
        skip_invalid=skip_invalid,
        rows_done=0,
        confirmed_by=by,
        lease_until=lease_expiry(),
        task_id="",
        updated_at=timezone.now(),
    )
    if not taken:
        job.refresh_from_db()
        _require(job, ImportStatus.PREVIEWED)
    job.refresh_from_db()
    logger.info("people import %s confirmed by %s", job.pk, by)
    return job


class _Refused(Exception):
    def __init__(self, plan: Plan) -> None:
        self.plan = plan


class _Settled(Exception):
    """The job was found lost or cancelled while its rows were being written."""


def people_import_commit(job: ImportJob) -> ImportJob:
    """Write the plan, all of it or nothing.

    The file is judged again: the registry may have changed since the preview. The rows are
    judged outside the transaction (so the progress shows) and judged once more inside it,
    under a lock on the organisation, if anyone changed the registry in between.

    The job becomes "done" in the same transaction as the rows: after a crash either both are
    there or neither is, and a job found lost meanwhile gets no rows.
    """
    _require(job, ImportStatus.IMPORTING)
    organisation = job.organisation
    try:
        plan = _stored_plan(job) or _plan(job)
        with transaction.atomic():
            # One import at a time per organisation; SQLite serialises writers anyway.
            Organisation.objects.select_for_update().filter(pk=organisation.pk).first()
            if fingerprint(organisation) != plan.fingerprint:
                plan = _plan(job, progress=False)
            if plan.problems and not job.skip_invalid:
                raise _Refused(plan)
            _write(plan, organisation, job.confirmed_by)
            fault_pause("import_commit")
            finished_at = timezone.now()
            settled = ImportJob.objects.filter(pk=job.pk, status=ImportStatus.IMPORTING).update(
                status=ImportStatus.DONE,
                result=plan.summary(),
                rows_done=job.rows_total,
                finished_at=finished_at,
                lease_until=None,
                updated_at=finished_at,
            )
            if not settled:
                raise _Settled
    except _Settled:
        logger.warning("people import %s: ended elsewhere meanwhile, nothing written", job.pk)
        return job
    except _Refused as refused:
        return _fail(job, {**refused.plan.summary(), "refused": True})
    except ValidationError as error:
        return _fail(job, {"error": error.messages[0]})
    except Exception:
        logger.exception("people import %s: the import failed, nothing was written", job.pk)
        return _fail(job, {"error": str(IMPORT_MESSAGES["failed"])})
    job.refresh_from_db()
    # The files hold personal data and are no longer needed.
    import_job_drop_files(job)
    job.refresh_from_db()
    logger.info(
        "people import %s into %s: %s created, %s updated, %s guardians, %s links",
        job.pk,
        organisation.slug,
        len(plan.creates),
        len(plan.updates),
        len(plan.guardians),
        len(plan.links),
    )
    return job


def _write(plan: Plan, organisation: Organisation, by: User | None) -> None:
    """Every row of the plan, and its audit entries: called inside the import's transaction."""
    new = [*plan.creates, *plan.guardians]
    refs: dict[int, int] = {}
    names: dict[int, str] = {}
    # A batch at a time: 50,000 people are never 50,000 model instances in memory at once.
    for start in range(0, len(new), WRITE_BATCH):
        batch = new[start : start + WRITE_BATCH]
        people = [
            Person(
                organisation=organisation,
                name_key=person_name_key(
                    p.data["last_name"], p.data["first_name"], p.data["middle_name"]
                ),
                **p.data,
            )
            for p in batch
        ]
        # bulk_create skips save(), which sets name_key: it is set above.
        Person.objects.bulk_create(people)
        audit_record_people_created(people, EDITABLE_FIELDS, by)
        for p, person in zip(batch, people, strict=True):
            refs[p.ref] = person.pk
            names[p.ref] = person.full_name

    now = timezone.now()
    by_fields: dict[tuple[str, ...], list[Person]] = defaultdict(list)
    for change in plan.updates:
        by_fields[tuple(change.fields)].append(
            Person(pk=change.pk, updated_at=now, **{f: change.data[f] for f in change.fields})
        )
    for fields, changed in by_fields.items():
        Person.objects.bulk_update(changed, [*fields, "updated_at"], batch_size=WRITE_BATCH)
    for change in plan.updates:
        audit_record(
            organisation,
            action=AuditAction.UPDATE,
            object_type=AuditObject.PERSON,
            object_id=change.pk,
            label=change.name,
            by=by,
            person=Person(pk=change.pk),
            changes=diff(change.before, {f: change.data[f] for f in change.fields}),
        )
        names[change.pk] = change.name

    links = [
        GuardianLink(
            organisation=organisation,
            child_id=refs.get(link.child, link.child),
            guardian_id=refs.get(link.guardian, link.guardian),
            relation=link.relation,
        )
        for link in plan.links
    ]
    GuardianLink.objects.bulk_create(links, batch_size=WRITE_BATCH)
    if links:
        known = {
            person.pk: person.full_name
            for person in Person.objects.filter(
                pk__in={pk for link in links for pk in (link.child_id, link.guardian_id)}
            ).only("last_name", "first_name", "middle_name")
        }
        for link in links:
            child = names.get(link.child_id) or known[link.child_id]
            guardian = names.get(link.guardian_id) or known[link.guardian_id]
            audit_record(
                organisation,
                action=AuditAction.CREATE,
                object_type=AuditObject.GUARDIAN_LINK,
                object_id=link.pk,
                label=f"{guardian} → {child}",
                by=by,
                person=Person(pk=link.child_id),
                related_person=Person(pk=link.guardian_id),
                changes=created({"relation": link.relation}),
            )


def import_job_is_live(job: ImportJob) -> bool:
    """Running, and renewed lately: a job waiting in the queue, or whose worker is gone, is not."""
    return job.is_running and job.lease_until is not None and job.lease_until > timezone.now()


def import_job_discard(job: ImportJob, by: User | None) -> None:
    """Forget an import that is not running, and its file."""
    if import_job_is_live(job):
        raise ValidationError(IMPORT_MESSAGES["running"], code="running")
    logger.info("people import %s discarded by %s", job.pk, by)
    import_job_drop_files(job)
    job.delete()
