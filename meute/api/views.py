"""« Mon compte » › API access tokens: make one (its secret shown once), list, revoke."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from meute.api.forms import TokenForm
from meute.api.selectors import user_token, user_tokens
from meute.api.services import token_create, token_revoke
from meute.core.web import add_validation_errors


@login_required
@require_http_methods(["GET", "POST"])
def tokens(request: HttpRequest) -> HttpResponse:
    form = TokenForm(request.POST or None)
    secret = ""
    status = 200
    if request.method == "POST":
        if form.is_valid():
            try:
                _token, secret = token_create(user=request.user, **form.cleaned_data)  # type: ignore[arg-type]
            except ValidationError as exc:
                add_validation_errors(form, exc)
            else:
                form = TokenForm()
        if not secret:
            status = 400
    # The secret is in this answer only: it is not stored, and a reload does not show it again.
    response = render(
        request,
        "api/tokens.html",
        {"form": form, "secret": secret, "tokens": user_tokens(request.user)},  # type: ignore[arg-type]
        status=status,
    )
    response["Cache-Control"] = "no-store"
    return response


@login_required
@require_POST
def revoke(request: HttpRequest, pk: int) -> HttpResponse:
    token = user_token(request.user, pk)  # type: ignore[arg-type]
    if token is None:  # another account's token: as if it did not exist
        raise Http404
    token_revoke(token=token)
    messages.success(
        request, _("Le jeton « %(name)s » est révoqué : il ne sert plus.") % {"name": token.name}
    )
    return redirect("api_tokens:list")
