"""The problems API: taxonomy, verified reports (no personal data), report and support.

Built on the registration API's base view (JSON only, no session, answers in the client's
language, Persian errors with stable codes), so both APIs fail the same way.
"""

import uuid

from django.conf import settings
from django.http import QueryDict
from django.utils.translation import gettext as _

from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema, inline_serializer
from rest_framework import serializers, status
from rest_framework.parsers import MultiPartParser
from rest_framework.response import Response

from accounts.api.auth import MemberSessionAuthentication, MemberTokenAuthentication
from persian.text import to_ascii_digits
from registrations import services as registration_services
from registrations.api.parsers import SafeJSONParser
from registrations.api.schema import error_responses
from registrations.api.views import (
    SERVICE_ERROR_STATUS,
    ApiError,
    RegistrationAPIView,
    _check_types,
    _form_errors,
    _type_error,
    error,
    error_response,
)
from registrations.choices import Province

from .. import services
from ..choices import PUBLIC_STATUSES, ReportSource
from ..forms import CodeForm, MobileForm, ReportForm, SupportForm, active_problems
from ..groups import GroupReporter, signed_in_group
from ..models import MobileCheck, ProblemCategory
from ..services import public
from .schema import (
    FORBIDDEN,
    TOO_LARGE,
    UNAUTHORIZED,
    ReportMultipartSerializer,
    ReportRequestSerializer,
    SupportRequestSerializer,
)


TAG = ["problems"]
PROBLEM_ERROR_STATUS = {
    services.AlreadySupported: status.HTTP_409_CONFLICT,
    services.NotSupportable: status.HTTP_409_CONFLICT,
    services.LinkInvalid: status.HTTP_403_FORBIDDEN,
}


def report_json(report, *, full=False) -> dict:
    """A report as the public sees it: never the reporter's mobile, name or group unless agreed."""
    data = {
        "number": report.number,
        "title": report.title,
        "problem": {
            "id": report.problem_id,
            "slug": report.problem.slug,
            "name": report.problem.name,
        },
        "province": report.province,
        "city": report.city,
        "status": report.status,
        "supports": report.support_count,
        "supporting_groups": report.group_support_count,
        "supporting_cities": report.city_support_count,
        "priority": report.priority,
        "verified_at": report.verified_at.isoformat() if report.verified_at else None,
    }
    if full:
        data.update(
            description=report.description,
            neighbourhood=report.neighbourhood,
            people_affected=report.people_affected,
            since=report.since,
            tried=report.tried,
            group=report.public_group_name() or None,
            photos=[photo.image.url for photo in report.photos.all()],
            history=[
                {"status": c.status, "reason": c.reason, "at": c.created_at.isoformat()}
                for c in report.history.all()
            ],
        )
    return data


class ProblemsAPIView(RegistrationAPIView):
    def handle_exception(self, exc):
        if isinstance(exc, services.ProblemError):
            return error_response(
                PROBLEM_ERROR_STATUS.get(type(exc), status.HTTP_400_BAD_REQUEST),
                [error(exc.field, exc.code, exc)],
            )
        return super().handle_exception(exc)

    def verified_mobile(self, data):
        token = data.get("token")
        if not isinstance(token, str) or not token:
            raise ApiError(
                status.HTTP_403_FORBIDDEN, error("token", "link_invalid", services.LinkInvalid())
            )
        return services.mobile_from_token(token)


class GroupOrCitizenAPIView(ProblemsAPIView):
    """A group signed in through the account API (Bearer token or member session), else a citizen.

    Only these views take the account API's authentication: a staff session is no member's,
    so it is a citizen without a token here; a bad or revoked Bearer token answers 401.
    """

    authentication_classes = [MemberTokenAuthentication, MemberSessionAuthentication]

    def group(self, data, *, must_name: bool) -> tuple[GroupReporter, object] | None:
        """The signed-in group and the registration it speaks for, or None for a citizen."""
        if not self.request.user.is_authenticated:
            return None
        group = signed_in_group(self.request)
        if group is None:
            raise ApiError(
                status.HTTP_400_BAD_REQUEST,
                error(
                    "registration",
                    "no_registration",
                    _("Your group has no confirmed or approved registration to speak for."),
                ),
            )
        code = data.get("registration")
        if code is None or code == "":
            if must_name and group.can_choose:
                raise ApiError(
                    status.HTTP_400_BAD_REQUEST,
                    error(
                        "registration",
                        "required",
                        _(
                            "Your group has several registrations: name the one to report for "
                            "by its tracking code."
                        ),
                    ),
                )
            return group, group.default
        if not isinstance(code, str):
            raise ApiError(status.HTTP_400_BAD_REQUEST, _type_error("registration"))
        chosen = group.pick_tracking_code(to_ascii_digits(code.strip()))
        if chosen is None:
            # Another group's code, a withdrawn or rejected one and a made-up one read the same.
            raise ApiError(
                status.HTTP_400_BAD_REQUEST,
                error(
                    "registration",
                    "invalid_choice",
                    _("This is not a confirmed or approved registration of your group."),
                ),
            )
        return group, chosen


OBJECT = OpenApiTypes.OBJECT


class Taxonomy(ProblemsAPIView):
    @extend_schema(
        operation_id="problems_taxonomy",
        tags=TAG,
        summary="The taxonomy: categories and their problems",
        responses={200: OBJECT, **error_responses("429")},
    )
    def get(self, request):
        categories = ProblemCategory.objects.filter(active=True).order_by("sort_order", "pk")
        by_category = {}
        for problem in active_problems():
            by_category.setdefault(problem.category_id, []).append(
                {
                    "id": problem.pk,
                    "slug": problem.slug,
                    "name_fa": problem.name_fa,
                    "name_en": problem.name_en,
                    "fields_of_activity": problem.fields_of_activity,
                    "capacities": problem.capacities,
                }
            )
        return Response(
            {
                "categories": [
                    {
                        "id": c.pk,
                        "slug": c.slug,
                        "name_fa": c.name_fa,
                        "name_en": c.name_en,
                        "problems": by_category.get(c.pk, []),
                    }
                    for c in categories
                ]
            }
        )


class ReportList(ProblemsAPIView):
    @extend_schema(
        operation_id="problems_list",
        tags=TAG,
        summary="Verified reports, filtered and sorted",
        responses={200: OBJECT, **error_responses("400")},
        parameters=[
            OpenApiParameter("province", str, enum=Province.values),
            OpenApiParameter("problem", int),
            OpenApiParameter("status", str, enum=[str(s) for s in PUBLIC_STATUSES]),
            OpenApiParameter("sort", str, enum=list(public.SORTS)),
            OpenApiParameter("page", int),
        ],
    )
    def get(self, request):
        query = request.query_params
        province = query.get("province", "")
        status_ = query.get("status", "")
        problem = query.get("problem", "")
        errors = []
        if province and province not in Province.values:
            errors.append(error("province", "invalid_choice", _("Select a valid choice.")))
        if status_ and status_ not in [str(s) for s in PUBLIC_STATUSES]:
            errors.append(error("status", "invalid_choice", _("Select a valid choice.")))
        # ASCII digits that fit an id: "²" is a digit to Python, 10**30 overflows the database.
        if problem and not (problem.isascii() and problem.isdigit() and len(problem) <= 9):
            errors.append(error("problem", "invalid_choice", _("Select a valid choice.")))
        if errors:
            raise ApiError(status.HTTP_400_BAD_REQUEST, *errors)
        try:
            page_number = max(1, min(int(query.get("page", 1)), 10_000))
        except ValueError:
            page_number = 1
        paginator = public.IdsFirstPaginator(
            public.public_reports(
                province=province,
                problem=int(problem) if problem else None,
                status=status_,
                sort=query.get("sort", "priority"),
            ),
            public.PAGE_SIZE,
        )
        page = paginator.get_page(page_number)
        return Response(
            {
                "count": paginator.count,
                "page": page.number,
                "pages": paginator.num_pages,
                "results": [report_json(r) for r in page.object_list],
            }
        )


class ReportDetail(ProblemsAPIView):
    @extend_schema(
        operation_id="problems_detail",
        tags=TAG,
        summary="One verified report",
        responses={200: OBJECT, **error_responses("404")},
    )
    def get(self, request, number):
        report = public.public_report(number)
        if report is None:
            raise ApiError(
                status.HTTP_404_NOT_FOUND,
                error(None, "not_found", _("No verified report has this number.")),
            )
        return Response(report_json(report, full=True))


class AskCode(ProblemsAPIView):
    @extend_schema(
        operation_id="problems_code_send",
        tags=TAG,
        summary="Send a 6-digit code to a mobile",
        request=inline_serializer("ProblemCodeRequest", {"mobile": serializers.CharField()}),
        responses={201: OBJECT, **error_responses("400", "429")},
    )
    def post(self, request):
        data = self.body()
        self.limit("problems-code-ip", settings.PROBLEM_IP_RATE)
        if errors := _check_types(data, MobileForm):
            raise ApiError(status.HTTP_400_BAD_REQUEST, *errors)
        form = MobileForm(data)
        if not form.is_valid():
            raise _form_errors(form)
        self.limit(
            "problems-code-mobile",
            settings.PROBLEM_MOBILE_RATE,
            key=registration_services.ratelimits.mobile_key(form.cleaned_data["mobile"]),
        )
        try:
            check = services.send_code(mobile=form.cleaned_data["mobile"], language=self.language)
        except registration_services.RegistrationError as exc:
            return error_response(
                SERVICE_ERROR_STATUS.get(type(exc), 400), [error(None, exc.code, exc)]
            )
        return Response({"check_id": str(check.public_id)}, status=status.HTTP_201_CREATED)


class ConfirmCode(ProblemsAPIView):
    @extend_schema(
        operation_id="problems_code_confirm",
        tags=TAG,
        summary="Confirm the code; returns a token for the verified mobile",
        request=inline_serializer("ProblemConfirmRequest", {"code": serializers.CharField()}),
        responses={200: OBJECT, **error_responses("400", "404", "429")},
    )
    def post(self, request, check_id):
        data = self.body()
        self.limit("problems-confirm-ip", settings.PROBLEM_IP_RATE)
        try:
            check = MobileCheck.objects.filter(public_id=uuid.UUID(check_id)).first()
        except ValueError:
            check = None
        if check is None:
            raise ApiError(
                status.HTTP_404_NOT_FOUND,
                error(None, "not_found", _("This code request does not exist.")),
            )
        if errors := _check_types(data, CodeForm):
            raise ApiError(status.HTTP_400_BAD_REQUEST, *errors)
        form = CodeForm(data)
        if not form.is_valid():
            raise _form_errors(form)
        check = services.check_code(check=check, code=form.cleaned_data["code"])
        return Response({"token": services.verified_mobile_token(check.mobile)})


def _report_form(data):
    data = {**data}
    for name in ("may_contact", "send_anyway", "show_group_name"):
        if data.get(name) is False:
            data.pop(name)
    if isinstance(data.get("problem"), int) and not isinstance(data.get("problem"), bool):
        data["problem"] = str(data["problem"])
    return data


def _photos_in_json() -> ApiError:
    return ApiError(
        status.HTTP_400_BAD_REQUEST,
        error(
            "photos",
            "invalid_type",
            _("Photos are sent as files, with the report as multipart/form-data."),
        ),
    )


class Duplicates(ProblemsAPIView):
    @extend_schema(
        operation_id="problems_duplicates",
        tags=TAG,
        summary="Likely duplicates of a report about to be sent",
        parameters=[
            OpenApiParameter("problem", int, required=True),
            OpenApiParameter("city", str, required=True),
            OpenApiParameter("text", str, required=True),
        ],
        responses={200: OBJECT, **error_responses("400")},
    )
    def get(self, request):
        query = request.query_params
        problem = next((p for p in active_problems() if str(p.pk) == query.get("problem")), None)
        if problem is None:
            raise ApiError(
                status.HTTP_400_BAD_REQUEST,
                error("problem", "invalid_choice", _("Select a valid choice.")),
            )
        found = services.likely_duplicates(
            problem=problem, city=query.get("city", "")[:100], text=query.get("text", "")[:4000]
        )
        return Response({"results": [report_json(r) for r in found if r.is_public]})


class ReportCreate(GroupOrCitizenAPIView):
    # JSON, or multipart/form-data with photos: the web form's fields and photo checks.
    parser_classes = [SafeJSONParser, MultiPartParser]

    def max_body_bytes(self) -> int:
        return settings.PROBLEM_MAX_PHOTOS * settings.PROBLEM_PHOTO_MAX_BYTES + 64 * 1024

    @extend_schema(
        operation_id="problems_report_create",
        tags=TAG,
        summary=(
            "Report a problem: as a signed-in group, or with the token from a confirmed code; "
            "photos as multipart"
        ),
        request={
            "application/json": ReportRequestSerializer,
            "multipart/form-data": ReportMultipartSerializer,
        },
        responses={
            201: OBJECT,
            **error_responses("400", "409", "415", "429"),
            **UNAUTHORIZED,
            **FORBIDDEN,
            **TOO_LARGE,
        },
    )
    def post(self, request):
        data = self.body()
        self.limit("problems-report-ip", settings.PROBLEM_IP_RATE)
        signed_in = self.group(data, must_name=True)
        if signed_in is None:
            mobile, registration, reporter = self.verified_mobile(data), None, None
        else:
            group, registration = signed_in
            # The chosen registration alone: the form then asks no "which registration?".
            mobile, reporter = group.mobile, GroupReporter([registration], group.mobile)
        if isinstance(data, QueryDict):
            # Form fields arrive as text, as from a browser: the form reads them as it does there.
            files = request.FILES
        else:
            if "photos" in data:
                raise _photos_in_json()
            data = _report_form(data)
            if errors := _check_types(data, ReportForm, extra=("token",)):
                raise ApiError(status.HTTP_400_BAD_REQUEST, *errors)
            files = None
        form = ReportForm(data, files, group=reporter)
        if not form.is_valid():
            raise _form_errors(form)
        cleaned = form.cleaned_data
        duplicates = (
            []
            if cleaned.get("send_anyway")
            else services.likely_duplicates(
                problem=cleaned["problem"],
                city=cleaned["city"],
                text=f"{cleaned['title']} {cleaned['description']}",
            )
        )
        if duplicates:
            return Response(
                {
                    "errors": [
                        error(
                            None,
                            "likely_duplicates",
                            _(
                                "Similar open reports exist; support one, or send again with send_anyway."
                            ),
                        )
                    ],
                    "duplicates": [
                        {"number": r.number, "title": r.title} for r in duplicates if r.is_public
                    ],
                },
                status=status.HTTP_409_CONFLICT,
            )
        report = services.submit(
            data=cleaned,
            mobile=mobile,
            source=ReportSource.API,
            language=self.language,
            group=registration,
            show_group_name=cleaned.get("show_group_name", False),
            images=cleaned["photos"],
        )
        return Response(
            {"number": report.number, "follow_url": services.follow_url(report)},
            status=status.HTTP_201_CREATED,
        )


class SupportCreate(GroupOrCitizenAPIView):
    @extend_schema(
        operation_id="problems_support",
        tags=TAG,
        summary="Support a verified report once: per group when signed in, else per mobile",
        request=SupportRequestSerializer,
        responses={
            201: OBJECT,
            **error_responses("400", "404", "409", "429"),
            **UNAUTHORIZED,
            **FORBIDDEN,
        },
    )
    def post(self, request, number):
        data = self.body()
        self.limit("problems-support-ip", settings.PROBLEM_IP_RATE)
        report = public.public_report(number)
        if report is None:
            raise ApiError(
                status.HTTP_404_NOT_FOUND,
                error(None, "not_found", _("No verified report has this number.")),
            )
        signed_in = self.group(data, must_name=False)
        if signed_in is not None:
            # Once per group, whichever of its registrations (the city is the registration's).
            services.support(report=report, group=signed_in[1])
            report.refresh_from_db()
            return Response(report_json(report), status=status.HTTP_201_CREATED)
        mobile = self.verified_mobile(data)
        if errors := _check_types(data, SupportForm, extra=("token",)):
            raise ApiError(status.HTTP_400_BAD_REQUEST, *errors)
        form = SupportForm(data)
        if not form.is_valid():
            raise _form_errors(form)
        services.support(report=report, mobile=mobile, city=form.cleaned_data.get("city", ""))
        report.refresh_from_db()
        return Response(report_json(report), status=status.HTTP_201_CREATED)
