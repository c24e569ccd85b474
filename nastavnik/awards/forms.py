"""Forms of the awards pages. They collect input; the rules live in `services`, whose refusals
the views put back on these forms."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from nastavnik.accounts.models import User
from nastavnik.awards.models import SCORE_MAX, SCORE_MIN, Nomination, Nominee, NomineeKind
from nastavnik.awards.services import jury_candidates
from nastavnik.consents.rules import hidden_q
from nastavnik.core.forms import RuleErrorsMixin, model_choice_field, text_field
from nastavnik.mentors.models import INACTIVE_STATUSES, Mentor
from nastavnik.mentorships.models import Mentorship
from nastavnik.orders.forms import OrderDetailsForm
from nastavnik.orgs.models import Organisation
from nastavnik.people.models import Person


class NominationForm(RuleErrorsMixin, forms.Form):
    name = forms.CharField(label=_("Name"), max_length=200)
    nominee_kind = forms.ChoiceField(
        label=_("Who is nominated"), choices=NomineeKind.choices, widget=forms.RadioSelect
    )
    description = text_field(_("What it is awarded for"))


class JuryForm(RuleErrorsMixin, forms.Form):
    members: forms.ModelMultipleChoiceField[User] = forms.ModelMultipleChoiceField(
        label=_("Jury"),
        queryset=None,
        widget=forms.CheckboxSelectMultiple,
        help_text=_("From 3 to 9 members: the director, the curator, members of the commission."),
    )

    def __init__(self, *args: Any, organisation: Organisation, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = model_choice_field(self, "members")
        field.queryset = jury_candidates(organisation.pk)
        field.label_from_instance = lambda obj: obj.get_full_name() or obj.email


def _person_label(person: Person) -> str:
    if person.class_name:
        return f"{person.full_name}, {person.class_name}"
    return f"{person.full_name} — {person.position}" if person.position else person.full_name


class NomineeForm(RuleErrorsMixin, forms.Form):
    """The nominee among the candidates the nomination's kind allows; the service checks again
    whatever the form offered."""

    # A mentor, a mentorship or a person, after the nomination's kind.
    nominee: forms.ModelChoiceField[Any] = forms.ModelChoiceField(label=_("Nominee"), queryset=None)
    merits = text_field(
        _("Merits"), help_text=_("What the nominee achieved this year: the jury reads it.")
    )

    def __init__(self, *args: Any, nomination: Nomination, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = model_choice_field(self, "nominee")
        taken = Nominee.objects.filter(nomination=nomination)
        if nomination.nominee_kind == NomineeKind.MENTOR:
            field.queryset = (
                Mentor.objects.filter(programme=nomination.programme)
                .exclude(status__in=INACTIVE_STATUSES)
                .exclude(hidden_q(ref="person"))
                .exclude(pk__in=taken.values("mentor"))
                .select_related("person")
                .order_by("person__name_key", "pk")
            )
            field.label_from_instance = lambda obj: _person_label(obj.person)
        elif nomination.nominee_kind == NomineeKind.MENTORSHIP:
            field.queryset = (
                Mentorship.objects.filter(programme=nomination.programme)
                .exclude(hidden_q(ref="mentor__person"))
                .exclude(pk__in=taken.values("mentorship"))
                .select_related("mentor__person", "form")
                .prefetch_related("members__mentee__person")
                .order_by("mentor__person__name_key", "pk")
            )
            field.label_from_instance = lambda obj: f"{obj} ({obj.form.name})"
        else:
            field.queryset = (
                Person.objects.for_org(nomination.organisation)
                .exclude(hidden_q())
                .exclude(pk__in=taken.values("person"))
                .order_by("name_key", "pk")
            )
            field.label_from_instance = lambda obj: _person_label(obj)

    def target(self) -> dict[str, Any]:
        """The chosen nominee as the service's keyword: mentor=…, mentorship=… or person=…."""
        chosen = self.cleaned_data["nominee"]
        key = {Mentor: "mentor", Mentorship: "mentorship", Person: "person"}[type(chosen)]
        return {key: chosen}


SCORE_CHOICES = [("", "—"), *((str(n), str(n)) for n in range(SCORE_MIN, SCORE_MAX + 1))]


class ScoreForm(RuleErrorsMixin, forms.Form):
    """A juror's scores of every nominee on one page: a score and a comment each. A nominee
    left without a score is skipped."""

    def __init__(self, *args: Any, nominees: list[Nominee], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.nominees = nominees
        for nominee in nominees:
            self.fields[f"score_{nominee.pk}"] = forms.ChoiceField(
                label=str(nominee), choices=SCORE_CHOICES, required=False
            )
            self.fields[f"comment_{nominee.pk}"] = text_field(_("Comment"), rows=2)

    def rows(self) -> list[tuple[Nominee, forms.BoundField, forms.BoundField]]:
        return [(n, self[f"score_{n.pk}"], self[f"comment_{n.pk}"]) for n in self.nominees]

    def scores(self) -> list[tuple[Nominee, str, str]]:
        data = self.cleaned_data
        return [
            (n, data[f"score_{n.pk}"], data[f"comment_{n.pk}"])
            for n in self.nominees
            if data[f"score_{n.pk}"]
        ]


class DecideForm(RuleErrorsMixin, forms.Form):
    """How many places the nomination has and, when nominees share the best mean score, how
    the tie goes. The places themselves follow from the jury's scores, unseen."""

    prizes = forms.TypedChoiceField(
        label=_("Places"),
        choices=[
            ("1", _("the first place only")),
            ("2", _("the first and the second")),
            ("3", _("the first, the second and the third")),
        ],
        coerce=int,
        initial="1",
    )

    def __init__(self, *args: Any, tied: list[Nominee], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if tied:
            self.fields["tie"] = forms.ChoiceField(
                label=_("The first place is shared by several nominees"),
                choices=[
                    ("shared", _("they share the first place")),
                    *(
                        (str(n.pk), _("the first place goes to %(name)s") % {"name": n})
                        for n in tied
                    ),
                ],
                widget=forms.RadioSelect,
            )

    def decision(self) -> dict[str, Any]:
        return {"prizes": self.cleaned_data["prizes"], "tie": self.cleaned_data.get("tie", "")}


class OrderForm(OrderDetailsForm):
    """The number, date and signatory of the awards order."""
