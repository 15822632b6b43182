"""The reasons a moderator can give when refusing a petition (editable afterwards in the admin)."""

from django.db import migrations

# code, title, public explanation, hides the petition, order
REASONS = [
    ("duplicate", "Une pétition similaire existe déjà", "Signez plutôt la pétition déjà ouverte sur le même sujet.", False, 10),
    ("not-competence", "Hors des compétences de la commune", "La commune ne peut pas agir sur ce sujet ; il relève d’une autre collectivité ou de l’État.", False, 20),
    ("unclear", "La demande n’est pas claire", "On ne comprend pas ce qui est demandé à la commune.", False, 30),
    ("individual", "Situation individuelle", "Une pétition porte sur une question d’intérêt général, pas sur le cas d’une personne.", False, 40),
    ("already-happening", "Déjà prévu ou en cours", "La commune fait déjà ce qui est demandé.", False, 50),
    ("offensive", "Propos injurieux ou discriminatoires", "", True, 60),
    ("defamatory", "Propos diffamatoires", "", True, 70),
    ("advert", "Publicité ou propagande électorale", "", True, 80),
]


def create_reasons(apps, schema_editor):
    RejectionReason = apps.get_model("petitions", "RejectionReason")
    for code, title, description, hidden, order in REASONS:
        RejectionReason.objects.get_or_create(
            code=code, defaults={"title": title, "description": description, "hidden": hidden, "order": order}
        )


class Migration(migrations.Migration):
    dependencies = [("petitions", "0001_initial")]

    operations = [migrations.RunPython(create_reasons, migrations.RunPython.noop)]
