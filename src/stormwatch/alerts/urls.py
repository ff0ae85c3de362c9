"""Alert pages under /w/<slug>/alerts/, spliced into the workspace URL patterns."""

from django.urls import URLPattern, path

from stormwatch.alerts import views

urlpatterns: list[URLPattern] = [
    path("alerts/", views.alert_list, name="alert-list"),
    path("alerts/<int:alert_id>/", views.alert_detail, name="alert-detail"),
    path("alerts/<int:alert_id>/act/", views.alert_act, name="alert-act"),
    path("alerts/rules/<int:monitor_id>/", views.rule_edit, name="alert-rule"),
    path("alerts/rules/<int:monitor_id>/preview/", views.rule_preview, name="alert-rule-preview"),
    path("alerts/channels/", views.channel_list, name="alert-channels"),
    path("alerts/channels/<int:channel_id>/act/", views.channel_act, name="alert-channel-act"),
    path("alerts/channels/digest/", views.digest_edit, name="alert-digest"),
    path("alerts/notifications/", views.note_list, name="alert-notes"),
]
