"""Each moderation page: one h1, the main landmark, and a label for every field."""

from __future__ import annotations

from html.parser import HTMLParser

import pytest
from django.urls import reverse

from civicplatform.moderation import services
from civicplatform.moderation.models import ReportCategory

pytestmark = pytest.mark.django_db


class PageStructure(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.h1 = 0
        self.main = 0
        self.labels: set[str] = set()
        self.fields: list[str] = []

    def handle_starttag(self, tag, attrs):
        attributes = dict(attrs)
        if tag == "h1":
            self.h1 += 1
        elif tag == "main":
            self.main += 1
        elif tag == "label" and attributes.get("for"):
            self.labels.add(attributes["for"])
        elif tag in ("input", "select", "textarea") and attributes.get("type") not in ("hidden", "submit"):
            self.fields.append(attributes.get("id") or attributes.get("name") or "?")


def check(response) -> None:
    assert response.status_code in (200, 400)
    page = PageStructure()
    page.feed(response.content.decode())
    assert page.h1 == 1
    assert page.main == 1
    # radio buttons are labelled by their own <label for=...> inside the fieldset
    unlabelled = [field for field in page.fields if field not in page.labels]
    assert not unlabelled, f"fields without a label: {unlabelled}"


def test_the_report_page_is_well_formed(client, note_a):
    check(client.get(reverse("moderation:report", args=["moderation.note", note_a.public_id])))


def test_the_report_page_with_errors_is_well_formed(client, note_a):
    check(client.post(reverse("moderation:report", args=["moderation.note", note_a.public_id]), {}))


def test_the_moderator_pages_are_well_formed(client, staff, note_a, blocked):
    services.report_create(content=note_a, category=ReportCategory.SPAM, ip_hash="a")
    client.force_login(staff)
    check(client.get(reverse("moderation:queue")))
    check(client.get(reverse("moderation:content", args=["moderation.note", note_a.public_id])))
    check(client.get(reverse("moderation:blocked_users")))
    check(client.get(reverse("moderation:audit_log")))
