"""Forms of the mentee base. They collect input; the rules live in `services`, whose errors the
views put back on these forms. Choice fields accept any posted value on purpose, so that an
unknown topic or slot is refused by the service with its own message, as for a questionnaire's
answer."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from django import forms
from django.utils.translation import gettext_lazy as _

from nastavnik.catalogue.profile import SLOT_CHOICES, DayPart, MeetingFormat, RequestTopic, Weekday
from nastavnik.core.forms import RuleErrorsMixin, choice_field, text_field
from nastavnik.mentees.models import InputSource, Mentee
from nastavnik.mentees.services import role_models_offered
from nastavnik.people.models import PersonKind
from nastavnik.programmes.models import Programme, ProgrammeForm

if TYPE_CHECKING:
    from django_stubs_ext import StrOrPromise


class AnyChoiceField(forms.ChoiceField):
    """Offers its choices, accepts any value: the service judges it."""

    def valid_value(self, value: Any) -> bool:
        return True


class AnyMultipleChoiceField(forms.MultipleChoiceField):
    def valid_value(self, value: Any) -> bool:
        return True


def _form_choices(programme: Programme) -> list[tuple[Any, StrOrPromise]]:
    chosen = ProgrammeForm.objects.filter(programme=programme).select_related("form")
    return [("", _("Not chosen yet"))] + [(c.form_id, c.form.shown_name) for c in chosen]


def _role_model_choices(programme: Programme, form_value: Any) -> list[tuple[Any, Any]]:
    """The role models of the mentee's form only: a role model of another form never fits."""
    empty: list[tuple[Any, Any]] = [("", _("Not chosen yet"))]
    try:
        form_pk = int(form_value)
    except (TypeError, ValueError):
        return empty
    chosen = (
        ProgrammeForm.objects.filter(programme=programme, form_id=form_pk)
        .select_related("form", "organisation")
        .first()
    )
    if chosen is None:
        return empty
    return empty + [(m.pk, m.shown_name) for m in role_models_offered(chosen)]


class ProfileFields(forms.Form):
    """The fields of a mentee's requests, shared by the add and the edit forms."""

    form = AnyChoiceField(label=_("Form"), required=False)
    topics = AnyMultipleChoiceField(
        label=_("Requests"),
        choices=RequestTopic.choices,
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    request_text = text_field(
        _("Request in own words"),
        rows=4,
        help_text=_("What the mentee wants to achieve, as they put it."),
    )
    asked_for_mentor = forms.BooleanField(
        label=_("The teacher asked for a mentor"),
        required=False,
        help_text=_("A teacher with three or more years of experience is a mentee only if asked."),
    )

    def __init__(self, *args: Any, programme: Programme, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.programme = programme
        choice_field(self, "form").choices = _form_choices(programme)


class MenteeAddForm(RuleErrorsMixin, ProfileFields):
    person = forms.IntegerField(label=_("Person"), required=False, widget=forms.HiddenInput)


class MenteeForm(RuleErrorsMixin, ProfileFields):
    role_model = AnyChoiceField(
        label=_("Role model"),
        required=False,
        help_text=_("The role models of the chosen form that the programme uses."),
    )
    subjects = forms.CharField(
        label=_("Subjects"),
        required=False,
        help_text=_("Separated by commas: the subjects the mentee needs help with."),
    )
    availability = AnyMultipleChoiceField(
        label=_("Time available"), choices=SLOT_CHOICES, required=False
    )
    meeting_format = AnyChoiceField(
        label=_("Meeting format"), choices=MeetingFormat.choices, widget=forms.RadioSelect
    )
    results = forms.CharField(
        label=_("Mean mark"),
        required=False,
        widget=forms.TextInput(attrs={"inputmode": "decimal", "size": 6}),
        help_text=_("From 2 to 5, for example 3.75."),
    )
    support_needed = forms.BooleanField(
        label=_("Needs psychological and pedagogical support"),
        required=False,
        help_text=_("For a mentee left without a mentor while the search goes on."),
    )

    def __init__(
        self,
        *args: Any,
        mentee: Mentee,
        form_choice: str | None = None,
        refresh_url: str = "",
        **kwargs: Any,
    ) -> None:
        initial = {
            "form": mentee.form_id or "",
            "role_model": mentee.role_model_id or "",
            "topics": mentee.topics,
            "request_text": mentee.request_text,
            "subjects": mentee.subjects,
            "availability": mentee.availability,
            "meeting_format": mentee.meeting_format,
            "results": "" if mentee.results is None else str(mentee.results),
            "asked_for_mentor": mentee.asked_for_mentor,
            "support_needed": mentee.support_needed,
        }
        if form_choice is not None:
            initial["form"] = form_choice
        super().__init__(*args, programme=mentee.programme, initial=initial, **kwargs)
        shown_form = self.data.get("form") if self.is_bound else initial["form"]
        choice_field(self, "role_model").choices = _role_model_choices(mentee.programme, shown_form)
        if refresh_url:
            # With JavaScript, choosing a form brings its role models at once; without it, they
            # come after saving the form.
            self.fields["form"].widget.attrs.update(
                {
                    "hx-get": refresh_url,
                    "hx-trigger": "change",
                    "hx-target": "#role-model-field",
                    "hx-select": "#role-model-field",
                    "hx-swap": "outerHTML",
                }
            )
        if mentee.person.kind != PersonKind.STAFF:
            del self.fields["asked_for_mentor"]

    def availability_grid(self) -> list[tuple[str, list[tuple[int, str, str, bool]]]]:
        """Weekdays by parts of the day, each cell a slot: (index, value, label, checked)."""
        ticked = {str(v) for v in (self["availability"].value() or [])}
        rows = []
        index = 0
        for day in Weekday:
            cells = []
            for part in DayPart:
                value = f"{day.value}-{part.value}"
                cells.append((index, value, f"{day.label}, {part.label}", value in ticked))
                index += 1
            rows.append((str(day.label), cells))
        return rows

    @staticmethod
    def day_parts() -> list[str]:
        return [str(part.label) for part in DayPart]


class LeaveForm(forms.Form):
    reason = text_field(
        _("Why the mentee leaves"),
        help_text=_("For example: moved to another school; the family withdrew the application."),
    )


class InputForm(RuleErrorsMixin, forms.Form):
    source = AnyChoiceField(
        label=_("The information comes from"),
        choices=[("", "—"), *InputSource.choices],
        required=False,
    )
    text = text_field(
        _("What you know about the mentee's needs"),
        rows=4,
        help_text=_("It is kept with your name and the date, and is not edited later."),
    )
