"""The register of orders: list, card, edit a draft, sign with the scan, download."""

from __future__ import annotations

import logging
import re

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.files.storage import default_storage
from django.http import FileResponse, Http404, HttpResponse
from django.http.response import HttpResponseBase
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from nastavnik.core.access import OrgRequest, org_view
from nastavnik.core.outcomes import download, perform, refuse, stored_file, submit
from nastavnik.documents.render import PdfConversionError, docx_to_pdf
from nastavnik.orders import services
from nastavnik.orders.access import order_for, orders_of
from nastavnik.orders.forms import OrderForm, SignForm
from nastavnik.orders.kinds import OrderKind
from nastavnik.orders.models import Order, OrderStatus
from nastavnik.orgs.policy import Perm

logger = logging.getLogger(__name__)

DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
PDF_UNAVAILABLE = gettext_lazy(
    "The PDF cannot be made on this server now; download the DOCX and print it."
)


def _to_detail(order: Order) -> HttpResponse:
    return redirect("orders:detail", org_slug=order.organisation.slug, order_pk=order.pk)


def _file_stem(order: Order) -> str:
    number = re.sub(r"[\\/:*?\"<>|]+", "-", order.number)
    return f"Приказ № {number} от {order.date:%d.%m.%Y}"


def order_prepared(request: OrgRequest, order: Order) -> HttpResponse:
    """Where a page that prepared a draft order goes next: the order, to print for signing."""
    messages.success(
        request,
        _("The draft of order № %(number)s is ready: print it for signing.")
        % {"number": order.number},
    )
    slug = request.org.organisation.slug
    return redirect("orders:detail", org_slug=slug, order_pk=order.pk)


@org_view(Perm.ORDERS_VIEW)
def order_list(request: OrgRequest) -> HttpResponse:
    ctx = request.org
    orders = orders_of(ctx)
    years = sorted(set(orders.values_list("year", flat=True)), reverse=True)
    year, kind, status = (
        request.GET.get("year", ""),
        request.GET.get("kind", ""),
        request.GET.get("status", ""),
    )
    if year.isdigit():
        orders = orders.filter(year=int(year))
    if kind in OrderKind.values:
        orders = orders.filter(kind=kind)
    if status in OrderStatus.values:
        orders = orders.filter(status=status)
    orders = (
        orders.select_related("signatory").prefetch_related("subjects").order_by("-date", "-pk")
    )
    return render(
        request,
        "orders/list.html",
        {
            "orders": orders,
            "years": years,
            "kinds": OrderKind.choices,
            "statuses": OrderStatus.choices,
            "chosen": {"year": year, "kind": kind, "status": status},
        },
    )


@org_view(Perm.ORDERS_VIEW)
def order_detail(request: OrgRequest, order_pk: int) -> HttpResponse:
    ctx = request.org
    order = order_for(ctx, order_pk)
    subjects = [
        (subject.label, getattr(subject.target, "get_absolute_url", lambda: "")())
        for subject in order.subjects.select_related("content_type")
    ]
    return render(
        request,
        "orders/detail.html",
        {
            "order": order,
            "subjects": subjects,
            "can_edit": ctx.can(Perm.ORDER_EDIT) and order.is_draft,
            "can_sign": ctx.can(Perm.ORDER_SIGN) and order.is_draft,
            "sign_form": SignForm() if ctx.can(Perm.ORDER_SIGN) and order.is_draft else None,
        },
    )


@org_view(Perm.ORDER_EDIT)
def order_edit(request: OrgRequest, order_pk: int) -> HttpResponse:
    order = order_for(request.org, order_pk)
    if not order.is_draft:
        messages.error(request, services.ORDER_MESSAGES["signed"])
        return _to_detail(order)
    form = OrderForm.for_order(order, request.POST or None)
    return submit(
        request,
        form,
        lambda: services.order_update(order, by=request.user, **form.cleaned_data),
        success=_("Changes are saved; the document is made again."),
        redirect_to=_to_detail(order),
        template="orders/form.html",
        context={"order": order},
    )


@org_view(Perm.ORDER_EDIT)
@require_POST
def order_regenerate(request: OrgRequest, order_pk: int) -> HttpResponse:
    order = order_for(request.org, order_pk)
    return perform(
        request,
        lambda: services.order_regenerate(order, by=request.user),
        success=_("The document is made again from the current data."),
        redirect_to=_to_detail(order),
    )


@org_view(Perm.ORDER_EDIT)
@require_POST
def order_delete(request: OrgRequest, order_pk: int) -> HttpResponse:
    ctx = request.org
    order = order_for(ctx, order_pk)
    try:
        services.order_delete(order, by=request.user)
    except ValidationError as error:
        refuse(request, error)
        return _to_detail(order)
    messages.success(request, _("The draft order is deleted."))
    return redirect("orders:list", org_slug=ctx.organisation.slug)


@org_view(Perm.ORDER_SIGN)
def order_sign(request: OrgRequest, order_pk: int) -> HttpResponse:
    order = order_for(request.org, order_pk)
    if not order.is_draft:
        messages.error(request, services.ORDER_MESSAGES["signed"])
        return _to_detail(order)
    # Bound on every POST: a form of one file field posts nothing else when it is empty.
    form = SignForm(request.POST if request.method == "POST" else None, request.FILES or None)
    return submit(
        request,
        form,
        lambda: services.order_sign(order, form.cleaned_data["scan"], by=request.user),
        success=_("Order № %(number)s is signed.") % {"number": order.number},
        redirect_to=_to_detail(order),
        template="orders/sign.html",
        context={"order": order},
    )


@org_view(Perm.ORDERS_VIEW)
def order_document(request: OrgRequest, order_pk: int) -> HttpResponseBase:
    order = order_for(request.org, order_pk)
    if not order.document:
        raise Http404
    # A FieldFile is true only with a name.
    assert order.document.name is not None
    return FileResponse(
        default_storage.open(order.document.name),
        as_attachment=True,
        filename=f"{_file_stem(order)}.docx",
        content_type=DOCX,
    )


@org_view(Perm.ORDERS_VIEW)
def order_pdf(request: OrgRequest, order_pk: int) -> HttpResponseBase:
    order = order_for(request.org, order_pk)
    if not order.document:
        raise Http404
    # A FieldFile is true only with a name.
    assert order.document.name is not None
    with default_storage.open(order.document.name) as stored:
        docx = stored.read()
    try:
        pdf = docx_to_pdf(docx)
    except PdfConversionError:
        logger.exception("PDF of order %s failed", order.pk)
        messages.error(request, PDF_UNAVAILABLE)
        return _to_detail(order)
    return download(pdf, f"{_file_stem(order)}.pdf", "application/pdf")


@org_view(Perm.ORDERS_VIEW)
def order_scan(request: OrgRequest, order_pk: int) -> HttpResponseBase:
    order = order_for(request.org, order_pk)
    return stored_file(order.scan, f"{_file_stem(order)} (скан)")
