from django.utils.translation import gettext_lazy as _

from registrations.forms import ConfirmForm, MobileField, PublicInputForm


class MobileForm(PublicInputForm):
    mobile = MobileField(label=_("Mobile of your registration"))


class CodeForm(ConfirmForm):
    """The 6-digit code, typed in any digit script (the registration's own code field)."""
