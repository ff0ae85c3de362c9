from django.contrib.auth import views as auth_views
from django.urls import URLPattern, URLResolver, include, path
from django.views.i18n import set_language

from stormwatch.alerts import urls as alerts_urls  # [alerts import]
from stormwatch.annotations import urls as annotations_urls  # [enrichment import]
from stormwatch.api.views import api
from stormwatch.sources import views as sources_views
from stormwatch.web import views_mentions, views_monitors, views_workspace

workspace_patterns = [
    path("", views_mentions.overview, name="overview"),
    path("mentions/", views_mentions.mention_stream, name="mention-stream"),
    path("mentions/new/", views_mentions.mention_stream_new, name="mention-stream-new"),
    path("mentions/<int:mention_id>/", views_mentions.mention_detail, name="mention-detail"),
    path("monitors/", views_monitors.monitor_list, name="monitor-list"),
    path("monitors/new/", views_monitors.monitor_new, name="monitor-new"),
    path("monitors/preview/", views_monitors.monitor_preview, name="monitor-preview"),
    path("monitors/<int:monitor_id>/", views_monitors.monitor_edit, name="monitor-edit"),
    path("monitors/<int:monitor_id>/delete/", views_monitors.monitor_delete, name="monitor-delete"),
    path("tokens/", views_workspace.api_tokens, name="api-tokens"),
    *alerts_urls.urlpatterns,
    # [alerts pages go here]
    path("sources/", sources_views.source_list, name="source-list"),
    path("sources/new/", sources_views.source_kinds, name="source-kinds"),
    path("sources/new/<slug:kind>/", sources_views.source_new, name="source-new"),
    path("sources/test/<slug:kind>/", sources_views.source_test, name="source-test"),
    path("sources/<int:source_id>/switch/", sources_views.source_switch, name="source-switch"),
    path("sources/<int:source_id>/delete/", sources_views.source_delete, name="source-delete"),
    path("sources/own-accounts/", sources_views.own_account_add, name="own-account-add"),
    path(
        "sources/own-accounts/<int:account_id>/delete/",
        sources_views.own_account_delete,
        name="own-account-delete",
    ),
    path("sources/<int:source_id>/edit/", sources_views.source_edit, name="source-edit"),
    # [sources pages go here]
    *annotations_urls.urlpatterns,
    # [enrichment pages go here]
]

auth_patterns = [
    path("login/", auth_views.LoginView.as_view(template_name="web/login.html"), name="login"),
    path("logout/", auth_views.LogoutView.as_view(), name="logout"),
    path(
        "password-reset/",
        auth_views.PasswordResetView.as_view(template_name="web/password_reset.html"),
        name="password_reset",
    ),
    path(
        "password-reset/sent/",
        auth_views.PasswordResetDoneView.as_view(template_name="web/password_reset_done.html"),
        name="password_reset_done",
    ),
    path(
        "password-reset/<uidb64>/<token>/",
        auth_views.PasswordResetConfirmView.as_view(
            template_name="web/password_reset_confirm.html"
        ),
        name="password_reset_confirm",
    ),
    path(
        "password-reset/done/",
        auth_views.PasswordResetCompleteView.as_view(
            template_name="web/password_reset_complete.html"
        ),
        name="password_reset_complete",
    ),
]

urlpatterns: list[URLPattern | URLResolver] = [
    path("", views_workspace.home, name="home"),
    path("healthz", views_workspace.healthz, name="healthz"),
    path("readyz", views_workspace.readyz, name="readyz"),
    path("i18n/setlang/", set_language, name="set_language"),
    path("api/v1/", api.urls),
    path("w/<slug:slug>/", include(workspace_patterns)),
    *auth_patterns,
]
