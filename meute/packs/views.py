"""Pages of a cluster's tenders and packs. Anyone who is neither an active member of the
cluster nor CCI staff gets a 404 on every page, as do ids of another cluster."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django import forms
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST
from icalendar import Calendar
from icalendar import Event as VEvent

from meute.core.web import add_validation_errors
from meute.networks.models import Network
from meute.packs import permissions, selectors, services
from meute.packs.forms import (
    CertificationForm,
    CollaborationForm,
    DocumentForm,
    FirmProfileForm,
    InviteForm,
    LeadForm,
    LotFormSet,
    NoticeImportForm,
    TenderForm,
    WeightsForm,
)
from meute.packs.models import InvitationStatus, Tender, TenderStatus


def _cluster(request: HttpRequest, slug: str) -> Network:
    network = get_object_or_404(Network, slug=slug)
    if not permissions.can_see_cluster(request.user, network):
        raise Http404
    return network


def _tender(request: HttpRequest, slug: str, pk: int) -> Tender:
    tender = selectors.tender_of(network=_cluster(request, slug), pk=pk)
    if tender is None:
        raise Http404
    return tender


def _running(request: HttpRequest, slug: str, pk: int) -> Tender:
    tender = _tender(request, slug, pk)
    if not permissions.can_run_pack(request.user, tender):
        raise Http404
    return tender


def _add_errors(form: forms.BaseForm | None, request: HttpRequest, exc: ValidationError) -> None:
    """A field error on its form (the shared idiom); without a form, each message on top of the page."""
    if form is not None and hasattr(exc, "error_dict"):
        add_validation_errors(form, exc)
        return
    for message in exc.messages:
        messages.error(request, message)


def tenders(request: HttpRequest, slug: str) -> HttpResponse:
    network = _cluster(request, slug)
    return render(
        request,
        "packs/tenders.html",
        {
            "network": network,
            "tenders": selectors.tenders_of(network=network).order_by("-deadline"),
            "figures": selectors.cluster_figures(network=network),
            # What each firm won is its business: the cluster's managers see it, members the totals.
            "show_firms": permissions.can_see_turnover(request.user, network),
        },
    )


def firms(request: HttpRequest, slug: str) -> HttpResponse:
    network = _cluster(request, slug)
    return render(
        request,
        "packs/firms.html",
        {
            "network": network,
            "firms": selectors.firms_of(network=network),
            "show_turnover": permissions.can_see_turnover(request.user, network),
            "today": timezone.localdate(),
        },
    )


@require_http_methods(["GET", "POST"])
def tender_new(request: HttpRequest, slug: str) -> HttpResponse:
    network = _cluster(request, slug)
    form = TenderForm(request.POST or None)
    lots = LotFormSet(request.POST or None, prefix="lots")
    if request.method == "POST" and form.is_valid() and lots.is_valid():
        rows = [f.cleaned_data for f in lots.forms if f.cleaned_data and not f.cleaned_data.get("DELETE")]
        try:
            tender = services.tender_create(
                network=network, person=permissions.person_of(request.user), lots=rows, **form.cleaned_data
            )
        except ValidationError as exc:
            _add_errors(form, request, exc)
        else:
            messages.success(request, _("L'appel d'offres est enregistré : voici l'équipe proposée."))
            return redirect("packs:tender", slug=network.slug, pk=tender.pk)
    return render(request, "packs/tender_new.html", {"network": network, "form": form, "lots": lots})


@require_http_methods(["GET", "POST"])
def tender_import(request: HttpRequest, slug: str) -> HttpResponse:
    network = _cluster(request, slug)
    form = NoticeImportForm(request.POST or None, request.FILES or None)
    problems: list[str] = []
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["notice"]
        try:
            tender = services.tender_import(
                network=network,
                person=permissions.person_of(request.user),
                name=upload.name or "",
                data=upload.read(2_000_000),
            )
        except ValidationError as exc:
            problems = exc.messages
        else:
            messages.success(request, _("L'avis est importé : voici l'équipe proposée."))
            return redirect("packs:tender", slug=network.slug, pk=tender.pk)
    return render(
        request, "packs/tender_import.html", {"network": network, "form": form, "problems": problems}
    )


def _weights(request: HttpRequest, tender: Tender) -> tuple[WeightsForm, dict[str, float] | None]:
    initial = {
        "radius_km": tender.radius_km,
        "capacity_share": tender.capacity_share,
        "firm_cost": tender.firm_cost,
        "together_bonus": tender.together_bonus,
    }
    if "firm_cost" in request.GET:
        form = WeightsForm(request.GET)
        if form.is_valid():
            return form, form.cleaned_data
        return form, None
    return WeightsForm(initial=initial), None


@require_GET
def tender_detail(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    tender = _tender(request, slug, pk)
    network = tender.network
    weights_form, weights = _weights(request, tender)
    proposal = selectors.tender_team(tender=tender, alternatives=3, weights=weights)
    invitations = list(selectors.invitations_of(tender=tender))
    mine = permissions.firm_of(request.user, network)
    my_invitation = next((i for i in invitations if mine and i.firm_id == mine.pk), None)
    accepted = [i.firm for i in invitations if i.status == InvitationStatus.ACCEPTED]
    context: dict[str, Any] = {
        "network": network,
        "tender": tender,
        "proposal": proposal,
        "weights_form": weights_form,
        "weights_changed": weights is not None,
        "can_run": permissions.can_run_pack(request.user, tender),
        "show_turnover": permissions.can_see_turnover(request.user, network),
        "invitations": invitations,
        "my_invitation": my_invitation,
        "invite_form": InviteForm(
            initial={"respond_by": min(timezone.localdate() + dt.timedelta(days=7), tender.deadline.date())}
        ),
        "lead_form": _lead_form(tender),
        "accepted": accepted,
        "document_form": DocumentForm(),
        "documents": tender.documents.all(),
        "checklist": tender.checklist.all(),
        "lots": tender.lots.select_related("firm__organisation"),
        "next_statuses": sorted(services.TRANSITIONS[TenderStatus(tender.status)]),
        "Status": TenderStatus,
    }
    return render(request, "packs/tender.html", context)


def _lead_form(tender: Tender) -> LeadForm:
    from meute.packs.models import FirmProfile

    firms = FirmProfile.objects.filter(
        invitations__tender=tender, invitations__status=InvitationStatus.ACCEPTED
    ).select_related("organisation")
    return LeadForm(firms=firms, initial={"firm": tender.lead_id})


@require_POST
def tender_weights(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    tender = _running(request, slug, pk)
    form = WeightsForm(request.POST)
    if form.is_valid():
        services.tender_set_weights(tender=tender, **form.cleaned_data)
        messages.success(request, _("Les poids de l'équipe sont enregistrés pour cet appel d'offres."))
    else:
        messages.error(request, _("Les poids saisis ne sont pas valables."))
    return redirect("packs:tender", slug=slug, pk=pk)


@require_POST
def tender_invite(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    tender = _running(request, slug, pk)
    form = InviteForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Indiquez une date de réponse valable."))
        return redirect("packs:tender", slug=slug, pk=pk)
    try:
        invitations = services.team_invite(tender=tender, respond_by=form.cleaned_data["respond_by"])
    except ValidationError as exc:
        _add_errors(None, request, exc)
    else:
        messages.success(request, _("%(n)d entreprises sont invitées.") % {"n": len(invitations)})
    return redirect("packs:tender", slug=slug, pk=pk)


@require_POST
def invitation_answer(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    tender = _tender(request, slug, pk)
    firm = permissions.firm_of(request.user, tender.network)
    invitation = tender.invitations.filter(firm=firm).first() if firm else None
    if invitation is None:
        raise Http404
    accept = request.POST.get("answer") == "accept"
    try:
        new = services.invitation_respond(invitation=invitation, accept=accept)
    except ValidationError as exc:
        _add_errors(None, request, exc)
    else:
        if accept:
            messages.success(request, _("Merci : votre entreprise fait partie du groupement."))
        else:
            messages.success(
                request,
                _(
                    "Votre refus est enregistré ; l'équipe est recalculée sans vous (%(n)d nouvelle(s) invitation(s))."
                )
                % {"n": len(new)},
            )
    return redirect("packs:tender", slug=slug, pk=pk)


@require_POST
def tender_lead(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    tender = _running(request, slug, pk)
    form = _lead_form(tender)
    form = LeadForm(request.POST, firms=form.fields["firm"].queryset)  # type: ignore[attr-defined]
    if form.is_valid():
        try:
            services.lead_choose(tender=tender, firm=form.cleaned_data["firm"])
        except ValidationError as exc:
            _add_errors(None, request, exc)
        else:
            messages.success(request, _("Le mandataire est désigné."))
    else:
        messages.error(request, _("Choisissez une entreprise qui a accepté."))
    return redirect("packs:tender", slug=slug, pk=pk)


@require_POST
def tender_status(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    tender = _running(request, slug, pk)
    status = request.POST.get("status", "")
    try:
        if status in (TenderStatus.WON, TenderStatus.LOST):
            services.outcome_record(tender=tender, won=status == TenderStatus.WON)
        elif status in TenderStatus.values:
            services.tender_set_status(tender=tender, status=status)
        else:
            raise ValidationError(_("État inconnu."))
    except ValidationError as exc:
        _add_errors(None, request, exc)
    else:
        messages.success(request, _("L'état du groupement est mis à jour."))
    return redirect("packs:tender", slug=slug, pk=pk)


@require_GET
def tender_ics(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    tender = _tender(request, slug, pk)
    cal = Calendar()
    cal.add("prodid", "-//Meute//meute.example//FR")
    cal.add("version", "2.0")
    item = VEvent()
    item.add("uid", f"tender-{tender.pk}@meute")
    item.add("dtstamp", timezone.now())
    item.add("dtstart", tender.deadline - dt.timedelta(hours=1))
    item.add("dtend", tender.deadline)
    item.add("summary", _("Date limite : %(title)s") % {"title": tender.title})
    item.add("location", tender.commune.name)
    item.add("description", f"{tender.buyer} — {tender.reference}".strip(" —"))
    item.add("url", request.build_absolute_uri(f"/reseaux/{slug}/marches/{tender.pk}/"))
    cal.add_component(item)
    response = HttpResponse(cal.to_ical(), content_type="text/calendar; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="echeance-{tender.pk}.ics"'
    return response


@require_POST
def document_upload(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    tender = _tender(request, slug, pk)
    form = DocumentForm(request.POST, request.FILES)
    if form.is_valid():
        try:
            services.document_upload(
                tender=tender,
                person=permissions.person_of(request.user),
                kind=form.cleaned_data["kind"],
                upload=form.cleaned_data["file"],
            )
        except ValidationError as exc:
            _add_errors(None, request, exc)
        else:
            messages.success(request, _("Le document est partagé avec le groupement."))
    else:
        for errors in form.errors.values():
            for error in errors:
                messages.error(request, str(error))
    return redirect("packs:tender", slug=slug, pk=pk)


@require_GET
def document_download(request: HttpRequest, slug: str, pk: int, doc: int) -> FileResponse:
    tender = _tender(request, slug, pk)
    document = get_object_or_404(tender.documents, pk=doc)
    return FileResponse(document.file.open("rb"), as_attachment=True, filename=document.name)


@require_POST
def checklist_toggle(request: HttpRequest, slug: str, pk: int, item: int) -> HttpResponse:
    tender = _tender(request, slug, pk)
    row = get_object_or_404(tender.checklist, pk=item)
    services.checklist_toggle(item=row, done=request.POST.get("done") == "1")
    return redirect("packs:tender", slug=slug, pk=pk)


def _my_firm_or_404(request: HttpRequest, network: Network) -> tuple[Any, Any, int]:
    """The firm the member answers for in this cluster (None while it has no profile), the member,
    and the organisation the profile is for; 404 for someone with neither."""
    person = permissions.person_of(request.user)
    firm = permissions.firm_of(request.user, network)
    if person is None or (
        firm is None and (person.organisation_id is None or not permissions.is_member(request.user, network))
    ):
        raise Http404
    if firm is not None:
        firm = selectors.firms_of(network=network).get(pk=firm.pk)
        return firm, person, firm.organisation_id
    assert person.organisation_id is not None
    return None, person, person.organisation_id


@require_http_methods(["GET", "POST"])
def firm_mine(request: HttpRequest, slug: str) -> HttpResponse:
    """A member keeps their firm's capability profile, certifications and declared collaborations."""
    network = _cluster(request, slug)
    firm, person, organisation_id = _my_firm_or_404(request, network)
    action = request.POST.get("action", "profile")
    form = FirmProfileForm(request.POST if action == "profile" else None, instance=firm)
    cert_form = CertificationForm(request.POST if action == "cert" else None)
    collab_form = CollaborationForm(request.POST if action == "collab" else None, firm=firm)
    if request.method == "POST":
        try:
            if action == "profile" and form.is_valid():
                services.firm_profile_save(
                    network=network,
                    organisation_id=organisation_id,
                    contact=person,
                    **form.cleaned_data,
                )
                messages.success(request, _("Le profil de l'entreprise est enregistré."))
                return redirect("packs:firm_mine", slug=slug)
            if action == "cert" and firm is not None and cert_form.is_valid():
                services.certification_add(firm=firm, **cert_form.cleaned_data)
                messages.success(request, _("La qualification est ajoutée."))
                return redirect("packs:firm_mine", slug=slug)
            if action == "collab" and firm is not None and collab_form.is_valid():
                data = collab_form.cleaned_data
                services.collaboration_declare(
                    firm=firm, other=data["other"], year=data["year"], note=data["note"]
                )
                messages.success(
                    request,
                    _("La collaboration est notée ; elle compte dès que l'autre entreprise la confirme."),
                )
                return redirect("packs:firm_mine", slug=slug)
        except ValidationError as exc:
            _add_errors(form, request, exc)
    return render(
        request,
        "packs/firm_mine.html",
        {"network": network, "firm": firm, "form": form, "cert_form": cert_form, "collab_form": collab_form},
    )
