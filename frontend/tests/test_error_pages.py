from __future__ import annotations

import pytest
from bs4 import BeautifulSoup
from django.contrib.auth.models import AnonymousUser
from django.test import Client, RequestFactory
from django.utils import translation

from frontend import views

pytestmark = pytest.mark.django_db

HANDLERS = [
    (views.bad_request, 400, "Cette demande n’a pas pu être comprise", "This request could not be understood"),
    (views.permission_denied, 403, "Vous ne pouvez pas faire cela", "You may not do this"),
    (views.page_not_found, 404, "Page non trouvée", "Page not found"),
    (views.server_error, 500, "Une erreur s’est produite de notre côté", "Something went wrong on our side"),
]


def call(handler, request):
    return handler(request) if handler is views.server_error else handler(request, Exception("boom"))


def h1(response) -> str:
    return BeautifulSoup(response.content, "html.parser").find("h1").get_text(strip=True)


@pytest.fixture
def request_(rf: RequestFactory):
    request = rf.get("/quelque-part/")
    request.user = AnonymousUser()
    return request


@pytest.mark.parametrize(("handler", "status", "french", "english"), HANDLERS)
def test_error_handlers_answer_in_french_by_default(request_, handler, status, french, english):
    with translation.override("fr"):
        response = call(handler, request_)
    assert response.status_code == status
    assert h1(response) == french
    html = BeautifulSoup(response.content, "html.parser")
    assert html.find("html")["lang"] == "fr"
    assert html.find("main")
    assert html.find("a", href="/")


@pytest.mark.parametrize(("handler", "status", "french", "english"), HANDLERS)
def test_error_handlers_answer_in_english_when_chosen(request_, handler, status, french, english):
    with translation.override("en"):
        response = call(handler, request_)
    assert response.status_code == status
    assert h1(response) == english
    assert BeautifulSoup(response.content, "html.parser").find("html")["lang"] == "en"


def test_unknown_url_gets_the_localised_404_page(client):
    response = client.get("/cette-page-n-existe-pas/")
    assert response.status_code == 404
    assert h1(response) == "Page non trouvée"
    assert BeautifulSoup(response.content, "html.parser").find("a", href="/recherche/")


def test_unknown_url_in_english_after_choosing_english(client):
    client.post("/i18n/setlang/", {"language": "en", "next": "/"})
    response = client.get("/cette-page-n-existe-pas/")
    assert response.status_code == 404
    assert h1(response) == "Page not found"


def test_expired_form_gets_a_localised_403_that_explains_what_to_do(db):
    client = Client(enforce_csrf_checks=True)
    response = client.post("/i18n/setlang/", {"language": "en"})
    assert response.status_code == 403
    assert h1(response) == "Votre formulaire n’a pas pu être envoyé"


def test_error_page_falls_back_to_a_minimal_page_if_rendering_fails(request_, monkeypatch):
    real = views.loader.render_to_string

    def broken(template, context=None, request=None):
        if template == "errors/500.html":
            raise RuntimeError("database is down")
        return real(template, context, request)

    monkeypatch.setattr(views.loader, "render_to_string", broken)
    with translation.override("fr"):
        response = views.server_error(request_)
    assert response.status_code == 500
    assert h1(response) == "Erreur 500"
