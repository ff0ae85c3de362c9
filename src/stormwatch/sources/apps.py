from django.apps import AppConfig


class SourcesConfig(AppConfig):
    name = "stormwatch.sources"
    label = "sources"
