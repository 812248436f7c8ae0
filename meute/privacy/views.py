"""« Mon espace › Mes données »: export, consents with their effect, erasure of the account."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth import logout
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_http_methods, require_POST

from meute.accounts.models import ConsentPurpose
from meute.accounts.selectors import person_of
from meute.accounts.services import consent_record
from meute.privacy import selectors, services
from meute.privacy.forms import EraseForm
from meute.privacy.models import ExportStatus

#: What withdrawing each consent does, said on the page before one does it.
CONSENT_EFFECTS: dict[str, object] = {
    ConsentPurpose.DIRECTORY: gettext_lazy(
        "Si vous le retirez, votre nom, votre fonction et votre entreprise disparaissent aussitôt des "
        "listes de membres ; vous restez compté(e), sans être nommé(e)."
    ),
    ConsentPurpose.MATCHMAKING: gettext_lazy(
        "Si vous le retirez, vos textes « ce que je propose / ce que je cherche » ne servent plus à vous "
        "proposer des rencontres ; aux rendez-vous d'affaires, les autres ne voient que votre nom."
    ),
}


@login_required
def my_data(request: HttpRequest) -> HttpResponse:
    person = person_of(request.user)
    exports = selectors.user_exports(request.user)  # type: ignore[arg-type]
    links = {e.pk: services.export_token(e) for e in exports if e.status == ExportStatus.READY}
    consents = []
    if person is not None:
        for purpose in ConsentPurpose:
            history = list(person.consents.filter(purpose=purpose).order_by("-given_at", "-id"))
            consents.append(
                {
                    "purpose": purpose.value,
                    "label": purpose.label,
                    "granted": bool(history and history[0].granted),
                    "history": history,
                    "effect": CONSENT_EFFECTS[purpose],
                }
            )
    return render(
        request,
        "privacy/my_data.html",
        {"exports": exports, "links": links, "consents": consents, "person": person},
    )


@login_required
@require_POST
def export_request(request: HttpRequest) -> HttpResponse:
    services.export_request(user=request.user)  # type: ignore[arg-type]
    messages.success(
        request,
        _("Votre export est demandé : il est prêt en moins d'une minute, le lien reste valable 7 jours."),
    )
    return redirect("privacy:my_data")


@login_required
def export_download(request: HttpRequest, token: str, kind: str) -> HttpResponse:
    export = services.export_from_token(token=token, user=request.user)  # type: ignore[arg-type]
    if export is None or kind not in ("json", "html"):
        raise Http404
    stamp = f"{export.ready_at:%Y-%m-%d}"
    if kind == "json":
        response = HttpResponse(export.json_data, content_type="application/json; charset=utf-8")
    else:
        response = HttpResponse(export.html_summary, content_type="text/html; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="meute-mes-donnees-{stamp}.{kind}"'
    response["Cache-Control"] = "no-store"
    return response


@login_required
@require_POST
def consent_withdraw(request: HttpRequest, purpose: str) -> HttpResponse:
    person = person_of(request.user)
    if person is None or purpose not in ConsentPurpose.values:
        raise Http404
    if person.has_consent(purpose):
        consent_record(person=person, purpose=purpose, granted=False)
        messages.success(
            request, _("Consentement retiré : %(effect)s") % {"effect": CONSENT_EFFECTS[purpose]}
        )
    else:
        messages.info(request, _("Rien n'a changé."))
    return redirect("privacy:my_data")


@login_required
@require_http_methods(["GET", "POST"])
def erase(request: HttpRequest) -> HttpResponse:
    person = person_of(request.user)
    blockers = services.erasure_blockers(person)
    form = EraseForm(request.POST or None, user=request.user)
    if request.method == "POST" and not blockers and form.is_valid():
        user = request.user
        try:
            services.account_erase(user=user)  # type: ignore[arg-type]
        except ValidationError as exc:
            blockers = exc.messages
        else:
            logout(request)
            return redirect("privacy:erased")
    status = 400 if request.method == "POST" else 200
    return render(request, "privacy/erase.html", {"form": form, "blockers": blockers}, status=status)


def erased(request: HttpRequest) -> HttpResponse:
    return render(request, "privacy/erased.html", {"home": reverse("home")})
