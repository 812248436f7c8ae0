from __future__ import annotations

from django.contrib import messages
from django.contrib.auth import login
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from meute.accounts.forms import SignupConfirmForm, SignupForm
from meute.accounts.models import ConsentPurpose, User, current_consent_text
from meute.accounts.selectors import person_of
from meute.accounts.services import (
    account_signup,
    consent_record,
    signup_person,
    signup_request,
)
from meute.accounts.throttle import client_ip
from meute.accounts.tokens import signup_token_email

SIGNUP_SESSION_TOKEN = "_signup_token"
SIGNUP_CONFIRM_URL_TOKEN = "valider"


@require_http_methods(["GET", "POST"])
def signup(request: HttpRequest) -> HttpResponse:
    """Ask for an address and send it a link; the answer is the same whether it has an account or not."""
    if request.user.is_authenticated:
        return redirect("accounts:profile")
    form = SignupForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        sent = signup_request(
            email=form.cleaned_data["email"],
            client_ip=client_ip(request),
            base_url=request.build_absolute_uri("/").rstrip("/"),
        )
        if not sent:
            return render(request, "accounts/signup_throttled.html", status=429)
        return redirect("accounts:signup_sent")
    return render(request, "accounts/signup.html", {"form": form})


@require_http_methods(["GET"])
def signup_sent(request: HttpRequest) -> HttpResponse:
    return render(request, "accounts/signup_sent.html")


@require_http_methods(["GET", "POST"])
def signup_confirm(request: HttpRequest, token: str) -> HttpResponse:
    """Create the account for the address the link was sent to, once its holder chooses a password."""
    if token != SIGNUP_CONFIRM_URL_TOKEN:
        # As Django's password reset does: keep the token out of the address bar
        # and of any Referer, in the session, and show the form at a neutral URL.
        request.session[SIGNUP_SESSION_TOKEN] = token
        return redirect("accounts:signup_confirm", token=SIGNUP_CONFIRM_URL_TOKEN)
    email = signup_token_email(token=request.session.get(SIGNUP_SESSION_TOKEN, ""))
    if email is None:
        return render(request, "accounts/signup_confirm.html", {"validlink": False})
    if User.objects.filter(email__iexact=email).exists():
        request.session.pop(SIGNUP_SESSION_TOKEN, None)
        messages.info(request, _("Ce lien a déjà servi : votre compte existe, connectez-vous."))
        return redirect("accounts:login")
    imported = signup_person(email=email)
    initial = {"first_name": imported.first_name, "last_name": imported.last_name} if imported else {}
    form = SignupConfirmForm(request.POST if request.method == "POST" else None, email=email, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            user = account_signup(email=email, **form.cleaned_data)
        except ValidationError:
            messages.info(request, _("Ce lien a déjà servi : votre compte existe, connectez-vous."))
            return redirect("accounts:login")
        request.session.pop(SIGNUP_SESSION_TOKEN, None)
        login(request, user, backend="django.contrib.auth.backends.ModelBackend")
        messages.success(request, _("Bienvenue sur Meute : votre compte est créé."))
        return redirect("accounts:profile")
    return render(request, "accounts/signup_confirm.html", {"validlink": True, "form": form, "email": email})


@login_required
def profile(request: HttpRequest) -> HttpResponse:
    person = person_of(request.user)
    # Through the reverse relation: accounts sits below networks and imports none of it.
    memberships = person.memberships.select_related("network").order_by("-created_at") if person else []
    consents = {p: person.has_consent(p) for p in ConsentPurpose.values} if person else {}
    return render(
        request,
        "accounts/profile.html",
        {
            "person": person,
            "memberships": memberships,
            "directory_consent": consents.get(ConsentPurpose.DIRECTORY),
            "matchmaking_consent": consents.get(ConsentPurpose.MATCHMAKING),
            "consent_texts": {p: current_consent_text(p) for p in ConsentPurpose.values},
        },
    )


@login_required
@require_POST
def consents(request: HttpRequest) -> HttpResponse:
    """Change one's consents at any time: each change is recorded with its date and text version."""
    person = person_of(request.user)
    if person is None:
        raise Http404
    changed = []
    for purpose in ConsentPurpose.values:
        wanted = request.POST.get(purpose) == "on"
        if wanted != person.has_consent(purpose):
            consent_record(person=person, purpose=purpose, granted=wanted)
            changed.append(purpose)
    if changed:
        messages.success(request, _("Vos choix sont enregistrés ; ils s'appliquent dès maintenant."))
    else:
        messages.info(request, _("Rien n'a changé."))
    return redirect("accounts:profile")
