"""The admin sign-in form with an optional second factor (WAGTAILADMIN_USER_LOGIN_FORM).

Staff without a confirmed authenticator device sign in with username and password as
before and leave the code field empty. For staff with one, the password alone is not
enough: a missing or wrong code fails the form, and is reported to django-axes as a failed
sign-in, so guessing codes runs into the same lockout as guessing passwords.

On success the verified device is set as `user.otp_device`; Django's login() then sends
`user_logged_in`, on which django-otp stores the device in the new session (django_otp.login),
so `request.user.is_verified()` is true for that session (OTPMiddleware).
"""

from django import forms
from django.contrib.auth.signals import user_login_failed
from django.utils.translation import gettext_lazy as _

from wagtail.admin.forms.auth import LoginForm as WagtailLoginForm

from . import devices


class CodeField(forms.CharField):
    def __init__(self, **kwargs):
        kwargs.setdefault("max_length", 20)
        kwargs.setdefault("strip", True)
        kwargs.setdefault(
            "widget",
            forms.TextInput(
                attrs={
                    "autocomplete": "one-time-code",
                    "inputmode": "numeric",
                    "dir": "ltr",
                    "maxlength": "20",
                }
            ),
        )
        super().__init__(**kwargs)


class LoginForm(WagtailLoginForm):
    otp_token = CodeField(
        required=False,
        label=_("Two-factor code"),
        help_text=_(
            "Only if you have turned on two-factor sign-in: the six-digit code from your "
            "authenticator app."
        ),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # Wagtail's field has no label of its own, so Django's untranslated "Password" showed.
        self.fields["password"].label = _("Password")

    def clean(self):
        cleaned_data = super().clean()  # username and password (and django-axes' lockout)
        user = self.get_user()
        if user is not None and devices.has_two_factor(user):
            check = devices.check_code(user, cleaned_data.get("otp_token"), confirmed=True)
            if not check.ok:
                self._report_failure()
                raise forms.ValidationError(devices.ERRORS[check.error], code=check.error)
            user.otp_device = check.device
        return cleaned_data

    def _report_failure(self):
        """Count the attempt as a failed sign-in (django-axes listens to this signal)."""
        user_login_failed.send(
            sender=__name__,
            credentials={"username": self.cleaned_data.get("username")},
            request=self.request,
        )


class CodeForm(forms.Form):
    """A code typed on the two-factor page, to confirm enrolment or to turn it off."""

    otp_token = CodeField(
        label=_("Six-digit code from your authenticator app"),
        error_messages={"required": devices.ERRORS["required"]},
    )

    def __init__(self, *args, user, confirmed, **kwargs):
        super().__init__(*args, **kwargs)
        self.user = user
        self.confirmed = confirmed
        self.device = None
        if not confirmed:
            # Turning it on asks for the password too: a stolen session alone must not be
            # able to enrol its own phone and lock the owner out.
            self.fields["password"] = forms.CharField(
                label=_("Your password"),
                strip=False,
                widget=forms.PasswordInput(attrs={"autocomplete": "current-password"}),
            )

    def clean_password(self):
        password = self.cleaned_data["password"]
        if not self.user.check_password(password):
            raise forms.ValidationError(_("That is not your password."), code="wrong_password")
        return password

    def clean(self):
        cleaned_data = super().clean()
        if self.errors.get("password"):
            return cleaned_data  # no code is checked (or used up) for a wrong password
        if "otp_token" in cleaned_data:
            check = devices.check_code(
                self.user, cleaned_data["otp_token"], confirmed=self.confirmed
            )
            if check.ok:
                self.device = check.device
            else:
                self.add_error("otp_token", forms.ValidationError(devices.ERRORS[check.error]))
        return cleaned_data
