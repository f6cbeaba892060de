"""The one place problems asks who is signed in for a group, on top of accounts.

accounts answers with the signed-in member and its GroupAccount; a report or a support
names a registrations.Registration. A group reports for one of its own registrations:
those of its account's mobile that are confirmed or approved (never a withdrawn or
rejected one, never another group's).
"""

from dataclasses import dataclass

from accounts.services import signed_in_group as signed_in_account
from registrations.choices import Status
from registrations.models import Registration


# A group speaks for a registration the campaign accepted or that awaits review.
REPORTING_STATUSES = (Status.CONFIRMED, Status.APPROVED)


@dataclass
class GroupReporter:
    """A signed-in member, the registrations it may report for (newest first), its mobile."""

    registrations: list[Registration]
    mobile: object  # the member's own mobile: the receipt and status SMS go to who reported

    @property
    def default(self) -> Registration:
        return self.registrations[0]

    @property
    def can_choose(self) -> bool:
        return len(self.registrations) > 1

    def pick(self, registration_id) -> Registration | None:
        """One of its own registrations by id; None for any other id (another group's too)."""
        return next((r for r in self.registrations if str(r.pk) == str(registration_id)), None)

    def pick_tracking_code(self, tracking_code: str) -> Registration | None:
        """One of its own by tracking code (the API's name for it); None for any other."""
        return next((r for r in self.registrations if r.tracking_code == tracking_code), None)


def registrations_of(account) -> list[Registration]:
    return list(
        Registration.objects.filter(mobile=account.mobile, status__in=REPORTING_STATUSES)
        .select_related("campaign")
        .order_by("-created_at", "-pk")
    )


def signed_in_group(request) -> GroupReporter | None:
    """The signed-in group and its reportable registrations, or None (then: a citizen)."""
    cached = getattr(request, "_problems_group", False)
    if cached is not False:
        return cached
    signed_in = signed_in_account(request)
    reporter = None
    if signed_in is not None:
        registrations = registrations_of(signed_in.account)
        if registrations:
            reporter = GroupReporter(registrations=registrations, mobile=signed_in.member.mobile)
    request._problems_group = reporter
    return reporter
