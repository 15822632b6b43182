from django.urls import path

from civicplatform.accounts import views

app_name = "accounts"
urlpatterns = [
    path("", views.profile, name="profile"),
]
