from django.urls import path, register_converter

from . import views


class LayerConverter:
    regex = r"[a-z0-9_]+(?:-[a-z0-9_]+)*"

    def to_python(self, value):
        return value

    def to_url(self, value):
        return value


register_converter(LayerConverter, "layer")

app_name = "atlas"
urlpatterns = [
    path("atlas/", views.atlas, name="atlas"),
    path("atlas/province/<slug:province>/", views.province, name="province"),
    path("atlas/<layer:slug>/", views.atlas, name="layer"),
    path("atlas/<layer:slug>.svg", views.map_svg, name="svg"),
    path("atlas/<layer:slug>.png", views.map_png, name="png"),
    path("atlas/<layer:slug>.csv", views.table_csv, name="csv"),
]
