from django.urls import path, re_path

from registrations.api.views import NotFound

from . import views


# Mounted at /api/account/, outside the language prefix (Accept-Language decides).
# Ids are checked in the views, so a malformed one gets the API's JSON 404 too.
urlpatterns = [
    path("", views.MyGroup.as_view(), name="api-account"),
    path("codes/", views.RequestCode.as_view(), name="api-account-codes"),
    path("sign-in/", views.SignIn.as_view(), name="api-account-sign-in"),
    path("sign-out/", views.SignOut.as_view(), name="api-account-sign-out"),
    path("mobile/", views.MobileChange.as_view(), name="api-account-mobile"),
    path("mobile/confirm/", views.MobileConfirm.as_view(), name="api-account-mobile-confirm"),
    path("members/", views.Members.as_view(), name="api-account-members"),
    path(
        "members/invites/<path:invite_id>/confirm/",
        views.InviteConfirm.as_view(),
        name="api-account-invite-confirm",
    ),
    path("members/<path:member_id>/", views.MemberRemove.as_view(), name="api-account-member"),
    path(
        "registrations/<path:tracking_code>/withdraw/",
        views.Withdraw.as_view(),
        name="api-account-withdraw",
    ),
    path(
        "registrations/<path:tracking_code>/",
        views.Profile.as_view(),
        name="api-account-profile",
    ),
    # Anything else, newlines included (`.` would not match one), gets the API's JSON 404.
    re_path(r"^[\s\S]*$", NotFound.as_view()),
]
