import zoneinfo

from django import forms
from django.utils.text import capfirst
from django.utils.translation import gettext_lazy as _

from nastavnik.core.forms import UploadField
from nastavnik.orgs.letterhead import blank_help_text, check_blank
from nastavnik.orgs.models import Organisation

# Russia's time zones, west to east; other zones are rare for a Russian school.
RUSSIAN_TIMEZONES = [
    "Europe/Kaliningrad",
    "Europe/Moscow",
    "Europe/Samara",
    "Asia/Yekaterinburg",
    "Asia/Omsk",
    "Asia/Novosibirsk",
    "Asia/Krasnoyarsk",
    "Asia/Irkutsk",
    "Asia/Yakutsk",
    "Asia/Vladivostok",
    "Asia/Magadan",
    "Asia/Kamchatka",
]


class OrganisationForm(forms.ModelForm):
    timezone = forms.ChoiceField(
        label=capfirst(_("time zone")),
        choices=[(tz, tz) for tz in RUSSIAN_TIMEZONES if tz in zoneinfo.available_timezones()],
    )

    website = forms.URLField(label=capfirst(_("website")), required=False, assume_scheme="https")

    class Meta:
        model = Organisation
        fields = [
            "name",
            "short_name",
            "kind",
            "timezone",
            "inn",
            "address",
            "phone",
            "email",
            "website",
        ]

    def clean_inn(self) -> str:
        inn = self.cleaned_data["inn"].strip()
        if inn and (not inn.isdigit() or len(inn) not in (10, 12)):
            raise forms.ValidationError(_("An INN has 10 digits (12 for a sole trader)."))
        return inn


class LetterheadForm(forms.Form):
    """The organisation's own DOCX blank; `cleaned_data["blank"]` is its checked bytes."""

    blank = UploadField(label=_("Letterhead blank"))

    def __init__(self, *args: object, **kwargs: object) -> None:
        super().__init__(*args, **kwargs)  # type: ignore[arg-type]
        self.fields["blank"].help_text = blank_help_text()

    def clean_blank(self) -> bytes:
        return check_blank(self.cleaned_data["blank"])
