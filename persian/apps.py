from django.apps import AppConfig


class PersianConfig(AppConfig):
    # An app only so Django finds the `{% load persian %}` template library.
    name = "persian"
    verbose_name = "Persian"
