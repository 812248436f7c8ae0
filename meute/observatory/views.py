"""Pages of the observatory's imports and linkage.

Lists: CCI staff (any network) and a network's managers (their own network). The review
queue, observed people and erasure: CCI staff only. Anyone else, and ids of what one may
not see, get a 404.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from meute.core.web import add_validation_errors, service_message
from meute.engine.linkage.read import MAX_BYTES
from meute.networks.models import Network
from meute.observatory import pages, permissions, selectors, services
from meute.observatory.exports import table_csv, tables_xlsx
from meute.observatory.figures import Figures, Table
from meute.observatory.forms import DeparturesForm, DossierForm, MappingForm, UploadForm
from meute.observatory.models import Dossier, ImportStatus, ListImport, SourceRecord
from meute.observatory.tables import figure_tables

PREVIEW_ROWS = 5


@require_GET
def imports(request: HttpRequest) -> HttpResponse:
    networks = permissions.importable_networks(request.user)
    if not networks:
        raise Http404
    return render(
        request,
        "observatory/imports.html",
        {
            "imports": selectors.imports_visible(request.user)[:200],
            "run": selectors.latest_run(),
            "can_review": permissions.can_review(request.user),
        },
    )


@require_http_methods(["GET", "POST"])
def upload(request: HttpRequest) -> HttpResponse:
    networks = permissions.importable_networks(request.user)
    if not networks:
        raise Http404
    form = UploadForm(request.POST or None, request.FILES or None, networks=networks)
    if request.method == "POST" and form.is_valid():
        network = form.cleaned_data["network"]
        if not permissions.can_import(request.user, network):
            raise Http404
        file = form.cleaned_data["file"]
        try:
            list_import = services.list_import_upload(
                network=network,
                user=request.user,
                file_name=file.name or "",
                data=file.read(MAX_BYTES + 1),
                list_date=form.cleaned_data["list_date"],
                lawful_basis=form.cleaned_data["lawful_basis"],
            )
        except ValidationError as exc:
            add_validation_errors(form, exc)
        else:
            if list_import.status == ImportStatus.IMPORTED:
                messages.info(
                    request,
                    _("Ce fichier est déjà importé pour ce réseau (le %(date)s) : rien n'a changé.")
                    % {"date": f"{list_import.imported_at:%d/%m/%Y}" if list_import.imported_at else ""},
                )
            return redirect("observatory:import", pk=list_import.pk)
    return render(request, "observatory/upload.html", {"form": form})


def _pending_context(
    request: HttpRequest, list_import: ListImport, form: MappingForm | None
) -> dict[str, Any]:
    try:
        table = services.table_of(list_import)
    except ValidationError as exc:
        return {"unreadable": exc.messages}
    if form is None:
        form = MappingForm(headers=table.headers, mapping=list_import.mapping)
    return {
        "form": form,
        "headers": table.headers,
        "preview": list(zip(table.row_numbers[:PREVIEW_ROWS], table.rows[:PREVIEW_ROWS], strict=True)),
    }


@require_http_methods(["GET", "POST"])
def import_detail(request: HttpRequest, pk: int) -> HttpResponse:
    list_import = permissions.import_or_404(request.user, pk)
    context: dict[str, Any] = {"imp": list_import}
    if list_import.status == ImportStatus.PENDING:
        form = None
        if request.method == "POST":
            form = MappingForm(request.POST, headers=list_import.headers, mapping=list_import.mapping)
            if form.is_valid():
                try:
                    if request.POST.get("action") == "import":
                        services.list_import_confirm(
                            list_import=list_import,
                            user=request.user,
                            mapping=form.mapping,
                            skip_errors=form.cleaned_data["skip_errors"],
                        )
                        messages.success(
                            request, _("La liste est importée ; le rapprochement des personnes suit.")
                        )
                        return redirect("observatory:import", pk=list_import.pk)
                    services.list_import_check(list_import=list_import, mapping=form.mapping)
                    form = MappingForm(headers=list_import.headers, mapping=list_import.mapping)
                    context["checked"] = True
                except ValidationError as exc:
                    add_validation_errors(form, exc)
                list_import.refresh_from_db()
        context.update(_pending_context(request, list_import, form))
    elif request.method == "POST":
        return redirect("observatory:import", pk=list_import.pk)
    else:
        run = selectors.latest_run()
        context.update(
            {
                "run": run,
                "linking": selectors.is_linking(),
                "arrivals": selectors.arrivals_of(list_import),
            }
        )
        absent = selectors.absent_people(list_import)
        if absent and list_import.departures_confirmed_at is None:
            context["departures_form"] = DeparturesForm(absent=absent)
        context["absent"] = absent
    return render(request, "observatory/import_detail.html", context)


@require_POST
def import_discard(request: HttpRequest, pk: int) -> HttpResponse:
    list_import = permissions.import_or_404(request.user, pk)
    if service_message(
        request,
        lambda: services.list_import_discard(list_import=list_import, user=request.user),
        _("La liste est abandonnée : le fichier est supprimé, rien n'est importé."),
    ):
        return redirect("observatory:imports")
    return redirect("observatory:import", pk=list_import.pk)


@require_POST
def departures(request: HttpRequest, pk: int) -> HttpResponse:
    list_import = permissions.import_or_404(request.user, pk)
    absent = selectors.absent_people(list_import)
    form = DeparturesForm(request.POST, absent=absent)
    if form.is_valid():
        ids = [int(v) for v in form.cleaned_data["gone"]]
        service_message(
            request,
            lambda: services.departures_confirm(list_import=list_import, user=request.user, observed_ids=ids),
            lambda n: _("%(n)s départ(s) enregistré(s) à la date de la liste.") % {"n": n},
        )
    else:
        messages.error(request, _("Choix invalide : rechargez la page."))
    return redirect("observatory:import", pk=list_import.pk)


@require_GET
def review(request: HttpRequest) -> HttpResponse:
    permissions.staff_or_404(request.user)
    return render(
        request,
        "observatory/review.html",
        {
            "pairs": selectors.review_queue()[:200],
            "n_pairs": selectors.review_queue().count(),
            "decided": selectors.decided_pairs()[:50],
            "run": selectors.latest_run(),
        },
    )


@require_http_methods(["GET", "POST"])
def pair(request: HttpRequest, pk: int) -> HttpResponse:
    review_pair = permissions.pair_or_404(request.user, pk)
    if request.method == "POST":
        verdict = request.POST.get("decision")
        if verdict not in ("same", "split"):
            messages.error(request, _("Choisissez « même personne » ou « deux personnes »."))
            return redirect("observatory:pair", pk=pk)
        services.pair_decide(pair=review_pair, user=request.user, same=verdict == "same")
        messages.success(request, _("Décision enregistrée ; elle vaudra aussi pour les prochains imports."))
        following = selectors.review_queue().first()
        return redirect("observatory:pair", pk=following.pk) if following else redirect("observatory:review")
    lines, weights = selectors.pair_evidence(review_pair)
    return render(
        request,
        "observatory/pair.html",
        {
            "pair": review_pair,
            "a": review_pair.record_a,
            "b": review_pair.record_b,
            "lines": lines,
            "weights": weights,
        },
    )


@require_POST
def pair_undo(request: HttpRequest, pk: int) -> HttpResponse:
    review_pair = permissions.pair_or_404(request.user, pk)
    service_message(
        request,
        lambda: services.pair_undo(pair=review_pair, user=request.user),
        _("Décision annulée : le modèle décide à nouveau de cette paire."),
    )
    return redirect("observatory:review")


@require_GET
def person(request: HttpRequest, pk: int) -> HttpResponse:
    observed = permissions.observed_or_404(request.user, pk)
    return render(
        request,
        "observatory/person.html",
        {
            "observed": observed,
            "records": selectors.observed_sources(observed),
            "memberships": observed.memberships.select_related("network").order_by("start_date"),
        },
    )


@require_POST
def record_detach(request: HttpRequest, pk: int, record: int) -> HttpResponse:
    observed = permissions.observed_or_404(request.user, pk)
    row = SourceRecord.objects.filter(pk=record, observed=observed).first()
    if row is None:
        raise Http404
    service_message(
        request,
        lambda: services.record_detach(record=row, user=request.user),
        _("La fiche est séparée de cette personne ; la décision vaudra pour les prochains imports."),
    )
    return redirect("observatory:review")


@require_POST
def person_erase(request: HttpRequest, pk: int) -> HttpResponse:
    observed = permissions.observed_or_404(request.user, pk)
    n = services.observed_erase(observed=observed, user=request.user)
    messages.success(request, _("Personne effacée : %(n)s fiche(s) supprimée(s).") % {"n": n})
    return redirect("observatory:review")


# --------------------------------------------------------------------------- the observatory's pages


def _date(request: HttpRequest) -> dt.date:
    """The date asked for (``?au=YYYY-MM-DD``), today when absent or not a date."""
    try:
        return dt.date.fromisoformat(request.GET.get("au", ""))
    except ValueError:
        return timezone.localdate()


def _scope(request: HttpRequest) -> Network | None:
    """The network whose figures are asked for: staff choose any (or none: all networks); a manager
    sees their own network (the first they manage unless ``?reseau=`` names another of theirs)."""
    slug = request.GET.get("reseau", "")
    if permissions.can_review(request.user):
        if not slug:
            return None
        network = Network.objects.filter(slug=slug).first()
        if network is None:
            raise Http404
        return network
    mine = permissions.importable_networks(request.user)
    if not mine:
        raise Http404
    if slug:
        network = next((n for n in mine if n.slug == slug), None)
        if network is None:
            raise Http404
        return network
    return mine[0]


def _figures_for(request: HttpRequest) -> tuple[Network | None, Figures, Figures | None]:
    """(network, its figures, the figures of its people in every network) for the signed-in page."""
    network = _scope(request)
    at = _date(request)
    if network is None:
        return None, selectors.observatory_figures(at=at), None
    # Only the network's own memberships for its figures; all memberships of its people for
    # overlaps, published to a manager with suppression (other networks' cells among its members).
    own = selectors.observatory_figures(at=at, network=network, own_only=True)
    manager = not permissions.can_review(request.user)
    return network, own, selectors.observatory_figures(at=at, network=network, public=manager)


@require_GET
def observatory(request: HttpRequest) -> HttpResponse:
    network, found, overlaps = _figures_for(request)
    scope = f"net{network.pk}" if network else "all"
    return render(
        request,
        "observatory/figures.html",
        {
            "figures": found,
            "network": network,
            "charts": pages.shown(found, scope)
            if overlaps is None
            else pages.shown(found, scope, tuple(k for k in pages.ALL_KEYS if k not in pages.OVERLAP_KEYS)),
            "overlap_charts": pages.shown(overlaps, scope + ":overlaps", pages.OVERLAP_KEYS)
            if overlaps is not None
            else [],
            "networks": permissions.importable_networks(request.user),
            "public": False,
            "query": request.GET.urlencode(),
        },
    )


@require_GET
def observatory_public(request: HttpRequest) -> HttpResponse:
    found = selectors.observatory_figures(at=_date(request), public=True)
    return render(
        request,
        "observatory/figures.html",
        {
            "figures": found,
            "charts": pages.shown(found, "public"),
            "public": True,
            "query": request.GET.urlencode(),
            "can_see_more": bool(permissions.importable_networks(request.user)),
            "dossiers": Dossier.objects.filter(published=True, status="done").defer("pdf", "xlsx", "figures")[
                :20
            ],
        },
    )


def _tables(request: HttpRequest, public: bool) -> dict[str, Table]:
    if public:
        return figure_tables(selectors.observatory_figures(at=_date(request), public=True))
    _network, found, overlaps = _figures_for(request)
    tables = figure_tables(found)
    if overlaps is not None:
        shared = figure_tables(overlaps)
        tables.update({k: shared[k] for k in pages.OVERLAP_KEYS if k in shared})
    return tables


def _table_csv(request: HttpRequest, key: str, public: bool) -> HttpResponse:
    tables = _tables(request, public)
    if key not in tables:
        raise Http404
    response = HttpResponse(table_csv(tables[key]), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="observatoire-{key}-{_date(request)}.csv"'
    return response


def _workbook(request: HttpRequest, public: bool) -> HttpResponse:
    data = tables_xlsx(list(_tables(request, public).values()), title="Observatoire des réseaux")
    response = HttpResponse(
        data, content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    )
    response["Content-Disposition"] = f'attachment; filename="observatoire-{_date(request)}.xlsx"'
    return response


@require_GET
def table_download(request: HttpRequest, key: str) -> HttpResponse:
    return _table_csv(request, key, public=False)


@require_GET
def workbook_download(request: HttpRequest) -> HttpResponse:
    _scope(request)  # 404 for whoever may not see the figures
    return _workbook(request, public=False)


@require_GET
def public_table_download(request: HttpRequest, key: str) -> HttpResponse:
    return _table_csv(request, key, public=True)


@require_GET
def public_workbook_download(request: HttpRequest) -> HttpResponse:
    return _workbook(request, public=True)


# --------------------------------------------------------------------------- dossiers


@require_http_methods(["GET", "POST"])
def dossiers(request: HttpRequest) -> HttpResponse:
    permissions.staff_or_404(request.user)
    form = DossierForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.dossier_request(
                at=form.cleaned_data["at"], user=request.user, published=not form.cleaned_data["internal"]
            )
        except ValidationError as exc:
            add_validation_errors(form, exc)
        else:
            messages.success(request, _("Le dossier est demandé : il se prépare, revenez dans un instant."))
            return redirect("observatory:dossiers")
    return render(
        request,
        "observatory/dossiers.html",
        {"form": form, "dossiers": Dossier.objects.defer("pdf", "xlsx", "figures")[:100]},
    )


_FORMATS = {
    "pdf": ("pdf", "application/pdf"),
    "xlsx": ("xlsx", "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"),
}


@require_GET
def dossier_file(request: HttpRequest, pk: int, fmt: str) -> HttpResponse:
    """A dossier's PDF or workbook: published ones for anyone, internal copies for staff."""
    dossier = Dossier.objects.filter(pk=pk, status="done").first()
    if dossier is None or fmt not in _FORMATS:
        raise Http404
    if not dossier.published and not permissions.can_review(request.user):
        raise Http404
    field, content_type = _FORMATS[fmt]
    response = HttpResponse(bytes(getattr(dossier, field)), content_type=content_type)
    kind = "" if dossier.published else "-interne"
    response["Content-Disposition"] = f'attachment; filename="observatoire-{dossier.at}{kind}.{fmt}"'
    return response
