"""The session back-end of group members: it restores their sessions and signs in no one.

Members sign in only through accounts.services.verify_code (a code sent by SMS), never
with a password, so `authenticate` always declines. Keeping members on their own back-end
means a member session cannot pass for a staff one: get_user returns only non-staff members.
"""

from django.contrib.auth import get_user_model
from django.contrib.auth.backends import BaseBackend


class MemberBackend(BaseBackend):
    def authenticate(self, request, **credentials):
        return None

    def get_user(self, user_id):
        return (
            get_user_model()
            .objects.filter(
                pk=user_id,
                is_active=True,
                is_staff=False,
                is_superuser=False,
                group_member__isnull=False,
            )
            .first()
        )
