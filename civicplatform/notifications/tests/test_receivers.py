from __future__ import annotations

import pytest

from civicplatform.moderation import signals
from civicplatform.notifications import kinds
from civicplatform.notifications.models import Notification

pytestmark = pytest.mark.django_db


@pytest.fixture
def contribution(district, resident):
    """Stands for any moderated content: what moderation's signals rely on is get_moderation_author()."""
    district.get_moderation_author = lambda: resident
    district.get_absolute_url = lambda: "/forums/parc-des-mauves/#commentaire-12"
    return district


def test_the_author_is_told_why_their_contribution_was_hidden(
    contribution, resident, staff, mailoutbox, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        signals.content_hidden.send(
            sender=type(contribution), instance=contribution, actor=staff, reason="Propos injurieux envers un voisin."
        )

    notification = Notification.objects.get(recipient=resident)
    assert notification.kind == kinds.MODERATION
    assert notification.title == "Votre contribution a été masquée par un modérateur"
    assert "Propos injurieux envers un voisin." in notification.body
    assert notification.url == "/forums/parc-des-mauves/#commentaire-12"
    assert notification.actor == staff
    assert len(mailoutbox) == 1  # moderation e-mails go out immediately by default
    assert "Propos injurieux envers un voisin." in mailoutbox[0].body


def test_automatic_hiding_after_reports_says_a_moderator_will_review(contribution, resident):
    signals.content_hidden.send(
        sender=type(contribution), instance=contribution, actor=None, reason="Masqué après plusieurs signalements."
    )

    notification = Notification.objects.get(recipient=resident)
    assert notification.title == "Votre contribution a été masquée après plusieurs signalements"
    assert "modérateur" in notification.body


def test_the_author_is_told_when_their_contribution_is_visible_again(contribution, resident, staff):
    signals.content_restored.send(
        sender=type(contribution), instance=contribution, actor=staff, reason="Note interne : erreur de signalement"
    )

    notification = Notification.objects.get(recipient=resident)
    assert notification.title == "Votre contribution est de nouveau visible"
    assert "Note interne" not in notification.body


def test_content_without_an_author_notifies_nobody(district, staff):
    district.get_moderation_author = lambda: None

    signals.content_hidden.send(sender=type(district), instance=district, actor=staff, reason="Spam")

    assert not Notification.objects.exists()
