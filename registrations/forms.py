"""The public registration forms. Validation only: saving happens in services."""

import hashlib
import secrets
import time

from django import forms
from django.conf import settings
from django.core import signing
from django.core.cache import cache
from django.core.exceptions import FieldDoesNotExist
from django.core.validators import MaxLengthValidator
from django.utils.translation import gettext_lazy as _

from wagtail.contrib.forms.forms import FormBuilder

from phonenumber_field.formfields import PhoneNumberField

from persian.ids import validate_legal_id, validate_national_code
from persian.phones import validate_iranian_mobile
from persian.text import to_ascii_digits

from .choices import ActivityField, Capacity, Kind, Province
from .models import Registration
from .textinput import strip_invisible


FORM_STARTED_SALT = "registrations.form-started"


class PublicInputForm(forms.Form):
    """A form the public fills in: the same text rules for every field, declared or not.

    Before any field sees it, each submitted text loses the invisible characters at its ends
    (a name of only ZWNJ, RLM or zero-width spaces is empty, so a required field says so);
    NUL characters are refused by Django's own CharField validator. After cleaning, a
    multi-choice answer keeps each choice once, however often it was sent.
    """

    def full_clean(self):
        if self.is_bound:
            self.data = _stripped(self.data)
        super().full_clean()

    def clean(self):
        cleaned = super().clean()
        for name, field in self.fields.items():
            if isinstance(field, forms.MultipleChoiceField) and name in cleaned:
                cleaned[name] = list(dict.fromkeys(cleaned[name]))
        return cleaned


def _stripped(data):
    def clean(value):
        if isinstance(value, str):
            return strip_invisible(value)
        if isinstance(value, list | tuple):
            return [clean(item) for item in value]
        return value

    if hasattr(data, "setlist"):  # a QueryDict: every value of a repeated name
        data = data.copy()
        for key in data:
            data.setlist(key, clean(data.getlist(key)))
        return data
    return {key: clean(value) for key, value in data.items()}


def hold_to_columns(form_class, model) -> None:
    """Limit each text field of `form_class` to what its `model` column holds.

    SQLite stores a value longer than its column and PostgreSQL refuses it with an error:
    the form refuses it first, on both. The limit applies to the cleaned value (digits
    fields drop spaces first), so a field may still accept longer typing.
    """
    for name, field in form_class.base_fields.items():
        try:
            limit = getattr(model._meta.get_field(name), "max_length", None)
        except FieldDoesNotExist:
            continue
        if not limit or not isinstance(field, forms.CharField) or isinstance(field, MobileField):
            continue
        if field.max_length is None or (
            field.max_length > limit and not isinstance(field, DigitsCharField)
        ):
            field.max_length = limit
            field.widget.attrs["maxlength"] = str(limit)
        if field.max_length > limit or not any(
            isinstance(v, MaxLengthValidator) and v.limit_value <= limit for v in field.validators
        ):
            field.validators.append(MaxLengthValidator(limit))


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
    """A signed note of when the form was shown (and a nonce), checked when it comes back."""
    value = f"{int(time.time())}:{secrets.token_urlsafe(8)}"
    return signing.Signer(salt=FORM_STARTED_SALT).sign(value)


def _token_key(token: str) -> str:
    return "registrations:form-started:" + hashlib.sha256(token.encode()).hexdigest()


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
        token = cleaned.get("started") or ""
        try:
            value = signing.Signer(salt=FORM_STARTED_SALT).unsign(token)
            shown_at = int(value.split(":", 1)[0])
        except (signing.BadSignature, ValueError):
            raise forms.ValidationError(self.spam_message, code="no_start_time") from None
        age = time.time() - shown_at
        if age > settings.REGISTRATION_FORM_MAX_AGE or cache.get(_token_key(token)):
            raise forms.ValidationError(self.spam_message, code="no_start_time")
        if age < settings.REGISTRATION_MIN_FILL_SECONDS:
            raise forms.ValidationError(self.spam_message, code="too_fast")
        return cleaned

    def use_start_token(self) -> bool:
        """Use the (valid) start token up; False when another submission used it first.

        A replayed token once carried a dozen registrations: one token, one submission. A
        form sent back with errors keeps its token, since nothing was saved. With the cache
        unreachable the check is skipped, as the rate limits fail open.
        """
        key = _token_key(self.cleaned_data["started"])
        added = cache.add(key, 1, timeout=settings.REGISTRATION_FORM_MAX_AGE + 60)
        if added is False:
            self.add_error(None, forms.ValidationError(self.spam_message, code="no_start_time"))
            return False
        return True

    def refresh_start_if_lost(self) -> None:
        """Give a form whose start time was missing or stale a fresh one for the next try."""
        codes = {e.code for e in self.non_field_errors().as_data()}
        if "no_start_time" in codes:
            self.data = self.data.copy()
            self.data["started"] = form_started_token()


class RegistrationFieldsForm(PublicInputForm):
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
            builder = FormBuilder(campaign_questions(campaign))
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


hold_to_columns(RegistrationFieldsForm, Registration)


def campaign_questions(campaign) -> list:
    """The extra questions of the campaign a registration is saved to (its Persian page).

    A translation's own copy of a question gives its words, but only while it asks the same
    thing (type and required alike): a translation not yet synced can neither drop nor
    relax a question of the campaign it saves to.
    """
    from .services import source_campaign

    source = source_campaign(campaign)
    if source.pk == campaign.pk:
        return list(campaign.form_fields.all())
    translated = {question.clean_name: question for question in campaign.form_fields.all()}
    questions = []
    for question in source.form_fields.all():
        own = translated.get(question.clean_name)
        same = own is not None and (own.field_type, own.required) == (
            question.field_type,
            question.required,
        )
        questions.append(own if same else question)
    return questions


def _json_value(value):
    if isinstance(value, list | tuple):
        return [str(v) for v in value]
    if value is None or isinstance(value, bool | int | float | str):
        return value
    return str(value)


class RegistrationForm(AntiSpamMixin, RegistrationFieldsForm):
    """The web form: the fields plus the honeypot and the minimum-time check."""


class ConfirmForm(PublicInputForm):
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


class StatusLookupForm(PublicInputForm):
    tracking_code = DigitsCharField(
        label=_("Tracking code"),
        max_length=20,
        widget=forms.TextInput(attrs={"inputmode": "numeric", "dir": "ltr"}),
    )
    mobile = MobileField(label=_("Mobile used to register"))
