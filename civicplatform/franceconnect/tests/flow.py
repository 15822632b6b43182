"""The browser's round trips through the fake FranceConnect, shared by the test modules."""

from __future__ import annotations

from urllib.parse import parse_qs, urlsplit

from django.urls import reverse


def start_login(client, **data) -> str:
    """Press the button; returns the FranceConnect authorization URL the browser is sent to."""
    response = client.post(reverse("franceconnect:login"), data)
    assert response.status_code == 302, response.status_code
    return response["Location"]


def query(url: str) -> dict[str, str]:
    return {key: values[0] for key, values in parse_qs(urlsplit(url).query).items()}


def come_back(client, fake, authorization_url: str, **extra):
    """FranceConnect sends the browser back to the callback with a code and the state."""
    code = fake.authorize(authorization_url)
    params = {"code": code, "state": query(authorization_url)["state"]} | extra
    return client.get(reverse("franceconnect:callback"), params)


def fc_login(client, fake, **data):
    return come_back(client, fake, start_login(client, **data))
