import pytest
from django.db import DatabaseError


@pytest.mark.django_db
def test_healthz_answers_200_when_the_database_answers(anonymous):
    response = anonymous.get("/healthz")

    assert response.status_code == 200
    assert response.json() == {"status": "ok", "database": "up"}


@pytest.mark.django_db
def test_healthz_answers_503_when_the_database_does_not(anonymous, monkeypatch):
    from django.db.backends.utils import CursorWrapper

    def refuse(*args, **kwargs):
        raise DatabaseError("connection refused")

    monkeypatch.setattr(CursorWrapper, "execute", refuse)

    response = anonymous.get("/healthz")

    assert response.status_code == 503
    assert response.json()["database"] == "down"
