"""The filters of the list of pairs and groups, and the forms of their life: completion with
the results, early completion and replacement of the mentor (with their order), termination,
extension for an absence, a new planned end."""

from __future__ import annotations

from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _

from nastavnik.catalogue.models import MentoringForm, MentoringKind
from nastavnik.core.forms import DATE_WIDGET, RuleErrorsMixin, choice_field, model_choice_field
from nastavnik.mentors.models import Mentor
from nastavnik.mentorships.candidates import Suggestion
from nastavnik.mentorships.models import (
    RESULT_FIELDS,
    AbsenceReason,
    AbsentSide,
    MentorAssignment,
    Mentorship,
    MentorshipQuerySet,
    MentorshipStatus,
)
from nastavnik.mentorships.services import (
    PROJECT_MAX_LENGTH,
    REASON_TEXT_MAX_LENGTH,
    TEXT_MAX_LENGTH,
    check_ordinary_end,
)
from nastavnik.orders.forms import OrderDetailsForm
from nastavnik.orgs.models import Organisation
from nastavnik.programmes.forms import ProgrammeChoice
from nastavnik.programmes.models import Programme


class MentorshipFilter(ProgrammeChoice):
    form = forms.ModelChoiceField(
        label=_("Form"), queryset=MentoringForm.objects.none(), required=False, empty_label=_("All")
    )
    kind = forms.ChoiceField(
        label=_("Kind"), choices=[("", _("All")), *MentoringKind.choices], required=False
    )
    status = forms.ChoiceField(
        label=_("Status"), choices=[("", _("All")), *MentorshipStatus.choices], required=False
    )

    def __init__(
        self,
        *args: Any,
        organisation: Organisation,
        programmes: QuerySet[Programme],
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, programmes=programmes, **kwargs)
        model_choice_field(self, "form").queryset = MentoringForm.objects.available_to(organisation)

    def narrow(self, mentorships: MentorshipQuerySet) -> MentorshipQuerySet:
        if not (self.is_bound and self.is_valid()):
            return mentorships
        if self.cleaned_data["form"] is not None:
            mentorships = mentorships.filter(form=self.cleaned_data["form"])
        if self.cleaned_data["kind"]:
            mentorships = mentorships.filter(kind=self.cleaned_data["kind"])
        if self.cleaned_data["status"]:
            mentorships = mentorships.filter(status=self.cleaned_data["status"])
        return mentorships


# --- The life of a pair or group -------------------------------------------------------------


class OrderFieldsForm(OrderDetailsForm):
    """The number, date and signatory of the order a change makes (a replacement, an early
    completion), filled with the next number and the director."""


def _text_field(
    label: Any, *, required: bool = False, rows: int = 3, **kwargs: Any
) -> forms.CharField:
    return forms.CharField(
        label=label,
        required=required,
        widget=forms.Textarea(attrs={"rows": rows}),
        max_length=TEXT_MAX_LENGTH,
        **kwargs,
    )


class ResultsForm(RuleErrorsMixin, forms.Form):
    achievements = _text_field(
        _("Achievements"),
        help_text=_("Olympiads, competitions, certificates, what the mentee learned to do."),
    )
    project = forms.CharField(
        label=_("Project defended"),
        required=False,
        max_length=PROJECT_MAX_LENGTH,
        help_text=_("The title, if the mentee defended a project."),
    )
    grades_change = _text_field(
        _("Changes in grades"), rows=2, help_text=_("For example: mathematics from 3 to 4.")
    )
    summary = _text_field(_("Summary"), rows=4)
    mentor_feedback = _text_field(_("Final feedback of the mentor"))
    mentee_feedback = _text_field(_("Final feedback of the mentee"))

    def results(self) -> dict[str, str]:
        return {name: self.cleaned_data[name] for name in RESULT_FIELDS}


class CompleteForm(ResultsForm):
    ended_on = forms.DateField(label=_("Ended on"), widget=DATE_WIDGET)
    field_order = ["ended_on", *RESULT_FIELDS]

    def __init__(self, *args: Any, mentorship: Mentorship, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.mentorship = mentorship

    def clean_ended_on(self) -> Any:
        ended_on = self.cleaned_data["ended_on"]
        try:
            check_ordinary_end(self.mentorship, ended_on)
        except ValidationError as error:
            raise ValidationError(error.error_dict["ended_on"]) from error
        return ended_on


class CompleteEarlyForm(OrderFieldsForm):
    ended_on = forms.DateField(label=_("Ended on"), widget=DATE_WIDGET)
    reason = _text_field(
        _("Reason"),
        required=True,
        help_text=_(
            "Why the mentoring ends early, as agreed by the mentor and the curator: for "
            "example, the mentee mastered the planned competencies quickly."
        ),
    )
    agreed = forms.BooleanField(
        label=_("The mentor and the curator agreed to complete the mentoring early"),
        required=True,
    )
    field_order = ["ended_on", "reason", "agreed"]


class TerminateForm(RuleErrorsMixin, forms.Form):
    ended_on = forms.DateField(label=_("Ended on"), widget=DATE_WIDGET)
    reason = _text_field(_("Reason"), required=True)


class ExtendForm(RuleErrorsMixin, forms.Form):
    reason = forms.ChoiceField(
        label=_("Reason for the absence"), choices=AbsenceReason.choices, widget=forms.RadioSelect
    )
    reason_text = forms.CharField(
        label=_("The valid reason"),
        required=False,
        max_length=REASON_TEXT_MAX_LENGTH,
        help_text=_("Needed for another valid reason."),
    )
    absent_side = forms.ChoiceField(
        label=_("Who was absent"), choices=AbsentSide.choices, widget=forms.RadioSelect
    )
    absent_from = forms.DateField(label=_("Absent from"), widget=DATE_WIDGET)
    absent_to = forms.DateField(label=_("Absent to (inclusive)"), widget=DATE_WIDGET)


class KindForm(RuleErrorsMixin, forms.Form):
    kind = forms.ChoiceField(label=_("Kind of mentoring"), widget=forms.RadioSelect, choices=())

    def __init__(self, *args: Any, is_group: bool, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        # Group mentoring is offered to a group only (the service refuses it for a pair).
        choice_field(self, "kind").choices = [
            (value, label)
            for value, label in MentoringKind.choices
            if is_group or value != MentoringKind.GROUP
        ]


class TermForm(RuleErrorsMixin, forms.Form):
    planned_end = forms.DateField(label=_("Planned end"), widget=DATE_WIDGET)


class ReplaceForm(OrderFieldsForm):
    new_mentor = forms.TypedChoiceField(
        label=_("New mentor"), coerce=int, widget=forms.RadioSelect, choices=()
    )
    ground = forms.ChoiceField(
        label=_("Ground"),
        choices=[("", "—"), *MentorAssignment.Ground.choices],
    )
    on = forms.DateField(label=_("The new mentor takes over on"), widget=DATE_WIDGET)
    note = _text_field(
        _("Note"),
        rows=2,
        help_text=_("For example, the application the replacement is based on."),
    )
    field_order = ["new_mentor", "ground", "on", "note"]

    def __init__(self, *args: Any, suggestions: list[Suggestion], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.suggestions = suggestions
        choice_field(self, "new_mentor").choices = [
            (s.mentor.pk, s.mentor.person.full_name) for s in suggestions
        ]

    def chosen(self) -> Mentor | None:
        pk = self.cleaned_data.get("new_mentor")
        return next((s.mentor for s in self.suggestions if s.mentor.pk == pk), None)
