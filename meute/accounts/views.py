from __future__ import annotations

from django.contrib import messages
from django.contrib.auth import login
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from meute.accounts.forms import SignupForm
from meute.accounts.models import ConsentPurpose
from meute.accounts.services import account_signup
from meute.networks.models import Membership


@require_http_methods(["GET", "POST"])
def signup(request: HttpRequest) -> HttpResponse:
    if request.user.is_authenticated:
        return redirect("accounts:profile")
    form = SignupForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        user = account_signup(**form.cleaned_data)
        login(request, user, backend="django.contrib.auth.backends.ModelBackend")
        messages.success(request, _("Bienvenue sur Meute : votre compte est créé."))
        return redirect("accounts:profile")
    return render(request, "accounts/signup.html", {"form": form})


@login_required
def profile(request: HttpRequest) -> HttpResponse:
    person = getattr(request.user, "person", None)
    memberships = (
        Membership.objects.filter(person=person).select_related("network").order_by("-created_at")
        if person
        else []
    )
    consents = {p: person.has_consent(p) for p in ConsentPurpose.values} if person else {}
    return render(
        request,
        "accounts/profile.html",
        {
            "person": person,
            "memberships": memberships,
            "directory_consent": consents.get(ConsentPurpose.DIRECTORY),
            "matchmaking_consent": consents.get(ConsentPurpose.MATCHMAKING),
        },
    )
