from django.apps import AppConfig


class WebConfig(AppConfig):
    name = "stormwatch.web"
    label = "web"
