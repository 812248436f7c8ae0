from __future__ import annotations

from collections.abc import Callable
from typing import Any
from urllib.parse import urlencode

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.db.models import Count
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from meute.accounts.models import Person
from meute.accounts.selectors import person_of
from meute.audit.services import audit_log
from meute.core.web import add_validation_errors
from meute.engine.spreadsheet import csv_writer
from meute.networks import permissions, selectors
from meute.networks.forms import (
    DirectoryForm,
    JoinForm,
    LeaveForm,
    NetworkEditForm,
    ProposeForm,
    QuestionnaireForm,
    RefuseForm,
    RoleForm,
    SponsorDeclineForm,
)
from meute.networks.models import AdmissionMode, Membership, Network, Proposal, Status
from meute.networks.reasons import describe
from meute.networks.selectors import (
    SORTS,
    directory_search,
    networks_with_counts,
    profession_alternatives,
    public_count,
    recommend,
    visible_members,
)
from meute.networks.services import admissions, memberships, pages, professions, seats

PAGE_SIZE = 12


def home(request: HttpRequest) -> HttpResponse:
    stats = Network.objects.filter(is_published=True).aggregate(networks=Count("id"))
    people = Membership.objects.active().values("person").distinct().count()
    stats["people"] = public_count(people)  # None: "moins de 5"
    featured = networks_with_counts(Network.objects.filter(is_published=True)).order_by(*SORTS["-members"])[
        :3
    ]
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


def _detail_context(request: HttpRequest, network: Network, **extra: Any) -> dict[str, Any]:
    person = person_of(request.user)
    mine = (
        Membership.objects.filter(person=person, network=network).order_by("-created_at").first()
        if person
        else None
    )
    is_member = permissions.is_active_member(request.user, network)
    context: dict[str, Any] = {
        "network": network,
        "membership": mine,
        "can_manage": permissions.can_manage(request.user, network),
        "can_see_members": permissions.can_see_members(request.user, network),
        "is_member": is_member,
        "can_propose": permissions.can_propose(request.user, network),
        "can_export": permissions.can_export_contacts(request.user, network),
        "board": Membership.objects.active()
        .filter(network=network, role__in=["president", "board"])
        .select_related("person")[:6],
        "join_form": JoinForm(network=network),
    }
    context.update(extra)
    return context


def detail(request: HttpRequest, slug: str) -> HttpResponse:
    network = _published(slug)
    if not network.is_published and not permissions.can_manage(request.user, network):
        raise Http404
    return render(request, "networks/detail.html", _detail_context(request, network))


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
    network = permissions.managed_network_or_404(request.user, slug)
    form = NetworkEditForm(request.POST or None, instance=Network.objects.get(pk=network.pk))
    if request.method == "POST" and form.is_valid():
        try:
            pages.network_update(
                network=network,
                data={f: form.cleaned_data[f] for f in NetworkEditForm.Meta.fields},
                actor=request.user,
            )
        except ValidationError as exc:
            add_validation_errors(form, exc)
        else:
            messages.success(request, _("Les informations du réseau sont enregistrées."))
            return redirect(network)
    return render(request, "networks/edit.html", {"network": network, "form": form})


@login_required
@require_POST
def join(request: HttpRequest, slug: str) -> HttpResponse:
    network = get_object_or_404(Network, slug=slug, is_published=True)
    person: Person | None = person_of(request.user)
    if person is None:
        messages.error(request, _("Votre compte n'a pas encore de fiche personne : complétez votre profil."))
        return redirect(network)
    form = JoinForm(request.POST, network=network)
    shown = _published(slug)
    if not form.is_valid():
        return render(
            request, "networks/detail.html", _detail_context(request, shown, join_form=form), status=400
        )
    try:
        membership = admissions.membership_request(
            person=person,
            network=network,
            sponsor_email=form.cleaned_data.get("sponsor_email", ""),
            charter_accepted=bool(form.cleaned_data.get("accept_charter")),
        )
    except professions.ProfessionTaken as exc:
        alternatives = [
            {"network": n, "reasons": [describe(x) for x in r.reasons]}
            for n, r in profession_alternatives(person, network)
        ]
        context = _detail_context(
            request, shown, profession_error=" ".join(exc.messages), alternatives=alternatives
        )
        return render(request, "networks/detail.html", context, status=409)
    except ValidationError as exc:
        if hasattr(exc, "error_dict"):
            add_validation_errors(form, exc)
            return render(
                request, "networks/detail.html", _detail_context(request, shown, join_form=form), status=400
            )
        messages.error(request, " ".join(exc.messages))
    else:
        text = {
            Status.ACTIVE: _("Bienvenue : vous êtes membre de %(n)s."),
            Status.WAITLISTED: _("%(n)s est complet : vous êtes sur la liste d'attente."),
            Status.APPLIED: _("Votre candidature à %(n)s est envoyée au bureau."),
        }[Status(membership.status)]
        if network.admission_mode == AdmissionMode.COOPTATION and membership.sponsor_confirmed_at is None:
            # The same words whether or not the address typed is a member's: no one learns who is.
            text = _(
                "Votre candidature à %(n)s attend la confirmation de votre parrain ou marraine, puis la "
                "décision du bureau. Si l'adresse indiquée n'est pas celle d'un membre actif du réseau, "
                "elle attendra qu'un membre vous parraine."
            )
        if membership.status == Status.APPLIED and not seats.has_free_seat(network):
            text = (
                text
                + " "
                + _(
                    "%(n)s est complet pour l'instant : si le bureau accepte votre candidature, vous serez "
                    "inscrit(e) sur la liste d'attente."
                )
            )
        messages.success(request, text % {"n": network.name})
    return redirect(network)


@require_http_methods(["GET", "POST"])
def invitation(request: HttpRequest, token: str) -> HttpResponse:
    """A member's invitation, opened from its e-mail: the person applies with the member's sponsorship."""
    proposal = get_object_or_404(Proposal.objects.select_related("network", "sponsor"), token=token)
    network = proposal.network
    # Bound on any POST, even an empty one: the form may have no field at all.
    form = JoinForm(request.POST if request.method == "POST" else None, network=network, invited=True)
    context: dict[str, Any] = {"proposal": proposal, "network": network, "form": form}
    if not admissions.proposal_valid(proposal):
        context["invalid"] = admissions.invitation_invalid_message()
        return render(request, "networks/invitation.html", context, status=410)
    if request.method != "POST":
        return render(request, "networks/invitation.html", context)
    person = person_of(request.user)
    if person is None:
        if not request.user.is_authenticated:
            return redirect_to_login(request.get_full_path())
        messages.error(request, _("Votre compte n'a pas encore de fiche personne : complétez votre profil."))
        return redirect("networks:invitation", token=token)
    status = 400
    if form.is_valid():
        try:
            membership = admissions.membership_request(
                person=person,
                network=network,
                invitation=proposal,
                charter_accepted=bool(form.cleaned_data.get("accept_charter")),
            )
        except professions.ProfessionTaken as exc:
            form.add_error(None, exc.messages)
            status = 409
        except ValidationError as exc:
            add_validation_errors(form, exc)
        else:
            names = {"n": network.name, "s": proposal.sponsor.full_name}
            if membership.sponsor_confirmed_at is not None:
                text = _("Votre candidature à %(n)s, parrainée par %(s)s, est envoyée au bureau.")
            else:
                # Opened by someone else than the invited address: the member confirms who applied.
                text = _(
                    "Votre candidature à %(n)s attend la confirmation de %(s)s, puis la décision du bureau."
                )
            messages.success(request, text % names)
            return redirect("networks:applications")
    return render(request, "networks/invitation.html", context, status=status)


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


# --- Admissions: the applicant's side ---------------------------------------------------------


def _messages_from(request: HttpRequest, exc: ValidationError) -> None:
    messages.error(request, " ".join(exc.messages))


@login_required
def applications(request: HttpRequest) -> HttpResponse:
    """Where each of my applications stands, seats offered to me, sponsorships asked of me."""
    person = person_of(request.user)
    return render(
        request,
        "networks/applications.html",
        {
            "rows": selectors.person_applications(person) if person else [],
            "sponsor_requests": selectors.sponsor_requests(person) if person else [],
            "decline_form": SponsorDeclineForm(),
        },
    )


def _my_membership(request: HttpRequest, pk: int) -> tuple[Person, Membership]:
    # Someone else's membership answers like one that does not exist.
    person = person_of(request.user)
    if person is None:
        raise Http404
    return person, get_object_or_404(Membership.objects.select_related("network"), pk=pk, person=person)


@login_required
@require_POST
def offer_accept(request: HttpRequest, pk: int) -> HttpResponse:
    person, membership = _my_membership(request, pk)
    try:
        seats.seat_offer_accept(membership=membership, person=person)
    except ValidationError as exc:
        _messages_from(request, exc)
    else:
        messages.success(
            request, _("Bienvenue : vous êtes membre de %(n)s.") % {"n": membership.network.name}
        )
    return redirect("networks:applications")


@login_required
@require_POST
def offer_decline(request: HttpRequest, pk: int) -> HttpResponse:
    person, membership = _my_membership(request, pk)
    try:
        seats.seat_offer_decline(membership=membership, person=person)
    except ValidationError as exc:
        _messages_from(request, exc)
    else:
        messages.success(
            request, _("Vous avez décliné la place dans %(n)s.") % {"n": membership.network.name}
        )
    return redirect("networks:applications")


@login_required
@require_POST
def sponsor_answer(request: HttpRequest, pk: int) -> HttpResponse:
    person = person_of(request.user)
    if person is None:
        raise Http404
    membership = get_object_or_404(
        Membership.objects.select_related("network", "person"), pk=pk, sponsor=person
    )
    confirm = request.POST.get("answer") == "confirm"
    reason = ""
    if not confirm:
        form = SponsorDeclineForm(request.POST)
        if not form.is_valid():
            context = {
                "rows": selectors.person_applications(person),
                "sponsor_requests": selectors.sponsor_requests(person),
                "decline_form": SponsorDeclineForm(),
                "bound": (membership.pk, form),
            }
            return render(request, "networks/applications.html", context, status=400)
        reason = form.cleaned_data["reason"]
    try:
        admissions.membership_sponsor_answer(
            membership=membership, sponsor=person, confirm=confirm, reason=reason
        )
    except ValidationError as exc:
        _messages_from(request, exc)
    else:
        text = (
            _("Vous parrainez %(p)s : le bureau de %(n)s décidera.")
            if confirm
            else _("Vous ne parrainez pas %(p)s : la candidature à %(n)s est refusée.")
        )
        messages.success(request, text % {"p": membership.person, "n": membership.network.name})
    return redirect("networks:applications")


@login_required
@require_POST
def leave(request: HttpRequest, slug: str) -> HttpResponse:
    network = get_object_or_404(Network, slug=slug)
    person = person_of(request.user)
    membership = (
        Membership.objects.active().filter(person=person, network=network).first() if person else None
    )
    if membership is None:
        raise Http404
    try:
        memberships.membership_leave(membership=membership, actor=request.user)
    except ValidationError as exc:
        _messages_from(request, exc)
    else:
        messages.success(request, _("Vous avez quitté %(n)s.") % {"n": network.name})
    return redirect(network)


@login_required
@require_http_methods(["GET", "POST"])
def propose(request: HttpRequest, slug: str) -> HttpResponse:
    """An active member of a network by co-optation invites someone to apply, with their sponsorship."""
    network = get_object_or_404(Network, slug=slug)
    if not permissions.can_propose(request.user, network):
        raise Http404
    form = ProposeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        sponsor = person_of(request.user)
        assert sponsor is not None
        email = form.cleaned_data["email"]
        try:
            admissions.membership_propose(
                sponsor=sponsor,
                email=email,
                network=network,
                actor=request.user,
                site_url=request.build_absolute_uri("/"),
            )
        except ValidationError as exc:
            add_validation_errors(form, exc)
        else:
            # The same words whoever the address belongs to: a member learns nothing about it.
            messages.success(
                request,
                _(
                    "Invitation envoyée à %(e)s : si cette personne souhaite rejoindre %(n)s, elle "
                    "candidatera elle-même depuis le lien reçu, avec votre parrainage, puis le bureau décidera."
                )
                % {"e": email, "n": network.name},
            )
            return redirect(network)
    status = 400 if form.errors else 200
    return render(request, "networks/propose.html", {"network": network, "form": form}, status=status)


# --- Admissions: the board's side --------------------------------------------------------------


def _membership_of(network: Network, pk: int) -> Membership:
    # Ids of another network's memberships answer 404: no id guessing.
    return get_object_or_404(Membership.objects.select_related("person"), pk=pk, network=network)


#: Members per page on the manager's page: each row holds two forms (a big network has hundreds).
MEMBERS_PER_PAGE = 50


def _members_page(network: Network, search: str, page: Any, focus: int | None = None) -> Any:
    rows = selectors.active_memberships_query(network, search)
    paginator = Paginator(rows, MEMBERS_PER_PAGE)
    if focus is not None:
        # the page that holds the member whose form has an error
        ids = list(rows.values_list("pk", flat=True))
        if focus in ids:
            page = ids.index(focus) // MEMBERS_PER_PAGE + 1
    return paginator.get_page(page)


def _manage_context(
    network: Network, *, search: str = "", page: Any = 1, focus: int | None = None, **extra: Any
) -> dict[str, Any]:
    shown = networks_with_counts(Network.objects.filter(pk=network.pk)).get()
    members = _members_page(network, search, page, focus)
    context: dict[str, Any] = {
        "network": shown,
        "applications": selectors.pending_applications(network),
        "proposals": selectors.network_proposals(network),
        "now": timezone.now(),
        "waitlist": selectors.waitlist(network),
        "members": members,
        "search": search,
        "query": urlencode({"q": search}) if search else "",
        "is_full": shown.member_cap is not None and shown.free_seats <= 0,  # type: ignore[attr-defined]
        "roles": RoleForm.base_fields["role"].choices,  # type: ignore[attr-defined]
        "bound_pk": None,
        "bound_errors": [],
    }
    context.update(extra)
    return context


def _manage_error(request: HttpRequest, network: Network, pk: int, form: Any) -> HttpResponse:
    # Each message names its field, shown in the row of the person concerned.
    errors = [
        f"{form.fields[f].label} : {' '.join(errs)}" if f in form.fields else " ".join(errs)
        for f, errs in form.errors.items()
    ]
    context = _manage_context(network, focus=pk, bound_pk=pk, bound_errors=errors)
    return render(request, "networks/manage.html", context, status=400)


@login_required
def manage(request: HttpRequest, slug: str) -> HttpResponse:
    network = permissions.managed_network_or_404(request.user, slug)
    search = request.GET.get("q", "").strip()[:100]
    return render(
        request, "networks/manage.html", _manage_context(network, search=search, page=request.GET.get("page"))
    )


@login_required
@require_POST
def approve(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    network = permissions.managed_network_or_404(request.user, slug)
    membership = _membership_of(network, pk)
    try:
        done = admissions.membership_approve(membership=membership, actor=request.user)
    except ValidationError as exc:
        _messages_from(request, exc)
    else:
        if done.status == Status.WAITLISTED:
            messages.warning(
                request,
                _("Le réseau est complet : %(p)s est accepté(e) et placé(e) en liste d'attente (rang %(n)s).")
                % {"p": done.person, "n": selectors.waitlist_position(done)},
            )
        else:
            messages.success(request, _("%(p)s est maintenant membre.") % {"p": done.person})
    return redirect("networks:manage", slug=network.slug)


def _member_action(
    request: HttpRequest,
    slug: str,
    pk: int,
    form_class: type[forms.Form],
    act: Callable[[Membership, dict[str, Any]], object],
    done: str,
) -> HttpResponse:
    """A board decision on one member's row: check the form, act, say the outcome.

    An error naming a field is shown in that member's row (status 400); any
    other refusal becomes a message on the page.
    """
    network = permissions.managed_network_or_404(request.user, slug)
    membership = _membership_of(network, pk)
    form = form_class(request.POST)
    if not form.is_valid():
        return _manage_error(request, network, membership.pk, form)
    try:
        act(membership, form.cleaned_data)
    except ValidationError as exc:
        if not hasattr(exc, "error_dict"):
            _messages_from(request, exc)
            return redirect("networks:manage", slug=network.slug)
        add_validation_errors(form, exc)
        return _manage_error(request, network, membership.pk, form)
    messages.success(request, done % {"p": membership.person})
    if not permissions.can_manage(request.user, network):
        # a board member who noted their own departure no longer manages the network
        return redirect(network)
    return redirect("networks:manage", slug=network.slug)


@login_required
@require_POST
def refuse(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    return _member_action(
        request,
        slug,
        pk,
        RefuseForm,
        lambda m, data: admissions.membership_refuse(membership=m, actor=request.user, reason=data["reason"]),
        _("La candidature de %(p)s est refusée."),
    )


@login_required
@require_POST
def set_role(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    return _member_action(
        request,
        slug,
        pk,
        RoleForm,
        lambda m, data: memberships.membership_set_role(membership=m, actor=request.user, role=data["role"]),
        _("Le rôle de %(p)s est enregistré."),
    )


@login_required
@require_POST
def mark_left(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    return _member_action(
        request,
        slug,
        pk,
        LeaveForm,
        lambda m, data: memberships.membership_leave(
            membership=m, actor=request.user, end_date=data["end_date"]
        ),
        _("%(p)s est noté(e) comme parti(e)."),
    )


@login_required
@require_POST
def waitlist_move(request: HttpRequest, slug: str, pk: int, direction: str) -> HttpResponse:
    network = permissions.managed_network_or_404(request.user, slug)
    if direction not in ("monter", "descendre"):
        raise Http404
    membership = _membership_of(network, pk)
    try:
        seats.waitlist_move(membership=membership, actor=request.user, up=direction == "monter")
    except ValidationError as exc:
        _messages_from(request, exc)
    return redirect("networks:manage", slug=network.slug)


@login_required
def audit(request: HttpRequest, slug: str) -> HttpResponse:
    network = permissions.managed_network_or_404(request.user, slug)
    return render(
        request, "networks/audit.html", {"network": network, "entries": selectors.network_audit(network)}
    )


@login_required
def contacts_export(request: HttpRequest, slug: str) -> HttpResponse:
    """CSV of consenting members' contacts; 404 where business features are switched off."""
    network = get_object_or_404(Network, slug=slug)
    if not permissions.can_export_contacts(request.user, network):
        raise Http404
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="contacts-{network.slug}.csv"'
    response.write("\ufeff")  # so that spreadsheet software reads the accents right
    writer = csv_writer(response, delimiter=";")
    writer.writerow([_("Nom"), _("Entreprise"), _("E-mail"), _("Téléphone")])
    rows = selectors.contact_export_rows(network)
    writer.writerows(rows)
    audit_log(
        actor=request.user,
        action="network.contacts_export",
        summary=_("Export des contacts (%(n)d membres)") % {"n": len(rows)},
        network=network,
    )
    return response
