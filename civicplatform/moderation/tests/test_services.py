from __future__ import annotations

import pytest
from django.contrib.auth.models import AnonymousUser
from django.core.exceptions import PermissionDenied, ValidationError

from civicplatform.accounts.tests.factories import StaffFactory, UserFactory
from civicplatform.core.models import AuditEvent
from civicplatform.moderation import services, signals
from civicplatform.moderation.models import ModerationState, Report, ReportCategory, ReportResolution, UserBlock
from civicplatform.moderation.selectors import user_is_blocked
from civicplatform.moderation.tests.factories import NoteFactory

pytestmark = pytest.mark.django_db


class SignalRecorder:
    def __init__(self, signal):
        self.calls: list[dict] = []
        self.signal = signal

    def __call__(self, sender, **kwargs):
        self.calls.append({"sender": sender, **kwargs})

    def __enter__(self):
        self.signal.connect(self, weak=False)
        return self

    def __exit__(self, *exc):
        self.signal.disconnect(self)


def report(content, reporter=None, ip="ip-1", category=ReportCategory.SPAM, note=""):
    return services.report_create(content=content, category=category, note=note, reporter=reporter, ip_hash=ip)


# ---------------------------------------------------------------- reports


def test_a_citizen_report_is_recorded_with_the_space_of_the_content(citizen, note_a, space_a):
    created_report, created = report(note_a, citizen, category=ReportCategory.OFFENSIVE, note="  Insult  ")
    assert created
    created_report.refresh_from_db()
    assert created_report.content == note_a
    assert created_report.reporter == citizen
    assert created_report.reporter_key == f"user:{citizen.pk}"
    assert created_report.ip_hash == ""
    assert created_report.note == "Insult"
    assert (created_report.space_type.model_class(), created_report.space_id) == (type(space_a), str(space_a.pk))


def test_a_second_report_by_the_same_person_changes_nothing(citizen, note_a):
    first, _ = report(note_a, citizen)
    again, created = report(note_a, citizen, category=ReportCategory.OTHER, note="again")
    assert not created
    assert again == first
    assert Report.objects.count() == 1


def test_anonymous_reports_are_told_apart_by_hashed_ip(note_a):
    report(note_a, AnonymousUser(), ip="hash-a")
    _, created_again = report(note_a, AnonymousUser(), ip="hash-a")
    _, created_other = report(note_a, None, ip="hash-b")
    assert not created_again
    assert created_other
    assert sorted(Report.objects.values_list("reporter_key", flat=True)) == ["ip:hash-a", "ip:hash-b"]
    assert not Report.objects.filter(reporter__isnull=False).exists()


def test_an_author_cannot_report_their_own_content(resident, note_a):
    with pytest.raises(PermissionDenied):
        report(note_a, resident)
    assert not Report.objects.exists()


def test_hidden_content_cannot_be_reported(citizen, space_a):
    note = NoteFactory(space=space_a, moderation_state=ModerationState.HIDDEN, moderation_reason="Spam")
    with pytest.raises(PermissionDenied):
        report(note, citizen)


def test_an_unknown_category_is_refused(citizen, note_a):
    with pytest.raises(ValidationError):
        report(note_a, citizen, category="boring")


def test_content_is_hidden_automatically_after_n_distinct_reporters(
    settings, note_a, django_capture_on_commit_callbacks
):
    settings.MODERATION_AUTO_HIDE_REPORTS = 3
    with SignalRecorder(signals.content_hidden) as hidden, django_capture_on_commit_callbacks(execute=True):
        report(note_a, None, ip="a")
        report(note_a, None, ip="a")  # the same person twice counts once
        report(note_a, None, ip="b")
        note_a.refresh_from_db()
        assert note_a.moderation_state == ModerationState.VISIBLE
        report(note_a, UserFactory())
    note_a.refresh_from_db()
    assert note_a.moderation_state == ModerationState.AUTO_HIDDEN
    assert note_a.public_moderation_reason == "Masqué en attente de modération après plusieurs signalements"
    event = AuditEvent.objects.get(action="moderation.content_auto_hide")
    assert event.actor is None
    assert event.data["reports"] == 3
    assert len(hidden.calls) == 1
    assert hidden.calls[0]["actor"] is None
    assert hidden.calls[0]["instance"].pk == note_a.pk


def test_reports_already_decided_do_not_count_towards_automatic_hiding(settings, note_a, moderator_a):
    settings.MODERATION_AUTO_HIDE_REPORTS = 2
    report(note_a, None, ip="a")
    services.reports_dismiss(content=note_a, actor=moderator_a)
    report(note_a, None, ip="b")
    note_a.refresh_from_db()
    assert note_a.moderation_state == ModerationState.VISIBLE


# ---------------------------------------------------------------- decisions


def test_a_moderator_hides_content_with_a_public_reason(moderator_a, note_a, django_capture_on_commit_callbacks):
    report(note_a, None, ip="a")
    with SignalRecorder(signals.content_hidden) as hidden:
        with django_capture_on_commit_callbacks() as callbacks:
            services.content_hide(content=note_a, actor=moderator_a, reason="Insult (charter, rule 2)")
        assert hidden.calls == []  # nothing is announced before the commit
        for callback in callbacks:
            callback()
    note_a.refresh_from_db()
    assert note_a.moderation_state == ModerationState.HIDDEN
    assert note_a.public_moderation_reason == "Insult (charter, rule 2)"
    assert note_a.moderated_at is not None
    assert Report.objects.get().resolution == ReportResolution.HIDDEN
    event = AuditEvent.objects.for_target(note_a).get()
    assert (event.action, event.actor) == ("moderation.content_hide", moderator_a)
    assert event.reason == "Insult (charter, rule 2)"
    assert event.data["reports_resolved"] == 1
    assert hidden.calls[0]["actor"] == moderator_a
    assert hidden.calls[0]["reason"] == "Insult (charter, rule 2)"


def test_hiding_needs_a_reason(moderator_a, note_a):
    with pytest.raises(ValidationError) as excinfo:
        services.content_hide(content=note_a, actor=moderator_a, reason="   ")
    assert "reason" in excinfo.value.message_dict
    assert not AuditEvent.objects.exists()


def test_a_moderator_of_another_space_cannot_hide(moderator_b, note_a):
    with pytest.raises(PermissionDenied):
        services.content_hide(content=note_a, actor=moderator_b, reason="Off-topic")
    note_a.refresh_from_db()
    assert note_a.moderation_state == ModerationState.VISIBLE


def test_restoring_content_clears_the_public_reason_and_keeps_the_internal_one(
    moderator_a, note_a, django_capture_on_commit_callbacks
):
    services.content_hide(content=note_a, actor=moderator_a, reason="Doubtful")
    with SignalRecorder(signals.content_restored) as restored, django_capture_on_commit_callbacks(execute=True):
        services.content_restore(content=note_a, actor=moderator_a, reason="Checked: it is a fair criticism")
    note_a.refresh_from_db()
    assert note_a.moderation_state == ModerationState.VISIBLE
    assert note_a.moderation_reason == ""
    event = AuditEvent.objects.get(action="moderation.content_restore")
    assert event.reason == "Checked: it is a fair criticism"
    assert event.data["previous_state"] == ModerationState.HIDDEN
    assert restored.calls[0]["reason"] == "Checked: it is a fair criticism"


def test_visible_content_cannot_be_restored(moderator_a, note_a):
    with pytest.raises(ValidationError):
        services.content_restore(content=note_a, actor=moderator_a, reason="Why not")


def test_dismissing_reports_shows_automatically_hidden_content_again(
    settings, moderator_a, note_a, django_capture_on_commit_callbacks
):
    settings.MODERATION_AUTO_HIDE_REPORTS = 2
    report(note_a, None, ip="a")
    report(note_a, None, ip="b")
    note_a.refresh_from_db()
    assert note_a.moderation_state == ModerationState.AUTO_HIDDEN
    with SignalRecorder(signals.content_restored) as restored, django_capture_on_commit_callbacks(execute=True):
        count = services.reports_dismiss(content=note_a, actor=moderator_a, reason="Legitimate opinion")
    assert count == 2
    note_a.refresh_from_db()
    assert note_a.moderation_state == ModerationState.VISIBLE
    assert set(Report.objects.values_list("resolution", flat=True)) == {ReportResolution.DISMISSED}
    assert AuditEvent.objects.get(action="moderation.reports_dismiss").data["restored"] is True
    assert len(restored.calls) == 1


def test_dismissing_without_open_reports_is_refused(moderator_a, note_a):
    with pytest.raises(ValidationError):
        services.reports_dismiss(content=note_a, actor=moderator_a)


def test_a_failing_receiver_does_not_undo_the_decision(moderator_a, note_a, django_capture_on_commit_callbacks):
    def broken(sender, **kwargs):
        raise RuntimeError("notifications are down")

    signals.content_hidden.connect(broken)
    try:
        with django_capture_on_commit_callbacks(execute=True):
            services.content_hide(content=note_a, actor=moderator_a, reason="Spam")
    finally:
        signals.content_hidden.disconnect(broken)
    note_a.refresh_from_db()
    assert note_a.moderation_state == ModerationState.HIDDEN


# ---------------------------------------------------------------- blocks


def test_blocking_a_person_is_justified_audited_and_announced(
    site_moderator, resident, note_a, django_capture_on_commit_callbacks
):
    with SignalRecorder(signals.user_blocked) as blocked, django_capture_on_commit_callbacks(execute=True):
        block = services.user_block(user=resident, actor=site_moderator, reason="Repeated insults", content=note_a)
    assert user_is_blocked(resident)
    assert block.blocked_by == site_moderator
    event = AuditEvent.objects.get(action="moderation.user_block")
    assert (event.actor, event.reason) == (site_moderator, "Repeated insults")
    assert event.data["public_id"] == str(note_a.public_id)
    assert blocked.calls[0]["user"] == resident
    assert not resident.has_perm("moderation.report_content", NoteFactory())


def test_blocking_twice_is_refused(site_moderator, resident):
    services.user_block(user=resident, actor=site_moderator, reason="Insults")
    with pytest.raises(ValidationError):
        services.user_block(user=resident, actor=site_moderator, reason="Again")
    assert UserBlock.objects.count() == 1


def test_a_space_moderator_cannot_block(moderator_a, resident):
    with pytest.raises(PermissionDenied):
        services.user_block(user=resident, actor=moderator_a, reason="Insults")


def test_even_a_superuser_cannot_block_staff_or_themselves():
    boss = StaffFactory(is_superuser=True)
    with pytest.raises(PermissionDenied):
        services.user_block(user=boss, actor=boss, reason="Test")
    with pytest.raises(PermissionDenied):
        services.user_block(user=StaffFactory(), actor=boss, reason="Test")


def test_unblocking_keeps_the_story_in_the_audit_log(site_moderator, resident, django_capture_on_commit_callbacks):
    block = services.user_block(user=resident, actor=site_moderator, reason="Insults")
    with SignalRecorder(signals.user_unblocked) as unblocked, django_capture_on_commit_callbacks(execute=True):
        services.user_unblock(block=block, actor=site_moderator, reason="Apologised in person")
    assert not user_is_blocked(resident)
    event = AuditEvent.objects.get(action="moderation.user_unblock")
    assert event.reason == "Apologised in person"
    assert event.data["block_reason"] == "Insults"
    assert unblocked.calls[0]["user"] == resident


def test_unblocking_needs_a_reason(site_moderator, blocked):
    with pytest.raises(ValidationError):
        services.user_unblock(block=blocked.block, actor=site_moderator, reason="")
    assert user_is_blocked(blocked)


# ---------------------------------------------------------------- moderator assignments


def test_staff_name_a_moderator_of_one_space(staff, citizen, space_a, note_a, note_b):
    assignment = services.moderator_assign(
        user=citizen, actor=staff, space=space_a, title="Adjoint au maire", is_elected_official=True
    )
    assert assignment.space == space_a
    assert citizen.has_perm("moderation.moderate_content", note_a)
    assert not citizen.has_perm("moderation.moderate_content", note_b)
    event = AuditEvent.objects.get(action="moderation.moderator_assign")
    assert (event.actor, event.target_id) == (staff, str(citizen.pk))
    assert event.data["title"] == "Adjoint au maire"


def test_removing_an_assignment_removes_the_rights(staff, citizen, space_a, note_a):
    assignment = services.moderator_assign(user=citizen, actor=staff, space=space_a)
    services.moderator_unassign(assignment=assignment, actor=staff)
    assert not citizen.has_perm("moderation.moderate_content", note_a)
    assert AuditEvent.objects.filter(action="moderation.moderator_unassign").exists()


def test_only_staff_name_moderators(moderator_a, citizen):
    with pytest.raises(PermissionDenied):
        services.moderator_assign(user=citizen, actor=moderator_a)


def test_a_person_is_not_named_twice_for_the_same_space(staff, citizen, space_a):
    services.moderator_assign(user=citizen, actor=staff, space=space_a)
    with pytest.raises(ValidationError):
        services.moderator_assign(user=citizen, actor=staff, space=space_a)
