import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models


class Migration(migrations.Migration):
    initial = True

    dependencies = [
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.CreateModel(
            name="FranceConnectIdentity",
            fields=[
                ("id", models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name="ID")),
                ("sub", models.CharField(max_length=255, unique=True, verbose_name="FranceConnect subject")),
                ("created_at", models.DateTimeField(auto_now_add=True, verbose_name="linked on")),
                (
                    "last_login_at",
                    models.DateTimeField(blank=True, null=True, verbose_name="last login with FranceConnect"),
                ),
                ("acr", models.CharField(blank=True, max_length=32, verbose_name="eIDAS level")),
                (
                    "user",
                    models.OneToOneField(
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="franceconnect_identity",
                        to=settings.AUTH_USER_MODEL,
                        verbose_name="user",
                    ),
                ),
            ],
            options={
                "verbose_name": "FranceConnect identity",
                "verbose_name_plural": "FranceConnect identities",
            },
        ),
    ]
