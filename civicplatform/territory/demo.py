"""Demo commune: Belleville-sur-Loire is fictional, its numbers plausible."""

from __future__ import annotations

from civicplatform.territory.models import District, Municipality

DEMO_DISTRICTS = [
    ("Centre-ville", "centre-ville", ["45100"], 6200),
    ("Les Près-Verts", "les-pres-verts", ["45100"], 4800),
    ("Saint-Martin", "saint-martin", ["45110"], 5400),
    ("La Gare", "la-gare", ["45110"], 3900),
    ("Bords de Loire", "bords-de-loire", ["45120"], 4300),
]


def load_demo(stdout) -> None:
    municipality, created = Municipality.objects.get_or_create(
        insee_code="45999",
        defaults={"name": "Belleville-sur-Loire", "registered_electors": 17450, "population": 24600},
    )
    for name, slug, postal_codes, population in DEMO_DISTRICTS:
        District.objects.get_or_create(
            municipality=municipality,
            slug=slug,
            defaults={"name": name, "postal_codes": postal_codes, "population": population},
        )
    if created:
        stdout.write(f"Demo municipality: {municipality.name} ({len(DEMO_DISTRICTS)} districts)")
