from django.apps import AppConfig


class AnnotationsConfig(AppConfig):
    name = "stormwatch.annotations"
    label = "annotations"

    def ready(self) -> None:
        # Adds POST /api/v1/mentions/{id}/labels to the shared API object before URLs load.
        from stormwatch.annotations import api  # noqa: F401
