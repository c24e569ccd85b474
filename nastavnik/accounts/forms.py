from __future__ import annotations

from collections.abc import Iterable, Iterator
from typing import Any

from django import forms
from django.contrib.auth import password_validation
from django.contrib.auth.forms import AuthenticationForm, PasswordResetForm
from django.contrib.auth.hashers import UNUSABLE_PASSWORD_PREFIX
from django.template import loader
from django.utils.translation import gettext_lazy as _

from nastavnik.accounts.models import User
from nastavnik.accounts.services import MESSAGES
from nastavnik.accounts.throttle import WINDOW_SECONDS, login_failed, login_locked
from nastavnik.core.forms import RuleErrorsMixin, choice_field, model_choice_field
from nastavnik.core.tasks import queue_mail
from nastavnik.orgs.models import Role
from nastavnik.people.models import Person, PersonQuerySet

PASSWORDS_DIFFER = _("The two passwords do not match.")


class EmailAuthenticationForm(AuthenticationForm):
    """Logging in by e-mail, whatever its case: accounts store e-mails in lower case.

    Axes counts failures under the name passed to `authenticate`, so this also keeps
    "Anna@…" and "ANNA@…" from getting five guesses each.
    """

    def clean_username(self) -> str:
        return self.cleaned_data["username"].strip().lower()

    def clean(self) -> dict[str, Any]:
        username = self.cleaned_data.get("username") or ""
        if username and login_locked(self.request, username):
            raise forms.ValidationError(
                _("Too many failed attempts to log in. Try again in %(minutes)s minutes."),
                code="throttled",
                params={"minutes": WINDOW_SECONDS // 60},
            )
        try:
            return super().clean()
        except forms.ValidationError as error:
            # An account axes has already locked is refused before its password is checked:
            # hammering it guesses nothing, and must not use up the address's allowance.
            locked = getattr(self.request, "axes_locked_out", False)
            if username and error.code == "invalid_login" and not locked:
                login_failed(self.request, username)
            raise


class QueuedPasswordResetForm(PasswordResetForm):
    """Django's password reset, with the letter sent by the task queue instead of the request.

    Django sends no letter to an account without a usable password. An account that an
    invitation created through single sign-on has none, and its owner may still want one:
    such accounts (those with a linked identity) get the letter too.
    """

    def get_users(self, email: str) -> Iterator[Any]:
        yield from super().get_users(email)
        # The usable passwords came from Django's query above; these are the others.
        yield from User.objects.filter(
            email__iexact=email,
            is_active=True,
            password__startswith=UNUSABLE_PASSWORD_PREFIX,
            external_identities__isnull=False,
        ).distinct()

    def send_mail(
        self,
        subject_template_name: str,
        email_template_name: str,
        context: dict[str, Any],
        from_email: str | None,
        to_email: str,
        html_email_template_name: str | None = None,
    ) -> None:
        subject = loader.render_to_string(subject_template_name, context)
        body = loader.render_to_string(email_template_name, context)
        queue_mail(subject, body, to_email)


class PersonChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj: Person) -> str:
        details = [str(obj.get_kind_display())]
        if obj.class_name:
            details.append(obj.class_name)
        elif obj.position:
            details.append(obj.position)
        return f"{obj.full_name} ({', '.join(details)})"


class InvitationForm(RuleErrorsMixin, forms.Form):
    email = forms.EmailField(label=_("E-mail"), max_length=254)
    role = forms.ChoiceField(label=_("Role"))
    person = PersonChoiceField(
        label=_("Person in the registry"),
        queryset=Person.objects.none(),
        required=False,
        empty_label=_("— not linked —"),
        help_text=_(
            "Link the account to the person's record, so their pairs, plans and questionnaires "
            "are theirs to see."
        ),
    )

    def __init__(
        self, *args: Any, roles: Iterable[Role], people: PersonQuerySet, **kwargs: Any
    ) -> None:
        super().__init__(*args, **kwargs)
        choice_field(self, "role").choices = [
            ("", "—"),
            *((role.value, role.label) for role in roles),
        ]
        model_choice_field(self, "person").queryset = people
        self.fields["email"].widget.attrs["autocomplete"] = "off"


class AcceptInvitationForm(forms.Form):
    """A new account: the e-mail comes from the invitation, the rest from the invitee."""

    first_name = forms.CharField(
        label=_("First name"),
        max_length=150,
        error_messages={"required": MESSAGES["first_name_required"]},
    )
    last_name = forms.CharField(
        label=_("Last name"),
        max_length=150,
        error_messages={"required": MESSAGES["last_name_required"]},
    )
    password = forms.CharField(
        label=_("Password"),
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
        help_text=password_validation.password_validators_help_text_html(),
    )
    password_confirm = forms.CharField(
        label=_("Password again"),
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["first_name"].widget.attrs["autocomplete"] = "given-name"
        self.fields["last_name"].widget.attrs["autocomplete"] = "family-name"

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        # Form.clean answers its cleaned_data; the stubs allow None for overrides.
        assert data is not None
        password, confirm = data.get("password"), data.get("password_confirm")
        if password and confirm and password != confirm:
            self.add_error("password_confirm", PASSWORDS_DIFFER)
        return data
