"""The account's own pages: edit my profile, change my password, change my e-mail address."""

from __future__ import annotations

import mimetypes

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from meute.accounts.account_forms import EmailChangeForm, ProfileForm
from meute.accounts.account_services import email_change_confirm, email_change_request, profile_update
from meute.accounts.selectors import person_of
from meute.core.web import add_validation_errors

EMAIL_SESSION_TOKEN = "_email_change_token"
EMAIL_CONFIRM_URL_TOKEN = "valider"


@login_required
@require_http_methods(["GET", "POST"])
def profile_edit(request: HttpRequest) -> HttpResponse:
    person = person_of(request.user)
    if person is None:
        raise Http404
    form = ProfileForm(request.POST or None, request.FILES or None, instance=person)
    if request.method == "POST" and form.is_valid():
        data = {k: v for k, v in form.cleaned_data.items() if k != "company"}
        try:
            profile_update(person=person, company=form.cleaned_data["company"], **data)
        except ValidationError as exc:
            add_validation_errors(form, exc)  # type: ignore[arg-type]
        else:
            messages.success(request, _("Votre profil est enregistré."))
            return redirect("accounts:profile")
    status = 400 if request.method == "POST" else 200
    return render(request, "accounts/profile_edit.html", {"form": form}, status=status)


@login_required
@require_http_methods(["GET", "POST"])
def email_change(request: HttpRequest) -> HttpResponse:
    form = EmailChangeForm(request.POST or None, user=request.user)
    if request.method == "POST" and form.is_valid():
        email_change_request(
            user=request.user,  # type: ignore[arg-type]
            email=form.cleaned_data["email"],
            base_url=request.build_absolute_uri("/").rstrip("/"),
        )
        messages.success(
            request,
            _("Un lien vous a été envoyé à %(email)s : votre adresse changera quand vous l'aurez suivi.")
            % {"email": form.cleaned_data["email"]},
        )
        return redirect("accounts:profile")
    status = 400 if request.method == "POST" else 200
    return render(request, "accounts/email_change.html", {"form": form}, status=status)


@login_required
def email_change_confirm_view(request: HttpRequest, token: str) -> HttpResponse:
    if token != EMAIL_CONFIRM_URL_TOKEN:
        # As for sign-up: the token leaves the address bar (and any Referer) for the session.
        request.session[EMAIL_SESSION_TOKEN] = token
        return redirect("accounts:email_change_confirm", token=EMAIL_CONFIRM_URL_TOKEN)
    try:
        email_change_confirm(user=request.user, token=request.session.pop(EMAIL_SESSION_TOKEN, ""))  # type: ignore[arg-type]
    except ValidationError as exc:
        for message in exc.messages:
            messages.error(request, message)
    else:
        messages.success(request, _("Votre adresse e-mail est changée ; l'ancienne en est avertie."))
    return redirect("accounts:profile")


@login_required
def password_changed(request: HttpRequest) -> HttpResponse:
    messages.success(request, _("Votre mot de passe est changé ; vos autres sessions sont fermées."))
    return redirect("accounts:profile")


@login_required
def photo(request: HttpRequest) -> FileResponse:
    """The person's own photo; nobody else's (there is no id in the address to guess)."""
    person = person_of(request.user)
    if person is None or not person.photo:
        raise Http404
    response = FileResponse(
        person.photo.open("rb"), content_type=mimetypes.guess_type(person.photo.name or "")[0]
    )
    response["Cache-Control"] = "private, max-age=0"
    return response
