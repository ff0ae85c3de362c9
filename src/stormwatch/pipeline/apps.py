from django.apps import AppConfig


class PipelineConfig(AppConfig):
    name = "stormwatch.pipeline"
    label = "pipeline"
