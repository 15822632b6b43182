from __future__ import annotations

import pytest
from django.urls import reverse

from civicplatform.accounts.tests.factories import UserFactory
from civicplatform.notifications import kinds
from civicplatform.notifications.kinds import DeliveryMode
from civicplatform.notifications.models import NotificationPreference

pytestmark = pytest.mark.django_db

URL = reverse("notifications:preferences")


def _all(mode: str) -> dict[str, str]:
    return {kind.key: mode for kind in kinds.all_kinds()}


def test_anonymous_is_sent_to_login(client):
    response = client.get(URL)

    assert response.status_code == 302
    assert response["Location"].startswith(reverse("account_login"))


def test_each_kind_is_an_accessible_radio_group_with_the_current_choice_checked(client, resident):
    NotificationPreference.objects.create(user=resident, kind=kinds.MENTION, delivery=DeliveryMode.DIGEST)
    client.force_login(resident)

    html = client.get(URL).content.decode()

    assert html.count("field--radioselect") == len(kinds.all_kinds())
    assert "<legend>Mentions " in html
    assert "<legend>Modération de vos contributions" in html
    assert html.count('type="radio"') == 3 * len(kinds.all_kinds())
    assert 'name="mention" value="digest" required id="id_mention_1" checked' in html
    # defaults apply where no choice was made yet
    assert 'name="followed_update" value="digest" required id="id_followed_update_1" checked' in html
    assert 'name="moderation" value="immediate" required id="id_moderation_0" checked' in html


def test_a_desk_account_is_told_it_gets_no_email(client):
    desk_person = UserFactory(email=None, pseudonym="Guichet")
    client.force_login(desk_person)

    assert "aucune adresse e-mail" in client.get(URL).content.decode()


def test_the_page_accepts_only_get_and_post(client, resident):
    client.force_login(resident)

    assert client.put(URL).status_code == 405


def test_an_unknown_choice_is_refused_and_the_other_choices_are_kept(client, resident):
    client.force_login(resident)
    data = _all(DeliveryMode.OFF) | {kinds.MENTION: "every-hour"}

    response = client.post(URL, data)

    assert response.status_code == 400
    html = response.content.decode()
    assert "error-summary" in html
    assert "Sélectionnez un choix valide" in html
    assert 'name="moderation" value="off" required id="id_moderation_2" checked' in html
    assert not NotificationPreference.objects.exists()


def test_a_missing_choice_is_explained(client, resident):
    client.force_login(resident)
    data = _all(DeliveryMode.OFF)
    del data[kinds.ACCOUNT]

    response = client.post(URL, data)

    assert response.status_code == 400
    assert "Choisissez comment recevoir ces notifications." in response.content.decode()


def test_choices_are_saved_per_kind(client, resident):
    NotificationPreference.objects.create(user=resident, kind=kinds.MENTION, delivery=DeliveryMode.DIGEST)
    client.force_login(resident)
    data = _all(DeliveryMode.IMMEDIATE) | {kinds.MENTION: DeliveryMode.OFF}

    response = client.post(URL, data, follow=True)

    assert response.redirect_chain == [(URL, 302)]
    assert "Vos préférences de notification sont enregistrées." in response.content.decode()
    saved = dict(NotificationPreference.objects.filter(user=resident).values_list("kind", "delivery"))
    assert saved == _all(DeliveryMode.IMMEDIATE) | {kinds.MENTION: DeliveryMode.OFF}
