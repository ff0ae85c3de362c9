from django.apps import AppConfig


class AlertsConfig(AppConfig):
    name = "stormwatch.alerts"
    label = "alerts"
