"""Thin views of the sign-in and "my group" pages; the rules live in accounts.services."""

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import logout
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST

from persian import phones
from registrations.services import ratelimits

from .. import services, tasks
from ..forms import CodeForm, CoMemberForm, MobileForm, NewMobileForm, ProfileForm
from ..models import PROFILE_FIELDS


PENDING = "accounts:pending-mobile"


def _too_many() -> str:
    return _("Too many attempts from here. Please wait a few minutes.")


def _limited(request, group: str, rate: str, key="ip") -> bool:
    return ratelimits.hit(request, group=group, rate=rate, key=key)


def _code_sent_notice() -> str:
    return _("If this number is registered, a sign-in code is on its way by SMS.")


def _staff_session(request):
    """A member never signs in over a staff session (it would end it): sign out first."""
    return render(
        request,
        "accounts/staff_session.html",
        {"error": str(services.StaffSignedIn())},
        status=409,
    )


@never_cache
def account(request):
    group = services.signed_in_group(request)
    if group is None and services.staff_session(request):
        return _staff_session(request)
    next_path = services.safe_next(request, request.POST.get("next") or request.GET.get("next"))
    if group is not None:
        if next_path:
            return redirect(next_path)
        return render(
            request,
            "accounts/my_group.html",
            {
                "group": group,
                "registrations": list(group.registrations.prefetch_related("proposed_changes")),
                "member_mobile": phones.national(group.member.mobile),
            },
        )
    status = 200
    if request.method == "POST":
        form = MobileForm(request.POST)
        limited = _limited(request, "account-ip", settings.ACCOUNT_IP_RATE) or _limited(
            request,
            "account-mobile",
            settings.ACCOUNT_MOBILE_RATE,
            key=ratelimits.mobile_key(request.POST.get("mobile")),
        )
        if limited:
            form.is_valid()
            form.add_error(None, _too_many())
            status = 429
        elif form.is_valid():
            mobile = str(form.cleaned_data["mobile"])
            tasks.request_code(mobile=mobile, language=get_language())
            request.session[PENDING] = mobile
            # Where the code page sends the group once signed in (an invitation's link, say).
            if next_path:
                request.session[services.NEXT] = next_path
            else:
                request.session.pop(services.NEXT, None)
            messages.info(request, _code_sent_notice())
            return redirect("accounts:code")
        else:
            status = 400
    else:
        form = MobileForm()
    return render(
        request, "accounts/sign_in.html", {"form": form, "next": next_path}, status=status
    )


@never_cache
def code(request):
    mobile = request.session.get(PENDING)
    if not mobile:
        return redirect("accounts:account")
    if services.staff_session(request):
        return _staff_session(request)
    status = 200
    if request.method == "POST":
        form = CodeForm(request.POST)
        if _limited(request, "account-code-ip", settings.ACCOUNT_IP_RATE):
            form.is_valid()
            form.add_error(None, _too_many())
            status = 429
        elif form.is_valid():
            try:
                member = services.verify_code(mobile=mobile, code=form.cleaned_data["code"])
            except services.SignInError as error:
                form.add_error("code", str(error))
                status = 429 if isinstance(error, services.LockedOut) else 400
            else:
                next_path = request.session.pop(services.NEXT, None)
                services.sign_in(request, member)
                return redirect(next_path or "accounts:account")
        else:
            status = 400
    else:
        form = CodeForm()
    return render(
        request,
        "accounts/code.html",
        {"form": form, "masked_mobile": phones.masked(mobile)},
        status=status,
    )


@require_POST
def resend(request):
    mobile = request.session.get(PENDING)
    if not mobile:
        return redirect("accounts:account")
    if _limited(request, "account-ip", settings.ACCOUNT_IP_RATE) or _limited(
        request, "account-mobile", settings.ACCOUNT_MOBILE_RATE, key=ratelimits.mobile_key(mobile)
    ):
        messages.error(request, _too_many())
    else:
        tasks.request_code(mobile=mobile, language=get_language())
        messages.info(request, _code_sent_notice())
    return redirect("accounts:code")


@require_POST
def sign_out(request):
    logout(request)  # accounts.services.audit_sign_out logs it
    return redirect("accounts:account")


@never_cache
def link(request, token):
    """The link texted back for the keyword: a button signs in (so link previews do not)."""
    if services.staff_session(request):
        return _staff_session(request)  # before the link is used up
    if request.method == "POST":
        if _limited(request, "account-link-ip", settings.ACCOUNT_IP_RATE):
            return render(request, "accounts/link.html", {"error": _too_many()}, status=429)
        try:
            member = services.use_link(token)
        except services.SignInError as error:
            return render(request, "accounts/link.html", {"error": str(error)}, status=400)
        request._sign_in_via = "sms-link"
        services.sign_in(request, member)
        return redirect("accounts:account")
    if not services.link_is_valid(token):
        error = str(services.LinkRejected())
        return render(request, "accounts/link.html", {"error": error}, status=400)
    return render(request, "accounts/link.html", {})


@never_cache
def profile(request, tracking_code):
    """Edit one of the group's registrations; anyone else's tracking code is a 404."""
    group = services.signed_in_group(request)
    if group is None:
        return redirect("accounts:account")
    registration = services.group_registration(group, tracking_code)
    if registration is None:
        raise Http404
    pending = services.pending_change(registration)
    status = 200
    if request.method == "POST":
        form = ProfileForm(request.POST)
        if _limited(request, "account-profile-ip", settings.ACCOUNT_IP_RATE):
            form.is_valid()
            form.add_error(None, _too_many())
            status = 429
        elif form.is_valid():
            try:
                change = services.edit_profile(
                    group=group, registration=registration, data=form.profile_data()
                )
            except services.SignInError as error:
                messages.error(request, str(error))
                return redirect("accounts:account")
            if change is not None:
                messages.info(
                    request,
                    _("Your change is waiting for review; the approved profile stays until then."),
                )
            else:
                messages.success(request, _("Your profile is saved."))
            return redirect("accounts:profile", tracking_code=registration.tracking_code)
        else:
            status = 400
    else:
        initial = {name: getattr(registration, name) for name in PROFILE_FIELDS}
        if pending is not None:
            initial.update({name: value["new"] for name, value in pending.changes.items()})
        form = ProfileForm(initial=initial)
    return render(
        request,
        "accounts/profile.html",
        {"form": form, "registration": registration, "pending": pending},
        status=status,
    )


@never_cache
def members(request):
    """The representative adds co-members (each confirmed by a code to their mobile) and
    removes them; everyone in the group sees who can sign in for it."""
    group = services.signed_in_group(request)
    if group is None:
        return redirect("accounts:account")
    add_form, code_form, status = CoMemberForm(), None, 200
    invite = None
    invite_id = request.GET.get("invite") or request.POST.get("invite")
    if invite_id and str(invite_id).isdigit():
        invite = group.account.invites.filter(pk=int(invite_id)).first()
    if request.method == "POST":
        action = request.POST.get("action")
        if _limited(request, "account-members-ip", settings.ACCOUNT_IP_RATE):
            messages.error(request, _too_many())
            return redirect("accounts:members")
        try:
            if action == "add":
                add_form = CoMemberForm(request.POST)
                if add_form.is_valid():
                    invite = services.invite_co_member(
                        group=group,
                        name=add_form.cleaned_data["name"],
                        mobile=str(add_form.cleaned_data["mobile"]),
                        language=get_language(),
                    )
                    return redirect(f"{request.path}?invite={invite.pk}")
                status = 400
            elif action == "confirm" and invite is not None:
                code_form = CodeForm(request.POST)
                if code_form.is_valid():
                    services.confirm_co_member(
                        group=group, invite_id=invite.pk, code=code_form.cleaned_data["code"]
                    )
                    messages.success(request, _("The member is added and can sign in."))
                    return redirect("accounts:members")
                status = 400
            elif action == "remove" and str(request.POST.get("member", "")).isdigit():
                services.remove_co_member(group=group, member_id=int(request.POST["member"]))
                messages.success(request, _("The member is removed."))
                return redirect("accounts:members")
            else:
                raise Http404
        except services.SignInError as error:
            if action == "confirm":
                code_form.add_error("code", str(error))
            elif action == "add":
                add_form.add_error(None, str(error))
            else:
                messages.error(request, str(error))
            status = 400
    if invite is not None and code_form is None:
        code_form = CodeForm()
    return render(
        request,
        "accounts/members.html",
        {
            "group": group,
            "members": list(group.account.members.order_by("created_at")),
            "add_form": add_form,
            "code_form": code_form,
            "invite": invite,
            "can_add": group.is_representative
            and services.co_members(group).count() < settings.ACCOUNT_MAX_CO_MEMBERS,
        },
        status=status,
    )


NEW_MOBILE = "accounts:new-mobile"


@never_cache
def change_mobile(request):
    """The representative moves the group to a new mobile: a code to it, an SMS to the old."""
    group = services.signed_in_group(request)
    if group is None:
        return redirect("accounts:account")
    pending = request.session.get(NEW_MOBILE)
    mobile_form, code_form, status = NewMobileForm(), None, 200
    if pending:
        code_form = CodeForm()
    if request.method == "POST":
        if _limited(request, "account-mobile-change-ip", settings.ACCOUNT_IP_RATE):
            messages.error(request, _too_many())
            return redirect("accounts:mobile")
        if request.POST.get("action") == "confirm" and pending:
            code_form = CodeForm(request.POST)
            if code_form.is_valid():
                try:
                    services.confirm_mobile_change(
                        group=group, new_mobile=pending, code=code_form.cleaned_data["code"]
                    )
                except services.SignInError as error:
                    code_form.add_error("code", str(error))
                else:
                    del request.session[NEW_MOBILE]
                    messages.success(request, _("The group's mobile is changed."))
                    return redirect("accounts:account")
            status = 400
        else:
            mobile_form = NewMobileForm(request.POST)
            if mobile_form.is_valid():
                new_mobile = str(mobile_form.cleaned_data["mobile"])
                try:
                    services.request_mobile_change(
                        group=group, new_mobile=new_mobile, language=get_language()
                    )
                except services.SignInError as error:
                    mobile_form.add_error("mobile", str(error))
                else:
                    request.session[NEW_MOBILE] = new_mobile
                    return redirect("accounts:mobile")
            status = 400
    return render(
        request,
        "accounts/mobile.html",
        {
            "group": group,
            "mobile_form": mobile_form,
            "code_form": code_form,
            "pending": phones.masked(pending) if pending else "",
        },
        status=status,
    )


@never_cache
def withdraw(request, tracking_code):
    """Ask, then withdraw one of the group's registrations (kept, marked withdrawn)."""
    group = services.signed_in_group(request)
    if group is None:
        return redirect("accounts:account")
    registration = services.group_registration(group, tracking_code)
    if registration is None:
        raise Http404
    if request.method == "POST":
        if request.POST.get("confirm") != "yes":
            messages.error(request, _("Tick the box to confirm the withdrawal."))
            return redirect("accounts:withdraw", tracking_code=tracking_code)
        services.withdraw(group=group, registration=registration)
        messages.success(request, _("The registration is withdrawn."))
        return redirect("accounts:account")
    return render(request, "accounts/withdraw.html", {"registration": registration})
