"""The interface is translatable and translated: French, Spanish and German ship with it."""

import pytest


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("language", "communities", "sign_in"),
    [
        ("fr", "Collectivités", "Se connecter"),
        ("es", "Localidades", None),
        ("de", "Kommunen", None),
        ("en", "Communities", "Sign in"),
    ],
)
def test_pages_speak_the_visitors_language(anonymous, language, communities, sign_in):
    response = anonymous.get("/communities/", HTTP_ACCEPT_LANGUAGE=language)

    html = response.content.decode()
    assert response["Content-Language"] == language
    assert f'<html lang="{language}"' in html
    assert communities in html
    if sign_in:
        assert sign_in in html


@pytest.mark.django_db
def test_the_language_switcher_keeps_the_choice(anonymous):
    anonymous.post("/i18n/setlang/", {"language": "de", "next": "/"})

    response = anonymous.get("/stats/")

    assert response["Content-Language"] == "de"
    assert "Statistik" in response.content.decode()
