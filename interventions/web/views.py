"""The public pages: every intervention, and one page each (no personal data)."""

from django.http import Http404
from django.shortcuts import render

from ..services import public


def public_list(request):
    return render(request, "interventions/list.html", public.list_context(request))


def detail(request, public_id):
    context = public.detail_context(public_id)
    if context is None:
        raise Http404
    return render(request, "interventions/detail.html", context)
