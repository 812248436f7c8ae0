from django.contrib.auth import views as auth_views
from django.urls import path, reverse_lazy

from meute.accounts import account_views, views
from meute.accounts.forms import EmailAuthenticationForm

app_name = "accounts"
urlpatterns = [
    path(
        "connexion/",
        auth_views.LoginView.as_view(
            template_name="accounts/login.html", authentication_form=EmailAuthenticationForm
        ),
        name="login",
    ),
    path("deconnexion/", auth_views.LogoutView.as_view(), name="logout"),
    path("inscription/", views.signup, name="signup"),
    path("inscription/envoyee/", views.signup_sent, name="signup_sent"),
    path("inscription/confirmer/<str:token>/", views.signup_confirm, name="signup_confirm"),
    path("profil/", views.profile, name="profile"),
    path("profil/consentements/", views.consents, name="consents"),
    path("profil/modifier/", account_views.profile_edit, name="profile_edit"),
    path("profil/photo/", account_views.photo, name="photo"),
    path("adresse/", account_views.email_change, name="email_change"),
    path(
        "adresse/confirmer/<str:token>/", account_views.email_change_confirm_view, name="email_change_confirm"
    ),
    path(
        "mot-de-passe/modifier/",
        auth_views.PasswordChangeView.as_view(
            template_name="accounts/password_change.html",
            success_url=reverse_lazy("accounts:password_changed"),
        ),
        name="password_change",
    ),
    path("mot-de-passe/modifie/", account_views.password_changed, name="password_changed"),
    path(
        "mot-de-passe/oubli/",
        auth_views.PasswordResetView.as_view(
            template_name="accounts/password_reset.html",
            email_template_name="accounts/password_reset_email.txt",
            subject_template_name="accounts/password_reset_subject.txt",
            success_url=reverse_lazy("accounts:password_reset_done"),
        ),
        name="password_reset",
    ),
    path(
        "mot-de-passe/envoye/",
        auth_views.PasswordResetDoneView.as_view(template_name="accounts/password_reset_done.html"),
        name="password_reset_done",
    ),
    path(
        "mot-de-passe/<uidb64>/<token>/",
        auth_views.PasswordResetConfirmView.as_view(
            template_name="accounts/password_reset_confirm.html",
            success_url=reverse_lazy("accounts:password_reset_complete"),
        ),
        name="password_reset_confirm",
    ),
    path(
        "mot-de-passe/change/",
        auth_views.PasswordResetCompleteView.as_view(template_name="accounts/password_reset_complete.html"),
        name="password_reset_complete",
    ),
]
