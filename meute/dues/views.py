"""Dues screens: the treasurer's list, a new period, a payment, and a member's own status.

Anyone who may not see a page gets a 404, as for a network that does not exist.
"""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from meute.accounts.selectors import person_of
from meute.core.web import form_service, parse_id
from meute.dues import services
from meute.dues.forms import PaymentForm, PeriodForm
from meute.dues.models import DuesPeriod
from meute.dues.selectors import STATE_LABELS, dues_summary, network_dues, person_dues
from meute.networks import permissions
from meute.networks.models import Membership, Network


@login_required
def overview(request: HttpRequest, slug: str) -> HttpResponse:
    network = permissions.managed_network_or_404(request.user, slug)
    lines = network_dues(network)
    summary = dues_summary(lines)
    return render(
        request,
        "dues/overview.html",
        {
            "network": network,
            "lines": lines,
            "summary": [(STATE_LABELS[k], v) for k, v in summary.items()],
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def period_create(request: HttpRequest, slug: str) -> HttpResponse:
    network = permissions.managed_network_or_404(request.user, slug)
    initial = {}
    member_id = parse_id(request.GET.get("membre"))
    if member_id is not None:
        membership = Membership.objects.active().filter(pk=member_id, network=network).first()
        if membership is None:
            raise Http404
        initial = services.renewal_proposal(membership=membership)
    form = PeriodForm(request.POST or None, network=network, initial=initial)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        if form_service(
            request,
            form,
            lambda: services.dues_period_create(
                membership=data["membership"],
                start=data["start"],
                end=data["end"],
                amount=data["amount"],
                paid_on=data["paid_on"],
                actor=request.user,
            ),
            lambda period: (
                _("La période de %(p)s est enregistrée.") % {"p": period.membership.person.full_name}
            ),
        ):
            return redirect("dues:overview", slug=network.slug)
    return render(request, "dues/period_form.html", {"network": network, "form": form})


@login_required
@require_http_methods(["GET", "POST"])
def payment_record(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    network = permissions.managed_network_or_404(request.user, slug)
    # Another network's period answers 404: the id says nothing.
    period = get_object_or_404(
        DuesPeriod.objects.select_related("membership__person"), pk=pk, membership__network=network
    )
    form = PaymentForm(request.POST or None, initial={"paid_on": timezone.localdate()})
    if form_service(
        request,
        form,
        lambda: services.dues_payment_record(
            period=period, paid_on=form.cleaned_data["paid_on"], actor=request.user
        ),
        _("Le paiement de %(p)s est enregistré.") % {"p": period.membership.person.full_name},
    ):
        return redirect("dues:overview", slug=network.slug)
    return render(request, "dues/payment_form.html", {"network": network, "period": period, "form": form})


@login_required
def mine(request: HttpRequest, slug: str) -> HttpResponse:
    network = get_object_or_404(Network, slug=slug)
    person = person_of(request.user)
    line = person_dues(person, network) if person else None
    if line is None:
        raise Http404
    return render(
        request,
        "dues/mine.html",
        {"network": network, "line": line, "join_url": reverse("networks:detail", args=[network.slug])},
    )
