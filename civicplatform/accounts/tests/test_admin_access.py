"""The back office refuses people without access with a page, never a redirect loop."""

from __future__ import annotations

import pytest

pytestmark = pytest.mark.django_db


def test_a_logged_in_citizen_opening_the_back_office_gets_a_refusal_not_a_loop(client, citizen):
    client.force_login(citizen)
    response = client.get("/admin/", follow=True)
    assert response.status_code == 403
    assert len(response.redirect_chain) == 1
    assert response.templates[0].name == "errors/403.html"


def test_a_visitor_opening_the_back_office_is_asked_to_log_in_and_comes_back(client):
    response = client.get("/admin/", follow=True)
    assert response.status_code == 200
    final_url, _status = response.redirect_chain[-1]
    assert final_url.startswith("/comptes/login/")
    assert "next=%2Fadmin%2F" in final_url
