"""Barometer pages: answer (members), the network's figures (its members, managers, staff),
the territory's figures (CCI staff). Anyone else gets a 404, as for a network that does not exist."""

from __future__ import annotations

import datetime as dt

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.db.models import QuerySet
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from meute.accounts.selectors import person_of
from meute.barometer import selectors, services
from meute.barometer.forms import AnswerForm, PeriodForm
from meute.barometer.models import QUESTIONS
from meute.core.web import form_service
from meute.events.models import Event, EventStatus
from meute.networks import permissions
from meute.networks.models import Network


def _quarter_events(network: Network, today: dt.date) -> QuerySet[Event]:
    first_month = 3 * ((today.month - 1) // 3) + 1
    start = dt.date(today.year, first_month, 1)
    end = dt.date(today.year + (first_month == 10), (first_month + 2) % 12 + 1, 1)
    return (
        Event.objects.filter(network=network, starts_at__date__gte=start, starts_at__date__lt=end)
        .exclude(status=EventStatus.CANCELLED)
        .order_by("starts_at")
    )


@login_required
def network(request: HttpRequest, slug: str) -> HttpResponse:
    net = get_object_or_404(Network, slug=slug)
    person = person_of(request.user)
    is_member = permissions.person_is_active_member(person, net)
    if not (is_member or permissions.can_manage(request.user, net)):
        raise Http404
    period = services.period_of(timezone.localdate())
    return render(
        request,
        "barometer/network.html",
        {
            "network": net,
            "quarters": selectors.network_barometer(network=net),
            "period": period,
            "closes_on": selectors.quarter_end(period),
            "can_answer": is_member and not selectors.has_answered(person=person, network=net, period=period),  # type: ignore[arg-type]
            "minimum": selectors.MIN_ANSWERS,
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def answer(request: HttpRequest, slug: str) -> HttpResponse:
    net = get_object_or_404(Network, slug=slug)
    person = person_of(request.user)
    if person is None or not permissions.person_is_active_member(person, net):
        raise Http404
    today = timezone.localdate()
    period = services.period_of(today)
    if selectors.has_answered(person=person, network=net, period=period):
        messages.info(request, services.already_answered_message(network=net, period=period))
        return redirect("barometer:network", slug=net.slug)
    form = AnswerForm(
        request.POST or None,
        events=_quarter_events(net, today),
        initial={"event": request.GET.get("rencontre")},
    )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        if form_service(
            request,
            form,
            lambda: services.barometer_answer(
                person=person,
                network=net,
                event=data["event"],
                today=today,
                **{name: data[name] for name, _c in QUESTIONS},
            ),
            _("Merci : votre réponse anonyme est enregistrée."),
        ):
            return redirect("barometer:network", slug=net.slug)
    return render(request, "barometer/answer.html", {"network": net, "form": form, "period": period})


@login_required
def territory(request: HttpRequest) -> HttpResponse:
    if not permissions.is_staff(request.user):
        raise Http404
    periods = selectors.periods()
    form = PeriodForm(request.GET or None, periods=periods)
    chosen = (form.cleaned_data.get("periode") if form.is_valid() else None) or (
        periods[0] if periods else None
    )
    return render(
        request,
        "barometer/territory.html",
        {
            "form": form,
            "period": chosen,
            "detail": selectors.territory_barometer(period=chosen) if chosen else None,
            "over_time": selectors.territory_over_time(),
            "questions": selectors.question_labels(),
            "minimum": selectors.MIN_ANSWERS,
            "current": selectors.current_period(),
            "closes_on": selectors.quarter_end(selectors.current_period()),
        },
    )
