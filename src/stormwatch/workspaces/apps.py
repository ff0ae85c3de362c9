from django.apps import AppConfig


class WorkspacesConfig(AppConfig):
    name = "stormwatch.workspaces"
    label = "workspaces"
