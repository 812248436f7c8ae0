"""Screens of outcomes: rating one's meetings, an event's figures, the chamber's figures.

Who sees what (a page one may not see answers 404, as if it did not exist):

- rating one's meetings: a confirmed participant, for the people they met;
- an event's outcome (aggregates only): its managers, its participants and the
  active members of the organising network;
- the chamber's outcomes across events: CCI staff.
"""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from meute.accounts.selectors import person_of
from meute.core.web import service_message
from meute.events import permissions
from meute.events.access import my_registration, visible_event
from meute.events.models import Event, Registration, RegistrationStatus
from meute.events.outcomes import selectors as outcomes
from meute.events.outcomes import services
from meute.events.outcomes.forms import RatingForm
from meute.events.selectors import participant_of
from meute.networks import permissions as network_permissions


def _meeting_event(request: HttpRequest, pk: int) -> Event:
    event = visible_event(request, pk)
    if not outcomes.is_meeting_event(event):
        raise Http404
    return event


def may_see_outcome(user: Any, event: Event, registration: Registration | None) -> bool:
    """Managers, participants and the organising network's active members see the aggregates."""
    if permissions.can_manage(user, event):
        return True
    if registration is not None and registration.status == RegistrationStatus.CONFIRMED:
        return True
    return event.network_id is not None and network_permissions.person_is_active_member(
        person_of(user), event.network_id
    )


def detail_context(request: HttpRequest, event: Event, registration: Registration | None) -> dict[str, Any]:
    """What the event page shows of outcomes: rating one's meetings, seeing the event's figures."""
    rated = timezone.now() >= event.starts_at and outcomes.is_meeting_event(event)
    participant = (
        registration if registration and registration.status == RegistrationStatus.CONFIRMED else None
    )
    return {
        "outcome_may_rate": rated and participant is not None,
        "outcome_may_see": rated
        and request.user.is_authenticated
        and may_see_outcome(request.user, event, participant),
    }


# --------------------------------------------------------------------------- outcomes


@login_required
def outcome_event(request: HttpRequest, pk: int) -> HttpResponse:
    event = _meeting_event(request, pk)
    me = participant_of(event, person_of(request.user))
    if not may_see_outcome(request.user, event, me):
        raise Http404
    return render(
        request,
        "events/business/outcome.html",
        {
            "event": event,
            # what this reader may see: someone who answered needs 5 *other* answers
            "outcome": outcomes.event_outcome(event, viewer=person_of(request.user)),
            "min_answers": outcomes.MIN_ANSWERS,
            "me": me,
            "started": timezone.now() >= event.starts_at,
        },
    )


@login_required
def outcome_rate(request: HttpRequest, pk: int) -> HttpResponse:
    event = _meeting_event(request, pk)
    me = my_registration(request, event)
    given = outcomes.ratings_given(registration=me)
    rows = []
    for other in outcomes.partners_of(registration=me):
        rating = given.get(other.pk)
        initial = (
            {
                "useful": "yes" if rating.useful else "no",
                "follow_up": rating.follow_up,
                "contract_signed": rating.contract_signed,
                "amount": rating.amount,
            }
            if rating
            else None
        )
        rows.append(
            {"other": other, "rating": rating, "form": RatingForm(initial=initial, prefix=f"r{other.pk}")}
        )
    return render(
        request,
        "events/business/rate.html",
        {"event": event, "rows": rows, "started": timezone.now() >= event.starts_at},
    )


@login_required
@require_POST
def outcome_rate_save(request: HttpRequest, pk: int, registration_id: int) -> HttpResponse:
    event = _meeting_event(request, pk)
    me = my_registration(request, event)
    other = get_object_or_404(Registration.objects.select_related("person"), pk=registration_id, event=event)
    if other.pk not in {p.pk for p in outcomes.partners_of(registration=me)}:
        raise Http404
    form = RatingForm(request.POST, prefix=f"r{other.pk}")
    if not form.is_valid():
        errors = [
            f"{form.fields[f].label} : {' '.join(str(x) for x in e)}"
            if f in form.fields
            else " ".join(str(x) for x in e)
            for f, e in form.errors.items()
        ]
        messages.error(request, " ".join(errors))
    else:
        service_message(
            request,
            lambda: services.rating_save(rater=me, other=other, **form.cleaned_data),
            _("Votre avis sur la rencontre avec %(name)s est enregistré.") % {"name": other.person.full_name},
        )
    return redirect("events:outcome_rate", pk=event.pk)


@login_required
def outcome_chamber(request: HttpRequest) -> HttpResponse:
    if not network_permissions.is_staff(request.user):
        raise Http404
    return render(
        request,
        "events/business/chamber.html",
        {
            "chamber": outcomes.chamber_outcomes(viewer=person_of(request.user)),
            "min_answers": outcomes.MIN_ANSWERS,
        },
    )
