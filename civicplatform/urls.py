from __future__ import annotations

from django.conf import settings
from django.contrib import admin
from django.urls import include, path
from django.views.i18n import JavaScriptCatalog
from wagtail import urls as wagtail_urls
from wagtail.admin import urls as wagtailadmin_urls
from wagtail.documents import urls as wagtaildocs_urls

from civicplatform.core import views as core_views
from cms import views as cms_views
from opendata.api import api as opendata_api

handler400 = "frontend.views.bad_request"
handler403 = "frontend.views.permission_denied"
handler404 = "frontend.views.page_not_found"
handler500 = "frontend.views.server_error"

urlpatterns = [
    path("healthz", core_views.healthz, name="healthz"),
    path("i18n/", include("django.conf.urls.i18n")),
    path("jsi18n/", JavaScriptCatalog.as_view(), name="javascript-catalog"),
    path("comptes/", include("allauth.urls")),
    path("moi/", include("civicplatform.accounts.urls")),
    path("verification/", include("civicplatform.verification.urls")),
    path("franceconnect/", include("civicplatform.franceconnect.urls")),
    path("moderation/", include("civicplatform.moderation.urls")),
    path("notifications/", include("civicplatform.notifications.urls")),
    path("forums/", include("forums.urls")),
    path("budgets/", include("budgets.urls")),
    path("petitions/", include("petitions.urls")),
    path("jurys/", include("consultations.juries.urls")),
    path("consultations/", include("consultations.urls")),
    path("open-data/", include("opendata.urls")),
    path("api/v1/", opendata_api.urls),
    path("admin/", include(wagtailadmin_urls)),
    path("django-admin/", admin.site.urls),
    path("documents/", include(wagtaildocs_urls)),
    path("recherche/", cms_views.search, name="search"),
]

if settings.DEBUG:
    from django.conf.urls.static import static

    urlpatterns += static(settings.MEDIA_URL, document_root=settings.MEDIA_ROOT)

# Wagtail serves every other path from the page tree: keep it last.
urlpatterns += [path("", include(wagtail_urls))]
