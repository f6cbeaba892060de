"""Interventions in Wagtail's admin ("Interventions" menu): list, open from verified reports,
inspect every stage's record, record the current stage, add groups, advance, close, reopen.

Only "Intervention coordinators" (and superusers) hold the permissions; editors and
registration managers get 403, not a redirect. Every change goes through the services,
which write the Wagtail audit log.
"""

from functools import wraps

from django.contrib.admin.utils import quote
from django.core.exceptions import PermissionDenied
from django.http import HttpResponseNotAllowed
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils.functional import cached_property
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.defaults import permission_denied
from django.views.generic import View

from wagtail.admin import messages
from wagtail.admin.views.generic import IndexView, InspectView
from wagtail.admin.viewsets.model import ModelViewSet, ModelViewSetGroup
from wagtail.admin.widgets.button import HeaderButton

from .. import forms as stage_forms
from ..models import Intervention
from ..pages import stage_context
from ..services import records, stages
from ..services.rules import InterventionError, is_coordinator
from .invitations import InviteView, invitation_context


def forbidden_not_redirect(view):
    @wraps(view)
    def wrapper(request, *args, **kwargs):
        try:
            return view(request, *args, **kwargs)
        except PermissionDenied as error:
            return permission_denied(request, error)

    return wrapper


class InterventionIndexView(IndexView):
    default_ordering = "-created_at"
    page_title = gettext_lazy("Interventions")

    def get_base_queryset(self):
        return Intervention.objects.defer("aim")

    @cached_property
    def header_buttons(self):
        if not is_coordinator(self.request.user):
            return []
        return [
            HeaderButton(
                _("Open an intervention"), url=reverse("intervention:open"), icon_name="plus"
            )
        ]


class InterventionInspectView(InspectView):
    template_name = "interventions/admin/inspect.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        intervention = self.object
        context.update(
            stage_context(
                intervention,
                coordinator=is_coordinator(self.request.user),
                record_url=lambda name: reverse(
                    "intervention:record", args=(intervention.pk, name)
                ),
            )
        )
        context.update(
            action_urls={
                name: reverse(f"intervention:{name}", args=(intervention.pk,))
                for name in ("advance", "close", "reopen", "participant")
            },
            reopen_form=stage_forms.ReopenForm(),
            participant_form=stage_forms.ParticipantForm(),
            invite_url=reverse("intervention:invite", args=(intervention.pk,)),
            **invitation_context(intervention, coordinator=is_coordinator(self.request.user)),
        )
        return context


class CoordinatorView(View):
    """POST-only actions from the inspect view; refusals come back as messages."""

    http_method_names = ["post"]

    def dispatch(self, request, *args, **kwargs):
        if not is_coordinator(request.user):
            raise PermissionDenied
        return super().dispatch(request, *args, **kwargs)

    def post(self, request, pk, **kwargs):
        intervention = get_object_or_404(Intervention, pk=pk)
        try:
            message = self.act(intervention, **kwargs)
        except InterventionError as error:
            messages.error(request, error.message)
        else:
            if message:
                messages.success(request, message)
        return redirect("intervention:inspect", quote(intervention.pk))

    def http_method_not_allowed(self, request, *args, **kwargs):
        return HttpResponseNotAllowed(["POST"])


def _stage_message(intervention) -> str:
    intervention.refresh_from_db()
    return _("The intervention is now in the %(stage)s stage.") % {
        "stage": intervention.get_stage_display()
    }


class AdvanceView(CoordinatorView):
    def act(self, intervention):
        stages.advance(intervention, user=self.request.user)
        return _stage_message(intervention)


class CloseView(CoordinatorView):
    def act(self, intervention):
        stages.close(intervention, user=self.request.user)
        return _("The intervention is closed.")


class ReopenView(CoordinatorView):
    def act(self, intervention):
        form = stage_forms.ReopenForm(self.request.POST)
        if not form.is_valid():
            raise InterventionError(_("Choose an earlier stage and give a reason."))
        stages.reopen(intervention, user=self.request.user, **form.cleaned_data)
        return _stage_message(intervention)


class ParticipantView(CoordinatorView):
    def act(self, intervention):
        form = stage_forms.ParticipantForm(self.request.POST)
        if not form.is_valid():
            raise InterventionError(" ".join(e for errors in form.errors.values() for e in errors))
        records.add_participant(
            intervention,
            registration=form.cleaned_data["tracking_code"],
            capacities=form.cleaned_data["capacities"],
            show_name=form.cleaned_data["show_name"],
            user=self.request.user,
        )
        return _("The group takes part.")


class RecordView(CoordinatorView):
    def act(self, intervention, name):
        if stage_forms.too_large(self.request):
            raise InterventionError(_("The files are too large."))
        saved, errors = stage_forms.record(
            intervention, name, self.request.POST, self.request.FILES, user=self.request.user
        )
        if not saved:
            raise InterventionError(" ".join(errors))
        return _("Saved.")


class OpenView(View):
    """Open an intervention for verified reports (`?report=<pk>` ticks one from its page)."""

    template_name = "interventions/admin/open.html"

    def dispatch(self, request, *args, **kwargs):
        if not is_coordinator(request.user):
            raise PermissionDenied
        return super().dispatch(request, *args, **kwargs)

    def get(self, request):
        initial = {}
        report = request.GET.get("report", "")
        if report.isdigit():
            form = stage_forms.OpenForm()
            chosen = form.fields["reports"].queryset.filter(pk=int(report)).first()
            if chosen is not None:
                initial = {
                    "reports": [chosen.pk],
                    "province": chosen.province,
                    "city": chosen.city,
                    "neighbourhood": chosen.neighbourhood,
                    "title": chosen.title,
                }
        return self.render(stage_forms.OpenForm(initial=initial))

    def post(self, request):
        form = stage_forms.OpenForm(request.POST)
        if form.is_valid():
            data = dict(form.cleaned_data)
            try:
                intervention = stages.open_intervention(user=request.user, **data)
            except InterventionError as error:
                form.add_error(None, error.message)
            else:
                messages.success(
                    request, _("Intervention “%(title)s” opened.") % {"title": intervention.title}
                )
                return redirect("intervention:inspect", quote(intervention.pk))
        return self.render(form, status=400)

    def render(self, form, status=200):
        return TemplateResponse(
            self.request,
            self.template_name,
            {"form": form, "page_title": _("Open an intervention")},
            status=status,
        )


class InterventionViewSet(ModelViewSet):
    model = Intervention
    icon = "group"
    menu_label = gettext_lazy("Interventions")
    url_prefix = "interventions"
    index_view_class = InterventionIndexView
    inspect_view_class = InterventionInspectView
    inspect_view_enabled = True
    copy_view_enabled = False
    list_per_page = 50
    form_fields = ["title"]  # Wagtail builds an edit form; its URL is never routed
    list_display = ["title", "province", "city", "stage", "start_date", "created_at"]
    list_filter = ["stage", "province"]
    inspect_view_fields = [
        "title",
        "aim",
        "province",
        "city",
        "neighbourhood",
        "start_date",
        "stage",
        "stage_entered_at",
        "outcome",
        "closed_at",
        "created_at",
    ]

    def get_common_view_kwargs(self, **kwargs):
        view_kwargs = super().get_common_view_kwargs(**kwargs)
        view_kwargs.update(add_url_name=None, edit_url_name=None, delete_url_name=None)
        return view_kwargs

    def construct_view(self, view_class, **kwargs):
        return forbidden_not_redirect(super().construct_view(view_class, **kwargs))

    def get_urlpatterns(self):
        dropped = {"add", "edit", "copy", "delete"}
        urlpatterns = [p for p in super().get_urlpatterns() if p.name not in dropped]
        actions = {
            "advance": AdvanceView,
            "close": CloseView,
            "reopen": ReopenView,
            "participant": ParticipantView,
            "invite": InviteView,
        }
        return [
            *urlpatterns,
            path("open/", forbidden_not_redirect(OpenView.as_view()), name="open"),
            path(
                "record/<int:pk>/<slug:name>/",
                forbidden_not_redirect(RecordView.as_view()),
                name="record",
            ),
            *[
                path(f"{name}/<int:pk>/", forbidden_not_redirect(view.as_view()), name=name)
                for name, view in actions.items()
            ],
        ]


class InterventionsGroup(ModelViewSetGroup):
    menu_label = gettext_lazy("Interventions")
    menu_icon = "group"
    menu_order = 170
    items = (InterventionViewSet("intervention"),)
