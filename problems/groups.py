"""The one place problems asks who is signed in for a group (the accounts issue's seam).

Until `accounts` lands on main nobody signs in as a group, so this answers None; then it
becomes `accounts.services.signed_in_group(request)` and its registration.
"""

from registrations.models import Registration


def signed_in_group(request) -> Registration | None:
    """The registration of the group the request signs in for, or None."""
    return getattr(request, "problems_group", None)
