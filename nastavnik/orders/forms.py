"""Forms of the register of orders; the rules are in `services`."""

from __future__ import annotations

import datetime
from typing import Any, Self

from django import forms
from django.utils.translation import gettext_lazy as _

from nastavnik.consents.rules import hidden_q
from nastavnik.core.forms import (
    DATE_WIDGET,
    RuleErrorsMixin,
    ScanField,
    StaffChoiceField,
    model_choice_field,
    text_field,
)
from nastavnik.core.uploads import check_scan
from nastavnik.orders.models import Order
from nastavnik.orders.services import ORDER_MESSAGES, OrderDetails, order_defaults
from nastavnik.orgs.models import Organisation
from nastavnik.people.models import Person, PersonKind
from nastavnik.people.validators import org_today


class OrderForm(RuleErrorsMixin, forms.Form):
    """Number, date and signatory of an order; the title too where the kind lets one edit it."""

    number = forms.CharField(
        label=_("Number"),
        max_length=30,
        help_text=_("As in the organisation's book of orders, for example «45-о»."),
        error_messages={"required": ORDER_MESSAGES["number_required"]},
    )
    date = forms.DateField(label=_("Date"), widget=DATE_WIDGET)
    title = text_field(_("Title"), rows=2, required=True, max_length=500)
    signatory = StaffChoiceField(
        label=_("Signed by"),
        queryset=Person.objects.none(),
        error_messages={"required": ORDER_MESSAGES["signatory"]},
    )
    signatory_position = forms.CharField(
        label=_("Position of the signatory"),
        max_length=200,
        required=False,
        help_text=_("As printed under the signature; the person's position when left empty."),
    )

    def __init__(
        self, *args: Any, organisation: Organisation, with_title: bool = True, **kwargs: Any
    ):
        super().__init__(*args, **kwargs)
        model_choice_field(self, "signatory").queryset = (
            Person.objects.for_org(organisation)
            .filter(kind=PersonKind.STAFF)
            .exclude(hidden_q())
            .order_by("name_key")
        )
        if not with_title:
            del self.fields["title"]

    # `date` here is the form's field: the type is named through its module.
    @classmethod
    def for_new(cls, organisation: Organisation, day: datetime.date, data: Any = None) -> OrderForm:
        """An order about to be prepared: the next number of the year, the day, the director."""
        defaults = order_defaults(organisation, day)
        signatory = defaults.signatory
        return cls(
            data,
            organisation=organisation,
            with_title=False,
            initial={
                "number": defaults.number,
                "date": defaults.date,
                "signatory": signatory.pk if signatory else None,
                "signatory_position": signatory.position if signatory else "",
            },
        )

    def details(self) -> dict[str, Any]:
        """The number, date and signatory as the services that prepare an order take them."""
        fields = ("number", "date", "signatory", "signatory_position")
        return {name: self.cleaned_data[name] for name in fields}

    @classmethod
    def for_order(cls, order: Order, data: Any = None) -> OrderForm:
        return cls(
            data,
            organisation=order.organisation,
            initial={
                "number": order.number,
                "date": order.date,
                "title": order.title,
                "signatory": order.signatory_id,
                "signatory_position": order.signatory_position,
            },
        )


class OrderDetailsForm(RuleErrorsMixin, forms.Form):
    """The order's part of a form that makes a change and prepares its order at once; a form
    of the change inherits it and adds its own fields."""

    ORDER_FIELDS = ("number", "date", "signatory", "signatory_position")

    number = forms.CharField(label=_("Order number"), max_length=30)
    date = forms.DateField(label=_("Order date"), widget=DATE_WIDGET)
    signatory = StaffChoiceField(label=_("Signed by"), queryset=Person.objects.none())
    signatory_position = forms.CharField(
        label=_("Position of the signatory"),
        max_length=200,
        required=False,
        help_text=_("Leave empty to take the position from the person's record."),
    )

    def __init__(self, *args: Any, organisation: Organisation, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        model_choice_field(self, "signatory").queryset = (
            Person.objects.for_org(organisation)
            .filter(kind=PersonKind.STAFF)
            .exclude(hidden_q())
            .order_by("name_key")
        )

    @staticmethod
    def order_initial(organisation: Organisation, day: datetime.date) -> dict[str, Any]:
        """The order's fields as the page offers them: the next number of the year, dated
        `day`, signed by the director."""
        defaults = order_defaults(organisation, day)
        return {"number": defaults.number, "date": day, "signatory": defaults.signatory}

    @classmethod
    def offered(cls, data: Any, organisation: Organisation, **initial: Any) -> Self:
        """The form as a page offers it: the order's fields for today (`order_initial`),
        beside the `initial` values of the form's own fields."""
        today = org_today(organisation)
        return cls(
            data,
            organisation=organisation,
            initial={**cls.order_initial(organisation, today), **initial},
        )

    def order_details(self) -> OrderDetails:
        data = self.cleaned_data
        return OrderDetails(
            number=data["number"],
            date=data["date"],
            signatory=data["signatory"],
            signatory_position=data["signatory_position"],
        )

    def own_part(self) -> list[forms.BoundField]:
        return [self[name] for name in self.fields if name not in self.ORDER_FIELDS]

    def order_part(self) -> list[forms.BoundField]:
        return [self[name] for name in self.ORDER_FIELDS]


class SignForm(RuleErrorsMixin, forms.Form):
    scan = ScanField(
        label=_("Scan of the signed order"),
        error_messages={"required": ORDER_MESSAGES["scan_required"]},
    )

    def clean_scan(self) -> Any:
        upload = self.cleaned_data["scan"]
        check_scan(upload)
        return upload
