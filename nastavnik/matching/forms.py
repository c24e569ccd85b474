"""Forms of the matching pages. They collect input; the rules live in `services` and the
engine, whose refusals the views put back on these forms."""

from __future__ import annotations

from typing import Any, Self

from django import forms
from django.utils.translation import gettext_lazy as _

from nastavnik.core.forms import DATE_WIDGET, RuleErrorsMixin, choice_field, text_field
from nastavnik.matching.models import (
    SELFMATCH_MAX_ANSWER_DAYS,
    SELFMATCH_MAX_SUGGESTIONS,
    MatchingMode,
    MatchingRun,
    ProposingSide,
)
from nastavnik.matching.services import RunSettings
from nastavnik.matching.texts import CRITERION_HELP, CRITERION_LABELS
from nastavnik.matching_engine import CRITERIA, Weights
from nastavnik.mentorships.services import default_planned_end
from nastavnik.orders.forms import OrderDetailsForm
from nastavnik.orgs.models import Organisation
from nastavnik.people.validators import org_today

#: A weight is a plain number; this bounds it so nobody types a typo of 10,000.
MAX_WEIGHT = 100


def weight_field_name(criterion: str) -> str:
    return f"weight_{criterion}"


class RunForm(RuleErrorsMixin, forms.Form):
    mode = forms.ChoiceField(
        label=_("How to choose the pairs"),
        choices=MatchingMode.choices,
        widget=forms.RadioSelect,
        initial=MatchingMode.OPTIMAL,
        help_text=_(
            "Best total score: first as many mentees paired as the rules allow (checked over "
            "every admissible pair, not only each mentee's 30 best candidates), then, among "
            "those assignments, the highest sum of the pairs' scores. No score is ever bought "
            "by leaving a mentee without a mentor. Stable: by the preferences after the group "
            "meeting, so that no mentee and mentor would both rather have each other than the "
            "partners they got, checked over every admissible pair."
        ),
    )
    proposer = forms.ChoiceField(
        label=_("In a stable run, whose wishes come first"),
        choices=ProposingSide.choices,
        widget=forms.RadioSelect,
        initial=ProposingSide.MENTEE,
    )
    require_common_slot = forms.BooleanField(
        label=_("Pair only people with a common weekly time slot"), required=False, initial=True
    )
    format_must_fit = forms.BooleanField(
        label=_("Never pair «in person only» with «remote only»"), required=False
    )
    only_unmatched = forms.BooleanField(
        label=_("Only the mentees left without a mentor by an earlier run"), required=False
    )
    include_shared = forms.BooleanField(
        label=_("Include the shared mentors of the municipality's other organisations"),
        required=False,
        help_text=_(
            "A pair with such a mentor is not formed on confirmation: it becomes a request to "
            "the mentor's organisation and the mentor, and the pair is formed once both agree."
        ),
    )

    def __init__(self, *args: Any, with_unmatched: bool = False, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        defaults = Weights()
        for criterion in CRITERIA:
            self.fields[weight_field_name(criterion.value)] = forms.FloatField(
                label=CRITERION_LABELS[criterion],
                help_text=CRITERION_HELP[criterion],
                min_value=0,
                max_value=MAX_WEIGHT,
                initial=defaults.of(criterion),
                widget=forms.NumberInput(attrs={"step": "0.5", "min": "0"}),
            )
        if not with_unmatched:
            del self.fields["only_unmatched"]

    @classmethod
    def initial_from(cls, run_settings: RunSettings) -> dict[str, Any]:
        initial: dict[str, Any] = {
            "mode": run_settings.mode,
            "proposer": run_settings.proposer,
            "require_common_slot": run_settings.require_common_slot,
            "format_must_fit": run_settings.format_must_fit,
            "only_unmatched": run_settings.only_unmatched,
            "include_shared": run_settings.include_shared,
        }
        for criterion, weight in run_settings.weight_map.items():
            initial[weight_field_name(criterion)] = weight
        return initial

    def weight_fields(self) -> list[forms.BoundField]:
        return [self[weight_field_name(c.value)] for c in CRITERIA]

    def run_settings(self) -> RunSettings:
        data = self.cleaned_data
        return RunSettings(
            mode=data["mode"],
            proposer=data["proposer"],
            weights={c.value: data[weight_field_name(c.value)] for c in CRITERIA},
            require_common_slot=data["require_common_slot"],
            format_must_fit=data["format_must_fit"],
            only_unmatched=data.get("only_unmatched", False),
            include_shared=data["include_shared"],
        )


class ConfirmForm(OrderDetailsForm):
    started_on = forms.DateField(label=_("Mentoring starts on"), widget=DATE_WIDGET)
    planned_end = forms.DateField(
        label=_("Planned end"),
        widget=DATE_WIDGET,
        help_text=_("At most one year after the start (regulation §2.7)."),
    )
    field_order = ["started_on", "planned_end", *OrderDetailsForm.ORDER_FIELDS]

    @classmethod
    def offered(cls, data: Any, organisation: Organisation, **initial: Any) -> Self:
        """The form as the page offers it: mentoring from today for a year, the next order
        number of the organisation, dated today, signed by its usual signatory."""
        today = org_today(organisation)
        return super().offered(
            data,
            organisation,
            started_on=today,
            planned_end=default_planned_end(today),
            **initial,
        )


class OrderForm(ConfirmForm):
    """The order again, for a confirmed run whose draft order was deleted."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        del self.fields["started_on"]
        del self.fields["planned_end"]


class AssignForm(forms.Form):
    mentor = forms.TypedChoiceField(
        label=_("Mentor"), coerce=int, widget=forms.RadioSelect, choices=()
    )

    def __init__(self, *args: Any, choices: list[tuple[int, str]], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        choice_field(self, "mentor").choices = choices


class CompareForm(forms.Form):
    a = forms.TypedChoiceField(label=_("Run"), coerce=int, choices=())
    b = forms.TypedChoiceField(label=_("with run"), coerce=int, choices=())

    def __init__(self, *args: Any, runs: list[MatchingRun], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        choices = [(run.pk, run_label(run)) for run in runs]
        choice_field(self, "a").choices = choices
        choice_field(self, "b").choices = choices


def run_label(run: MatchingRun) -> str:
    return _("Run %(number)s · %(mode)s · %(status)s") % {
        "number": run.number,
        "mode": run.get_mode_display(),
        "status": run.get_status_display(),
    }


class SynonymsForm(RuleErrorsMixin, forms.Form):
    text = text_field(
        _("Synonym groups"),
        rows=12,
        help_text=_(
            "One group a line, words separated by «=»: «3D = трёхмерный», «IT = информатика». "
            "Every word of a group counts as the first one when a request meets competencies; "
            "any form of a word will do («трёхмерному» counts as «3D»)."
        ),
    )


class SharedAskForm(RuleErrorsMixin, forms.Form):
    """Ask another organisation for its shared mentor, for one of our waiting mentees."""

    mentee = forms.TypedChoiceField(label=_("For the mentee"), coerce=int, choices=())
    message = text_field(
        _("Message to the mentor and the mentor's organisation"),
        max_length=1000,
        help_text=_("Why this mentor: the mentee's request, the form, the time that suits."),
    )

    def __init__(self, *args: Any, mentees: list[tuple[int, str]], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        choice_field(self, "mentee").choices = mentees


class OfferAnswerForm(RuleErrorsMixin, forms.Form):
    """Agree to an offer, or refuse it (with a reason, if one wishes to give it)."""

    decision = forms.ChoiceField(
        label=_("Answer"),
        choices=(("agree", _("Agree")), ("refuse", _("Refuse"))),
        widget=forms.RadioSelect,
    )
    reason = text_field(_("Reason"), rows=2, max_length=1000)

    @property
    def agrees(self) -> bool:
        return self.cleaned_data.get("decision") == "agree"


class SelfMatchWindowForm(RuleErrorsMixin, forms.Form):
    enabled = forms.BooleanField(label=_("Mentees may choose a mentor"), required=False)
    opens_on = forms.DateField(label=_("Open from"), widget=DATE_WIDGET)
    closes_on = forms.DateField(label=_("Open until"), widget=DATE_WIDGET)
    suggestions = forms.IntegerField(
        label=_("Mentors suggested to each mentee"),
        min_value=1,
        max_value=SELFMATCH_MAX_SUGGESTIONS,
        initial=3,
    )
    answer_days = forms.IntegerField(
        label=_("Days the mentor has to answer"),
        min_value=1,
        max_value=SELFMATCH_MAX_ANSWER_DAYS,
        initial=5,
        help_text=_("A day before the end the mentor is reminded; then the request expires."),
    )
