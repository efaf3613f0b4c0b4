from django.urls import path

from people.signin import views

urlpatterns = [
    path("login/", views.SignInView.as_view(), name="login"),
    path("logout/", views.SignOutView.as_view(), name="logout"),
    path("signed-out/", views.signed_out, name="signed_out"),
    path("sso/<slug:provider>/", views.sso_begin, name="sso_begin"),
    path("sso/<slug:provider>/callback/", views.sso_callback, name="sso_callback"),
    path("2fa/recovery/", views.recovery_code_sign_in, name="recovery_code_sign_in"),
    path("recovery-codes/", views.recovery_codes, name="recovery_codes"),
]
