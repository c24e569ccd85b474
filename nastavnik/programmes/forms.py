"""Forms of the programme pages. They collect input; the rules live in `services`, whose
errors the views put back on these forms."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from django import forms
from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _

from nastavnik.catalogue.models import MentoringForm, MentoringKind, RoleModel
from nastavnik.consents.rules import hidden_q
from nastavnik.core.forms import (
    DATE_WIDGET,
    RuleErrorsMixin,
    ScanField,
    StaffChoiceField,
    choice_field,
    model_choice_field,
    text_field,
)
from nastavnik.core.uploads import check_scan
from nastavnik.orgs.models import AcademicYear, Organisation
from nastavnik.people.models import Person, PersonKind
from nastavnik.programmes.models import (
    PlanSection,
    Programme,
    ProgrammeForm,
    ResponsibleRole,
    SocialPartner,
    Stage,
)
from nastavnik.programmes.services import MESSAGES, PARTNER_FIELDS

if TYPE_CHECKING:
    from django_stubs_ext import StrOrPromise

TEXTAREA = forms.Textarea(attrs={"rows": 4})


def staff_of(organisation: Organisation) -> Any:
    return (
        Person.objects.for_org(organisation)
        .filter(kind=PersonKind.STAFF)
        .exclude(hidden_q())
        .order_by("name_key")
    )


class YearChoiceField(forms.ModelChoiceField):
    """A programme, shown by its academic year («2025/2026»)."""

    def label_from_instance(self, obj: Programme) -> str:
        return obj.academic_year.label


class ProgrammeChoice(forms.Form):
    """The year a page shows, among `programmes`; `current` unless the reader chose another."""

    programme = YearChoiceField(
        label=_("Programme"), queryset=Programme.objects.none(), required=False, empty_label=None
    )

    def __init__(self, *args: Any, programmes: QuerySet[Programme], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        model_choice_field(self, "programme").queryset = programmes

    def chosen(self, current: Programme | None) -> Programme | None:
        if self.is_bound and self.is_valid() and self.cleaned_data["programme"] is not None:
            return self.cleaned_data["programme"]
        return current


class ProgrammeCreateForm(RuleErrorsMixin, forms.Form):
    academic_year = forms.TypedChoiceField(label=_("Academic year"), coerce=int)
    source = YearChoiceField(
        label=_("Start from"),
        queryset=Programme.objects.none(),
        required=False,
        empty_label=_("An empty programme"),
        help_text=_(
            "A copy takes the forms, texts, typical plans, team, partners and roadmap of that "
            "year; dates move to the new year and nothing is marked done."
        ),
    )

    def __init__(self, *args: Any, organisation: Organisation, years: list[int], **kwargs: Any):
        super().__init__(*args, **kwargs)
        choice_field(self, "academic_year").choices = [(y, f"{y}/{y + 1}") for y in years]
        model_choice_field(self, "source").queryset = (
            Programme.objects.for_org(organisation)
            .select_related("academic_year")
            .order_by("-academic_year__start_year")
        )

    def clean_academic_year(self) -> AcademicYear:
        return AcademicYear.objects.get_or_create(start_year=self.cleaned_data["academic_year"])[0]


class ProgrammeEditForm(RuleErrorsMixin, forms.ModelForm):
    curator = StaffChoiceField(label=_("Curator"), queryset=Person.objects.none(), required=False)

    class Meta:
        model = Programme
        fields = ["curator", "explanatory_note", "goal", "tasks", "expected_results"]
        widgets = {
            "explanatory_note": TEXTAREA,
            "goal": forms.Textarea(attrs={"rows": 3}),
            "tasks": TEXTAREA,
            "expected_results": TEXTAREA,
        }

    def __init__(self, *args: Any, **kwargs: Any):
        super().__init__(*args, **kwargs)
        model_choice_field(self, "curator").queryset = staff_of(self.instance.organisation)
        if not self.instance.is_draft:
            # Approved content stays as the order approved it; the curator may still change.
            for name in ("explanatory_note", "goal", "tasks", "expected_results"):
                self.fields[name].disabled = True


class FormAddForm(RuleErrorsMixin, forms.Form):
    form = forms.ModelChoiceField(label=_("Form"), queryset=MentoringForm.objects.none())

    def __init__(self, *args: Any, programme: Programme, **kwargs: Any):
        super().__init__(*args, **kwargs)
        chosen = programme.chosen_forms.values("form_id")
        model_choice_field(self, "form").queryset = MentoringForm.objects.available_to(
            programme.organisation
        ).exclude(pk__in=chosen)


def _pair_kinds() -> list[tuple[str, StrOrPromise]]:
    # A group is group mentoring whatever its form: the default is for the form's pairs.
    return [(v, label) for v, label in MentoringKind.choices if v != MentoringKind.GROUP]


class ProgrammeFormForm(RuleErrorsMixin, forms.Form):
    default_kind = forms.ChoiceField(
        label=_("Kind of mentoring of the pairs"),
        choices=_pair_kinds,
        help_text=_(
            "The kind a new pair of this form starts with; a group starts as group mentoring. "
            "The curator can change it on the card of each pair."
        ),
    )
    role_models = forms.ModelMultipleChoiceField(
        label=_("Role models"),
        queryset=RoleModel.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    goal = text_field(_("Goal"))
    tasks = text_field(_("Tasks"), rows=4, help_text=_("One task a line."))
    expected_results = text_field(_("Expected results"), rows=4, help_text=_("One result a line."))

    def __init__(self, *args: Any, chosen: ProgrammeForm, **kwargs: Any):
        kwargs.setdefault(
            "initial",
            {
                "default_kind": chosen.default_kind,
                "role_models": list(chosen.role_models.values_list("pk", flat=True)),
                "goal": chosen.goal,
                "tasks": chosen.tasks,
                "expected_results": chosen.expected_results,
            },
        )
        super().__init__(*args, **kwargs)
        model_choice_field(self, "role_models").queryset = RoleModel.objects.available_to(
            chosen.organisation
        ).filter(form_id=chosen.form_id)
        model_choice_field(self, "role_models").label_from_instance = lambda obj: (
            f"{obj.name} — {obj.goal}"
        )


class PlanItemForm(forms.Form):
    section = forms.ChoiceField(label=_("Section"), choices=PlanSection.choices)
    text = text_field(_("Content"), rows=2)
    timing = forms.CharField(label=_("When"), required=False, max_length=100)


PlanFormSet = forms.formset_factory(PlanItemForm, extra=3, max_num=100, absolute_max=200)


class TeamMemberForm(RuleErrorsMixin, forms.Form):
    person = StaffChoiceField(label=_("Staff member"), queryset=Person.objects.none())
    responsibility = forms.CharField(
        label=_("Role in the programme"),
        required=False,
        max_length=300,
        help_text=_("For example: «диагностика наставляемых, собеседования с наставниками»."),
    )

    def __init__(self, *args: Any, programme: Programme, **kwargs: Any):
        super().__init__(*args, **kwargs)
        model_choice_field(self, "person").queryset = staff_of(programme.organisation).exclude(
            pk__in=programme.team.values("person_id")
        )


class PartnerForm(RuleErrorsMixin, forms.ModelForm):
    class Meta:
        model = SocialPartner
        fields = list(PARTNER_FIELDS)
        widgets = {
            "contribution": forms.Textarea(attrs={"rows": 3}),
            "agreement_date": DATE_WIDGET,
            "agreement_until": DATE_WIDGET,
        }


def _stage_choices() -> list[tuple[str, str]]:
    return [("", "—"), *((str(value), f"{value}. {label}") for value, label in Stage.choices)]


class EventForm(RuleErrorsMixin, forms.Form):
    stage = forms.TypedChoiceField(
        label=_("Stage"),
        coerce=int,
        choices=_stage_choices,
        error_messages={"required": MESSAGES["stage_required"]},
    )
    title = text_field(
        _("Event"), rows=2, required=True, error_messages={"required": MESSAGES["title_required"]}
    )
    starts_on = forms.DateField(
        label=_("Starts on"),
        required=False,
        widget=DATE_WIDGET,
        help_text=_("For an event that runs over a period; leave empty for a deadline."),
    )
    due_on = forms.DateField(
        label=_("Due"), widget=DATE_WIDGET, error_messages={"required": MESSAGES["due_required"]}
    )
    responsible_roles = forms.MultipleChoiceField(
        label=_("Responsible"),
        choices=ResponsibleRole.choices,
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    responsible_person = StaffChoiceField(
        label=_("Responsible person"), queryset=Person.objects.none(), required=False
    )

    def __init__(self, *args: Any, organisation: Organisation, **kwargs: Any):
        super().__init__(*args, **kwargs)
        model_choice_field(self, "responsible_person").queryset = staff_of(organisation)


class EventMoveForm(RuleErrorsMixin, forms.Form):
    starts_on = forms.DateField(label=_("Starts on"), required=False, widget=DATE_WIDGET)
    due_on = forms.DateField(
        label=_("Due"), widget=DATE_WIDGET, error_messages={"required": MESSAGES["due_required"]}
    )


class EventDoneForm(RuleErrorsMixin, forms.Form):
    done_on = forms.DateField(
        label=_("Done on"),
        widget=DATE_WIDGET,
        error_messages={"required": MESSAGES["done_required"]},
    )
    note = text_field(
        _("Note"), help_text=_("What was done, how many took part, where the materials are.")
    )
    file = ScanField(label=_("Attach a file"), required=False)

    def clean_file(self) -> Any:
        upload = self.cleaned_data.get("file")
        if upload:
            check_scan(upload)
        return upload
