from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.db.models import Count
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from meute.accounts.models import Person
from meute.events.selectors import upcoming_for_network
from meute.networks import permissions, services
from meute.networks.forms import DirectoryForm, NetworkEditForm, QuestionnaireForm
from meute.networks.models import Membership, Network, Status
from meute.networks.reasons import describe
from meute.networks.selectors import (
    directory_search,
    networks_with_counts,
    person_for,
    recommend,
    visible_members,
)

PAGE_SIZE = 12


def home(request: HttpRequest) -> HttpResponse:
    stats = Network.objects.filter(is_published=True).aggregate(networks=Count("id"))
    stats["people"] = Membership.objects.filter(status=Status.ACTIVE).values("person").distinct().count()
    featured = networks_with_counts(Network.objects.filter(is_published=True)).order_by("-active_count")[:3]  # type: ignore[misc]
    return render(request, "networks/home.html", {"stats": stats, "featured": featured})


def directory(request: HttpRequest) -> HttpResponse:
    form = DirectoryForm(request.GET or None)
    networks = directory_search(form.filters())
    page = Paginator(networks, PAGE_SIZE).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    return render(
        request,
        "networks/directory.html",
        {"form": form, "page": page, "query": query.urlencode(), "total": page.paginator.count},
    )


def _published(slug: str) -> Network:
    qs = networks_with_counts(Network.objects.filter(slug=slug))
    network = qs.first()
    if network is None:
        raise Http404
    return network


def detail(request: HttpRequest, slug: str) -> HttpResponse:
    network = _published(slug)
    if not network.is_published and not permissions.can_manage(request.user, network):
        raise Http404
    person = person_for(request.user)
    mine = (
        Membership.objects.filter(person=person, network=network).order_by("-created_at").first()
        if person
        else None
    )
    return render(
        request,
        "networks/detail.html",
        {
            "network": network,
            "membership": mine,
            "can_manage": permissions.can_manage(request.user, network),
            "can_see_members": permissions.can_see_members(request.user, network),
            "upcoming": upcoming_for_network(request.user, network.pk),
            "board": Membership.objects.filter(
                network=network, status=Status.ACTIVE, role__in=["president", "board"]
            ).select_related("person")[:6],
        },
    )


@login_required
def members(request: HttpRequest, slug: str) -> HttpResponse:
    network = get_object_or_404(Network, slug=slug)
    # A non-member gets the same answer as for a network that does not exist.
    if not permissions.can_see_members(request.user, network):
        raise Http404
    shown, hidden = visible_members(network)
    return render(request, "networks/members.html", {"network": network, "members": shown, "hidden": hidden})


@login_required
@require_http_methods(["GET", "POST"])
def edit(request: HttpRequest, slug: str) -> HttpResponse:
    network = get_object_or_404(Network, slug=slug)
    if not permissions.can_manage(request.user, network):
        raise Http404
    form = NetworkEditForm(request.POST or None, instance=Network.objects.get(pk=network.pk))
    if request.method == "POST" and form.is_valid():
        try:
            services.network_update(
                network=network, data={f: form.cleaned_data[f] for f in NetworkEditForm.Meta.fields}
            )
        except ValidationError as exc:
            if hasattr(exc, "error_dict"):
                for field, errors in exc.message_dict.items():
                    form.add_error(field if field in form.fields else None, errors)
            else:
                form.add_error(None, exc.messages)
        else:
            messages.success(request, _("Les informations du réseau sont enregistrées."))
            return redirect(network)
    return render(request, "networks/edit.html", {"network": network, "form": form})


@login_required
@require_POST
def join(request: HttpRequest, slug: str) -> HttpResponse:
    network = get_object_or_404(Network, slug=slug, is_published=True)
    person: Person | None = person_for(request.user)
    if person is None:
        messages.error(request, _("Votre compte n'a pas encore de fiche personne : complétez votre profil."))
        return redirect(network)
    try:
        membership = services.membership_request(person=person, network=network)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        text = {
            Status.ACTIVE: _("Bienvenue : vous êtes membre de %(n)s."),
            Status.WAITLISTED: _("%(n)s est complet : vous êtes sur la liste d'attente."),
            Status.APPLIED: _("Votre candidature à %(n)s est envoyée au bureau."),
        }[Status(membership.status)]
        messages.success(request, text % {"n": network.name})
    return redirect(network)


def questionnaire(request: HttpRequest) -> HttpResponse:
    form = QuestionnaireForm(request.GET or None)
    results = None
    if request.GET and form.is_valid():
        results = [
            {"network": n, "score": r.score, "reasons": [describe(x) for x in r.reasons]}
            for n, r in recommend(form.answers(), limit=8)
        ]
    return render(request, "networks/questionnaire.html", {"form": form, "results": results})


@login_required
def managed(request: HttpRequest) -> HttpResponse:
    """Networks the current user manages (empty for everyone else)."""
    nets = permissions.managed_networks(request.user)
    ids = [n.pk for n in nets]
    return render(
        request,
        "networks/managed.html",
        {"networks": networks_with_counts(Network.objects.filter(pk__in=ids))},
    )
