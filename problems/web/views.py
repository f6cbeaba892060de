"""Thin views: validate the form, call the service, choose the next page."""

import logging
import re
from urllib.parse import urlencode

from django.conf import settings
from django.http import Http404
from django.shortcuts import redirect, render
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from registrations import services as registration_services
from registrations.choices import Province
from registrations.services import ratelimits
from sitecache.pagecache import cached_fragment, fragment_key

from .. import services
from ..choices import PUBLIC_STATUSES, ReportSource, ReportStatus
from ..forms import CodeForm, MobileForm, ReportForm, SupportForm, active_problems
from ..groups import signed_in_group
from ..services import public
from . import session


logger = logging.getLogger(__name__)


def _limited(request, group: str, rate: str, key="ip") -> bool:
    return ratelimits.hit(request, group=group, rate=rate, key=key)


def _too_large(request) -> bool:
    try:
        length = int(request.META.get("CONTENT_LENGTH") or 0)
    except ValueError:
        length = 0
    limit = settings.PROBLEM_MAX_PHOTOS * settings.PROBLEM_PHOTO_MAX_BYTES + 64 * 1024
    return length > limit


# --- confirming the mobile -------------------------------------------------------------


def _next_report(request) -> str:
    """The report a visitor was supporting when asked for a code: a number, nothing else."""
    value = request.GET.get("next", "")
    return value if re.fullmatch(rf"\d{{{services.NUMBER_DIGITS}}}", value) else ""


def _with_next(name: str, number: str) -> str:
    return f"{reverse(name)}?{urlencode({'next': number})}" if number else reverse(name)


def ask_code(request):
    """Step one for a citizen: the mobile, then a code by SMS (sent only when asked for)."""
    form = MobileForm(request.POST or None)
    status = 200
    if request.method == "POST":
        limited = _limited(request, "problems-code-ip", settings.PROBLEM_IP_RATE) or _limited(
            request,
            "problems-code-mobile",
            settings.PROBLEM_MOBILE_RATE,
            key=ratelimits.mobile_key(request.POST.get("mobile")),
        )
        if limited:
            form.is_valid()
            form.add_error(None, _("Too many attempts from here. Please wait a few minutes."))
            status = 429
        elif form.is_valid():
            try:
                check = services.send_code(
                    mobile=form.cleaned_data["mobile"], language=get_language()
                )
            except registration_services.RegistrationError as error:
                form.add_error(None, str(error))
            else:
                response = redirect(_with_next("problems:code", _next_report(request)))
                session.remember_check(response, check)
                return response
        status = status if status != 200 else 400
    return render(
        request,
        "problems/mobile.html",
        {"form": form, "action": _with_next("problems:ask-code", _next_report(request))},
        status=status,
    )


def enter_code(request):
    check = session.pending_check(request)
    number = _next_report(request)
    if check is None:
        return redirect(_with_next("problems:ask-code", number))
    form = CodeForm(request.POST or None)
    status = 200
    if request.method == "POST":
        if _limited(request, "problems-confirm-ip", settings.PROBLEM_IP_RATE):
            form.is_valid()
            form.add_error(None, _("Too many attempts from here. Please wait a few minutes."))
            status = 429
        elif form.is_valid():
            try:
                check = services.check_code(check=check, code=form.cleaned_data["code"])
            except services.ProblemError as error:
                form.add_error(error.field, str(error))
            else:
                # Back to the report being supported, else on to the report form.
                response = redirect(
                    f"{reverse('problems:detail', args=[number])}?confirmed=1#support"
                    if number
                    else reverse("problems:report")
                )
                session.remember_mobile(response, check.mobile)
                response.delete_cookie(session.CHECK_COOKIE)
                return response
        status = status if status != 200 else 400
    from persian.phones import national

    return render(
        request,
        "problems/code.html",
        {
            "form": form,
            "action": _with_next("problems:code", number),
            "ask_code": _with_next("problems:ask-code", number),
            "masked_mobile": national(check.mobile)[:4] + "•••" + national(check.mobile)[-4:],
        },
        status=status,
    )


# --- the report form --------------------------------------------------------------------


def report(request):
    """The report form, for a signed-in group or a visitor whose mobile is verified."""
    if _too_large(request):
        return render(request, "registrations/too_large.html", status=413)
    group = signed_in_group(request)
    token = request.GET.get("t") or ""
    mobile_from_link = None
    if token:
        try:
            mobile_from_link = services.mobile_from_token(token)
        except services.LinkInvalid as error:
            return render(
                request, "problems/link_invalid.html", {"message": str(error)}, status=400
            )
    mobile = (
        group.mobile
        if group is not None
        else (mobile_from_link or session.verified_mobile(request))
    )
    if mobile is None:
        return redirect("problems:ask-code")

    duplicates = []
    status = 200
    if request.method == "POST":
        form = ReportForm(request.POST, request.FILES, group=group)
        if _limited(request, "problems-report-ip", settings.PROBLEM_IP_RATE):
            form.is_valid()
            form.add_error(None, _("Too many attempts from here. Please wait a few minutes."))
            status = 429
        elif form.is_valid():
            data = form.cleaned_data
            if not data.get("send_anyway"):
                duplicates = services.likely_duplicates(
                    problem=data["problem"],
                    city=data["city"],
                    text=f"{data['title']} {data['description']}",
                )
            if not duplicates:
                created = services.submit(
                    data=data,
                    mobile=mobile,
                    source=ReportSource.SMS if token else ReportSource.WEB,
                    language=get_language(),
                    group=(data.get("group") or group.default) if group else None,
                    show_group_name=data.get("show_group_name", False),
                    images=data["photos"],
                )
                return redirect("problems:sent", token=public.follow_token(created))
            status = 200
        else:
            status = 400
    else:
        form = ReportForm(group=group)
    response = render(
        request,
        "problems/report.html",
        {"form": form, "duplicates": duplicates, "group": group, "token": token},
        status=status,
    )
    if mobile_from_link is not None:
        session.remember_mobile(response, mobile_from_link)
    return response


def sent(request, token):
    report = public.followed_report(token)
    if report is None:
        raise Http404
    return render(request, "problems/sent.html", {"report": report, "token": token})


def follow(request, token):
    """The reporter's own view: the status and its history, whatever the status is."""
    report = public.followed_report(token)
    if report is None:
        return render(
            request,
            "problems/link_invalid.html",
            {"message": str(services.LinkInvalid())},
            status=404,
        )
    return render(request, "problems/follow.html", {"report": report})


# --- public pages --------------------------------------------------------------------------


def _choice(value, allowed):
    return value if value in allowed else ""


def public_list(request):
    province = _choice(request.GET.get("province", ""), set(Province.values))
    status = _choice(request.GET.get("status", ""), {str(s) for s in PUBLIC_STATUSES})
    sort = _choice(request.GET.get("sort", ""), set(public.SORTS)) or "priority"
    problems = list(active_problems())
    problem_ids = {str(p.pk): p.pk for p in problems}
    problem = problem_ids.get(request.GET.get("problem", ""))
    try:
        page_number = max(1, min(int(request.GET.get("page", 1)), 10_000))
    except (TypeError, ValueError):
        page_number = 1

    def render_list():
        paginator = public.IdsFirstPaginator(
            public.public_reports(province=province, problem=problem, status=status, sort=sort),
            public.PAGE_SIZE,
        )
        page = paginator.get_page(page_number)
        query = {
            k: v
            for k, v in (
                ("province", province),
                ("problem", problem or ""),
                ("status", status),
                ("sort", sort),
            )
            if v
        }
        return render_to_string(
            "problems/includes/list.html",
            {"page": page, "query": urlencode(query)},
            request=None,
        )

    key = fragment_key(
        request, "problems-list", public.version(), province, problem, status, sort, page_number
    )
    html = cached_fragment(key, render_list)
    return render(
        request,
        "problems/list.html",
        {
            "list_html": html,
            "problems": problems,
            "provinces": Province.choices,
            "statuses": [(s.value, s.label) for s in PUBLIC_STATUSES],
            "selected": {"province": province, "problem": problem, "status": status, "sort": sort},
        },
    )


def detail(request, number):
    report = public.public_report(number)
    if report is None:
        raise Http404
    return render(
        request,
        "problems/detail.html",
        {
            "report": report,
            "support_form": SupportForm(),
            "can_support": report.status != ReportStatus.RESOLVED,
        },
    )


@require_POST
def support(request, number):
    report = public.public_report(number)
    if report is None:
        raise Http404
    group = signed_in_group(request)
    mobile = group.mobile if group is not None else session.verified_mobile(request)
    if mobile is None:
        return redirect(f"{reverse('problems:ask-code')}?{urlencode({'next': report.number})}")
    form = SupportForm(request.POST)
    message, status = "", 200
    if _limited(request, "problems-support-ip", settings.PROBLEM_IP_RATE):
        message, status = _("Too many attempts from here. Please wait a few minutes."), 429
    elif form.is_valid():
        try:
            services.support(
                report=report,
                mobile=mobile,
                group=group.default if group is not None else None,
                city=form.cleaned_data.get("city", ""),
            )
        except services.ProblemError as error:
            message, status = str(error), 400
        else:
            return redirect(f"{reverse('problems:detail', args=[report.number])}?supported=1")
    else:
        message, status = _("Please correct the marked fields."), 400
    return render(
        request,
        "problems/detail.html",
        {
            "report": report,
            "support_form": form,
            "support_error": message,
            "can_support": True,
        },
        status=status,
    )
