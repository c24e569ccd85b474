"""Forms of the questionnaire pages. They only read what was typed; the rules live in the
services (`services`, `campaigns`), whose ValidationError lands back on the fields."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from nastavnik.catalogue.models import MentoringForm
from nastavnik.core.forms import (
    DATE_WIDGET,
    RuleErrorsMixin,
    choice_field,
    model_choice_field,
    text_field,
)
from nastavnik.programmes.models import Programme
from nastavnik.questionnaires.audiences import AUDIENCES
from nastavnik.questionnaires.feeds import FEEDS
from nastavnik.questionnaires.groups import classes_of
from nastavnik.questionnaires.models import (
    CHOICE_TYPES,
    Phase,
    Question,
    Questionnaire,
    QuestionnaireKind,
    QuestionType,
)
from nastavnik.questionnaires.services import choices_text

SHOW_IF_SEPARATOR = "::"
# The parameter codes of the assessments app, offered as "assessment.<code>" feeds.
ASSESSMENT_CODES = (
    "engagement",
    "activity",
    "self_esteem",
    "anxiety",
    "motivation",
    "academic_results",
    "attendance",
    "competitions",
)


class QuestionnaireForm(RuleErrorsMixin, forms.Form):
    title = forms.CharField(label=_("Title"), max_length=300)
    kind = forms.ChoiceField(label=_("Kind"), choices=QuestionnaireKind.choices)
    intro = text_field(
        _("Introduction"), rows=4, help_text=_("What respondents read before the questions.")
    )


class SectionForm(RuleErrorsMixin, forms.Form):
    title = forms.CharField(label=_("Title"), max_length=300, required=False)
    intro = text_field(_("Introduction"))


def feed_options() -> list[str]:
    keys = [key for key in FEEDS if key != "assessment"]
    return keys + [f"assessment.{code}" for code in ASSESSMENT_CODES]


class QuestionForm(RuleErrorsMixin, forms.Form):
    section = forms.TypedChoiceField(label=_("Section"), coerce=int)
    type = forms.ChoiceField(label=_("Type"), choices=QuestionType.choices)
    text = text_field(_("Question"), rows=2, required=True)
    help_text = text_field(_("Hint"), rows=2)
    required = forms.BooleanField(label=_("An answer is required"), required=False)
    choices = text_field(
        _("Options"),
        rows=6,
        help_text=_(
            "For single and multiple choice: one option a line. «value | text» stores the value "
            "and shows the text."
        ),
    )
    min_value = forms.CharField(
        label=_("Minimum"),
        required=False,
        help_text=_("A scale runs from 1 to 10 unless you set other bounds."),
    )
    max_value = forms.CharField(label=_("Maximum"), required=False)
    integer_only = forms.BooleanField(label=_("Whole numbers only"), required=False)
    pool = forms.ChoiceField(label=_("People to rank"), required=False)
    rank_count = forms.IntegerField(label=_("How many to rank"), required=False, min_value=0)
    show_if = forms.MultipleChoiceField(
        label=_("Show only after these answers"),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=_("Leave empty to always show the question."),
    )
    feed = forms.CharField(
        label=_("Feeds the base"),
        required=False,
        help_text=_("Where the answer goes in the mentee or mentor base. Leave empty if nowhere."),
        widget=forms.TextInput(attrs={"list": "feed-options"}),
    )

    def __init__(
        self,
        *args: Any,
        questionnaire: Questionnaire,
        earlier: list[Question],
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, **kwargs)
        choice_field(self, "section").choices = [
            (s.pk, s.title or _("Section %(number)s") % {"number": s.position})
            for s in questionnaire.sections.all()
        ]
        choice_field(self, "pool").choices = [("", "—")] + [
            (key, audience.label) for key, audience in AUDIENCES.items()
        ]
        choice_field(self, "show_if").choices = [
            (
                q.text[:80],
                [(f"{q.code}{SHOW_IF_SEPARATOR}{value}", label) for value, label in q.choices],
            )
            for q in earlier
            if q.type in CHOICE_TYPES
        ]
        self.feed_options = feed_options()

    @staticmethod
    def initial_for(question: Question) -> dict[str, Any]:
        return {
            "section": question.section_id,
            "type": question.type,
            "text": question.text,
            "help_text": question.help_text,
            "required": question.required,
            "choices": choices_text(question.choices),
            "min_value": _plain(question.min_value),
            "max_value": _plain(question.max_value),
            "integer_only": question.integer_only,
            "pool": question.pool,
            "rank_count": question.rank_count,
            "show_if": [
                f"{question.show_if_code}{SHOW_IF_SEPARATOR}{value}"
                for value in question.show_if_values
            ],
            "feed": question.feed,
        }

    def clean_show_if(self) -> tuple[str, list[str]]:
        picked = [item.partition(SHOW_IF_SEPARATOR) for item in self.cleaned_data["show_if"]]
        codes = {code for code, _sep, _value in picked}
        if len(codes) > 1:
            raise forms.ValidationError(_("Choose answers to one question only."))
        return (codes.pop() if codes else "", [value for _code, _sep, value in picked])

    def service_data(self) -> dict[str, Any]:
        data = dict(self.cleaned_data)
        data["show_if_code"], data["show_if_values"] = data.pop("show_if")
        return data


def _plain(value: Any) -> str:
    if value is None:
        return ""
    return format(value.normalize(), "f")


class CampaignForm(RuleErrorsMixin, forms.Form):
    questionnaire = forms.ModelChoiceField(
        label=_("Questionnaire"), queryset=Questionnaire.objects.none()
    )
    title = forms.CharField(
        label=_("Title"),
        max_length=300,
        required=False,
        help_text=_("What respondents and the campaign list see; the questionnaire's by default."),
    )
    audience = forms.ChoiceField(label=_("Whom to ask"))
    class_name = forms.ChoiceField(
        label=_("Class"), required=False, help_text=_("For the students of a class.")
    )
    form = forms.ModelChoiceField(
        label=_("Mentoring form"),
        queryset=MentoringForm.objects.none(),
        required=False,
        help_text=_(
            "For mentee and mentor candidates: only those of this form. It also decides whom a "
            "ranking question lists."
        ),
    )
    phase = forms.ChoiceField(
        label=_("Assessment"),
        required=False,
        choices=[("", "—"), *Phase.choices],
        help_text=_("For an entry or exit assessment: which of the two measurements it is."),
    )
    deadline = forms.DateField(label=_("Answer by"), widget=DATE_WIDGET)
    anonymous = forms.BooleanField(
        label=_("Anonymous"),
        required=False,
        help_text=_(
            "The answers keep no link to the people who gave them. Progress is still counted."
        ),
    )
    send_mail = forms.BooleanField(
        label=_("Send the personal links by e-mail"),
        required=False,
        initial=True,
        help_text=_("To those who have an e-mail address; the others get printed slips."),
    )

    def __init__(
        self,
        *args: Any,
        programme: Programme,
        questionnaires: Any,
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, **kwargs)
        model_choice_field(self, "questionnaire").queryset = questionnaires
        choice_field(self, "audience").choices = [
            (key, audience.label) for key, audience in AUDIENCES.items()
        ]
        choice_field(self, "class_name").choices = [("", "—")] + [
            (f"{grade}{letter}", f"{grade}{letter}") for grade, letter in classes_of(programme)
        ]
        model_choice_field(self, "form").queryset = MentoringForm.objects.filter(
            pk__in=programme.chosen_forms.values("form_id")
        )

    def audience_params(self) -> dict[str, Any]:
        name = self.cleaned_data.get("class_name") or ""
        digits = "".join(ch for ch in name if ch.isdigit())
        return {"grade": digits, "class_letter": name[len(digits) :]} if name else {}


class CodeForm(forms.Form):
    code = forms.CharField(
        label=_("Your code"),
        max_length=40,
        widget=forms.TextInput(
            attrs={
                "autocomplete": "off",
                "autocapitalize": "characters",
                "spellcheck": "false",
                "placeholder": "K7M4-PX2Q",
            }
        ),
    )
