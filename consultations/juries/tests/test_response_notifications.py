"""Followers of a jury and its seated members hear about the report, each response and each
progress report, once per event, with a link to the public page."""

from __future__ import annotations

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from civicplatform.accounts.tests.factories import UserFactory
from civicplatform.notifications.models import Notification
from civicplatform.notifications.services import follow

from .. import receivers
from .. import services_response as services
from ..models import Decision, ProgressStatus
from ..signals import progress_reported, report_published, response_published
from .factories_response import make_reported_jury

pytestmark = pytest.mark.django_db


@pytest.fixture
def setup(staff, citizen):
    jury, recommendations, members, former = make_reported_jury(seated=2)
    follow(user=citizen, target=jury)
    follow(user=members[0], target=jury)  # a member who also follows is notified once
    bystander = UserFactory()
    return jury, recommendations, members, former, bystander


def recipients(kind):
    return sorted(Notification.objects.filter(kind=kind).values_list("recipient_id", flat=True))


def test_the_report_is_notified_once_to_followers_and_seated_members(setup, citizen):
    jury, _recommendations, members, former, bystander = setup
    for _ in range(2):  # a signal delivered twice adds nothing
        report_published.send(sender=None, jury=jury, report=jury.report)
    expected = sorted([citizen.pk, members[0].pk, members[1].pk])
    assert recipients(receivers.REPORT_KIND) == expected
    assert former.pk not in expected and bystander.pk not in expected
    notification = Notification.objects.filter(kind=receivers.REPORT_KIND).first()
    assert jury.title in notification.title
    assert notification.url == reverse("juries:report", args=[jury.slug])


def test_a_response_is_notified_once_with_a_link_to_the_recommendation(
    setup, staff, citizen, django_capture_on_commit_callbacks
):
    jury, recommendations, members, _former, _bystander = setup
    with django_capture_on_commit_callbacks(execute=True):
        response = services.response_publish(
            recommendation=recommendations[0], decision=Decision.ACCEPTED, reasons="Oui.", actor=staff
        )
    assert recipients(receivers.RESPONSE_KIND) == sorted([citizen.pk, members[0].pk, members[1].pk])
    notification = Notification.objects.filter(kind=receivers.RESPONSE_KIND, recipient=citizen).get()
    assert notification.url == reverse("juries:recommendation", args=[jury.slug, 1])
    assert "R1" in notification.title
    response_published.send(sender=None, jury=jury, response=response, created=True)
    # A correction is dated on the page but not notified again.
    with django_capture_on_commit_callbacks(execute=True):
        services.response_publish(
            recommendation=recommendations[0], decision=Decision.PARTLY, reasons="En partie.", actor=staff
        )
    assert Notification.objects.filter(kind=receivers.RESPONSE_KIND).count() == 3


def test_each_progress_report_is_notified_once(setup, staff, citizen, django_capture_on_commit_callbacks):
    jury, recommendations, members, _former, _bystander = setup
    services.response_publish(
        recommendation=recommendations[0], decision=Decision.ACCEPTED, reasons="Oui.", actor=staff
    )
    with django_capture_on_commit_callbacks(execute=True):
        first = services.progress_report_add(
            recommendation=recommendations[0],
            status=ProgressStatus.IN_PROGRESS,
            text="Lancé.",
            reported_on=timezone.localdate() - datetime.timedelta(days=3),
            actor=staff,
        )
    with django_capture_on_commit_callbacks(execute=True):
        services.progress_report_add(
            recommendation=recommendations[0],
            status=ProgressStatus.DONE,
            text="Fini.",
            reported_on=timezone.localdate(),
            actor=staff,
        )
    progress_reported.send(sender=None, jury=jury, progress=first)
    assert Notification.objects.filter(kind=receivers.PROGRESS_KIND).count() == 6
    assert Notification.objects.filter(kind=receivers.PROGRESS_KIND, recipient=members[1]).count() == 2
    link = Notification.objects.filter(kind=receivers.PROGRESS_KIND).first().url
    assert link.startswith(reverse("juries:recommendation", args=[jury.slug, 1]))


def test_the_staff_member_who_acts_is_not_notified_of_their_own_action(
    setup, staff, django_capture_on_commit_callbacks
):
    jury, recommendations, _members, _former, _bystander = setup
    follow(user=staff, target=jury)
    with django_capture_on_commit_callbacks(execute=True):
        services.response_publish(
            recommendation=recommendations[0], decision=Decision.REJECTED, reasons="Non.", actor=staff
        )
    assert not Notification.objects.filter(recipient=staff).exists()


def test_nothing_is_sent_for_an_unpublished_jury(setup):
    jury, _recommendations, _members, _former, _bystander = setup
    jury.published = False
    jury.save()
    report_published.send(sender=None, jury=jury, report=jury.report)
    assert not Notification.objects.exists()


def test_the_three_kinds_are_registered_for_the_preferences_page():
    from civicplatform.notifications.kinds import is_registered

    assert all(
        is_registered(kind) for kind in (receivers.REPORT_KIND, receivers.RESPONSE_KIND, receivers.PROGRESS_KIND)
    )
