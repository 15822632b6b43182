"""Personal data of signers: anonymised a set time after a petition closes (GDPR art. 5(1)(e)).

Signing a petition can reveal a political opinion (GDPR art. 9), so names,
addresses, e-mails, connection hashes and the link to an account are removed
RETENTION_DAYS["petition_signatures"] days (default 183, six months) after the
petition closed, was rejected or was archived. What stays is what public
aggregates need: the date of each signature, its district and its state.
"""

from __future__ import annotations

import datetime

from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from ..models import Petition, QuarterSignature, Signature

ANONYMISED_FIELDS = {
    "user": None,
    "name": "",
    "email": None,
    "email_canonical": None,
    "postal_code": "",
    "identity_encrypted": "",
    "ip_hash": "",
    "consent_at": None,
    "public_name": False,
}


def signatures_anonymise(cutoff: datetime.datetime) -> int:
    """Retention purge: anonymise the signers of petitions that ended before `cutoff`.
    Returns the number of signatures anonymised (registered as purpose "petition_signatures")."""
    ended = Q(closed_at__lt=cutoff) | Q(rejected_at__lt=cutoff) | Q(archived_at__lt=cutoff, closed_at__isnull=True)
    total = 0
    for petition in Petition.objects.filter(ended, anonymised_at__isnull=True):
        with transaction.atomic():
            total += Signature.objects.filter(petition=petition).update(**ANONYMISED_FIELDS)
            QuarterSignature.objects.filter(petition=petition).delete()
            Petition.objects.filter(pk=petition.pk).update(anonymised_at=timezone.now())
    return total
