from django.urls import path, re_path

from registrations.api.views import NotFound

from . import views


# Mounted at /api/problems/, outside the language prefix (Accept-Language decides).
urlpatterns = [
    path("", views.ReportList.as_view(), name="api-problems"),
    path("taxonomy/", views.Taxonomy.as_view(), name="api-problems-taxonomy"),
    path("codes/", views.AskCode.as_view(), name="api-problems-code"),
    path("codes/<str:check_id>/confirm/", views.ConfirmCode.as_view(), name="api-problems-confirm"),
    path("duplicates/", views.Duplicates.as_view(), name="api-problems-duplicates"),
    path("reports/", views.ReportCreate.as_view(), name="api-problems-create"),
    path("<str:number>/", views.ReportDetail.as_view(), name="api-problems-detail"),
    path("<str:number>/support/", views.SupportCreate.as_view(), name="api-problems-support"),
    re_path(r"^[\s\S]*$", NotFound.as_view()),
]
