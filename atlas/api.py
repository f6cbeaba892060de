"""Open data: every atlas layer as JSON or CSV, suppressed under 5 as on the public pages."""

import math

from django.http import Http404, HttpResponse
from django.urls import path
from django.utils import translation

from drf_spectacular.utils import OpenApiResponse, extend_schema, inline_serializer
from rest_framework import serializers
from rest_framework.permissions import AllowAny
from rest_framework.renderers import JSONRenderer
from rest_framework.response import Response
from rest_framework.views import APIView

from . import aggregates, layers
from . import render as draw


class AtlasAPIView(APIView):
    """Read-only, no session; labels in the language of Accept-Language (Persian by default)."""

    authentication_classes = []
    permission_classes = [AllowAny]
    renderer_classes = [JSONRenderer]

    def dispatch(self, request, *args, **kwargs):
        with translation.override(translation.get_language_from_request(request, check_path=False)):
            response = super().dispatch(request, *args, **kwargs)
            if hasattr(response, "render") and not response.is_rendered:
                response.render()
            return response


def _layer(slug: str, figures: dict) -> layers.Layer:
    layer = layers.get(slug, figures)
    if layer is None:
        raise Http404
    return layer


LAYER_SUMMARIES = inline_serializer(
    "AtlasLayerSummary",
    fields={
        "slug": serializers.CharField(),
        "title": serializers.CharField(),
        "group": serializers.CharField(),
        "legend": serializers.CharField(),
        "json": serializers.CharField(),
        "csv": serializers.CharField(),
    },
    many=True,
)
LAYER = inline_serializer(
    "AtlasLayer",
    {
        "slug": serializers.CharField(),
        "title": serializers.CharField(),
        "legend": serializers.CharField(),
        "data_at": serializers.DateTimeField(help_text="When the figures were counted."),
        "suppressed_below": serializers.IntegerField(),
        "national_ratio": serializers.FloatField(
            required=False,
            allow_null=True,
            help_text="Gap layer only: verified problems per able group over all provinces.",
        ),
        "provinces": inline_serializer(
            "AtlasProvince",
            {
                "province": serializers.CharField(),
                "name": serializers.CharField(),
                "count": serializers.IntegerField(
                    allow_null=True,
                    help_text="null when the count is under suppressed_below "
                    "(gap layer: the verified problems).",
                ),
                "suppressed": serializers.BooleanField(),
                "level": serializers.IntegerField(
                    help_text="The colour class, 0 (suppressed or none) to 5."
                ),
                "able_groups": serializers.IntegerField(
                    required=False,
                    allow_null=True,
                    help_text="Gap layer only: approved groups able to address the problems; "
                    "null when under suppressed_below (and not 0).",
                ),
                "ratio": serializers.FloatField(
                    required=False,
                    allow_null=True,
                    help_text="Gap layer only: verified problems per able group; null when "
                    "suppressed or when no group is able (able_groups 0).",
                ),
            },
            many=True,
        ),
    },
)


class LayerList(AtlasAPIView):
    @extend_schema(
        tags=["atlas"],
        summary="The atlas's layers",
        responses={
            200: LAYER_SUMMARIES,
            400: OpenApiResponse(description="A query string with a NUL character."),
        },
    )
    def get(self, request):
        return Response(
            [
                {
                    "slug": layer.slug,
                    "title": str(layer.title),
                    "group": str(layer.group),
                    "legend": str(layer.legend),
                    "json": request.build_absolute_uri(f"/api/atlas/{layer.slug}/"),
                    "csv": request.build_absolute_uri(f"/api/atlas/{layer.slug}.csv"),
                }
                for layer in layers.all_layers(aggregates.current())
            ]
        )


class LayerDetail(AtlasAPIView):
    @extend_schema(
        tags=["atlas"],
        summary="One layer: a count per province",
        responses={200: LAYER, 404: OpenApiResponse(description="No such layer.")},
    )
    def get(self, request, slug):
        figures = aggregates.current()
        layer = _layer(slug, figures)
        body = {
            "slug": layer.slug,
            "title": str(layer.title),
            "legend": str(layer.legend),
            "data_at": figures["at"],
            "suppressed_below": layers.SUPPRESS_BELOW,
            "provinces": [_province(layer, cell) for cell in layers.cells(layer, figures)],
        }
        if layer.kind == "gap":
            national = layers.national_ratio(figures)
            body["national_ratio"] = None if national is None else round(national, 4)
        return Response(body)


def _province(layer: layers.Layer, cell: layers.Cell) -> dict:
    row = {
        "province": cell.province,
        "name": cell.name,
        "count": cell.count,
        "suppressed": cell.count is None,
        "level": cell.level,
    }
    if layer.kind == "gap":
        finite = cell.ratio is not None and not math.isinf(cell.ratio)
        row["able_groups"] = cell.able
        row["ratio"] = round(cell.ratio, 4) if finite else None
    return row


class LayerCSV(AtlasAPIView):
    @extend_schema(
        tags=["atlas"],
        summary="One layer as CSV (province, province_name, count, suppressed, data_at)",
        responses={
            (200, "text/csv"): OpenApiResponse(description="CSV, UTF-8."),
            404: OpenApiResponse(description="No such layer."),
        },
    )
    def get(self, request, slug):
        figures = aggregates.current()
        text = draw.table_csv(_layer(slug, figures), figures)
        return HttpResponse(text, content_type="text/csv; charset=utf-8")


urlpatterns = [
    path("", LayerList.as_view(), name="api-atlas"),
    path("<str:slug>.csv", LayerCSV.as_view(), name="api-atlas-csv"),
    path("<str:slug>/", LayerDetail.as_view(), name="api-atlas-layer"),
]
