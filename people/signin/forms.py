from django import forms
from django.conf import settings
from django.contrib.auth.forms import AuthenticationForm

from people.signin.services import is_break_glass


class PasswordSignInForm(AuthenticationForm):
    """Django's sign-in form, which refuses passwords when the council has switched them off, except for
    the break-glass administrator kept for when the identity provider is down."""

    def confirm_login_allowed(self, user):
        super().confirm_login_allowed(user)
        if not settings.PASSWORD_SIGN_IN_ENABLED and not is_break_glass(user):
            raise forms.ValidationError(
                "Signing in with a password is switched off. Use the button for your school account above.",
                code="password_sign_in_off",
            )


class RecoveryCodeForm(forms.Form):
    code = forms.CharField(
        label="Recovery code",
        max_length=20,
        help_text="One of the codes you saved when you set them up, for example abcde-fghjk. Each works once.",
        widget=forms.TextInput(attrs={"autocomplete": "one-time-code", "autofocus": True}),
    )

    def clean_code(self):
        code = "".join(ch for ch in self.cleaned_data["code"] if ch.isalnum())
        if len(code) != 10:
            raise forms.ValidationError("A recovery code is ten letters and numbers, like abcde-fghjk.")
        return code
