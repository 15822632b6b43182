import pytest
from django.db import connection
pytestmark = pytest.mark.browser

def test_check_state(live_site):
    from wagtail.models import Page, Site
    print("SERIALIZED", hasattr(connection, "_test_serialized_contents"), len(getattr(connection, "_test_serialized_contents", "") or ""))
    print("ROOT", Page.get_first_root_node(), Site.objects.count())
    from civicplatform.core.models import AuditEvent
    print("AUDIT", AuditEvent.objects.count())
    assert Page.get_first_root_node() is not None
