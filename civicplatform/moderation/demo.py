"""Demo moderation: the demo elected official moderates the whole site, and one
comment is reported so the queue has something to show. Idempotent."""

from __future__ import annotations

from civicplatform.accounts.models import User
from civicplatform.moderation import services
from civicplatform.moderation.models import ModerationState, ModeratorAssignment, Report, ReportCategory
from civicplatform.moderation.selectors import reportable_models

MODERATOR_EMAIL = "elu@demo.example"
STAFF_EMAIL = "agent@demo.example"
REPORTER_EMAIL = "citoyenne@demo.example"


def load_demo(stdout) -> None:
    emails = [MODERATOR_EMAIL, STAFF_EMAIL, REPORTER_EMAIL]
    people = {user.email: user for user in User.objects.filter(email__in=emails)}
    if len(people) < 3:
        return  # the demo accounts come from civicplatform.accounts.demo, loaded first
    moderator, staff, reporter = people[MODERATOR_EMAIL], people[STAFF_EMAIL], people[REPORTER_EMAIL]
    # Other loaders (forums) may already have made them moderator of one space: look for the
    # site-wide assignment itself, or their queue would miss the report below.
    site_wide = ModeratorAssignment.objects.filter(user=moderator, content_type__isnull=True, object_id__isnull=True)
    if not site_wide.exists():
        services.moderator_assign(
            user=moderator,
            actor=staff,
            title="Adjointe à la démocratie locale",
            is_elected_official=True,
        )
        stdout.write(f"{moderator.public_name} moderates the whole site: {MODERATOR_EMAIL}, queue at /moderation/")
    if Report.objects.filter(reporter=reporter).exists():
        return  # one demo report: later loaders add reportable content, which must not add more
    for model in reportable_models().values():
        candidates = model.get_moderation_queryset().filter(moderation_state=ModerationState.VISIBLE).order_by("pk")
        content = next((c for c in candidates[:20] if c.get_moderation_author_id() != reporter.pk), None)
        if content is None:
            continue
        _report, created = services.report_create(
            content=content,
            category=ReportCategory.OFF_TOPIC,
            note="Ce message ne parle pas du sujet de la discussion.",
            reporter=reporter,
        )
        if created:
            stdout.write(f"Demo report on a {model._meta.verbose_name} for the moderation queue.")
        return
