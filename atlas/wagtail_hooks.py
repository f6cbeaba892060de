"""The staff map's place in Wagtail's admin."""

from django.urls import path, reverse
from django.utils.translation import gettext_lazy as _

from wagtail import hooks
from wagtail.admin.menu import MenuItem

from .staff import PERMISSION, StaffMapPanel, staff_map


@hooks.register("register_admin_urls")
def register_staff_map_url():
    return [path("atlas/", staff_map, name="atlas_staff_map")]


class StaffMapMenuItem(MenuItem):
    def is_shown(self, request):
        return request.user.has_perm(PERMISSION)


@hooks.register("register_admin_menu_item")
def register_staff_map_menu_item():
    return StaffMapMenuItem(
        _("Registrations map"), reverse("atlas_staff_map"), icon_name="site", order=250
    )


@hooks.register("construct_homepage_panels")
def add_staff_map_panel(request, panels):
    if request.user.has_perm(PERMISSION):
        panels.append(StaffMapPanel(request))
