"""Forms of the public page's settings; the rules live in `services`."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from nastavnik.core.forms import RuleErrorsMixin, text_field

DATETIME_WIDGET = forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M")


class PublicPageForm(RuleErrorsMixin, forms.Form):
    enabled = forms.BooleanField(
        label=_("The page is open"),
        required=False,
        help_text=_("While closed, the address answers «not found» to everyone."),
    )
    intro = text_field(
        _("Introduction"),
        rows=6,
        help_text=_("A few paragraphs about mentoring in the organisation. One paragraph a line."),
    )
    contact = text_field(
        _("Contacts"),
        help_text=_("Whom parents and partners may ask about mentoring: a phone, an e-mail."),
    )


class AnnouncementForm(RuleErrorsMixin, forms.Form):
    title = forms.CharField(label=_("Event"), max_length=300, required=False)
    starts_at = forms.DateTimeField(
        label=_("Date and time"),
        required=False,
        widget=DATETIME_WIDGET,
        input_formats=["%Y-%m-%dT%H:%M", "%d.%m.%Y %H:%M"],
    )
    place = forms.CharField(label=_("Place"), max_length=300, required=False)
    text = text_field(_("Text"), rows=4)
    published = forms.BooleanField(label=_("Shown on the page"), required=False, initial=True)
