from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class YouthConfig(AppConfig):
    name = "twinning.youth"
    label = "youth"
    verbose_name = _("Young people")
