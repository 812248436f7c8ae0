from __future__ import annotations

from urllib.parse import urlencode

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.db import transaction
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from meute.accounts.selectors import person_of
from meute.core.web import add_validation_errors, service_message
from meute.events import permissions, selectors, services
from meute.events.access import managed_event, visible_event
from meute.events.business import views as business_views
from meute.events.calendar import events_ics
from meute.events.forms import BUSINESS_DAY_FIELDS, AttendanceForm, EventForm, WalkInForm
from meute.events.models import CalendarFeed, Event, Registration, RegistrationStatus
from meute.events.outcomes import views as outcome_views
from meute.events.speed import views as speed_views
from meute.networks import permissions as network_permissions


def event_list(request: HttpRequest) -> HttpResponse:
    past = request.GET.get("passes") == "1"
    events = selectors.events_listed(request.user, past=past, network_slug=request.GET.get("reseau", ""))
    page = Paginator(events, 20).get_page(request.GET.get("page"))
    return render(
        request,
        "events/list.html",
        {"page": page, "past": past, "can_create": bool(network_permissions.managed_networks(request.user))},
    )


def event_detail(request: HttpRequest, pk: int) -> HttpResponse:
    event = visible_event(request, pk)
    person = person_of(request.user)
    mine = selectors.registration_of(event, person)
    confirmed = services.confirmed_count(event)
    extra = (
        speed_views.detail_context(request, event, mine)
        | business_views.detail_context(request, event, mine)
        | outcome_views.detail_context(request, event, mine)
    )
    return render(
        request,
        "events/detail.html",
        extra
        | {
            "event": event,
            "registration": mine,
            "position": selectors.waiting_position(mine) if mine else None,
            "confirmed": confirmed,
            "left": None if event.capacity is None else max(event.capacity - confirmed, 0),
            "can_manage": permissions.can_manage(request.user, event),
            "may_register": person is not None and permissions.may_register(person, event),
            "registration_open": event.registration_open(),
        },
    )


@login_required
@require_POST
def register(request: HttpRequest, pk: int) -> HttpResponse:
    event = visible_event(request, pk)
    person = person_of(request.user)
    if person is None:
        messages.error(request, _("Votre compte n'a pas encore de fiche personne."))
        return redirect(event)
    try:
        registration = services.registration_create(event=event, person=person)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        if registration.status == RegistrationStatus.CONFIRMED:
            messages.success(
                request, _("Vous êtes inscrit(e). L'e-mail de confirmation est en cours d'envoi.")
            )
        else:
            messages.success(request, _("L'événement est complet : vous êtes sur la liste d'attente."))
    return redirect(event)


@login_required
@require_POST
def cancel(request: HttpRequest, pk: int) -> HttpResponse:
    event = visible_event(request, pk)
    registration = selectors.registration_of(event, person_of(request.user))
    if registration is None:
        raise Http404
    try:
        services.registration_cancel(registration=registration)
    except ValidationError as exc:
        messages.error(request, exc.messages[0])
        return redirect(event)
    messages.success(request, _("Votre inscription est annulée."))
    return redirect(event)


def event_ics(request: HttpRequest, pk: int) -> HttpResponse:
    event = visible_event(request, pk)
    body = events_ics(event.title, [event], request.build_absolute_uri("/").rstrip("/"))
    response = HttpResponse(body, content_type="text/calendar; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="evenement-{event.pk}.ics"'
    return response


def feed_ics(request: HttpRequest, token: str) -> HttpResponse:
    feed = get_object_or_404(CalendarFeed.objects.select_related("person__user"), token=token)
    body = events_ics(
        _("Mes événements Meute"),
        [r.event for r in selectors.feed_registrations(feed.person)],
        request.build_absolute_uri("/").rstrip("/"),
    )
    return HttpResponse(body, content_type="text/calendar; charset=utf-8")


@login_required
@require_http_methods(["GET", "POST"])
def my_events(request: HttpRequest) -> HttpResponse:
    person = person_of(request.user)
    if person is None:
        # an account without a person record (chamber staff): nothing to list, and say why
        return render(request, "events/mine.html", {"no_person": True})
    if request.method == "POST":
        # The address is made (or replaced, or removed) only on the person's explicit request.
        action = request.POST.get("action")
        if action == "create":
            services.calendar_feed_issue(person=person)
            messages.success(request, _("Votre adresse d'agenda est créée."))
        elif action == "renew":
            # A leaked link is revoked by issuing a new one.
            services.calendar_feed_issue(person=person)
            messages.success(request, _("Nouvelle adresse d'agenda créée : l'ancienne ne fonctionne plus."))
        elif action == "revoke":
            services.calendar_feed_revoke(person=person)
            messages.success(request, _("Votre adresse d'agenda est supprimée : elle ne fonctionne plus."))
        else:
            messages.error(request, _("Action inconnue."))
        return redirect("events:mine")
    feed = CalendarFeed.objects.filter(person=person).first()
    return render(
        request,
        "events/mine.html",
        {
            # Like the feed: only events the person may still see.
            "registrations": selectors.person_registrations(person, since=timezone.now()).filter(
                event__in=permissions.visible_events(request.user).values("pk")
            ),
            "feed_url": request.build_absolute_uri(reverse("events:feed", args=[feed.token])) if feed else "",
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def event_edit(request: HttpRequest, pk: int | None = None) -> HttpResponse:
    staff = network_permissions.is_staff(request.user)
    networks = network_permissions.managed_networks(request.user)
    if not networks and not staff:
        raise Http404
    event = managed_event(request, pk) if pk else Event()
    form = EventForm(request.POST or None, instance=event, networks=networks, staff=staff)
    if request.method == "POST" and form.is_valid():
        try:
            with transaction.atomic():
                saved = form.save(commit=False)
                services.event_save(
                    event=saved,
                    partner_ids=[n.pk for n in form.cleaned_data["partner_networks"]],
                    actor=request.user,
                )
        except ValidationError as exc:
            add_validation_errors(form, exc)
        else:
            messages.success(request, _("L'événement est enregistré."))
            return redirect(saved)
    return render(
        request,
        "events/edit.html",
        {"form": form, "event": event if pk else None, "business_fields": BUSINESS_DAY_FIELDS},
    )


@login_required
def checkin(request: HttpRequest, pk: int) -> HttpResponse:
    event = managed_event(request, pk)
    q = request.GET.get("q", "").strip()
    registrations = selectors.checkin_list(event, q)
    return render(
        request,
        "events/checkin.html",
        {
            "event": event,
            "registrations": registrations,
            "q": q,
            "walk_in_form": WalkInForm(),
            "present": registrations.filter(attendance__in=["present", "late"]).count() if not q else None,
        },
    )


@login_required
@require_POST
def checkin_mark(request: HttpRequest, pk: int, registration_id: int) -> HttpResponse:
    event = managed_event(request, pk)
    registration = get_object_or_404(Registration, pk=registration_id, event=event)
    form = AttendanceForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Valeur de présence inconnue."))
    else:
        service_message(
            request,
            lambda: services.attendance_set(
                registration=registration, attendance=form.cleaned_data["attendance"], actor=request.user
            ),
            lambda saved: (
                _("%(name)s : %(status)s")
                % {"name": saved.person.full_name, "status": saved.get_attendance_display()}
            ),
        )
    # Quoted: a raw search with a line break made the redirect answer 500.
    q = request.POST.get("q", "")[:100]
    return redirect(f"{event.get_absolute_url()}pointage/" + (f"?{urlencode({'q': q})}" if q else ""))


@login_required
@require_POST
def checkin_walk_in(request: HttpRequest, pk: int) -> HttpResponse:
    event = managed_event(request, pk)
    form = WalkInForm(request.POST)
    if not form.is_valid():
        registrations = selectors.checkin_list(event)
        present = registrations.filter(attendance__in=["present", "late"]).count()
        return render(
            request,
            "events/checkin.html",
            {
                "event": event,
                "registrations": registrations,
                "q": "",
                "walk_in_form": form,
                "present": present,
            },
            status=400,
        )
    data = form.cleaned_data
    # What the organiser typed, never what a stored record says.
    name = f"{data['first_name']} {data['last_name']}"
    service_message(
        request,
        lambda: services.walk_in_register(
            event=event,
            actor=request.user,
            first_name=data["first_name"],
            last_name=data["last_name"],
            email=data["email"],
            company=data["company"],
        ),
        _("%(name)s est enregistré(e) sur place.") % {"name": name},
    )
    return redirect(f"{event.get_absolute_url()}pointage/")


@login_required
def registrations(request: HttpRequest, pk: int) -> HttpResponse:
    event = managed_event(request, pk)
    rows = Registration.objects.filter(event=event).select_related("person", "person__organisation")
    return render(request, "events/registrations.html", {"event": event, "registrations": rows})
