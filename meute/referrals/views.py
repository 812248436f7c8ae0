"""Referral pages. A network whose charter refuses solicitation answers 404 everywhere,
and a person who may not see a page or a referral gets a 404 too (no id guessing)."""

from __future__ import annotations

from typing import Any

from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from meute.accounts.selectors import person_of
from meute.core.web import form_service
from meute.networks import permissions
from meute.networks.models import Network
from meute.referrals import selectors, services
from meute.referrals.forms import OutcomeForm, ReferralForm


def _business_network(slug: str) -> Network:
    network = get_object_or_404(Network, slug=slug)
    if not network.business_features_enabled:
        raise Http404
    return network


@login_required
def mine(request: HttpRequest, slug: str) -> HttpResponse:
    """A member's referrals given and received in one network (managers and staff reach the figures)."""
    network = _business_network(slug)
    person = person_of(request.user)
    is_member = permissions.person_is_active_member(person, network)
    can_manage = permissions.can_manage(request.user, network)
    if not (is_member or can_manage):
        raise Http404
    context: dict[str, Any] = {"network": network, "is_member": is_member, "can_manage": can_manage}
    if person is not None:
        context["given"] = selectors.referrals_given(person=person, network=network)
        context["received"] = selectors.referrals_received(person=person, network=network)
    return render(request, "referrals/mine.html", context)


@login_required
@require_http_methods(["GET", "POST"])
def create(request: HttpRequest, slug: str) -> HttpResponse:
    network = _business_network(slug)
    person = person_of(request.user)
    if person is None or not permissions.person_is_active_member(person, network):
        raise Http404
    form = ReferralForm(
        request.POST or None, recipients=selectors.recipient_choices(network=network, giver=person)
    )
    # The form's fields are the referral's: recipient, subject, temperature, details, prospect_*.
    if form_service(
        request,
        form,
        lambda: services.referral_create(network=network, giver=person, **form.cleaned_data),
        lambda referral: (
            _("Votre recommandation est transmise à %(name)s.") % {"name": referral.recipient.full_name}
        ),
    ):
        return redirect("referrals:mine", slug=network.slug)
    return render(request, "referrals/create.html", {"network": network, "form": form})


@login_required
def detail(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    network = _business_network(slug)
    referral = selectors.referral_visible_to(user=request.user, network=network, pk=pk)
    if referral is None:
        raise Http404
    person = person_of(request.user)
    is_party = person is not None and person.pk in (referral.giver_id, referral.recipient_id)
    return render(
        request,
        "referrals/detail.html",
        {
            "network": network,
            "referral": referral,
            # The prospect's contact is for the two members who work the lead, not for the board.
            "show_contact": is_party,
            "is_recipient": person is not None and person.pk == referral.recipient_id,
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def outcome(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    network = _business_network(slug)
    person = person_of(request.user)
    if person is None:
        raise Http404
    # Only the recipient records the outcome: anyone else, and any id of another network, gets a 404.
    referral = get_object_or_404(selectors.referrals_received(person=person, network=network), pk=pk)
    initial: dict[str, Any] = {}
    if referral.business_closed is not None:
        initial = {
            "business_closed": "yes" if referral.business_closed else "no",
            "amount": referral.amount,
            "closed_on": referral.closed_on,
        }
    form = OutcomeForm(request.POST or None, initial=initial)
    # The form's fields are the outcome's: business_closed, amount, closed_on.
    if form_service(
        request,
        form,
        lambda: services.referral_record_outcome(referral=referral, person=person, **form.cleaned_data),
        _("Le résultat de la recommandation est enregistré. Merci !"),
    ):
        return redirect(reverse("referrals:mine", args=[network.slug]))
    return render(request, "referrals/outcome.html", {"network": network, "referral": referral, "form": form})


@login_required
def figures(request: HttpRequest, slug: str) -> HttpResponse:
    """The network's figures: managers and staff see every member, a member only their own row."""
    network = _business_network(slug)
    person = person_of(request.user)
    can_manage = permissions.can_manage(request.user, network)
    if not can_manage and not permissions.person_is_active_member(person, network):
        raise Http404
    only = None if can_manage else person
    return render(
        request,
        "referrals/figures.html",
        {
            "network": network,
            "can_manage": can_manage,
            "members": selectors.member_totals(network=network, person=only),
            "months": selectors.monthly_totals(network=network, person=only),
        },
    )


@login_required
def chamber(request: HttpRequest) -> HttpResponse:
    """Totals across networks, for CCI staff only."""
    if not permissions.is_staff(request.user):
        raise Http404
    return render(
        request,
        "referrals/chamber.html",
        {
            "networks": selectors.chamber_by_network(),
            "months": selectors.chamber_by_month(),
            "totals": selectors.chamber_totals(),
        },
    )
