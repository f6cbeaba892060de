"""Staff TOTP devices (django-otp): look-up, code checks, the enrolment QR code, audit log.

A staff member has at most one confirmed TOTPDevice (two-factor sign-in is on) and, while
turning it on, one unconfirmed device whose secret the QR code shows. Codes are checked
with django-otp's own verification, which throttles a device after wrong codes
(exponential wait, OTP_TOTP_THROTTLE_FACTOR) and refuses a code already used.
"""

import re
from base64 import b32encode
from dataclasses import dataclass

from django.db import transaction
from django.utils.safestring import mark_safe
from django.utils.translation import gettext_lazy as _

from wagtail.log_actions import log

import django_otp
import qrcode
import qrcode.image.svg
from django_otp.models import VerifyNotAllowed
from django_otp.plugins.otp_totp.models import TOTPDevice

from persian.text import to_ascii_digits


ENABLE = "nehzat.two_factor.enable"
DISABLE = "nehzat.two_factor.disable"
RESET = "nehzat.two_factor.reset"

DEVICE_NAME = "Authenticator app"
_CODE = re.compile(r"\d{6}")
_SPACES = re.compile(r"[\s\-]+")

ERRORS = {
    "required": _("Enter the six-digit code from your authenticator app."),
    "invalid": _(
        "The code is not right. Enter the six-digit code your authenticator app shows now."
    ),
    "throttled": _("Too many wrong codes. Wait a little, then enter the code the app shows now."),
}


def normalise_code(value) -> str:
    """ASCII digits from what was typed: Persian or Arabic-Indic digits, spaces, dashes."""
    return _SPACES.sub("", to_ascii_digits(str(value or "")))


def confirmed_device(user):
    return TOTPDevice.objects.devices_for_user(user, confirmed=True).first()


def pending_device(user):
    """The unconfirmed device of an enrolment that was started and not yet confirmed."""
    return TOTPDevice.objects.devices_for_user(user, confirmed=False).order_by("-pk").first()


def has_two_factor(user) -> bool:
    return django_otp.user_has_device(user, confirmed=True)


@dataclass
class Check:
    device: TOTPDevice | None = None
    error: str = ""

    @property
    def ok(self) -> bool:
        return self.device is not None


def check_code(user, code, *, confirmed=True) -> Check:
    """Verify a code against the user's confirmed (or, to enrol, unconfirmed) TOTP devices.

    The device that accepted it, or the key of the Persian error in ERRORS. A wrong code is
    counted against the device (django-otp's throttling), so the failure is committed
    rather than raised inside the transaction.
    """
    code = normalise_code(code)
    if not code:
        return Check(error="required")
    if not _CODE.fullmatch(code):
        return Check(error="invalid")
    throttled = False
    with transaction.atomic():
        devices = TOTPDevice.objects.devices_for_user(user, confirmed=confirmed)
        for device in devices.select_for_update().order_by("-pk"):
            allowed, extra = device.verify_is_allowed()
            if not allowed:
                throttled = throttled or (
                    (extra or {}).get("reason") == VerifyNotAllowed.N_FAILED_ATTEMPTS
                )
                continue
            if device.verify_token(code):
                return Check(device=device)
    return Check(error="throttled" if throttled else "invalid")


def start_enrolment(user) -> TOTPDevice:
    """A fresh unconfirmed device (a new secret); any earlier unconfirmed one is dropped."""
    with transaction.atomic():
        TOTPDevice.objects.devices_for_user(user, confirmed=False).delete()
        return TOTPDevice.objects.create(user=user, name=DEVICE_NAME, confirmed=False)


def cancel_enrolment(user) -> None:
    TOTPDevice.objects.devices_for_user(user, confirmed=False).delete()


def confirm(device: TOTPDevice, *, by) -> None:
    with transaction.atomic():
        device.confirmed = True
        device.save(update_fields=["confirmed"])
        log(instance=device.user, action=ENABLE, user=by)


def delete_devices(user, *, action=DISABLE, by=None) -> int:
    """Remove every OTP device of the user (any plugin); two-factor sign-in is then off."""
    with transaction.atomic():
        deleted = 0
        for device in list(django_otp.devices_for_user(user, confirmed=None)):
            device.delete()
            deleted += 1
        if deleted:
            log(instance=user, action=action, user=by, data={"devices": deleted})
    return deleted


def secret_for_display(device: TOTPDevice) -> str:
    """The base32 secret in groups of four, as authenticator apps accept it typed by hand."""
    secret = b32encode(device.bin_key).decode().rstrip("=")
    return " ".join(secret[i : i + 4] for i in range(0, len(secret), 4))


def qr_svg(device: TOTPDevice, size: int = 220) -> str:
    """The device's otpauth:// URL as an inline SVG QR code, made here (no image request).

    A white background keeps it readable in the admin's dark theme. The SVG holds only
    rectangles drawn from the URL, no text, so it is safe to insert as markup.
    """
    image = qrcode.make(
        device.config_url,
        image_factory=qrcode.image.svg.SvgPathFillImage,
        error_correction=qrcode.constants.ERROR_CORRECT_M,
        border=4,
    )
    svg = image.to_string(encoding="unicode")
    svg = re.sub(
        r'^<svg width="[^"]*" height="[^"]*"',
        f'<svg width="{size}" height="{size}" role="img" aria-labelledby="twofactor-qr-label"',
        svg,
        count=1,
    )
    return mark_safe(svg)  # noqa: S308 - generated here from the device's URL, geometry only
