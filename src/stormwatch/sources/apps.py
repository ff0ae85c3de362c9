from django.apps import AppConfig


class SourcesConfig(AppConfig):
    name = "stormwatch.sources"
    label = "sources"

    def ready(self) -> None:
        # Adds /api/v1/sources routes to the shared API object before URLs load.
        from stormwatch.sources import api  # noqa: F401
