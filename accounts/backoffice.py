"""Staff's view of group members: who may sign in for which group, and the audit trail.

Read-only (members are made by signing in); each member's history view lists its sign-ins,
sign-outs and lockouts from Wagtail's audit log. Imported only by wagtail_hooks.
"""

from django.utils.translation import gettext_lazy

from wagtail.admin.viewsets.model import ModelViewSet

from .models import Member


class MemberViewSet(ModelViewSet):
    model = Member
    icon = "user"
    menu_label = gettext_lazy("Group members")
    menu_order = 300
    add_to_admin_menu = True
    url_prefix = "group-members"
    inspect_view_enabled = True
    copy_view_enabled = False
    list_display = ["__str__", "role", "group", "last_sign_in_at", "created_at"]
    list_filter = ["role"]
    form_fields = ["role"]  # Wagtail builds an edit form; members are not edited here
    inspect_view_fields = ["mobile", "role", "group", "created_at", "last_sign_in_at"]
