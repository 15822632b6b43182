from __future__ import annotations

import json

import pytest
from django.core.management import CommandError, call_command

from civicplatform.territory.models import District, Municipality
from civicplatform.territory.selectors import district_for_postal_code, districts_for_postal_code
from civicplatform.territory.tests.factories import DistrictFactory, MunicipalityFactory

pytestmark = pytest.mark.django_db

SQUARE = {"type": "Polygon", "coordinates": [[[1.9, 47.9], [1.91, 47.9], [1.91, 47.91], [1.9, 47.9]]]}


def run(*args) -> str:
    from io import StringIO

    out = StringIO()
    call_command("load_territory", *args, stdout=out)
    return out.getvalue()


@pytest.fixture
def csv_file(tmp_path):
    path = tmp_path / "quartiers.csv"
    path.write_text(
        "name,slug,postal_codes,population\n"
        "Centre-ville,,45100,6200\n"
        "Les Prés-Verts,pres-verts,45100;45110,4 800\n"
        "Saint-Martin,,45110,\n",
        encoding="utf-8",
    )
    return path


def test_municipality_is_created_from_options():
    output = run("--name", "Belleville-sur-Loire", "--insee", "45999", "--electors", "17450")
    municipality = Municipality.objects.get()
    assert (municipality.name, municipality.insee_code, municipality.registered_electors) == (
        "Belleville-sur-Loire",
        "45999",
        17450,
    )
    assert "17450 registered electors" in output
    run("--electors", "17500", "--intercommunality")
    municipality.refresh_from_db()
    assert municipality.registered_electors == 17500
    assert municipality.is_commune is False
    assert Municipality.objects.count() == 1


def test_districts_load_from_csv_and_loading_twice_changes_nothing(csv_file):
    MunicipalityFactory()
    output = run(str(csv_file))
    assert "3 created" in output
    pres = District.objects.get(slug="pres-verts")
    assert (pres.name, pres.postal_codes, pres.population) == ("Les Prés-Verts", ["45100", "45110"], 4800)
    assert District.objects.get(slug="centre-ville").population == 6200
    assert District.objects.get(slug="saint-martin").population == 0
    output = run(str(csv_file))
    assert "0 created, 0 updated, 3 unchanged" in output
    assert District.objects.count() == 3


def test_csv_update_changes_the_district_with_the_same_slug_and_keeps_its_outline(csv_file, tmp_path):
    municipality = MunicipalityFactory()
    DistrictFactory(municipality=municipality, slug="centre-ville", name="Old name", outline=SQUARE)
    run(str(csv_file))
    centre = District.objects.get(slug="centre-ville")
    assert centre.name == "Centre-ville"
    assert centre.outline == SQUARE


def test_districts_load_from_geojson_with_their_outline(tmp_path):
    path = tmp_path / "quartiers.geojson"
    path.write_text(
        json.dumps(
            {
                "type": "FeatureCollection",
                "features": [
                    {
                        "type": "Feature",
                        "properties": {"name": "Bords de Loire", "postal_codes": ["45120"], "population": 4300},
                        "geometry": SQUARE,
                    },
                    {"type": "Feature", "properties": {"name": "La Gare", "postal_codes": "45110"}, "geometry": None},
                ],
            }
        )
    )
    run(str(path), "--name", "Belleville-sur-Loire", "--insee", "45999")
    loire = District.objects.get(slug="bords-de-loire")
    assert loire.outline == SQUARE
    assert loire.postal_codes == ["45120"]
    assert District.objects.get(slug="la-gare").outline is None


@pytest.mark.parametrize(
    ("filename", "content", "message"),
    [
        ("d.csv", "", "Le fichier est vide"),
        ("d.csv", "nom_du_quartier,population\nA,1\n", "name, postal_codes"),
        ("d.csv", "name,postal_codes\n,45100\n", "Ligne 2\xa0: le nom manque"),
        ("d.csv", "name,postal_codes\nNord,4510\n", "Ligne 2\xa0: « 4510 » n’est pas un code postal"),
        ("d.csv", "name,postal_codes,population\nNord,45100,beaucoup\n", "n’est pas un nombre entier"),
        ("d.csv", "name,postal_codes\nNord,45100\nnord,45110\n", "ont le même slug « nord »"),
        ("d.geojson", "{not json", "n’est pas du JSON valide"),
        ("d.geojson", '{"type": "Feature"}', "doit être une FeatureCollection"),
        ("d.geojson", '{"type": "FeatureCollection", "features": []}', "ne contient aucun élément"),
        (
            "d.geojson",
            '{"type": "FeatureCollection", "features": [{"type": "Feature", "properties": {"name": "A"},'
            ' "geometry": {"type": "Point", "coordinates": [1, 2]}}]}',
            "Élément 1\xa0: la géométrie doit être un Polygon",
        ),
        ("d.xlsx", "whatever", "Type de fichier inconnu"),
    ],
)
def test_bad_files_give_a_clear_french_error_and_change_nothing(tmp_path, filename, content, message):
    MunicipalityFactory()
    path = tmp_path / filename
    path.write_text(content)
    with pytest.raises(CommandError) as excinfo:
        run(str(path))
    assert message in str(excinfo.value)
    assert not District.objects.exists()


def test_missing_file_is_reported(tmp_path):
    MunicipalityFactory()
    with pytest.raises(CommandError, match="Fichier introuvable"):
        run(str(tmp_path / "absent.csv"))


def test_districts_need_a_municipality_first(csv_file):
    with pytest.raises(CommandError, match="no municipality yet"):
        run(str(csv_file))
    assert not District.objects.exists()


def test_a_bad_file_does_not_half_update_the_municipality(tmp_path):
    MunicipalityFactory(registered_electors=100)
    path = tmp_path / "d.csv"
    path.write_text("name,postal_codes\n,45100\n")
    with pytest.raises(CommandError):
        run(str(path), "--electors", "200")
    assert Municipality.objects.get().registered_electors == 100


@pytest.mark.parametrize("code", ["4599", "ABCDE", "459999"])
def test_bad_insee_codes_are_refused(code):
    with pytest.raises(CommandError, match="n’est pas un code INSEE"):
        run("--name", "X", "--insee", code)


def test_corsican_insee_codes_are_accepted():
    run("--name", "Ajaccio", "--insee", "2a004")
    assert Municipality.objects.get().insee_code == "2A004"


def test_command_without_anything_to_do_explains_itself():
    with pytest.raises(CommandError, match="Give a file"):
        run()


def test_postal_code_gives_a_district_only_when_unambiguous():
    municipality = MunicipalityFactory()
    nord = DistrictFactory(municipality=municipality, postal_codes=["45100"])
    DistrictFactory(municipality=municipality, postal_codes=["45110"])
    DistrictFactory(municipality=municipality, postal_codes=["45110", "45120"])
    assert district_for_postal_code("45100") == nord
    assert district_for_postal_code("45110") is None
    assert len(districts_for_postal_code("45110")) == 2
    assert district_for_postal_code("75001") is None
    assert district_for_postal_code("") is None
