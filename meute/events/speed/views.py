"""Speed-meeting screens: the participant's profile and agenda, the organiser's plan.

Who may see what: the organiser pages need ``permissions.can_manage``; a
participant (a confirmed registration of the logged-in person) sees their own
profile form and agenda only. Anyone else gets a 404, as if the page did not
exist — including for registration ids of another event.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from meute.core.web import form_service
from meute.events import permissions
from meute.events.access import managed_event, my_registration, visible_event
from meute.events.calendar import ics_response, meeting_vevent, new_calendar
from meute.events.models import Event, EventKind, PlanStatus, Registration, RegistrationStatus, RotationPlan
from meute.events.speed import pdf, selectors, services
from meute.events.speed.forms import LockForm, PlanFormatForm, ReplanForm, SpeedProfileForm, SwapForm
from meute.events.speed.notes import say


def detail_context(request: HttpRequest, event: Event, registration: Registration | None) -> dict[str, Any]:
    """What the event page shows of speed meetings: links for the participant and the organiser."""
    if not selectors.is_speed_event(event):
        return {}
    plan = selectors.plan_of(event)
    participant = registration is not None and registration.status == RegistrationStatus.CONFIRMED
    return {
        "speed": {
            "plan": plan,
            "participant": participant,
            "published": plan is not None and plan.status == PlanStatus.PUBLISHED,
            "can_manage": permissions.can_manage(request.user, event),
        }
    }


# --------------------------------------------------------------------------- access


def _managed_plan(request: HttpRequest, pk: int) -> tuple[Event, RotationPlan]:
    """The organiser's speed-meeting event and its plan; 404 before a format is set."""
    event = managed_event(request, pk, kind=EventKind.SPEED)
    plan = selectors.plan_of(event)
    if plan is None:
        raise Http404
    return event, plan


def _published_plan(event: Event) -> RotationPlan:
    plan = selectors.plan_of(event)
    if plan is None or plan.status != PlanStatus.PUBLISHED:
        raise Http404
    return plan


def _manage_url(event: Event) -> str:
    return reverse("events:speed_manage", args=[event.pk])


def _errors(request: HttpRequest, exc: ValidationError) -> None:
    for message in exc.messages:
        messages.error(request, message)


def _plan_change[T](
    request: HttpRequest, event: Event, call: Callable[[], T], done: str | Callable[[T], str]
) -> HttpResponse:
    """Make a change to the plan (``call``), say how it went, and go back to the plan's page.

    ``done`` is the success message (a callable receives what the service
    returned); a refusal of the service is shown as error messages instead.
    """
    try:
        result = call()
    except ValidationError as exc:
        _errors(request, exc)
    else:
        messages.success(request, done if isinstance(done, str) else done(result))
    return redirect(_manage_url(event))


# --------------------------------------------------------------------------- participant


@login_required
@require_http_methods(["GET", "POST"])
def speed_profile(request: HttpRequest, pk: int) -> HttpResponse:
    event = visible_event(request, pk, kind=EventKind.SPEED)
    registration = my_registration(request, event)
    form = SpeedProfileForm(request.POST or None, instance=registration)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        if form_service(
            request,
            form,
            lambda: services.profile_update(
                registration=registration,
                offers=data["offers"],
                seeks=data["seeks"],
                wishes=data["wishes"],
                avoids=data["avoids"],
            ),
            _("Votre profil pour les rendez-vous est enregistré."),
        ):
            return redirect(event)
    status = 400 if request.method == "POST" else 200
    consented = registration.pk in selectors.shared_profile_ids([registration])
    return render(
        request,
        "events/speed/profile.html",
        {"event": event, "form": form, "consented": consented},
        status=status,
    )


def _agenda_context(event: Event, plan: RotationPlan, registration: Registration) -> dict[str, Any]:
    return {
        "event": event,
        "plan": plan,
        "registration": registration,
        "rows": selectors.agenda(plan, registration),
    }


@login_required
def speed_agenda(request: HttpRequest, pk: int) -> HttpResponse:
    event = visible_event(request, pk, kind=EventKind.SPEED)
    registration = my_registration(request, event)
    plan = selectors.plan_of(event)
    if plan is None or plan.status != PlanStatus.PUBLISHED:
        return render(request, "events/speed/agenda.html", {"event": event, "plan": None, "rows": []})
    return render(request, "events/speed/agenda.html", _agenda_context(event, plan, registration))


@login_required
def speed_agenda_pdf(request: HttpRequest, pk: int) -> HttpResponse:
    event = visible_event(request, pk, kind=EventKind.SPEED)
    registration = my_registration(request, event)
    plan = _published_plan(event)
    body = pdf.agenda_pdf(event, plan, registration, selectors.agenda(plan, registration))
    response = HttpResponse(body, content_type="application/pdf")
    response["Content-Disposition"] = f'inline; filename="programme-{event.pk}.pdf"'
    return response


def agenda_ics(event: Event, plan: RotationPlan, registration: Registration, base_url: str) -> bytes:
    """One calendar entry per round: table, time and whom one meets."""
    cal = new_calendar(event.title)
    where = ", ".join(x for x in [event.place, event.address] if x)
    for row in selectors.agenda(plan, registration):
        if row.table_no is None:
            continue
        lines = []
        for partner in row.partners:
            line = partner.name + (f" ({partner.company})" if partner.company else "")
            lines.append(line + (f" : {partner.why}" if partner.why else ""))
        item = meeting_vevent(
            uid=f"speed-{plan.pk}-{registration.pk}-{row.round_no}@meute",
            starts_at=row.starts_at,
            ends_at=row.ends_at,
            summary=_("Tour %(r)s — table %(t)s — %(title)s")
            % {"r": row.round_no, "t": row.table_no, "title": event.title},
            description="\n".join(lines),
            location=where,
            url=base_url + reverse("events:speed_agenda", args=[event.pk]),
        )
        cal.add_component(item)
    return cal.to_ical()


@login_required
def speed_agenda_ics(request: HttpRequest, pk: int) -> HttpResponse:
    event = visible_event(request, pk, kind=EventKind.SPEED)
    registration = my_registration(request, event)
    plan = _published_plan(event)
    body = agenda_ics(event, plan, registration, request.build_absolute_uri("/").rstrip("/"))
    return ics_response(body, f"programme-{event.pk}.ics")


# --------------------------------------------------------------------------- organiser


@login_required
@require_http_methods(["GET", "POST"])
def speed_manage(request: HttpRequest, pk: int) -> HttpResponse:
    event = managed_event(request, pk, kind=EventKind.SPEED)
    plan = selectors.plan_of(event)
    initial = {f: getattr(plan, f) for f in selectors.FORMAT_FIELDS} if plan else None
    form = PlanFormatForm(request.POST or None, initial=initial)
    status = 200
    if request.method == "POST":
        if form_service(
            request,
            form,
            lambda: services.plan_configure(event=event, **form.cleaned_data),
            _("Le format est enregistré."),
        ):
            return redirect(_manage_url(event))
        status = 400
    computed = plan is not None and plan.status in (PlanStatus.READY, PlanStatus.PUBLISHED)
    tables = selectors.plan_tables(plan) if plan is not None and computed else []
    seated = selectors.seated_registrations(plan) if plan is not None and computed else []
    # Reasons written from the profiles of someone who has since refused matchmaking are withheld.
    why = (
        selectors.shared_reasons(plan, selectors.shared_profile_ids(seated))
        if plan is not None and computed
        else {}
    )
    cautions = selectors.plan_cautions(plan) if plan is not None and computed else {}
    version = plan.version if plan is not None else 0
    rounds = []
    for round_no, round_tables in tables:
        rows = []
        for table_no, seats in round_tables:
            ids = sorted(s.registration_id for s in seats)
            reasons = [why.get((a, b), "") for k, a in enumerate(ids) for b in ids[k + 1 :]]
            warnings = [cautions.get((a, b), "") for k, a in enumerate(ids) for b in ids[k + 1 :]]
            rows.append(
                {
                    "table_no": table_no,
                    "seats": seats,
                    "locked": all(s.locked for s in seats),
                    "changed": bool(version) and any(s.changed_in_version == version for s in seats),
                    "reasons": [r for r in reasons if r],
                    "cautions": [c for c in warnings if c],
                }
            )
        rounds.append({"round_no": round_no, "tables": rows})
    context = {
        "event": event,
        "plan": plan,
        "form": form,
        "rounds": rounds,
        "participants": selectors.participants(event),
        "seated": seated,
        "round_choices": range(1, plan.rounds + 1) if plan else [],
        "figures": plan.figures if plan else {},
        "engine_notes": [say(n) for n in (plan.figures or {}).get("notes", [])] if plan else [],
    }
    return render(request, "events/speed/manage.html", context, status=status)


@login_required
@require_POST
def speed_generate(request: HttpRequest, pk: int) -> HttpResponse:
    event, plan = _managed_plan(request, pk)
    try:
        services.plan_generate(plan=plan)
    except ValidationError as exc:
        _errors(request, exc)
        return redirect(_manage_url(event))
    return redirect("events:speed_progress", pk=event.pk)


@login_required
def speed_progress(request: HttpRequest, pk: int) -> HttpResponse:
    event, plan = _managed_plan(request, pk)
    return render(request, "events/speed/progress.html", {"event": event, "plan": plan})


@login_required
@require_POST
def speed_lock(request: HttpRequest, pk: int) -> HttpResponse:
    event, plan = _managed_plan(request, pk)
    form = LockForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Tour ou table invalide."))
        return redirect(_manage_url(event))
    done = _("Rencontre verrouillée.") if form.cleaned_data["locked"] else _("Rencontre déverrouillée.")
    return _plan_change(request, event, lambda: services.seat_lock(plan=plan, **form.cleaned_data), done)


@login_required
@require_POST
def speed_swap(request: HttpRequest, pk: int) -> HttpResponse:
    event, plan = _managed_plan(request, pk)
    form = SwapForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Choisissez un tour et deux personnes."))
        return redirect(_manage_url(event))
    data = form.cleaned_data
    # Ids of another event's registrations answer 404, like any guessed id.
    first = get_object_or_404(Registration, pk=data["first"], event=event)
    second = get_object_or_404(Registration, pk=data["second"], event=event)
    return _plan_change(
        request,
        event,
        lambda: services.seat_swap(plan=plan, round_no=data["round_no"], first=first, second=second),
        lambda report: (
            _("Échange fait et verrouillé : %(c)s rencontres prévues modifiées, %(n)s personnes prévenues.")
            % {"c": report.changed_meetings, "n": report.notified}
        ),
    )


@login_required
@require_POST
def speed_publish(request: HttpRequest, pk: int) -> HttpResponse:
    event, plan = _managed_plan(request, pk)
    done = _("Le plan est publié : chaque participant reçoit son programme.")
    return _plan_change(request, event, lambda: services.plan_publish(plan=plan), done)


@login_required
@require_POST
def speed_replan(request: HttpRequest, pk: int) -> HttpResponse:
    event, plan = _managed_plan(request, pk)
    form = ReplanForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Choisissez le tour à partir duquel re-planifier."))
        return redirect(_manage_url(event))
    return _plan_change(
        request,
        event,
        lambda: services.plan_replan_live(plan=plan, from_round=form.cleaned_data["from_round"]),
        lambda report: (
            _("Tours re-planifiés : %(c)s rencontres modifiées, %(a)s nouvelles, %(n)s personnes prévenues.")
            % {"c": report.changed_meetings, "a": report.added_meetings, "n": report.notified}
        ),
    )


@login_required
def speed_participant_agenda(request: HttpRequest, pk: int, registration_id: int) -> HttpResponse:
    """The organiser's view of one participant's agenda (to answer a question at the desk)."""
    event, plan = _managed_plan(request, pk)
    registration = get_object_or_404(
        Registration.objects.select_related("person", "person__organisation"), pk=registration_id, event=event
    )
    return render(
        request, "events/speed/agenda.html", _agenda_context(event, plan, registration) | {"organiser": True}
    )


@login_required
def speed_tables_pdf(request: HttpRequest, pk: int) -> HttpResponse:
    event, plan = _managed_plan(request, pk)
    if plan.status not in (PlanStatus.READY, PlanStatus.PUBLISHED):
        raise Http404
    people = selectors.seated_registrations(plan)
    body = pdf.tables_pdf(
        event, plan, selectors.plan_tables(plan), people, shared=selectors.shared_profile_ids(people)
    )
    response = HttpResponse(body, content_type="application/pdf")
    response["Content-Disposition"] = f'inline; filename="plan-de-tables-{event.pk}.pdf"'
    return response
