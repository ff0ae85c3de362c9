from django.apps import AppConfig


class MonitorsConfig(AppConfig):
    name = "stormwatch.monitors"
    label = "monitors"
