"""The moderation queue in Wagtail's admin ("Problems" menu): listing, filters, inspect,
verify / reject / merge / resolve, single and bulk. Only "Problem moderators" (and
superusers) hold the permissions; everyone else gets 403, not a redirect.

Built on ModelViewSet and Wagtail's bulk actions. Search is by hand: the text must match
across Arabic/Persian letter forms, which no database lookup does on its own.
"""

from functools import wraps

from django import forms
from django.contrib.admin.utils import quote
from django.core.exceptions import PermissionDenied
from django.db.models import Q
from django.http import HttpResponseNotAllowed
from django.shortcuts import get_object_or_404, redirect
from django.urls import path, reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.defaults import permission_denied
from django.views.generic import View

from wagtail.admin import messages
from wagtail.admin.filters import WagtailFilterSet
from wagtail.admin.views.bulk_action import BulkAction
from wagtail.admin.views.generic import IndexView, InspectView
from wagtail.admin.viewsets.model import ModelViewSet, ModelViewSetGroup
from wagtail.permissions import policy_registry
from wagtail.snippets.views.snippets import SnippetViewSet

import django_filters

# The Jalali date filter the registrations queue uses: one reading of a Solar Hijri day.
from persian.filters import JalaliDateFilter
from persian.templatetags.persian import fa_digits
from persian.text import normalize, to_ascii_digits
from registrations.choices import Province

from .. import services
from ..choices import ReportSource, ReportStatus
from ..models import Problem, ProblemCategory, Report


def forbidden_not_redirect(view):
    @wraps(view)
    def wrapper(request, *args, **kwargs):
        try:
            return view(request, *args, **kwargs)
        except PermissionDenied as error:
            return permission_denied(request, error)

    return wrapper


def user_can_moderate(user) -> bool:
    return policy_registry.get_by_type(Report).user_has_permission(user, "moderate")


class ReportFilterSet(WagtailFilterSet):
    status = django_filters.ChoiceFilter(label=gettext_lazy("status"), choices=ReportStatus.choices)
    problem = django_filters.ModelChoiceFilter(
        label=gettext_lazy("problem"),
        queryset=lambda request: Problem.objects.select_related("category"),
    )
    province = django_filters.ChoiceFilter(label=gettext_lazy("province"), choices=Province.choices)
    city = django_filters.CharFilter(label=gettext_lazy("county or city"), method="filter_city")
    source = django_filters.ChoiceFilter(label=gettext_lazy("source"), choices=ReportSource.choices)
    created_from = JalaliDateFilter(
        field_name="created_at", label=gettext_lazy("reported from (Solar Hijri)")
    )
    created_to = JalaliDateFilter(
        field_name="created_at", label=gettext_lazy("reported until (Solar Hijri)"), until=True
    )

    class Meta:
        model = Report
        fields = []

    def filter_city(self, queryset, name, value):
        return queryset.filter(city=" ".join(value.split()))


class ReportIndexView(IndexView):
    filterset_class = ReportFilterSet
    default_ordering = "-created_at"
    search_fields = ["search_text"]
    search_backend_name = None
    page_title = gettext_lazy("Problem reports")

    def get_base_queryset(self):
        return Report.objects.select_related("problem").defer("description", "tried")

    def search_queryset(self, queryset):
        if not self.search_query:
            return queryset
        digits = to_ascii_digits(self.search_query).strip()
        return queryset.filter(
            Q(search_text__contains=normalize(self.search_query)) | Q(number=digits)
        )


class ReportInspectView(InspectView):
    template_name = "problems/admin/inspect.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        report = self.object
        context.update(
            moderate=user_can_moderate(self.request.user),
            can_verify=report.status == ReportStatus.NEW,
            can_reject=report.status in (ReportStatus.NEW, ReportStatus.VERIFIED),
            can_resolve=report.status in (ReportStatus.VERIFIED, ReportStatus.IN_INTERVENTION),
            can_merge=report.status in (ReportStatus.NEW, ReportStatus.VERIFIED),
            reject_form=RejectForm(),
            merge_form=MergeForm(),
            duplicates=services.likely_duplicates(
                problem=report.problem,
                city=report.city,
                text=report.search_text,
                exclude=report.pk,
            ),
            history=report.history.all(),
            photos=report.photos.all(),
            action_urls={
                name: reverse(f"problem_report:{name}", args=(report.pk,))
                for name in ("verify", "reject", "merge", "resolve")
            },
        )
        return context


class RejectForm(forms.Form):
    reason = forms.CharField(
        label=gettext_lazy("Reason for rejection"),
        max_length=1000,
        widget=forms.Textarea(attrs={"rows": 3}),
        error_messages={"required": gettext_lazy("Give a reason for rejecting the report.")},
    )


class MergeForm(forms.Form):
    into = forms.CharField(label=gettext_lazy("Number of the report to merge into"), max_length=12)

    def clean_into(self):
        number = to_ascii_digits(self.cleaned_data["into"]).strip()
        target = Report.objects.filter(number=number).first() if number.isdigit() else None
        if target is None:
            raise forms.ValidationError(_("No report has this number."))
        return target


class ActionView(View):
    """POST-only single actions from the inspect view; refusals come back as messages."""

    http_method_names = ["post"]

    def dispatch(self, request, *args, **kwargs):
        if not user_can_moderate(request.user):
            raise PermissionDenied
        return super().dispatch(request, *args, **kwargs)

    def post(self, request, pk):
        report = get_object_or_404(Report, pk=pk)
        try:
            self.act(report)
        except services.ProblemError as error:
            messages.error(request, str(error))
        else:
            messages.success(
                request,
                _("Report %(number)s: %(status)s.")
                % {
                    "number": fa_digits(report.number),
                    "status": Report.objects.get(pk=pk).get_status_display(),
                },
            )
        return redirect("problem_report:inspect", quote(report.pk))

    def http_method_not_allowed(self, request, *args, **kwargs):
        return HttpResponseNotAllowed(["POST"])


class VerifyView(ActionView):
    def act(self, report):
        services.verify(report, user=self.request.user)


class ResolveView(ActionView):
    def act(self, report):
        services.resolve(report, user=self.request.user)


class RejectView(ActionView):
    def act(self, report):
        form = RejectForm(self.request.POST)
        if not form.is_valid():
            raise services.ProblemError(" ".join(form.errors["reason"]))
        services.reject(report, user=self.request.user, reason=form.cleaned_data["reason"])


class MergeView(ActionView):
    def act(self, report):
        form = MergeForm(self.request.POST)
        if not form.is_valid():
            raise services.ProblemError(" ".join(form.errors["into"]))
        services.merge(report, into=form.cleaned_data["into"], user=self.request.user)


class ReportViewSet(ModelViewSet):
    model = Report
    icon = "warning"
    menu_label = gettext_lazy("Reports")
    url_prefix = "problems/reports"
    index_view_class = ReportIndexView
    inspect_view_class = ReportInspectView
    inspect_view_enabled = True
    copy_view_enabled = False
    list_per_page = 50
    form_fields = ["status"]  # Wagtail builds an edit form; its URL is never routed
    list_display = [
        "number",
        "title",
        "problem",
        "province",
        "city",
        "status",
        "source",
        "priority",
        "created_at",
    ]
    inspect_view_fields = [
        "number",
        "status",
        "source",
        "problem",
        "title",
        "description",
        "province",
        "city",
        "neighbourhood",
        "people_affected",
        "since",
        "tried",
        "created_at",
        "verified_at",
        "support_count",
        "group_support_count",
        "city_support_count",
        "priority",
        "rejection_reason",
        "merged_into",
        # personal fields: the whole queue is for moderators only
        "reporter_mobile",
        "may_contact",
        "group",
        "show_group_name",
    ]

    def get_common_view_kwargs(self, **kwargs):
        view_kwargs = super().get_common_view_kwargs(**kwargs)
        view_kwargs.update(add_url_name=None, edit_url_name=None)
        return view_kwargs

    def construct_view(self, view_class, **kwargs):
        return forbidden_not_redirect(super().construct_view(view_class, **kwargs))

    def get_urlpatterns(self):
        dropped = {"add", "edit", "copy", "delete"}
        urlpatterns = [p for p in super().get_urlpatterns() if p.name not in dropped]
        actions = {
            "verify": VerifyView,
            "reject": RejectView,
            "merge": MergeView,
            "resolve": ResolveView,
        }
        return urlpatterns + [
            path(f"{name}/<int:pk>/", forbidden_not_redirect(view.as_view()), name=name)
            for name, view in actions.items()
        ]


class ReportBulkAction(BulkAction):
    models = [Report]
    template_name = "problems/admin/bulk_confirm.html"
    form_class = forms.Form

    def dispatch(self, request, *args, **kwargs):
        if not user_can_moderate(request.user):
            return permission_denied(request, PermissionDenied())
        return super().dispatch(request, *args, **kwargs)

    @classmethod
    def get_queryset(cls, model, object_ids):
        ids = [int(i) for i in object_ids if str(i).isdigit()]
        return list(model.objects.filter(pk__in=ids).order_by("-created_at"))

    def get_all_objects_in_listing_query(self, parent_id):
        return []  # act on ticked rows only, never on rows nobody saw

    def object_context(self, obj):
        return {"item": obj, "url": reverse("problem_report:inspect", args=(quote(obj.pk),))}

    def get_execution_context(self):
        return {"view": self}

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["action"] = self
        return context

    @classmethod
    def execute_action(cls, objects, view=None, **kwargs):
        done, skipped = 0, []
        for report in objects:
            try:
                cls.act(view, report)
            except services.ProblemError as error:
                skipped.append((report, str(error)))
            else:
                done += 1
        view.skipped = skipped
        return done, 0

    def get_success_message(self, num_parent_objects, num_child_objects):
        for report, reason in getattr(self, "skipped", []):
            messages.warning(self.request, f"{fa_digits(report.number)}: {reason}")
        return _("%(count)s reports updated.") % {"count": fa_digits(num_parent_objects)}


class VerifyBulkAction(ReportBulkAction):
    display_name = gettext_lazy("Verify")
    action_type = "verify"
    aria_label = gettext_lazy("Verify the selected reports")
    action_priority = 10

    @classmethod
    def act(cls, view, report):
        services.verify(report, user=view.request.user)


class RejectBulkAction(ReportBulkAction):
    display_name = gettext_lazy("Reject")
    action_type = "reject"
    aria_label = gettext_lazy("Reject the selected reports")
    action_priority = 20
    form_class = RejectForm

    @classmethod
    def act(cls, view, report):
        services.reject(
            report, user=view.request.user, reason=view.cleaned_form.cleaned_data["reason"]
        )


class ResolveBulkAction(ReportBulkAction):
    display_name = gettext_lazy("Mark resolved")
    action_type = "resolve"
    aria_label = gettext_lazy("Mark the selected reports resolved")
    action_priority = 30

    @classmethod
    def act(cls, view, report):
        services.resolve(report, user=view.request.user)


class MergeBulkAction(ReportBulkAction):
    display_name = gettext_lazy("Merge")
    action_type = "merge"
    aria_label = gettext_lazy("Merge the selected reports into another")
    action_priority = 40
    form_class = MergeForm

    @classmethod
    def act(cls, view, report):
        services.merge(report, into=view.cleaned_form.cleaned_data["into"], user=view.request.user)


BULK_ACTIONS = [VerifyBulkAction, RejectBulkAction, ResolveBulkAction, MergeBulkAction]


class ProblemCategoryViewSet(SnippetViewSet):
    model = ProblemCategory
    icon = "folder-open-inverse"
    menu_label = gettext_lazy("Problem categories")
    list_display = ["name_fa", "name_en", "sort_order", "active"]


class ProblemViewSet(SnippetViewSet):
    model = Problem
    icon = "list-ul"
    menu_label = gettext_lazy("Problem taxonomy")
    list_display = ["name_fa", "name_en", "category", "sort_order", "active"]
    list_filter = ["category", "active"]


class ProblemsGroup(ModelViewSetGroup):
    menu_label = gettext_lazy("Problems")
    menu_icon = "warning"
    menu_order = 160
    items = (ReportViewSet("problem_report"),)
