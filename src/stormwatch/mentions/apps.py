from django.apps import AppConfig


class MentionsConfig(AppConfig):
    name = "stormwatch.mentions"
    label = "mentions"
