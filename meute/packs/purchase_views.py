"""Pages of pooled purchases: for the cluster's active members and staff; 404 for everybody else.
The organiser (and the cluster's managers) see every pledge and export the shares; members see totals."""

from __future__ import annotations

from django import forms
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from meute.core.forms import BoundedDateField, DateInput
from meute.packs import permissions, purchases
from meute.packs.models import Pledge, Purchase, PurchaseKind
from meute.packs.views import _cluster

#: Quantities of a group purchase (a PostgreSQL integer holds 2,147,483,647).
MAX_QUANTITY = 1_000_000


class PurchaseForm(forms.Form):
    kind = forms.ChoiceField(label=gettext_lazy("Nature"), choices=PurchaseKind.choices)
    title = forms.CharField(label=gettext_lazy("Objet"), max_length=200)
    description = forms.CharField(
        label=gettext_lazy("Précisions"), widget=forms.Textarea, required=False, max_length=2000
    )
    unit = forms.CharField(label=gettext_lazy("Unité"), max_length=30)
    unit_price = forms.DecimalField(
        label=gettext_lazy("Prix unitaire négocié (€ HT)"), min_value=0, max_digits=10, decimal_places=2
    )
    threshold = forms.IntegerField(
        label=gettext_lazy("Seuil (quantité totale)"), min_value=1, max_value=MAX_QUANTITY
    )
    closes_on = BoundedDateField(label=gettext_lazy("Clôture le"), widget=DateInput())


class PledgeForm(forms.Form):
    quantity = forms.IntegerField(
        label=gettext_lazy("Ma quantité (0 pour me retirer)"), min_value=0, max_value=MAX_QUANTITY
    )


def _purchase(request: HttpRequest, slug: str, pk: int) -> Purchase:
    purchase = purchases.purchase_of(network=_cluster(request, slug), pk=pk)
    if purchase is None:
        raise Http404
    return purchases.purchase_close_if_due(purchase=purchase)


def _sees_pledges(request: HttpRequest, purchase: Purchase) -> bool:
    person = permissions.person_of(request.user)
    mine = person is not None and person.pk == purchase.organiser_id
    return mine or permissions.can_manage_cluster(request.user, purchase.network)


@require_GET
def purchase_list(request: HttpRequest, slug: str) -> HttpResponse:
    network = _cluster(request, slug)
    return render(
        request,
        "packs/purchases.html",
        {"network": network, "purchases": purchases.purchases_of(network=network)},
    )


@require_http_methods(["GET", "POST"])
def purchase_new(request: HttpRequest, slug: str) -> HttpResponse:
    network = _cluster(request, slug)
    person = permissions.person_of(request.user)
    if person is None:
        raise Http404
    form = PurchaseForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            purchase = purchases.purchase_create(network=network, organiser=person, **form.cleaned_data)
        except ValidationError as exc:
            for name, errors in exc.message_dict.items():
                form.add_error(name if name in form.fields else None, errors)
        else:
            messages.success(request, _("L'achat groupé est proposé aux membres."))
            return redirect("packs:purchase", slug=slug, pk=purchase.pk)
    return render(request, "packs/purchase_new.html", {"network": network, "form": form})


@require_GET
def purchase_detail(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    purchase = _purchase(request, slug, pk)
    person = permissions.person_of(request.user)
    mine = Pledge.objects.filter(purchase=purchase, person=person).first() if person else None
    total = purchases.total_pledged(purchase)
    return render(
        request,
        "packs/purchase.html",
        {
            "network": purchase.network,
            "purchase": purchase,
            "total": total,
            "members": purchase.pledges.count(),
            "amount": total * purchase.unit_price,
            "mine": mine,
            "form": PledgeForm(initial={"quantity": mine.quantity if mine else 0}),
            "shares": purchases.shares(purchase) if _sees_pledges(request, purchase) else None,
            "can_pledge": person is not None and purchase.status == "open",
        },
    )


@require_POST
def pledge(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    purchase = _purchase(request, slug, pk)
    person = permissions.person_of(request.user)
    if person is None:
        raise Http404
    form = PledgeForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Indiquez une quantité entière, positive ou nulle."))
        return redirect("packs:purchase", slug=slug, pk=pk)
    try:
        purchases.pledge_set(purchase=purchase, person=person, quantity=form.cleaned_data["quantity"])
    except ValidationError as exc:
        for message in exc.messages:
            messages.error(request, message)
    else:
        messages.success(request, _("Votre engagement est enregistré."))
    return redirect("packs:purchase", slug=slug, pk=pk)


@require_GET
def shares_export(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    purchase = _purchase(request, slug, pk)
    if not _sees_pledges(request, purchase):
        raise Http404
    if request.GET.get("format") == "xlsx":
        response = HttpResponse(
            purchases.shares_xlsx(purchase),
            content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        )
        response["Content-Disposition"] = f'attachment; filename="parts-{purchase.pk}.xlsx"'
        return response
    response = HttpResponse(purchases.shares_csv(purchase), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="parts-{purchase.pk}.csv"'
    return response
