"""Forms of the people registry. They parse what people type; the rules live in
`nastavnik.people.validators`, which the forms call so errors show next to their fields."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from django import forms
from django.core.exceptions import NON_FIELD_ERRORS, ValidationError
from django.utils.translation import gettext_lazy as _

from nastavnik.consents.rules import hidden_q
from nastavnik.core.forms import model_choice_field, text_field
from nastavnik.orgs.models import Organisation
from nastavnik.people.models import (
    ExternalCategory,
    Gender,
    GuardianRelation,
    Person,
    PersonKind,
)
from nastavnik.people.validators import (
    EDITABLE_FIELDS,
    GRADE_MAX,
    GRADE_MIN,
    KIND_FIELDS,
    NAME_MAX_LENGTH,
    REQUIRED_BY_KIND,
    normalise_person_data,
    validate_guardian_link,
    validate_person_data,
)

if TYPE_CHECKING:
    from django_stubs_ext import StrOrPromise

# No relation is preselected: the curator states it rather than accepting a default.
RELATION_CHOICES = [("", "—"), *GuardianRelation.choices]


class DateInput(forms.DateInput):
    input_type = "date"

    def __init__(self, attrs: dict[str, Any] | None = None) -> None:
        # ISO is what <input type="date"> sends and expects, whatever the language.
        super().__init__(attrs=attrs, format="%Y-%m-%d")


def _name_field(label: StrOrPromise, *, required: bool) -> forms.CharField:
    return forms.CharField(
        label=label,
        required=required,
        max_length=NAME_MAX_LENGTH,
        widget=forms.TextInput(attrs={"autocomplete": "off", "spellcheck": "false"}),
    )


class PersonForm(forms.Form):
    """One form for every category; the fields of a category are shown and required by kind."""

    kind = forms.ChoiceField(label=_("Category"), choices=PersonKind.choices)
    last_name = _name_field(_("Last name"), required=True)
    first_name = _name_field(_("First name"), required=True)
    middle_name = _name_field(_("Patronymic"), required=False)
    gender = forms.ChoiceField(label=_("Gender"), choices=Gender.choices, widget=forms.RadioSelect)
    birth_date = forms.DateField(
        label=_("Birth date"),
        required=False,
        widget=DateInput,
        help_text=_("Required for students."),
    )

    grade = forms.IntegerField(
        label=_("Grade"),
        required=False,
        widget=forms.NumberInput(attrs={"min": GRADE_MIN, "max": GRADE_MAX}),
        help_text=_("From 1 to 11."),
    )
    class_letter = forms.CharField(
        label=_("Class letter"),
        required=False,
        max_length=2,
        widget=forms.TextInput(attrs={"size": 2, "autocomplete": "off"}),
        help_text=_("One Cyrillic letter, for example А; leave empty if the grade has one class."),
    )
    position = forms.CharField(label=_("Position"), required=False, max_length=120)
    subjects = forms.CharField(
        label=_("Subjects"),
        required=False,
        max_length=300,
        help_text=_("Separated by commas."),
    )
    experience_years = forms.IntegerField(
        label=_("Years of experience"),
        required=False,
        widget=forms.NumberInput(attrs={"min": 0, "max": 60}),
    )
    graduation_year = forms.IntegerField(
        label=_("Graduation year"),
        required=False,
        widget=forms.NumberInput(attrs={"min": 1950}),
    )
    external_category = forms.ChoiceField(
        label=_("Who the person is"),
        required=False,
        choices=[("", "—"), *ExternalCategory.choices],
    )
    workplace = forms.CharField(label=_("Place of work or study"), required=False, max_length=200)

    email = forms.EmailField(label=_("E-mail"), required=False)
    phone = forms.CharField(
        label=_("Phone"),
        required=False,
        max_length=40,
        widget=forms.TextInput(attrs={"type": "tel", "autocomplete": "off"}),
        help_text=_("10 to 15 digits, for example +7 912 345-67-89."),
    )
    notes = text_field(_("Notes"))

    # Fields that belong to one category or another, in the order they are shown.
    kind_fields: tuple[str, ...] = (
        "grade",
        "class_letter",
        "position",
        "subjects",
        "experience_years",
        "graduation_year",
        "external_category",
        "workplace",
    )

    def __init__(
        self,
        *args: Any,
        organisation: Organisation,
        instance: Person | None = None,
        **kwargs: Any,
    ) -> None:
        if instance is not None and "initial" not in kwargs:
            kwargs["initial"] = {field: getattr(instance, field) for field in EDITABLE_FIELDS}
        super().__init__(*args, **kwargs)
        self.organisation = organisation
        self.instance = instance
        self.duplicate: Person | None = None

    @property
    def current_kind(self) -> str:
        """The category the form is about: the submitted one, else the initial one."""
        value = self["kind"].value()
        return value if value in PersonKind.values else PersonKind.STUDENT

    def kinds_of(self, field: str) -> list[str]:
        return [kind for kind, fields in KIND_FIELDS.items() if field in fields]

    def kind_sections(self) -> list[dict[str, Any]]:
        """The kind-specific fields with the categories that use them, for the template."""
        current = self.current_kind
        return [
            {
                "field": self[name],
                "kinds": " ".join(self.kinds_of(name)),
                "visible": current in self.kinds_of(name),
                "required": any(name in REQUIRED_BY_KIND[kind] for kind in self.kinds_of(name)),
            }
            for name in self.kind_fields
        ]

    def birth_date_required_for(self) -> str:
        return " ".join(k for k, fields in REQUIRED_BY_KIND.items() if "birth_date" in fields)

    @property
    def birth_date_required(self) -> bool:
        return "birth_date" in REQUIRED_BY_KIND[PersonKind(self.current_kind)]

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        if "kind" not in cleaned:
            return cleaned
        data = normalise_person_data(cleaned)
        try:
            data = validate_person_data(self.organisation, data, instance=self.instance)
        except ValidationError as error:
            # A field that did not parse already says why; the rules speak about the rest.
            self.add_rule_errors(error, skip=set(self.errors))
            return cleaned
        if not self.errors:
            cleaned.update(data)
        return cleaned

    def add_rule_errors(self, error: ValidationError, skip: set[str] | None = None) -> None:
        """Show a service's or validator's ValidationError on the fields it names."""
        if not hasattr(error, "error_dict"):
            self.add_error(None, error)
            return
        for field, errors in error.error_dict.items():
            if skip and field in skip:
                continue
            target = field if field in self.fields else None
            for item in errors:
                if item.code == "duplicate" and item.params:
                    self.duplicate = item.params.get("person")
                self.add_error(target if target != NON_FIELD_ERRORS else None, item)


class GuardianPickForm(forms.Form):
    """Link an adult already in the registry as a legal guardian of a student."""

    guardian = forms.ModelChoiceField(
        label=_("Legal guardian"),
        queryset=Person.objects.none(),
        widget=forms.RadioSelect,
        error_messages={
            "required": _("Choose a person from the list."),
            "invalid_choice": _("Choose a person of this organisation from the list."),
        },
    )
    relation = forms.ChoiceField(label=_("Relation"), choices=RELATION_CHOICES)

    def __init__(self, *args: Any, child: Person, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.child = child
        # Only people of the child's organisation can be chosen: another organisation's pk is
        # "not a valid choice", exactly like a pk that does not exist.
        model_choice_field(self, "guardian").queryset = (
            Person.objects.for_org(child.organisation)
            .exclude(kind=PersonKind.STUDENT)
            .exclude(pk=child.pk)
            .exclude(hidden_q())
        )

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        if self.errors:
            return cleaned
        try:
            validate_guardian_link(self.child, cleaned["guardian"], cleaned["relation"])
        except ValidationError as error:
            self.add_error(None, error)
        return cleaned


class GuardianNewForm(PersonForm):
    """A new parent, created and linked in the same step."""

    relation = forms.ChoiceField(label=_("Relation"), choices=RELATION_CHOICES)
    field_order = ["relation"]
    kind_fields = KIND_FIELDS[PersonKind.PARENT]

    def __init__(self, *args: Any, child: Person, **kwargs: Any) -> None:
        kwargs.setdefault("prefix", "new")
        super().__init__(*args, organisation=child.organisation, **kwargs)
        self.child = child
        self.fields["kind"].initial = PersonKind.PARENT
        self.fields["kind"].disabled = True
        for name in PersonForm.kind_fields:
            if name not in self.kind_fields:
                del self.fields[name]

    @property
    def current_kind(self) -> str:
        return PersonKind.PARENT
