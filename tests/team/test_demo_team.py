"""``comptoir demo --workstations 2``: a team to sign in with, created only in a database without users."""

from __future__ import annotations

from app.cli.demo import demo_team
from app.config import Settings
from app.domain.team import Role
from app.storage.db import open_database
from app.storage.ordonnancier_keying import Protection
from app.storage.users import Team


def test_the_demo_team_is_created_once_and_never_in_a_pharmacy_with_users(sqlite_url):
    settings = Settings()
    settings.database.url = sqlite_url
    said = demo_team(settings)
    assert any("PIN 2580" in line for line in said) and any("PIN 4826" in line for line in said)
    engine, factory = open_database(sqlite_url)
    team = Team(factory, Protection.from_settings(settings))
    assert [u.role for u in team.users()] == [Role.TITULAIRE, Role.PREPARATEUR]
    assert team.login(team.users()[1].id, "4826").role is Role.PREPARATEUR
    engine.dispose()
    assert demo_team(settings) == ["Équipe : connectez-vous avec les utilisateurs de cette base (comptoir users list)."]
