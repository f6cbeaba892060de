"""The public registration forms. Validation only: saving happens in services."""

import time

from django import forms
from django.conf import settings
from django.core import signing
from django.utils.translation import gettext_lazy as _

from wagtail.contrib.forms.forms import FormBuilder

from phonenumber_field.formfields import PhoneNumberField

from persian.ids import validate_legal_id, validate_national_code
from persian.phones import validate_iranian_mobile
from persian.text import to_ascii_digits

from .choices import ActivityField, Capacity, Kind, Province


FORM_STARTED_SALT = "registrations.form-started"


class DigitsCharField(forms.CharField):
    """A text field of digits typed in any script: stored with ASCII digits, spaces removed."""

    def to_python(self, value):
        value = super().to_python(value)
        return "".join(to_ascii_digits(value).split())


class AnyDigitsIntegerField(forms.IntegerField):
    def to_python(self, value):
        if isinstance(value, str):
            value = to_ascii_digits(value).strip()
        return super().to_python(value)


class MobileField(PhoneNumberField):
    """An Iranian mobile typed in any digit script, stored as E.164 (+989…)."""

    default_error_messages = {"invalid": _("Enter a mobile number such as 0912 345 6789.")}
    default_validators = [validate_iranian_mobile]

    def __init__(self, **kwargs):
        kwargs.setdefault("region", "IR")
        kwargs.setdefault(
            "widget",
            forms.TextInput(
                attrs={"type": "tel", "inputmode": "tel", "autocomplete": "tel", "dir": "ltr"}
            ),
        )
        super().__init__(**kwargs)

    def to_python(self, value):
        if isinstance(value, str):
            value = to_ascii_digits(value)
        return super().to_python(value)


def form_started_token() -> str:
    """A signed note of when the form was shown, checked when it comes back."""
    return signing.Signer(salt=FORM_STARTED_SALT).sign(str(int(time.time())))


class AntiSpamMixin(forms.Form):
    """A honeypot field people never see, and a minimum time between showing and sending."""

    website = forms.CharField(
        required=False,
        label=_("Leave this field empty"),
        widget=forms.TextInput(attrs={"autocomplete": "off", "tabindex": "-1"}),
    )
    started = forms.CharField(widget=forms.HiddenInput, required=False)

    spam_message = _("The form could not be sent. Please wait a moment and send it again.")

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("website"):
            raise forms.ValidationError(self.spam_message, code="honeypot")
        try:
            shown_at = int(
                signing.Signer(salt=FORM_STARTED_SALT).unsign(cleaned.get("started") or "")
            )
        except (signing.BadSignature, ValueError):
            raise forms.ValidationError(self.spam_message, code="no_start_time") from None
        age = time.time() - shown_at
        if age > 24 * 3600:
            raise forms.ValidationError(self.spam_message, code="no_start_time")
        if age < settings.REGISTRATION_MIN_FILL_SECONDS:
            raise forms.ValidationError(self.spam_message, code="too_fast")
        return cleaned

    def refresh_start_if_lost(self) -> None:
        """Give a form whose start time was missing or stale a fresh one for the next try."""
        codes = {e.code for e in self.non_field_errors().as_data()}
        if "no_start_time" in codes:
            self.data = self.data.copy()
            self.data["started"] = form_started_token()


class RegistrationFieldsForm(forms.Form):
    """The fixed fields of a registration, shared by the web form and the API."""

    kind = forms.ChoiceField(
        label=_("Who is registering?"), choices=Kind.choices, widget=forms.RadioSelect
    )
    organisation_name = forms.CharField(
        label=_("Name of the group or organisation"),
        max_length=200,
        required=False,
        help_text=_("Not needed if you register as a facilitator (an individual)."),
    )
    national_id = DigitsCharField(
        label=_("Organisation national id"),
        required=False,
        max_length=20,
        validators=[validate_legal_id],
        help_text=_("11 digits, for registered organisations. Optional."),
        widget=forms.TextInput(attrs={"inputmode": "numeric", "dir": "ltr"}),
    )
    permit_number = DigitsCharField(
        label=_("Permit or registration number"),
        required=False,
        max_length=50,
        widget=forms.TextInput(attrs={"dir": "ltr"}),
    )
    province = forms.ChoiceField(
        label=_("Province"), choices=[("", _("Choose a province"))] + Province.choices
    )
    city = forms.CharField(label=_("City"), max_length=100)
    fields_of_activity = forms.MultipleChoiceField(
        label=_("Fields of activity"),
        choices=ActivityField.choices,
        widget=forms.CheckboxSelectMultiple,
        help_text=_("Choose every field you work in."),
    )
    capacities = forms.MultipleChoiceField(
        label=_("What you can offer"),
        choices=Capacity.choices,
        widget=forms.CheckboxSelectMultiple,
        required=False,
    )
    experience = forms.CharField(
        label=_("Experience and expertise"),
        required=False,
        max_length=3000,
        widget=forms.Textarea(attrs={"rows": 4}),
    )
    years_active = AnyDigitsIntegerField(
        label=_("Years active"),
        required=False,
        min_value=0,
        max_value=150,
        widget=forms.TextInput(attrs={"inputmode": "numeric", "dir": "ltr"}),
    )
    member_count = AnyDigitsIntegerField(
        label=_("Number of members"),
        required=False,
        min_value=1,
        max_value=10_000_000,
        widget=forms.TextInput(attrs={"inputmode": "numeric", "dir": "ltr"}),
    )
    representative_name = forms.CharField(label=_("Representative's full name"), max_length=150)
    mobile = MobileField(
        label=_("Representative's mobile"),
        help_text=_("The confirmation code is sent to this number by SMS."),
    )
    national_code = DigitsCharField(
        label=_("Representative's national code"),
        required=False,
        max_length=20,
        validators=[validate_national_code],
        help_text=_("10 digits. Optional."),
        widget=forms.TextInput(attrs={"inputmode": "numeric", "dir": "ltr"}),
    )
    email = forms.EmailField(
        label=_("Email"),
        required=False,
        widget=forms.EmailInput(attrs={"dir": "ltr", "autocomplete": "email"}),
    )
    consent = forms.BooleanField(
        label=_(
            "I have read the privacy notice and agree to my information being kept for this campaign."
        ),
        error_messages={"required": _("Registration needs your consent to the privacy notice.")},
    )

    def __init__(self, *args, campaign=None, locked_mobile=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.campaign = campaign
        self.locked_mobile = locked_mobile
        self.extra_field_names: list[str] = []
        if campaign is not None:
            builder = FormBuilder(campaign.form_fields.all())
            for name, field in builder.formfields.items():
                self.fields[name] = field
                self.extra_field_names.append(name)
        if locked_mobile is not None:
            # The mobile was verified by the SMS the person sent: shown, never editable.
            self.fields["mobile"].required = False
            self.fields["mobile"].disabled = True
            self.fields["mobile"].help_text = _("Verified by the SMS you sent.")
            self.initial["mobile"] = locked_mobile

    def clean(self):
        cleaned = super().clean()
        if (
            cleaned.get("kind")
            and cleaned["kind"] != Kind.FACILITATOR
            and not cleaned.get("organisation_name")
        ):
            self.add_error("organisation_name", _("Enter the name of the group or organisation."))
        if self.locked_mobile is not None:
            cleaned["mobile"] = self.locked_mobile
        return cleaned

    def registration_data(self) -> dict:
        """The cleaned values in the shape `services.register` takes."""
        data = {name: self.cleaned_data.get(name) for name in RegistrationFieldsForm.base_fields}
        for name, value in data.items():
            if isinstance(value, str):
                data[name] = value.strip()
        data["extra_answers"] = {
            name: _json_value(self.cleaned_data.get(name)) for name in self.extra_field_names
        }
        return data

    def error_list(self) -> list[dict]:
        """Errors as [{field, code, message}] for API clients."""
        items = []
        for field, errors in self.errors.as_data().items():
            for error in errors:
                for message in error.messages:
                    items.append(
                        {
                            "field": None if field == "__all__" else field,
                            "code": error.code or "invalid",
                            "message": str(message),
                        }
                    )
        return items


def _json_value(value):
    if isinstance(value, list | tuple):
        return [str(v) for v in value]
    if value is None or isinstance(value, bool | int | float | str):
        return value
    return str(value)


class RegistrationForm(AntiSpamMixin, RegistrationFieldsForm):
    """The web form: the fields plus the honeypot and the minimum-time check."""


class ConfirmForm(forms.Form):
    code = DigitsCharField(
        label=_("Code from the SMS"),
        max_length=12,
        widget=forms.TextInput(
            attrs={"inputmode": "numeric", "autocomplete": "one-time-code", "dir": "ltr"}
        ),
    )

    def clean_code(self):
        code = self.cleaned_data["code"]
        if not (code.isascii() and code.isdigit() and len(code) == 6):
            raise forms.ValidationError(_("The code has 6 digits."), code="code_format")
        return code


class StatusLookupForm(forms.Form):
    tracking_code = DigitsCharField(
        label=_("Tracking code"),
        max_length=20,
        widget=forms.TextInput(attrs={"inputmode": "numeric", "dir": "ltr"}),
    )
    mobile = MobileField(label=_("Mobile used to register"))
