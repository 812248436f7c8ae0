"""Screens of business-meeting days (requests, availability, placement, agenda) and of outcomes.

Who sees what, in one place (a page one may not see answers 404, as if it did not exist):

- participant pages: a confirmed registration to this business-meeting day;
- placement: the event's managers (`permissions.can_manage`);
- rating one's meetings: a confirmed participant, for the people they met;
- an event's outcome (aggregates only): its managers, its participants and the
  active members of the organising network;
- the chamber's outcomes across events: CCI staff.
"""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from meute.accounts.models import ConsentPurpose
from meute.core.web import form_service
from meute.events import permissions
from meute.events.access import managed_event, my_registration, visible_event
from meute.events.business import selectors, services
from meute.events.business.forms import (
    AnswerForm,
    AvailabilityForm,
    PlacementForm,
    ProfileForm,
    RequestForm,
)
from meute.events.calendar import ics_response, meeting_vevent, new_calendar
from meute.events.models import (
    Event,
    EventKind,
    MeetingRequest,
    Registration,
    RegistrationStatus,
    RequestStatus,
)

# --------------------------------------------------------------------------- access


def _error(request: HttpRequest, exc: ValidationError) -> None:
    messages.error(request, " ".join(exc.messages))


def _home(event: Event) -> str:
    return reverse("events:business_requests", args=[event.pk])


# --------------------------------------------------------------------------- event page


def detail_context(request: HttpRequest, event: Event, registration: Registration | None) -> dict[str, Any]:
    """What the event page shows of a business-meeting day: links for participants and organisers."""
    now = timezone.now()
    participant = (
        registration if registration and registration.status == RegistrationStatus.CONFIRMED else None
    )
    day = selectors.is_business_day(event)
    context: dict[str, Any] = {
        "business_day": day,
        "business_participant": participant is not None,
        "business_can_place": day and permissions.can_manage(request.user, event),
        "business_pending": 0,
    }
    if day and participant is not None:
        context["business_pending"] = selectors.pending_received_count(registration=participant, now=now)
    return context


# --------------------------------------------------------------------------- participants


@login_required
def participants(request: HttpRequest, pk: int) -> HttpResponse:
    event = visible_event(request, pk, kind=EventKind.BUSINESS_DAY)
    me = my_registration(request, event)
    asked = {r.recipient_id: r for r in MeetingRequest.objects.filter(sender=me)} | {
        r.sender_id: r for r in MeetingRequest.objects.filter(recipient=me)
    }
    profiles = selectors.profiles_visible(registration=me)
    return render(
        request,
        "events/business/participants.html",
        {
            "event": event,
            "me": me,
            "rows": [{"registration": r, "request": asked.get(r.pk)} for r in profiles],
            "form": RequestForm(),
            "consented": me.person.has_consent(ConsentPurpose.MATCHMAKING),
            "open": timezone.now() < event.starts_at,
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def profile(request: HttpRequest, pk: int) -> HttpResponse:
    event = visible_event(request, pk, kind=EventKind.BUSINESS_DAY)
    me = my_registration(request, event)
    form = ProfileForm(request.POST or None, initial={"offers": me.offers, "seeks": me.seeks})
    if request.method == "POST" and form.is_valid():
        services.profile_update(registration=me, **form.cleaned_data)
        messages.success(request, _("Votre profil pour cet événement est enregistré."))
        return redirect(_home(event))
    return render(
        request,
        "events/business/profile.html",
        {"event": event, "form": form, "consented": me.person.has_consent(ConsentPurpose.MATCHMAKING)},
        status=400 if form.errors else 200,
    )


@login_required
@require_http_methods(["GET", "POST"])
def availability(request: HttpRequest, pk: int) -> HttpResponse:
    event = visible_event(request, pk, kind=EventKind.BUSINESS_DAY)
    me = my_registration(request, event)
    form = AvailabilityForm(request.POST or None, event=event, initial={"slots": me.available_slots})
    if form_service(
        request,
        form,
        lambda: services.availability_set(registration=me, slots=form.cleaned_data["slots"]),
        _("Vos disponibilités sont enregistrées."),
    ):
        return redirect(_home(event))
    return render(
        request,
        "events/business/availability.html",
        {"event": event, "form": form, "no_slots": event.slots < 1},
        status=400 if form.errors else 200,
    )


@login_required
def requests(request: HttpRequest, pk: int) -> HttpResponse:
    event = visible_event(request, pk, kind=EventKind.BUSINESS_DAY)
    me = my_registration(request, event)
    mine = selectors.requests_of(registration=me)
    return render(
        request,
        "events/business/requests.html",
        {
            "event": event,
            "me": me,
            "received": mine["received"],
            "sent": mine["sent"],
            "available": len(me.available_slots or []),
        },
    )


@login_required
@require_POST
def request_create(request: HttpRequest, pk: int, registration_id: int) -> HttpResponse:
    event = visible_event(request, pk, kind=EventKind.BUSINESS_DAY)
    me = my_registration(request, event)
    recipient = get_object_or_404(
        Registration.objects.select_related("person"),
        pk=registration_id,
        event=event,
        status=RegistrationStatus.CONFIRMED,
    )
    # A profile one may not browse (no consent to matchmaking) is not there to be asked.
    if recipient.pk != me.pk and not recipient.person.has_consent(ConsentPurpose.MATCHMAKING):
        raise Http404
    form = RequestForm(request.POST)
    if not form.is_valid():
        messages.error(
            request, " ".join(str(e) for e in form.errors.get("message", [_("Message invalide.")]))
        )
        return redirect("events:business_participants", pk=event.pk)
    try:
        services.request_create(sender=me, recipient=recipient, message=form.cleaned_data["message"])
    except ValidationError as exc:
        _error(request, exc)
        return redirect("events:business_participants", pk=event.pk)
    messages.success(
        request,
        _("Votre demande de rendez-vous est envoyée à %(name)s.") % {"name": recipient.person.full_name},
    )
    return redirect(_home(event))


@login_required
@require_POST
def request_answer(request: HttpRequest, pk: int, request_id: int) -> HttpResponse:
    event = visible_event(request, pk, kind=EventKind.BUSINESS_DAY)
    me = my_registration(request, event)
    meeting = get_object_or_404(MeetingRequest, pk=request_id, event=event, recipient=me)
    form = AnswerForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Réponse inconnue : choisissez accepter ou décliner."))
        return redirect(_home(event))
    accept = form.cleaned_data["answer"] == "accept"
    try:
        services.request_answer(request=meeting, recipient=me, accept=accept)
    except ValidationError as exc:
        _error(request, exc)
    else:
        messages.success(request, _("Demande acceptée.") if accept else _("Demande déclinée."))
    return redirect(_home(event))


@login_required
def agenda(request: HttpRequest, pk: int) -> HttpResponse:
    event = visible_event(request, pk, kind=EventKind.BUSINESS_DAY)
    me = my_registration(request, event)
    return render(
        request,
        "events/business/agenda.html",
        {
            "event": event,
            "agenda": selectors.agenda_of(registration=me),
            "waiting": selectors.accepted_unplaced(registration=me),
        },
    )


@login_required
def agenda_ics(request: HttpRequest, pk: int) -> HttpResponse:
    event = visible_event(request, pk, kind=EventKind.BUSINESS_DAY)
    me = my_registration(request, event)
    cal = new_calendar(_("Mes rendez-vous : %(title)s") % {"title": event.title})
    where = ", ".join(x for x in [event.place, event.address] if x)
    url = request.build_absolute_uri(reverse("events:business_agenda", args=[event.pk]))
    for row in selectors.agenda_of(registration=me):
        other = row["other"].person
        item = meeting_vevent(
            uid=f"meeting-{row['request'].pk}@meute",
            starts_at=row["slot"].starts_at,
            ends_at=row["slot"].ends_at,
            summary=_("Rendez-vous avec %(name)s — table %(table)s")
            % {"name": other.full_name, "table": row["table"]},
            location=where,
            url=url,
        )
        cal.add_component(item)
    return ics_response(cal.to_ical(), f"rendez-vous-{event.pk}.ics")


# --------------------------------------------------------------------------- organiser


@login_required
@require_http_methods(["GET", "POST"])
def placement(request: HttpRequest, pk: int) -> HttpResponse:
    event = managed_event(request, pk, kind=EventKind.BUSINESS_DAY)
    form = PlacementForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            figures = services.meetings_place(event=event, seed=form.cleaned_data["seed"] or 0)
        except ValidationError as exc:
            _error(request, exc)
        else:
            messages.success(
                request,
                _("%(placed)s rendez-vous placés sur %(meetings)s acceptés.")
                % {"placed": figures["placed"], "meetings": figures["meetings"]},
            )
        return redirect("events:business_placement", pk=event.pk)
    times = {s.index: s for s in selectors.slot_times(event)}
    counts = selectors.request_counts(event=event)
    return render(
        request,
        "events/business/placement.html",
        {
            "event": event,
            "form": form,
            "figures": selectors.placement_figures(event=event),
            "rows": [
                {"request": r, "slot": None if r.slot is None else times.get(r.slot)}
                for r in selectors.placement_rows(event=event)
            ],
            "counts": [(RequestStatus(s).label, n) for s, n in counts.items()],
            "no_room": event.slots < 1 or event.tables < 1,
            "with_slots": Registration.objects.filter(event=event, status=RegistrationStatus.CONFIRMED)
            .exclude(available_slots=[])
            .count(),
        },
        status=400 if form.errors else 200,
    )
