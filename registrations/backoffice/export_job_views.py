"""Admin pages of a background export: its progress, and the owner-only download."""

from django.contrib.contenttypes.models import ContentType
from django.http import FileResponse, Http404, HttpResponse
from django.shortcuts import get_object_or_404
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.generic import TemplateView, View

from wagtail.admin.views.generic.base import WagtailAdminTemplateMixin
from wagtail.admin.views.generic.permissions import PermissionCheckedMixin
from wagtail.log_actions import log

from persian.templatetags.persian import fa_digits

from .. import export_jobs
from ..models import Registration


EXPORT_DOWNLOAD = "nehzat.registration.export_download"


def _own_job(request, job_id) -> export_jobs.ExportJob:
    job = get_object_or_404(export_jobs.ExportJob, pk=job_id)
    if not job.may_download(request.user):
        raise Http404  # another person's export: not even its existence is told
    return job


class ExportJobView(PermissionCheckedMixin, WagtailAdminTemplateMixin, TemplateView):
    model = Registration
    permission_required = "export"
    template_name = "registrations/admin/export_job.html"
    page_title = gettext_lazy("Registrations export")
    header_icon = "download"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        job = _own_job(self.request, self.kwargs["job_id"])
        context.update(
            job=job,
            finished=job.state in (job.State.DONE, job.State.FAILED),
            rows_written=fa_digits(f"{job.rows_written:,}".replace(",", "٬")),
            rows_total=fa_digits(f"{job.rows_total:,}".replace(",", "٬")),
            download_url=reverse("registration:export_download", args=(job.pk,)),
            index_url=reverse("registration:index"),
        )
        return context


class ExportDownloadView(PermissionCheckedMixin, View):
    model = Registration
    permission_required = "export"

    def get(self, request, job_id):
        job = _own_job(request, job_id)
        if job.expired:
            return HttpResponse(
                _("This export has expired and its file was removed. Export again."),
                status=410,
                content_type="text/plain; charset=utf-8",
            )
        if job.state != job.State.DONE:
            raise Http404
        log(  # against the model's content type, as review.log_export does
            ContentType.objects.get_for_model(Registration),
            EXPORT_DOWNLOAD,
            user=request.user,
            title=str(Registration._meta.verbose_name_plural),
            data={"format": job.export_format, "rows": job.rows_written, "job": str(job.pk)},
        )
        return FileResponse(
            export_jobs.export_storage().open(job.file_name, "rb"),
            as_attachment=True,
            filename=f"{job.download_name}.{job.export_format}",
        )
