"""The staff back office in Wagtail's admin: registrations, SMS messages and the dashboard.

Built on Wagtail's ModelViewSet (listing, filters, search, inspect, delete, history) and
its bulk-action framework. What is added by hand, and why:
- the export: Wagtail's loads every row before the first byte (see registrations/exports.py);
- the search: names must match across Arabic/Persian letter forms and mobiles in any
  digit script, which no database lookup does on its own (registrations/search_text.py);
- 403 instead of Wagtail's redirect to the dashboard for staff without permission, so a
  refused request for personal data is plainly refused.
"""

from functools import partial, wraps

from django import forms
from django.contrib.admin.utils import quote
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.http import HttpResponseBadRequest, HttpResponseNotAllowed
from django.shortcuts import get_object_or_404, redirect
from django.template.loader import render_to_string
from django.urls import path, reverse
from django.utils import timezone
from django.utils.functional import cached_property
from django.utils.text import capfirst
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST
from django.views.defaults import permission_denied
from django.views.generic import TemplateView, View

from wagtail.admin import messages
from wagtail.admin.ui.components import Component
from wagtail.admin.ui.tables import (
    BulkActionsCheckboxColumn,
    Column,
    StatusTagColumn,
    TitleColumn,
)
from wagtail.admin.views.bulk_action import BulkAction
from wagtail.admin.views.generic import DeleteView, IndexView, InspectView
from wagtail.admin.views.generic.base import WagtailAdminTemplateMixin
from wagtail.admin.views.generic.permissions import PermissionCheckedMixin
from wagtail.admin.viewsets.model import ModelViewSet, ModelViewSetGroup
from wagtail.admin.widgets.button import HeaderButton
from wagtail.permissions import policy_registry

import jdatetime

from persian import phones
from persian.ids import mask_national_code
from persian.templatetags.persian import fa_digits, jalali
from sms.choices import SmsStatus
from sms.models import SmsMessage

from .. import summaries
from ..choices import ActivityField, Capacity, Status
from ..filters import RegistrationFilterSet
from ..models import VISITOR_FIELDS, Registration, registration_of
from ..search_text import search_registrations
from . import background_exports, dashboard, exports, review
from .estimates import EstimatedCountPaginator
from .export_job_views import ExportDownloadView, ExportJobView
from .filters import SmsMessageFilterSet


DATETIME_FORMAT = "%Y/%m/%d %H:%M"


def forbidden_not_redirect(view):
    """Answer a refused permission with 403 rather than Wagtail's redirect to the dashboard."""

    @wraps(view)
    def wrapper(request, *args, **kwargs):
        try:
            return view(request, *args, **kwargs)
        except PermissionDenied as error:
            return permission_denied(request, error)

    return wrapper


def registration_policy():
    return policy_registry.get_by_type(Registration)


def user_can(user, action: str) -> bool:
    return registration_policy().user_has_permission(user, action)


def masked_national_code(code: str) -> str:
    """`۰۴۹******۹` on Persian pages."""
    return fa_digits(mask_national_code(code))


def display_mobile(value) -> str:
    """`۰۹۱۲ ۳۴۵ ۶۷۸۹` on Persian pages."""
    return fa_digits(phones.national(value))


# --- registrations listing ------------------------------------------------------------


class RegistrationIndexView(IndexView):
    filterset_class = RegistrationFilterSet
    default_ordering = "-created_at"
    search_fields = ["search_text"]  # searched by search_registrations(), see below
    search_backend_name = None
    list_export = ["tracking_code"]  # turns Wagtail's export buttons on; columns: exports.py
    page_title = gettext_lazy("Registrations")

    paginator_class = EstimatedCountPaginator

    def get_base_queryset(self):
        return Registration.objects.defer("extra_answers", "experience", "code_hash")

    def get_paginator(self, queryset, per_page, **kwargs):
        # The whole table's count is estimated when it is large ("about …"); any filter
        # or search is counted exactly.
        unfiltered = not self.is_searching and (
            self.filters is None
            or (self.filters.is_valid() and not self.filters.form.has_changed())
        )
        return self.paginator_class(queryset, per_page, estimate=unfiltered, **kwargs)

    def search_queryset(self, queryset):
        if not self.is_searching:
            return queryset
        return search_registrations(queryset, self.search_query)

    def filter_queryset(self, queryset):
        # Wagtail shows every row when a filter value is invalid; show none instead, with
        # the form's error, so a mistyped date never looks like "all registrations".
        if self.filters is not None and not self.filters.is_valid():
            return queryset.none()
        return super().filter_queryset(queryset)

    @cached_property
    def columns(self):
        return [
            BulkActionsCheckboxColumn("bulk_actions", obj_type="registration"),
            TitleColumn(
                "tracking_code",
                label=Registration._meta.get_field("tracking_code").verbose_name,
                accessor=lambda r: fa_digits(r.tracking_code),
                get_url=self.get_inspect_url,
                get_title_id=lambda r: f"registration_{r.pk}_title",
                sort_key="tracking_code",
            ),
            Column(
                "organisation_name",
                label=Registration._meta.get_field("organisation_name").verbose_name,
                sort_key="organisation_name",
            ),
            Column("kind", label=gettext_lazy("kind"), accessor="get_kind_display"),
            Column(
                "province",
                label=gettext_lazy("province"),
                accessor="get_province_display",
                sort_key="province",
            ),
            Column("representative_name", label=gettext_lazy("representative")),
            Column(
                "mobile", label=gettext_lazy("mobile"), accessor=lambda r: display_mobile(r.mobile)
            ),
            Column(
                "national_code",
                label=gettext_lazy("national code"),
                accessor=lambda r: masked_national_code(r.national_code),
            ),
            StatusTagColumn(
                "status",
                label=gettext_lazy("status"),
                accessor="get_status_display",
                primary=lambda r: r.status == Status.APPROVED,
                sort_key="status",
            ),
            Column("source", label=gettext_lazy("source"), accessor="get_source_display"),
            Column(
                "created_at",
                label=gettext_lazy("created"),
                accessor=lambda r: jalali(r.created_at, DATETIME_FORMAT),
                sort_key="created_at",
            ),
        ]

    @cached_property
    def show_export_buttons(self):
        return user_can(self.request.user, "export")

    @cached_property
    def header_buttons(self):
        return [
            HeaderButton(_("Dashboard"), url=reverse("registration:dashboard"), icon_name="table")
        ]

    def get(self, request, *args, **kwargs):
        if self.is_export:
            return self.export(request.GET["export"])
        return super().get(request, *args, **kwargs)

    def export(self, export_format: str):
        if not user_can(self.request.user, "export"):
            raise PermissionDenied
        if self.filters is not None and not self.filters.is_valid():
            errors = "; ".join(
                f"{self.filters.form.fields[name].label}: {' '.join(messages_)}"
                for name, messages_ in self.filters.form.errors.items()
            )
            return HttpResponseBadRequest(
                _("The filters are not valid, so nothing was exported: %(errors)s")
                % {"errors": errors},
                content_type="text/plain; charset=utf-8",
            )
        queryset = self.get_queryset()
        filters = {
            key: values if len(values) > 1 else values[0]
            for key, values in self.request.GET.lists()
            if key not in {"export", "p"} and any(values)
        }
        user = self.request.user

        def log_export(rows: int):
            review.log_export(user=user, export_format=export_format, filters=filters, rows=rows)

        today = jdatetime.date.fromgregorian(date=timezone.localdate())
        filename = f"registrations-{today.strftime('%Y-%m-%d')}"
        # Counted first: past a size the export would outlast the request's time limit.
        rows = queryset.count()
        fits_format = export_format == self.FORMAT_CSV or rows <= exports.XLSX_MAX_ROWS
        if rows > background_exports.STREAM_MAX_ROWS and fits_format:
            # Written by a worker and fetched when ready: never a silently cut-off file.
            query = self.request.GET.copy()
            query.pop("export", None)
            query.pop("p", None)
            job = background_exports.start(
                user=user,
                export_format=export_format,
                query=query.urlencode(),
                rows=rows,
                download_name=filename,
            )
            log_export(rows)
            return redirect("registration:export_job", job.pk)
        if export_format == self.FORMAT_CSV:
            return exports.csv_response(queryset, filename, before_rows=partial(log_export, rows))
        if rows > exports.XLSX_MAX_ROWS:
            # Refused before the first byte: past this a spreadsheet would cut the file off.
            return HttpResponseBadRequest(
                _(
                    "These filters select %(rows)s registrations, more than a spreadsheet "
                    "sheet holds (%(limit)s). Narrow the filters, or export CSV instead."
                )
                % {"rows": fa_digits(rows), "limit": fa_digits(exports.XLSX_MAX_ROWS)},
                content_type="text/plain; charset=utf-8",
            )
        return exports.xlsx_response(
            queryset, filename, before_rows=partial(log_export, rows), rows=rows
        )


class RegistrationInspectView(InspectView):
    template_name = "registrations/admin/inspect.html"

    def get_object(self, queryset=None):
        return get_object_or_404(
            Registration.objects.select_related("campaign", "reviewed_by"), pk=self.pk
        )

    def get_field_display_value(self, field_name, field):
        value = getattr(self.object, field_name, None)
        if field_name == "fields_of_activity":
            return "، ".join(
                str(ActivityField(code).label) for code in value if code in ActivityField.values
            )
        if field_name == "capacities":
            return "، ".join(str(Capacity(code).label) for code in value if code in Capacity.values)
        if field_name == "mobile":
            return display_mobile(self.object.mobile)
        if field_name in {"created_at", "confirmed_at", "reviewed_at", "phone_verified_at"}:
            return jalali(value, DATETIME_FORMAT) if value else "-"
        if field_name in {
            "tracking_code",
            "national_code",
            "national_id",
            "years_active",
            "member_count",
            "permit_number",
        }:
            return fa_digits(value) if value not in (None, "") else "-"
        if field_name == "consent":
            return _("Yes") if value else _("No")
        return super().get_field_display_value(field_name, field)

    def extra_answers(self) -> list[tuple[str, str]]:
        answers = dict(self.object.extra_answers or {})
        rows = []
        for question in self.object.campaign.form_fields.all():
            if question.clean_name in answers:
                value = answers.pop(question.clean_name)
                rows.append((question.label, _answer_text(value)))
            else:
                rows.append((question.label, "-"))
        # Answers to questions since removed from the form keep their key as a label.
        rows.extend((key, _answer_text(value)) for key, value in answers.items())
        return rows

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        user = self.request.user
        context.update(
            {
                "extra_answers": self.extra_answers(),
                "sms_messages": self.object.sms_messages.order_by("-created_at")[:50],
                "can_review": user_can(user, "review"),
                "can_approve": self.object.status in review.APPROVABLE,
                "can_reject": self.object.status in review.REJECTABLE,
                "can_resend": self.object.status
                in (Status.AWAITING_CONFIRMATION, Status.CONFIRMED, Status.APPROVED),
                "approve_url": reverse("registration:approve", args=(quote(self.object.pk),)),
                "reject_url": reverse("registration:reject", args=(quote(self.object.pk),)),
                "resend_url": reverse("registration:resend", args=(quote(self.object.pk),)),
                "history_url": reverse("registration:history", args=(quote(self.object.pk),)),
                "reject_form": RejectForm(),
            }
        )
        return context


def _answer_text(value) -> str:
    if isinstance(value, list):
        return "، ".join(str(item) for item in value)
    if isinstance(value, bool):
        return _("Yes") if value else _("No")
    return "-" if value in (None, "") else str(value)


class RegistrationDeleteView(DeleteView):
    def delete_action(self):
        review.delete(self.object, user=self.request.user)


class RejectForm(forms.Form):
    reason = forms.CharField(
        label=gettext_lazy("Reason for rejection"),
        max_length=review.REASON_MAX_LENGTH,
        widget=forms.Textarea(attrs={"rows": 3}),
        error_messages={"required": gettext_lazy("Give a reason for rejecting the registration.")},
    )


class ReviewActionView(PermissionCheckedMixin, View):
    """POST-only single actions from the inspect view; errors come back as messages."""

    model = Registration
    permission_required = "review"
    http_method_names = ["post"]

    def post(self, request, pk):
        registration = get_object_or_404(Registration, pk=pk)
        try:
            message = self.act(registration)
        except review.ReviewError as error:
            messages.error(request, str(error))
        else:
            messages.success(request, message)
        return redirect("registration:inspect", quote(registration.pk))

    def http_method_not_allowed(self, request, *args, **kwargs):
        return HttpResponseNotAllowed(["POST"])


class ApproveView(ReviewActionView):
    def act(self, registration):
        review.approve(registration, user=self.request.user)
        return _("Registration %(code)s approved.") % {
            "code": fa_digits(registration.tracking_code)
        }


class RejectView(ReviewActionView):
    def act(self, registration):
        form = RejectForm(self.request.POST)
        if not form.is_valid():
            raise review.ReviewError(" ".join(form.errors["reason"]))
        review.reject(registration, user=self.request.user, reason=form.cleaned_data["reason"])
        return _("Registration %(code)s rejected.") % {
            "code": fa_digits(registration.tracking_code)
        }


class ResendView(ReviewActionView):
    def act(self, registration):
        review.resend_confirmation(registration, user=self.request.user)
        return _("The SMS to %(mobile)s is on its way.") % {
            "mobile": display_mobile(registration.mobile)
        }


class RegistrationViewSet(ModelViewSet):
    model = Registration
    icon = "group"
    menu_label = gettext_lazy("Registrations")
    menu_order = 100
    add_to_admin_menu = False
    url_prefix = "registrations"
    index_view_class = RegistrationIndexView
    inspect_view_class = RegistrationInspectView
    delete_view_class = RegistrationDeleteView
    inspect_view_enabled = True
    copy_view_enabled = False
    list_per_page = 50
    index_template_name = "registrations/admin/index.html"
    form_fields = ["status"]  # Wagtail builds an edit form; its URL is never routed
    inspect_view_fields = [
        "tracking_code",
        "status",
        "source",
        "language",
        "campaign",
        *VISITOR_FIELDS,
        "created_at",
        "phone_verified_at",
        "confirmed_at",
        "reviewed_at",
        "reviewed_by",
        "rejection_reason",
    ]

    def get_common_view_kwargs(self, **kwargs):
        # Registrations come from the public through the services; staff review, never
        # create or edit them here.
        view_kwargs = super().get_common_view_kwargs(**kwargs)
        view_kwargs.update(add_url_name=None, edit_url_name=None)
        return view_kwargs

    def construct_view(self, view_class, **kwargs):
        return forbidden_not_redirect(super().construct_view(view_class, **kwargs))

    def get_urlpatterns(self):
        dropped = {"add", "edit", "copy"}
        urlpatterns = [p for p in super().get_urlpatterns() if p.name not in dropped]
        return urlpatterns + [
            path(
                "approve/<int:pk>/", forbidden_not_redirect(ApproveView.as_view()), name="approve"
            ),
            path("reject/<int:pk>/", forbidden_not_redirect(RejectView.as_view()), name="reject"),
            path("resend/<int:pk>/", forbidden_not_redirect(ResendView.as_view()), name="resend"),
            path("dashboard/", forbidden_not_redirect(DashboardView.as_view()), name="dashboard"),
            path("sms/resume/", forbidden_not_redirect(resume_sms_view), name="resume_sms"),
            path(
                "exports/<uuid:job_id>/",
                forbidden_not_redirect(ExportJobView.as_view()),
                name="export_job",
            ),
            path(
                "exports/<uuid:job_id>/download/",
                forbidden_not_redirect(ExportDownloadView.as_view()),
                name="export_download",
            ),
        ]


# --- bulk actions ---------------------------------------------------------------------


class RegistrationBulkAction(BulkAction):
    models = [Registration]
    permission = "review"
    template_name = "registrations/admin/bulk_confirm.html"

    def dispatch(self, request, *args, **kwargs):
        if not user_can(request.user, self.permission):
            return permission_denied(request, PermissionDenied())
        return super().dispatch(request, *args, **kwargs)

    @classmethod
    def get_queryset(cls, model, object_ids):
        ids = [int(i) for i in object_ids if str(i).isdigit()]
        return list(model.objects.filter(pk__in=ids).order_by("-created_at"))

    def get_all_objects_in_listing_query(self, parent_id):
        # "Select all" would act on rows the staff member never saw: act on ticked rows only.
        return []

    def object_context(self, obj):
        return {"item": obj, "url": reverse("registration:inspect", args=(quote(obj.pk),))}

    def get_execution_context(self):
        return {"view": self}

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["action"] = self
        return context

    @classmethod
    def execute_action(cls, objects, view=None, **kwargs):
        view.result = cls.run(view, objects)
        return len(view.result.done), 0

    def get_success_message(self, num_parent_objects, num_child_objects):
        for registration, reason in self.result.skipped:
            messages.warning(
                self.request,
                f"{fa_digits(registration.tracking_code)}: {reason}",
            )
        return self.success_message % {"count": fa_digits(num_parent_objects)}


class ApproveBulkAction(RegistrationBulkAction):
    display_name = gettext_lazy("Approve")
    action_type = "approve"
    aria_label = gettext_lazy("Approve the selected registrations")
    action_priority = 10
    question = gettext_lazy("Approve these registrations?")
    success_message = gettext_lazy("%(count)s registrations approved.")

    @classmethod
    def run(cls, view, objects):
        return review.bulk_approve(objects, user=view.request.user)


class RejectBulkAction(RegistrationBulkAction):
    display_name = gettext_lazy("Reject")
    action_type = "reject"
    aria_label = gettext_lazy("Reject the selected registrations")
    action_priority = 20
    form_class = RejectForm
    question = gettext_lazy("Reject these registrations? The reason is kept with each one.")
    success_message = gettext_lazy("%(count)s registrations rejected.")

    @classmethod
    def run(cls, view, objects):
        return review.bulk_reject(
            objects, user=view.request.user, reason=view.cleaned_form.cleaned_data["reason"]
        )


class ResendBulkAction(RegistrationBulkAction):
    display_name = gettext_lazy("Resend SMS")
    action_type = "resend"
    aria_label = gettext_lazy("Resend the confirmation SMS to the selected registrations")
    action_priority = 30
    question = gettext_lazy("Send the confirmation SMS again to these registrations?")
    success_message = gettext_lazy("%(count)s SMS queued.")

    @classmethod
    def run(cls, view, objects):
        return review.bulk_resend_confirmation(objects, user=view.request.user)


class DeleteBulkAction(RegistrationBulkAction):
    display_name = gettext_lazy("Delete")
    action_type = "delete"
    aria_label = gettext_lazy("Delete the selected registrations")
    action_priority = 40
    permission = "delete"
    classes = {"serious"}
    question = gettext_lazy("Delete these registrations? This cannot be undone.")
    success_message = gettext_lazy("%(count)s registrations deleted.")

    @classmethod
    def run(cls, view, objects):
        return review.bulk_delete(objects, user=view.request.user)


BULK_ACTIONS = [ApproveBulkAction, RejectBulkAction, ResendBulkAction, DeleteBulkAction]


# --- SMS messages (read only) ---------------------------------------------------------


class SmsMessageIndexView(IndexView):
    filterset_class = SmsMessageFilterSet
    default_ordering = "-created_at"
    page_title = gettext_lazy("SMS messages")

    def get_base_queryset(self):
        return SmsMessage.objects.prefetch_related("subject")

    def filter_queryset(self, queryset):
        if self.filters is not None and not self.filters.is_valid():
            return queryset.none()
        return super().filter_queryset(queryset)

    @cached_property
    def columns(self):
        return [
            TitleColumn(
                "id",
                label="#",
                accessor=lambda m: fa_digits(m.pk),
                get_url=self.get_inspect_url,
                sort_key="id",
            ),
            Column(
                "recipient",
                label=gettext_lazy("recipient"),
                accessor=lambda m: display_mobile(m.recipient),
            ),
            Column("purpose", label=gettext_lazy("purpose"), accessor="get_purpose_display"),
            StatusTagColumn(
                "status",
                label=gettext_lazy("status"),
                accessor="get_status_display",
                primary=lambda m: m.status == SmsStatus.DELIVERED,
                sort_key="status",
            ),
            Column("provider", label=gettext_lazy("provider")),
            Column(
                "attempts", label=gettext_lazy("attempts"), accessor=lambda m: fa_digits(m.attempts)
            ),
            Column(
                "registration",
                label=gettext_lazy("registration"),
                accessor=lambda m: (
                    fa_digits(registration.tracking_code)
                    if (registration := registration_of(m))
                    else "-"
                ),
            ),
            Column(
                "created_at",
                label=gettext_lazy("created"),
                accessor=lambda m: jalali(m.created_at, DATETIME_FORMAT),
                sort_key="created_at",
            ),
        ]

    def get_context_data(self, *args, **kwargs):
        context = super().get_context_data(*args, **kwargs)
        context["sms"] = dashboard.sms_figures()
        return context


class SmsMessageInspectView(InspectView):
    def get_field_display_value(self, field_name, field):
        value = getattr(self.object, field_name, None)
        if field_name in {"created_at", "updated_at", "next_attempt_at", "sent_at", "delivered_at"}:
            return jalali(value, DATETIME_FORMAT) if value else "-"
        if field_name == "recipient":
            return display_mobile(value)
        if field_name == "registration":
            registration = registration_of(self.object)
            return fa_digits(registration.tracking_code) if registration else "-"
        return super().get_field_display_value(field_name, field)

    def get_field_label(self, field_name, field):
        if field_name == "registration":  # the message's generic `subject`
            return capfirst(gettext_lazy("registration"))
        return super().get_field_label(field_name, field)


class SmsMessageViewSet(ModelViewSet):
    model = SmsMessage
    icon = "mail"
    menu_label = gettext_lazy("SMS messages")
    menu_order = 200
    add_to_admin_menu = False
    url_prefix = "sms-messages"
    index_view_class = SmsMessageIndexView
    inspect_view_class = SmsMessageInspectView
    inspect_view_enabled = True
    copy_view_enabled = False
    list_per_page = 50
    index_template_name = "registrations/admin/sms_index.html"
    form_fields = ["status"]  # Wagtail builds an edit form; its URL is never routed
    inspect_view_fields = [
        "recipient",
        "purpose",
        "status",
        "registration",
        "text",
        "provider",
        "provider_message_id",
        "attempts",
        "last_error",
        "created_at",
        "next_attempt_at",
        "sent_at",
        "delivered_at",
    ]

    def get_common_view_kwargs(self, **kwargs):
        view_kwargs = super().get_common_view_kwargs(**kwargs)
        view_kwargs.update(add_url_name=None, edit_url_name=None, delete_url_name=None)
        return view_kwargs

    def construct_view(self, view_class, **kwargs):
        return forbidden_not_redirect(super().construct_view(view_class, **kwargs))

    def get_urlpatterns(self):
        # The outbox is written only by the services: no add, edit, copy or delete.
        dropped = {"add", "edit", "copy", "delete"}
        return [p for p in super().get_urlpatterns() if p.name not in dropped]


# --- dashboard ------------------------------------------------------------------------


class DashboardView(PermissionCheckedMixin, WagtailAdminTemplateMixin, TemplateView):
    model = Registration
    permission_required = "view"
    template_name = "registrations/admin/dashboard.html"
    page_title = gettext_lazy("Registrations dashboard")
    header_icon = "table"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        totals = summaries.totals()
        figures = dashboard.registration_figures(totals=totals)
        chart = dashboard.column_chart(figures["per_day"])
        for bar in chart["bars"]:
            bar["jalali"] = jalali(bar["day"], "%m/%d")
        context.update(
            figures=figures,
            chart=chart,
            sms=dashboard.sms_figures(totals),
            can_resume=user_can(self.request.user, "review"),
            index_url=reverse("registration:index"),
        )
        return context


@require_POST
def resume_sms_view(request):
    if not user_can(request.user, "review"):
        raise PermissionDenied
    with transaction.atomic():
        handed = review.resume_sms(user=request.user)
    messages.success(
        request,
        _("SMS sending resumed; %(count)s waiting messages handed to the workers.")
        % {"count": fa_digits(handed)},
    )
    return redirect("registration:dashboard")


class RegistrationsPanel(Component):
    """The admin home panel: the campaign's figures at a glance."""

    name = "registrations_summary"
    order = 50

    def __init__(self, request):
        self.request = request

    def render_html(self, parent_context=None):
        # Live figures: the summary rows cost one small query whatever the table's size.
        totals = summaries.totals()
        figures = dashboard.registration_figures(totals=totals)
        return render_to_string(
            "registrations/admin/home_panel.html",
            {
                "figures": figures,
                "top_provinces": [bar for bar in figures["by_province"] if bar.count][:5],
                "sms": dashboard.sms_figures(totals),
                "dashboard_url": reverse("registration:dashboard"),
                "index_url": reverse("registration:index"),
                "can_resume": user_can(self.request.user, "review"),
            },
            request=self.request,
        )


class BackOfficeGroup(ModelViewSetGroup):
    menu_label = gettext_lazy("Registrations")
    menu_icon = "group"
    menu_order = 150
    items = (RegistrationViewSet("registration"), SmsMessageViewSet("smsmessage"))
