"""English texts of the built-in catalogue, shown when the interface is English.

The built-in rows (no organisation) are stored in Russian, as the seeds name them; a form is
keyed by its stable `code`, a role model by its form's code and its Russian name (role models
have no code of their own). An organisation's own rows have no entry here and always read as
entered. One place decides: `form_text` and `role_model_text`.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Literal

from nastavnik.core.language import reads_english

if TYPE_CHECKING:
    from nastavnik.catalogue.models import MentoringForm, RoleModel

FormField = Literal["name", "goal", "mentor_description", "mentee_description"]
RoleModelField = Literal["name", "goal"]

FORMS: dict[str, dict[FormField, str]] = {
    "student-student": {
        "name": "Student – student",
        "goal": "All-round support of a student with special educational or social needs, or "
        "temporary help in adapting to new conditions of study.",
        "mentor_description": "An active senior student with leadership and organising skills",
        "mentee_description": "A student with low motivation who struggles with studies or "
        "adaptation",
    },
    "teacher-teacher": {
        "name": "Teacher – teacher",
        "goal": "A young specialist settles in at work and grows professionally; a new "
        "colleague is supported after changing jobs.",
        "mentor_description": "An experienced teacher ready to pass on experience",
        "mentee_description": "A young specialist, a new colleague or a teacher having "
        "difficulties",
    },
    "teacher-student": {
        "name": "Teacher – student",
        "goal": "Students take a conscious approach to their personal potential; more students "
        "develop their own talents and skills.",
        "mentor_description": "A teacher with leadership, organising and communication skills",
        "mentee_description": "A student who needs support in development or in choosing a path",
    },
    "student-pupil": {
        "name": "College student – pupil",
        "goal": "The pupil learns about the next stage of education, improves results and "
        "motivation, widens meta-skills and gains what is needed to choose a future profession "
        "consciously.",
        "mentor_description": "A student of a vocational college or a university",
        "mentee_description": "A pupil of a general education school",
    },
    "employer-pupil": {
        "name": "Employer – pupil",
        "goal": "The pupil takes a conscious approach to personal potential; more pupils "
        "develop their own talents and skills; career guidance.",
        "mentor_description": "A representative of a company or an organisation, an entrepreneur",
        "mentee_description": "A pupil choosing a profession",
    },
    "employer-student": {
        "name": "Employer – college student",
        "goal": "The student gains current knowledge and skills needed to enter the "
        "profession, finds a job and settles in at it.",
        "mentor_description": "An employer's representative, an experienced specialist",
        "mentee_description": "A college student",
    },
}

_SKILLS = "Exchange of skills to reach goals."
_RESULTS = "Better educational results."
_PROJECT = "Joint work on a creative, entrepreneurial or social project."

ROLE_MODELS: dict[tuple[str, str], dict[RoleModelField, str]] = {
    ("student-student", "Успевающий – неуспевающий"): {
        "name": "High achiever – low achiever",
        "goal": _RESULTS,
    },
    ("student-student", "Лидер – пассивный"): {
        "name": "Leader – passive",
        "goal": "Emotional support with adapting to the group or developing communication, "
        "creative and leadership skills.",
    },
    ("student-student", "Равный – равному"): {"name": "Peer to peer", "goal": _SKILLS},
    ("student-student", "Адаптированный – неадаптированный"): {
        "name": "Adapted – not yet adapted",
        "goal": "Adapting to new conditions of study.",
    },
    ("teacher-teacher", "Опытный педагог – молодой специалист"): {
        "name": "Experienced teacher – young specialist",
        "goal": "Support in gaining the professional skills needed and settling in at work.",
    },
    ("teacher-teacher", "Опытный классный руководитель – молодой специалист"): {
        "name": "Experienced form tutor – young specialist",
        "goal": "Support in gaining the skills of working with a class and settling in at work.",
    },
    ("teacher-teacher", "Лидер педагогического сообщества – педагог, испытывающий проблемы"): {
        "name": "Leader of the teaching community – teacher having problems",
        "goal": "Emotional support combined with professional help in finding and developing "
        "teaching talents and initiatives.",
    },
    ("teacher-teacher", "Педагог-новатор – консервативный педагог"): {
        "name": "Innovative teacher – conservative teacher",
        "goal": "Help in mastering current programmes, digital skills and ICT competences.",
    },
    ("teacher-teacher", "Опытный предметник – неопытный предметник"): {
        "name": "Experienced subject teacher – inexperienced subject teacher",
        "goal": "Methodological support in a particular subject.",
    },
    ("teacher-student", "Активный профессионал – равнодушный потребитель"): {
        "name": "Active professional – indifferent consumer",
        "goal": "Motivational and values support with developing communication, creative and "
        "leadership skills, encouraging self-development and a conscious choice of an "
        "educational and career path.",
    },
    ("teacher-student", "Коллега – молодой коллега"): {
        "name": "Colleague – young colleague",
        "goal": _PROJECT,
    },
    ("student-pupil", "Успевающий – неуспевающий"): {
        "name": "High achiever – low achiever",
        "goal": _RESULTS,
    },
    ("student-pupil", "Лидер – равнодушный"): {
        "name": "Leader – indifferent",
        "goal": "Emotional support, adapting to the group, developing communication, creative "
        "and leadership skills.",
    },
    ("student-pupil", "Равный – другому"): {"name": "Peer to peer", "goal": _SKILLS},
    ("student-pupil", "Куратор – автор проекта"): {
        "name": "Supervisor – project author",
        "goal": "Joint work on a project.",
    },
    ("employer-pupil", "Активный профессионал – равнодушный потребитель"): {
        "name": "Active professional – indifferent consumer",
        "goal": "Motivational and values support, a conscious choice of an educational and "
        "career path.",
    },
    ("employer-pupil", "Коллега – молодой коллега"): {
        "name": "Colleague – young colleague",
        "goal": _PROJECT,
    },
    ("employer-student", "Активный профессионал – равнодушный потребитель"): {
        "name": "Active professional – indifferent consumer",
        "goal": "Motivational and values support, developing professional skills.",
    },
    ("employer-student", "Коллега – молодой коллега"): {
        "name": "Colleague – young colleague",
        "goal": "Joint work on a project, developing professional competences.",
    },
    ("employer-student", "Работодатель – будущий сотрудник"): {
        "name": "Employer – future employee",
        "goal": "Professional support aimed at the skills needed to get a job.",
    },
}


def form_text(form: MentoringForm, field: FormField) -> str:
    """The field as the reader's language shows it: English for a built-in form when the
    interface is English, else as stored."""
    stored: str = getattr(form, field)
    if form.organisation_id is not None or not reads_english():
        return stored
    return FORMS.get(form.code, {}).get(field, stored)


def role_model_text(role_model: RoleModel, field: RoleModelField) -> str:
    stored: str = getattr(role_model, field)
    if role_model.organisation_id is not None or not reads_english():
        return stored
    # The form is read only in English: a Russian page of role models costs no query for it.
    return ROLE_MODELS.get((role_model.form.code, role_model.name), {}).get(field, stored)
