"""Forms of the mentor pages. They collect input; the rules live in `services`, whose errors
the views put back on these forms."""

from __future__ import annotations

from typing import Any

from django import forms
from django.db.models import Q, QuerySet
from django.utils.translation import gettext_lazy as _

from nastavnik.accounts.models import User
from nastavnik.catalogue.models import MentoringForm, RoleModel
from nastavnik.catalogue.profile import SLOT_CHOICES, MeetingFormat, MentorCategory
from nastavnik.consents.rules import hidden_accounts_q
from nastavnik.core.forms import (
    DATE_WIDGET,
    RuleErrorsMixin,
    ScanField,
    model_choice_field,
    text_field,
)
from nastavnik.mentors.models import (
    CRITERIA_FIELDS,
    GROUP_LIMIT,
    SCORE_MAX,
    SCORE_MIN,
    SELECTION_CRITERIA,
    DocumentKind,
    Mentor,
    MentorStatus,
    PortfolioKind,
    SelectionScore,
)
from nastavnik.mentors.rules import DocumentState
from nastavnik.mentors.services import MESSAGES, programme_forms
from nastavnik.orgs.models import Membership, Organisation, Role
from nastavnik.programmes.models import Programme


class MentorForm(RuleErrorsMixin, forms.Form):
    """The profile of a mentor: what matching reads."""

    category = forms.ChoiceField(label=_("Category of mentor"), choices=MentorCategory.choices)
    # The field named «forms» is added in __init__: declared here, its name would hide the
    # forms module from the rest of the class body.
    role_models = forms.ModelMultipleChoiceField(
        label=_("Role models"),
        queryset=RoleModel.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=_("Leave empty when any role model of the chosen forms suits."),
    )
    competencies = text_field(_("Competencies and strengths"), rows=4)
    subjects = forms.CharField(
        label=_("Subjects"),
        required=False,
        max_length=300,
        help_text=_("Separated by commas."),
    )
    experience_years = forms.IntegerField(label=_("Years of experience"), required=False)
    hours_per_month = forms.IntegerField(label=_("Hours a month for mentoring"), required=False)
    availability = forms.MultipleChoiceField(
        label=_("Time available"),
        choices=SLOT_CHOICES,
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    meeting_format = forms.ChoiceField(label=_("Meeting format"), choices=MeetingFormat.choices)
    motivation = text_field(_("Motivation"), rows=4)
    leads_group = forms.BooleanField(
        label=_("Leads a group"),
        required=False,
        help_text=_("A group mentor may take more than 2 mentees (regulation, §2.6)."),
    )
    capacity = forms.IntegerField(
        label=_("Mentees at once"),
        required=False,
        help_text=_("At most 2 at once; a group mentor: the size of the group, up to %(limit)s.")
        % {"limit": GROUP_LIMIT},
    )
    share_with_others = forms.BooleanField(
        label=_("May be offered to other organisations"),
        required=False,
        help_text=_("Takes effect only with the person's valid consent to sharing."),
    )

    def __init__(self, *args: Any, programme: Programme, **kwargs: Any):
        super().__init__(*args, **kwargs)
        forms_qs = programme_forms(programme)
        self.fields["forms"] = forms.ModelMultipleChoiceField(
            label=_("Mentoring forms"),
            queryset=forms_qs,
            required=False,
            widget=forms.CheckboxSelectMultiple,
        )
        self.order_fields(["category", "forms"])
        model_choice_field(self, "role_models").queryset = (
            RoleModel.objects.available_to(programme.organisation)
            .filter(form__in=forms_qs)
            .select_related("form")
            .order_by("form__order", "order", "name")
        )
        model_choice_field(self, "role_models").label_from_instance = lambda obj: (
            f"{obj.form.shown_name}: {obj.shown_name}"
        )

    @staticmethod
    def initial_for(mentor: Mentor) -> dict[str, Any]:
        return {
            "category": mentor.category,
            "forms": list(mentor.forms.all()),
            "role_models": list(mentor.role_models.all()),
            "competencies": mentor.competencies,
            "subjects": mentor.subjects,
            "experience_years": mentor.experience_years,
            "hours_per_month": mentor.hours_per_month,
            "availability": mentor.availability,
            "meeting_format": mentor.meeting_format,
            "motivation": mentor.motivation,
            "leads_group": mentor.leads_group,
            "capacity": mentor.capacity,
            "share_with_others": mentor.share_with_others,
        }

    def profile(self) -> dict[str, Any]:
        return {name: self.cleaned_data[name] for name in self.fields}

    def slot_grid(self) -> list[tuple[str, list[tuple[str, str, bool]]]]:
        """The weekly slots as rows of days with their parts, for a grid of checkboxes."""
        value = self["availability"].value() or []
        rows: dict[str, list[tuple[str, str, bool]]] = {}
        for slot, label in SLOT_CHOICES:
            day, part = label.split(", ", 1)
            rows.setdefault(day, []).append((slot, part, slot in value))
        return list(rows.items())


class MentorFilterForm(forms.Form):
    """The filters of the mentor list; every field is optional."""

    q = forms.CharField(label=_("Search by name"), required=False)
    status = forms.ChoiceField(
        label=_("Status"), required=False, choices=[("", _("Any")), *MentorStatus.choices]
    )
    category = forms.ChoiceField(
        label=_("Category"), required=False, choices=[("", _("Any")), *MentorCategory.choices]
    )
    form = forms.ModelChoiceField(
        label=_("Form"), queryset=MentoringForm.objects.none(), required=False, empty_label=_("Any")
    )
    documents = forms.ChoiceField(
        label=_("Documents"),
        required=False,
        choices=[
            ("", _("Any")),
            (DocumentState.VALID, _("valid")),
            (DocumentState.MISSING, _("missing or expired")),
            (DocumentState.EXPIRING, _("expiring within 30 days")),
        ],
    )
    training = forms.ChoiceField(
        label=_("Mentor school"),
        required=False,
        choices=[("", _("Any")), ("yes", _("completed")), ("no", _("not completed"))],
    )

    def __init__(self, *args: Any, programme: Programme, **kwargs: Any):
        super().__init__(*args, **kwargs)
        model_choice_field(self, "form").queryset = programme_forms(programme)


class DocumentForm(RuleErrorsMixin, forms.Form):
    kind = forms.ChoiceField(label=_("Document"), choices=DocumentKind.choices)
    number = forms.CharField(label=_("Number"), max_length=60, required=False)
    issued_on = forms.DateField(label=_("Issued on"), widget=DATE_WIDGET, required=False)
    valid_until = forms.DateField(label=_("Valid until"), widget=DATE_WIDGET, required=False)
    scan = ScanField(label=_("Scan"), required=False)


def scorer_accounts(organisation: Organisation) -> QuerySet[User]:
    """Accounts of the organisation whose role lets them score: director, curator, members."""
    roles = (Role.DIRECTOR, Role.CURATOR, Role.COMMISSION_MEMBER)
    return (
        User.objects.filter(
            pk__in=Membership.objects.filter(organisation=organisation, role__in=roles).values(
                "user_id"
            )
        )
        # Not the account of someone whose registry data are hidden after a withdrawn consent.
        .exclude(hidden_accounts_q(organisation.pk))
        .order_by("last_name", "first_name", "email")
        .distinct()
    )


class CommissionForm(RuleErrorsMixin, forms.Form):
    members = forms.ModelMultipleChoiceField(
        label=_("Members"),
        queryset=User.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=_("From 3 to 5: the director heads the commission, the curator is in it."),
    )
    chair = forms.ModelChoiceField(
        label=_("Chair"),
        queryset=User.objects.none(),
        required=False,
        empty_label=_("The director"),
    )

    def __init__(self, *args: Any, organisation: Organisation, **kwargs: Any):
        super().__init__(*args, **kwargs)
        accounts = scorer_accounts(organisation)
        roles: dict[int, list[str]] = {}
        for user_id, role in Membership.objects.filter(
            organisation=organisation, user__in=accounts
        ).values_list("user_id", "role"):
            roles.setdefault(user_id, []).append(str(Role(role).label))
        model_choice_field(self, "members").queryset = accounts
        model_choice_field(self, "members").label_from_instance = lambda obj: (
            f"{obj.get_full_name() or obj.email} — {', '.join(sorted(roles.get(obj.pk, [])))}"
        )
        model_choice_field(self, "chair").queryset = accounts.filter(
            Q(memberships__organisation=organisation) & Q(memberships__role=Role.DIRECTOR)
        )
        model_choice_field(self, "chair").label_from_instance = lambda obj: (
            obj.get_full_name() or obj.email
        )


SCORE_CHOICES = [(value, str(value)) for value in range(SCORE_MIN, SCORE_MAX + 1)]


class ScoreForm(RuleErrorsMixin, forms.Form):
    """A member's scores: each criterion from 0 (absent) to 5 (fully meets)."""

    note = text_field(_("Comment"), rows=4)

    def __init__(self, *args: Any, **kwargs: Any):
        super().__init__(*args, **kwargs)
        for field, label in SELECTION_CRITERIA:
            self.fields[field] = forms.TypedChoiceField(
                label=label,
                choices=SCORE_CHOICES,
                coerce=int,
                widget=forms.RadioSelect,
                error_messages={
                    "required": MESSAGES["score_range"] % {"min": SCORE_MIN, "max": SCORE_MAX},
                    "invalid_choice": MESSAGES["score_range"]
                    % {"min": SCORE_MIN, "max": SCORE_MAX},
                },
            )
        # The comment comes last, after the criteria.
        self.fields["note"] = self.fields.pop("note")

    @staticmethod
    def initial_for(score: SelectionScore) -> dict[str, Any]:
        return {field: getattr(score, field) for field in (*CRITERIA_FIELDS, "note")}

    def scores(self) -> dict[str, int]:
        return {field: self.cleaned_data[field] for field in CRITERIA_FIELDS}

    def criteria(self) -> list[forms.BoundField]:
        return [self[field] for field in CRITERIA_FIELDS]


class DecisionForm(RuleErrorsMixin, forms.Form):
    decision = forms.ChoiceField(
        label=_("Decision of the commission"),
        choices=[("approve", _("Approve as a mentor")), ("reject", _("Do not approve"))],
        widget=forms.RadioSelect,
    )
    note = text_field(_("Note"), help_text=_("Required when the candidate is not approved."))


class InterviewForm(RuleErrorsMixin, forms.Form):
    held_on = forms.DateField(label=_("Date"), widget=DATE_WIDGET, required=False)
    interviewers = forms.CharField(label=_("Who interviewed"), max_length=300, required=False)
    psychologist_present = forms.BooleanField(label=_("The psychologist took part"), required=False)
    notes = text_field(_("Notes"), rows=4)


class LeaveForm(RuleErrorsMixin, forms.Form):
    reason = text_field(
        _("Reason"), help_text=_("For example: «личное заявление», «увольнение из организации».")
    )


class TrainingEventForm(RuleErrorsMixin, forms.Form):
    held_on = forms.DateField(label=_("Date"), widget=DATE_WIDGET, required=False)
    topic = forms.CharField(label=_("Topic"), max_length=300, required=False)
    trainer = forms.CharField(label=_("Led by"), max_length=200, required=False)
    description = text_field(_("Description"), rows=4)
    required = forms.BooleanField(
        label=_("Required"),
        required=False,
        initial=True,
        help_text=_("Every mentor attends a required event to complete the mentor school."),
    )
    materials = ScanField(
        label=_("Materials"),
        required=False,
        help_text=_(
            "A presentation or handout saved as PDF, or a photo; a new file replaces the old."
        ),
    )


class AttendanceForm(RuleErrorsMixin, forms.Form):
    mentors = forms.ModelMultipleChoiceField(
        label=_("Attended"),
        queryset=Mentor.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )

    def __init__(self, *args: Any, candidates: QuerySet[Mentor], **kwargs: Any):
        super().__init__(*args, **kwargs)
        model_choice_field(self, "mentors").queryset = candidates
        model_choice_field(self, "mentors").label_from_instance = lambda obj: obj.person.full_name


class TrainingMarkForm(RuleErrorsMixin, forms.Form):
    completed = forms.BooleanField(label=_("The mentor school is completed"), required=False)
    note = text_field(
        _("Why"),
        help_text=_("For example: a course of further education on mentoring, with its dates."),
    )


class PortfolioItemForm(RuleErrorsMixin, forms.Form):
    kind = forms.ChoiceField(label=_("Kind"), choices=PortfolioKind.choices)
    title = forms.CharField(label=_("Title"), max_length=300, required=False)
    text = text_field(_("Description"), rows=4)
    dated = forms.DateField(label=_("Date"), widget=DATE_WIDGET, required=False)
    file = ScanField(label=_("File"), required=False)
