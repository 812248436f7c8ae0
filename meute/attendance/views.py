"""Attendance and visitor screens. The board's pages answer 404 to everyone else,
as for a network that does not exist; a member sees only their own record."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from meute.accounts.selectors import person_of
from meute.attendance import selectors, services
from meute.attendance.forms import FollowUpForm, RegisterForm, RuleForm, VisitorForm
from meute.attendance.models import Visitor
from meute.core.web import form_service, parse_id
from meute.events.models import Event
from meute.networks import permissions
from meute.networks.models import Network


@login_required
def meetings(request: HttpRequest, slug: str) -> HttpResponse:
    network = permissions.managed_network_or_404(request.user, slug)
    return render(
        request,
        "attendance/meetings.html",
        {
            "network": network,
            "meetings": selectors.network_meetings(network),
            "figures": selectors.board_figures(network),
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def take(request: HttpRequest, slug: str, event_id: int) -> HttpResponse:
    network = permissions.managed_network_or_404(request.user, slug)
    # Another network's meeting answers 404: the id says nothing.
    event = get_object_or_404(Event, pk=event_id, network=network)
    form = RegisterForm(
        request.POST or None,
        members=selectors.register_members(network),
        records=selectors.event_records(event),
    )
    if form_service(
        request,
        form,
        lambda: services.attendance_take(event=event, entries=form.entries(), actor=request.user),
        _("La feuille de présence est enregistrée."),
    ):
        return redirect("attendance:meetings", slug=network.slug)
    return render(
        request,
        "attendance/take.html",
        {
            "network": network,
            "event": event,
            "form": form,
            "visitors": event.visitors.select_related("invited_by"),
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def at_risk(request: HttpRequest, slug: str) -> HttpResponse:
    network = permissions.managed_network_or_404(request.user, slug)
    rule = selectors.rule_for(network)
    form = RuleForm(
        request.POST or None,
        initial={"max_unexcused": rule.max_unexcused, "window_months": rule.window_months},
    )
    if form_service(
        request,
        form,
        lambda: services.attendance_rule_set(network=network, actor=request.user, **form.cleaned_data),
        _("La règle d'assiduité est enregistrée."),
    ):
        return redirect("attendance:at_risk", slug=network.slug)
    return render(
        request,
        "attendance/at_risk.html",
        {
            "network": network,
            "rule": rule,
            "form": form,
            "tallies": selectors.members_at_risk(network),
            "figures": selectors.board_figures(network),
        },
    )


@login_required
def mine(request: HttpRequest, slug: str) -> HttpResponse:
    network = get_object_or_404(Network, slug=slug)
    person = person_of(request.user)
    if person is None or not permissions.person_is_active_member(person, network):
        raise Http404
    tally, records = selectors.member_record(network, person)
    return render(
        request,
        "attendance/mine.html",
        {"network": network, "tally": tally, "records": records, "rule": selectors.rule_for(network)},
    )


@login_required
@require_http_methods(["GET", "POST"])
def visitors(request: HttpRequest, slug: str) -> HttpResponse:
    network = permissions.managed_network_or_404(request.user, slug)
    initial = {}
    event_id = parse_id(request.GET.get("reunion"))
    if event_id is not None:
        initial["event"] = get_object_or_404(Event, pk=event_id, network=network).pk
    form = VisitorForm(request.POST or None, network=network, initial=initial)
    if form_service(
        request,
        form,
        lambda: services.visitor_create(network=network, actor=request.user, **form.cleaned_data),
        lambda visitor: _("%(v)s est enregistré(e).") % {"v": visitor.name},
    ):
        return redirect("attendance:visitors", slug=network.slug)
    return render(
        request,
        "attendance/visitors.html",
        {
            "network": network,
            "form": form,
            "visitors": Visitor.objects.filter(network=network).select_related("event", "invited_by"),
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def visitor_detail(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    network = permissions.managed_network_or_404(request.user, slug)
    visitor = get_object_or_404(Visitor.objects.select_related("event", "invited_by"), pk=pk, network=network)
    form = FollowUpForm(request.POST or None, initial={"status": visitor.status, "notes": visitor.notes})
    if form_service(
        request,
        form,
        lambda: services.visitor_follow_up(visitor=visitor, actor=request.user, **form.cleaned_data),
        _("Le suivi de %(v)s est enregistré.") % {"v": visitor.name},
    ):
        return redirect("attendance:visitors", slug=network.slug)
    return render(
        request,
        "attendance/visitor_detail.html",
        {
            "network": network,
            "visitor": visitor,
            "form": form,
            "apply_url": request.build_absolute_uri(reverse("networks:detail", args=[network.slug])),
        },
    )
