"""Forms of the safeguarding channel. The rules (own pairs only, text length, links) are the
services'; these forms carry the input and show the services' messages on their fields."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from nastavnik.concerns.models import TEXT_MAX_LENGTH, Outcome, Topic
from nastavnik.concerns.services import Standing, standing_key
from nastavnik.core.forms import RuleErrorsMixin
from nastavnik.mentorships.models import MentorAssignment


def _standing_label(standing: Standing) -> str:
    mentor = standing.mentorship.mentor.person.full_name
    if standing.child is not None:
        return str(_("%(child)s: the pair with %(mentor)s")) % {
            "child": standing.child.full_name,
            "mentor": mentor,
        }
    if standing.kind == "mentor":
        names = ", ".join(
            m.mentee.person.short_name
            for m in standing.mentorship.members.select_related("mentee__person").filter(
                active=True
            )
        )
        return str(_("My pair or group with %(names)s")) % {"names": names}
    return str(_("My pair with %(mentor)s")) % {"mentor": mentor}


class RaiseForm(RuleErrorsMixin, forms.Form):
    # Plain text fields, not choice fields: the service refuses a pair that is not the user's
    # own with its own words, the same for the form, a command or a test.
    standing = forms.CharField(label=_("Which pair"), required=False)
    topic = forms.CharField(label=_("What it is about"), required=False)
    text = forms.CharField(
        label=_("What happened"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 8, "maxlength": TEXT_MAX_LENGTH}),
        help_text=_("Only the curator (and the psychologist, if you choose so) will read it."),
    )
    urgent = forms.BooleanField(label=_("Urgent"), required=False)
    to_psychologist = forms.BooleanField(label=_("Also to the psychologist"), required=False)

    def __init__(self, *args: object, standings: list[Standing], **kwargs: object) -> None:
        super().__init__(*args, **kwargs)  # type: ignore[arg-type]
        self.fields["standing"].widget = forms.Select(
            choices=[("", _("No pair: something else troubling"))]
            + [(standing_key(s), _standing_label(s)) for s in standings]
        )
        self.fields["topic"].widget = forms.Select(choices=[("", "—"), *Topic.choices])


class OutcomeForm(RuleErrorsMixin, forms.Form):
    outcome = forms.CharField(label=_("What was done"), required=False)
    replacement = forms.CharField(label=_("The replacement it led to"), required=False)
    answer = forms.CharField(
        label=_("Answer to the reporter"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 5, "maxlength": TEXT_MAX_LENGTH}),
    )
    note = forms.CharField(
        label=_("Internal note"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3, "maxlength": TEXT_MAX_LENGTH}),
        help_text=_("The reporter does not see it."),
    )
    close = forms.BooleanField(label=_("Close the concern"), required=False)

    def __init__(
        self, *args: object, replacements: list[MentorAssignment], **kwargs: object
    ) -> None:
        super().__init__(*args, **kwargs)  # type: ignore[arg-type]
        self.replacements = {str(r.pk): r for r in replacements}
        self.fields["outcome"].widget = forms.Select(choices=[("", "—"), *Outcome.choices])
        self.fields["replacement"].widget = forms.Select(
            choices=[("", "—")]
            + [
                (
                    str(r.pk),
                    f"{r.assigned_on:%d.%m.%Y}: {r.mentor.person.full_name} "
                    f"({r.get_ground_display()})",
                )
                for r in replacements
            ]
        )

    def clean_replacement(self) -> MentorAssignment | None:
        value = self.cleaned_data.get("replacement") or ""
        if not value:
            return None
        if value not in self.replacements:
            raise forms.ValidationError(
                _("Choose one of the replacements of this pair's mentor."), code="foreign"
            )
        return self.replacements[value]
