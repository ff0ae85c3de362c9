"""Workspace pages of the annotations app, included under /w/<slug>/."""

from django.urls import path

from stormwatch.annotations import views

urlpatterns = [
    path("mentions/<int:mention_id>/labels/", views.mention_labels, name="mention-labels"),
    path("narratives/", views.narrative_list, name="narrative-list"),
    path("teach/", views.teach, name="teach"),
    path("teach/train/<slug:target>/", views.teach_train, name="teach-train"),
    path("teach/models/<int:model_id>/switch/", views.teach_switch, name="teach-switch"),
]
