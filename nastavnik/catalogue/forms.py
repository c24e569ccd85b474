from django import forms
from django.utils.translation import gettext_lazy as _

from nastavnik.catalogue.models import MentoringForm, RoleModel
from nastavnik.core.forms import RuleErrorsMixin


class MentoringFormForm(RuleErrorsMixin, forms.ModelForm):
    class Meta:
        model = MentoringForm
        fields = ["name", "goal", "mentor_description", "mentee_description"]
        widgets = {"goal": forms.Textarea(attrs={"rows": 4})}
        help_texts = {"name": _("For example: «Parent – pupil».")}


class RoleModelForm(RuleErrorsMixin, forms.ModelForm):
    class Meta:
        model = RoleModel
        fields = ["name", "goal"]
        widgets = {"goal": forms.Textarea(attrs={"rows": 3})}
        help_texts = {"name": _("For example: «Project supervisor – project author».")}
