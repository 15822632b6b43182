import pytest


@pytest.mark.django_db(transaction=True)
def test_plain_transactional_test_runs_first():
    from wagtail.models import Page

    assert Page.objects.exists()
