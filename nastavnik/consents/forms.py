"""Forms of the consents pages. They parse input; the rules live in `services.py`, whose
errors the views put back on these forms' fields."""

from __future__ import annotations

from typing import Any

from django import forms
from django.core.exceptions import NON_FIELD_ERRORS, ValidationError
from django.utils.translation import gettext_lazy as _

from nastavnik.consents.models import ConsentLink, Method, Purpose, Status
from nastavnik.consents.rules import REQUIRED_PURPOSES, Signing
from nastavnik.consents.texts import AUTHORITY_HINT
from nastavnik.core.forms import ScanField, choice_field, text_field
from nastavnik.people.models import GuardianLink, Person, PersonKind
from nastavnik.people.validators import GRADE_MAX, GRADE_MIN


class DateInput(forms.DateInput):
    input_type = "date"

    def __init__(self, attrs: dict[str, Any] | None = None) -> None:
        super().__init__(attrs=attrs, format="%Y-%m-%d")


class RuleErrorsMixin:
    def add_rule_errors(self, error: ValidationError) -> None:
        """Show a service's ValidationError on the fields it names."""
        form: forms.Form = self  # type: ignore[assignment]
        if not hasattr(error, "error_dict"):
            form.add_error(None, error)
            return
        for field, errors in error.error_dict.items():
            target = field if field in form.fields and field != NON_FIELD_ERRORS else None
            for item in errors:
                form.add_error(target, item)


def _signer_choices(subject: Person, signing: Signing) -> list[tuple[int, str]]:
    if not signing.minor:
        return [(subject.pk, subject.full_name)]
    links = GuardianLink.objects.filter(child=subject).select_related("guardian")
    return [
        (link.guardian_id, f"{link.guardian.full_name} — {link.get_relation_display()}")
        for link in links.order_by("guardian__name_key", "pk")
    ]


def _authority_help(subject: Person) -> str:
    hints = sorted(
        {
            AUTHORITY_HINT[relation]
            for relation in GuardianLink.objects.filter(child=subject).values_list(
                "relation", flat=True
            )
        }
    )
    base = str(_("With its number and date, as it goes into the consent text."))
    return f"{base} {'; '.join(hints)}" if hints else base


class PaperConsentForm(RuleErrorsMixin, forms.Form):
    purpose = forms.ChoiceField(label=_("Purpose"), choices=Purpose.choices)
    given_by = forms.TypedChoiceField(label=_("Signed by"), coerce=int, widget=forms.RadioSelect)
    authority_document = forms.CharField(
        label=_("Document proving the guardian's authority"), required=False, max_length=300
    )
    minor_signed = forms.BooleanField(
        label=_("The minor (14 or older) has signed the form as well"), required=False
    )
    given_on = forms.DateField(label=_("Date of signing"), widget=DateInput)
    valid_until = forms.DateField(label=_("Valid until"), widget=DateInput)
    scan = ScanField(label=_("Scan of the signed form"), help_text=_("PDF, JPEG or PNG."))

    def __init__(self, *args: Any, subject: Person, signing: Signing, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.subject = subject
        # Read back from this list: the field keeps an equal copy, typed loosely by the stubs.
        signers = _signer_choices(subject, signing)
        choice_field(self, "given_by").choices = signers
        if not signing.minor:
            del self.fields["authority_document"]
        else:
            self.fields["authority_document"].required = True
            self.fields["authority_document"].help_text = _authority_help(subject)
        if not signing.minor_signs:
            del self.fields["minor_signed"]
        if len(signers) == 1:
            self.fields["given_by"].initial = signers[0][0]

    def signer(self) -> Person:
        return Person.objects.get(
            organisation_id=self.subject.organisation_id, pk=self.cleaned_data["given_by"]
        )


class LinkIssueForm(RuleErrorsMixin, forms.Form):
    addressee = forms.TypedChoiceField(
        label=_("Who confirms"), coerce=int, widget=forms.RadioSelect
    )
    purposes = forms.MultipleChoiceField(
        label=_("Consents to ask for"),
        choices=Purpose.choices,
        widget=forms.CheckboxSelectMultiple,
        help_text=_("Each consent is a separate document; the guardian may give some of them."),
    )
    authority_document = forms.CharField(
        label=_("Document proving the guardian's authority"),
        required=False,
        max_length=300,
        help_text=_("Optional: the guardian can enter or correct it on the page."),
    )
    valid_until = forms.DateField(label=_("Consents valid until"), widget=DateInput)
    send = forms.BooleanField(
        label=_("Send the link by e-mail"),
        required=False,
        help_text=_("Otherwise print the page with the link and hand it over."),
    )

    def __init__(
        self,
        *args: Any,
        subject: Person,
        signing: Signing,
        missing: list[Purpose],
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, **kwargs)
        self.subject = subject
        # Read back from this list: the field keeps an equal copy, typed loosely by the stubs.
        addressees = _signer_choices(subject, signing)
        choice_field(self, "addressee").choices = addressees
        if len(addressees) == 1:
            self.fields["addressee"].initial = addressees[0][0]
        self.fields["purposes"].initial = [p for p in REQUIRED_PURPOSES if p in missing]
        if not signing.minor:
            del self.fields["authority_document"]
        else:
            self.fields["authority_document"].help_text = _authority_help(subject)

    def addressee_person(self) -> Person:
        return Person.objects.get(
            organisation_id=self.subject.organisation_id, pk=self.cleaned_data["addressee"]
        )


class WithdrawForm(RuleErrorsMixin, forms.Form):
    reason = text_field(
        _("Reason, or where the withdrawal came from"),
        required=True,
        help_text=_("For example: written request of the mother, received 12 March."),
        max_length=2000,
    )


class OwnWithdrawForm(RuleErrorsMixin, forms.Form):
    reason = text_field(_("Reason (optional)"), rows=2, max_length=2000)


class LinkConfirmForm(RuleErrorsMixin, forms.Form):
    purposes = forms.MultipleChoiceField(
        label=_("I give these consents"),
        widget=forms.CheckboxSelectMultiple,
        error_messages={"required": _("Choose at least one consent.")},
    )
    authority_document = forms.CharField(
        label=_("Document proving your authority as a legal guardian"),
        max_length=300,
        help_text=_("For example: birth certificate, series and number, date of issue."),
    )
    signed_name = forms.CharField(
        label=_("Your full name"),
        max_length=250,
        help_text=_("Typing your name is your signature under the consents you ticked."),
        widget=forms.TextInput(attrs={"autocomplete": "name", "spellcheck": "false"}),
    )
    minor_signed_name = forms.CharField(
        label=_("The child's full name, typed by the child"),
        max_length=250,
        help_text=_("From 14 the child signs the consent too."),
        widget=forms.TextInput(attrs={"autocomplete": "off", "spellcheck": "false"}),
    )
    agreed = forms.BooleanField(
        label=_("I have read the text of each consent I ticked and agree to it."),
        error_messages={"required": _("Tick the box to confirm that you have read the text.")},
    )

    def __init__(self, *args: Any, link: ConsentLink, signing: Signing, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        choice_field(self, "purposes").choices = [(p, Purpose(p).label) for p in link.purposes]
        self.fields["purposes"].initial = list(link.purposes)
        if signing.minor:
            self.fields["authority_document"].initial = link.authority_document
        else:
            del self.fields["authority_document"]
        if not signing.minor_signs:
            del self.fields["minor_signed_name"]


STATUS_FILTER = [
    (Status.VALID.value, Status.VALID.label),
    (Status.EXPIRED.value, Status.EXPIRED.label),
    (Status.WITHDRAWN.value, Status.WITHDRAWN.label),
]


class RegisterFilterForm(forms.Form):
    q = forms.CharField(
        label=_("Name"),
        required=False,
        widget=forms.TextInput(attrs={"type": "search", "autocomplete": "off"}),
    )
    purpose = forms.ChoiceField(
        label=_("Purpose"), required=False, choices=[("", _("Any")), *Purpose.choices]
    )
    status = forms.ChoiceField(
        label=_("Status"), required=False, choices=[("", _("Any")), *STATUS_FILTER]
    )
    method = forms.ChoiceField(
        label=_("How given"), required=False, choices=[("", _("Any")), *Method.choices]
    )


class MissingFilterForm(forms.Form):
    kind = forms.ChoiceField(label=_("Category"), required=False, choices=PersonKind.choices)
    grade = forms.TypedChoiceField(
        label=_("Grade"),
        required=False,
        coerce=int,
        empty_value=None,
        choices=[("", _("Any")), *[(n, str(n)) for n in range(GRADE_MIN, GRADE_MAX + 1)]],
    )
    class_letter = forms.CharField(
        label=_("Class letter"),
        required=False,
        max_length=2,
        widget=forms.TextInput(attrs={"size": 2}),
    )
    purpose = forms.ChoiceField(
        label=_("Consent"),
        required=False,
        choices=[("", _("Processing and participation")), *Purpose.choices],
    )
