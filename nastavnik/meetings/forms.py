"""Forms of the meetings' pages. They parse what the user typed; the rules live in services."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from nastavnik.consents.rules import hidden_q
from nastavnik.core.forms import RuleErrorsMixin, choice_field, model_choice_field, text_field
from nastavnik.meetings.models import MeetingFormat, MeetingKind
from nastavnik.meetings.services import MeetingData
from nastavnik.mentorships.models import Mentorship, MentorshipMentee
from nastavnik.mentorships.suspension import suspended_member_q

# Entered in the organisation's time zone, which the org views activate: Django makes the
# naive value aware in the current zone.
DATETIME_WIDGET = forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M")


class MeetingForm(RuleErrorsMixin, forms.Form):
    kind = forms.ChoiceField(label=_("Kind of meeting"), choices=MeetingKind.choices)
    starts_at = forms.DateTimeField(
        label=_("Date and time"),
        widget=DATETIME_WIDGET,
        input_formats=["%Y-%m-%dT%H:%M", "%Y-%m-%d %H:%M", "%d.%m.%Y %H:%M"],
    )
    duration_minutes = forms.IntegerField(label=_("Duration, minutes"), initial=45)
    format = forms.ChoiceField(
        label=_("Format"),
        choices=MeetingFormat.choices,
        initial=MeetingFormat.IN_PERSON,
        widget=forms.RadioSelect,
    )
    place = forms.CharField(
        label=_("Place"),
        required=False,
        max_length=200,
        help_text=_("For an in-person meeting: a room, a library, a laboratory."),
    )
    link = forms.CharField(
        label=_("Link to the call"),
        required=False,
        max_length=500,
        help_text=_("For a remote meeting: the address of the video call."),
    )
    notes = text_field(_("Topic and notes"))

    def __init__(self, *args: Any, mentorship: Mentorship, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if not mentorship.is_group:
            choice_field(self, "kind").choices = [
                c for c in MeetingKind.choices if c[0] != MeetingKind.GROUP_FINAL
            ]

    def data_for_service(self) -> MeetingData:
        values = self.cleaned_data
        return MeetingData(
            kind=values["kind"],
            starts_at=values["starts_at"],
            duration_minutes=values["duration_minutes"],
            format=values["format"],
            place=values["place"],
            link=values["link"],
            notes=values["notes"],
        )


class MemberChoiceField(forms.ModelMultipleChoiceField):
    def label_from_instance(self, obj: MentorshipMentee) -> str:
        return obj.mentee.person.full_name


class HeldForm(RuleErrorsMixin, forms.Form):
    present = MemberChoiceField(
        label=_("Mentees who attended"),
        queryset=MentorshipMentee.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    notes = text_field(_("What was done"), rows=4)
    next_steps = text_field(_("Agreed next steps"))

    def __init__(self, *args: Any, mentorship: Mentorship, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if mentorship.is_group:
            # A mentee whose participation is suspended (or whose data are hidden) is not
            # offered: their part in the group's work stopped with the consent.
            members = (
                mentorship.members.filter(active=True)
                .exclude(hidden_q(ref="mentee__person"))
                .exclude(suspended_member_q())
                .select_related("mentee__person")
            )
            model_choice_field(self, "present").queryset = members
            self.fields["present"].initial = list(members)
        else:
            del self.fields["present"]


class CancelForm(RuleErrorsMixin, forms.Form):
    reason = forms.CharField(label=_("Reason"), required=False, max_length=300)


class FeedbackForm(RuleErrorsMixin, forms.Form):
    # Any whole number gets through: the service tells what the allowed range is.
    rating = forms.IntegerField(
        label=_("Rating from 1 to 10"),
        widget=forms.NumberInput(attrs={"min": 1, "max": 10, "inputmode": "numeric"}),
    )
    comment = text_field(_("Comment"), help_text=_("Seen only by you and the curator."))


class SettingsForm(RuleErrorsMixin, forms.Form):
    weeks_without_meeting = forms.IntegerField(
        label=_("Flag a pair after this many weeks without a held meeting")
    )
    reminder_hours = forms.IntegerField(
        label=_("Remind the participants this many hours before a meeting")
    )
