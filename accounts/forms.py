import copy

from django import forms
from django.utils.translation import gettext_lazy as _

from registrations.forms import (
    ConfirmForm,
    MobileField,
    PublicInputForm,
    RegistrationFieldsForm,
)

from .models import PROFILE_FIELDS


class MobileForm(PublicInputForm):
    mobile = MobileField(label=_("Mobile of your registration"))


class CodeForm(ConfirmForm):
    """The 6-digit code, typed in any digit script (the registration's own code field)."""


class ProfileForm(PublicInputForm):
    """The group's own profile fields, with the registration form's labels and rules."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for name in PROFILE_FIELDS:
            self.fields[name] = copy.deepcopy(RegistrationFieldsForm.base_fields[name])

    def profile_data(self) -> dict:
        data = {name: self.cleaned_data.get(name) for name in PROFILE_FIELDS}
        return {
            name: value.strip() if isinstance(value, str) else value for name, value in data.items()
        }


class CoMemberForm(PublicInputForm):
    name = forms.CharField(label=_("Full name"), max_length=150)
    mobile = MobileField(label=_("Mobile"))


class NewMobileForm(PublicInputForm):
    mobile = MobileField(label=_("New mobile of the representative"))
