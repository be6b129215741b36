import os
import stat

import pytest

from app.config import load_settings, save_settings, settings_from_args
from app.domain.errors import ConfigurationError


def test_defaults_live_in_platform_dirs(tmp_path, monkeypatch):
    monkeypatch.setenv("COMPTOIR_DATA_DIR", str(tmp_path / "data"))
    settings = load_settings()
    assert settings.db_url == f"sqlite:///{tmp_path / 'data' / 'comptoir.sqlite3'}"
    assert settings.service.base_url.endswith("/fhir")
    assert settings.source is None


def test_file_then_environment_then_flags(tmp_path):
    file = tmp_path / "settings.toml"
    file.write_text('[pharmacy]\nname = "Pharmacie des Lilas"\n[scanner]\nfps = 10\n[service]\nverify_tls = false\n',
                    encoding="utf-8")
    env = {"COMPTOIR_SCANNER_FPS": "25", "COMPTOIR_DB_URL": "sqlite:////tmp/env.db"}
    settings = load_settings(file, env=env, overrides={"database.url": "sqlite:////tmp/flag.db"})
    assert settings.pharmacy.name == "Pharmacie des Lilas"
    assert settings.scanner.fps == 25  # environment beats the file
    assert settings.service.verify_tls is False
    assert settings.db_url == "sqlite:////tmp/flag.db"  # the flag beats the environment


def test_save_roundtrip_keeps_only_changes_and_is_private(tmp_path):
    settings = load_settings(env={})
    settings.printer.paper = "A4"
    settings.pharmacy.phone = '01 "02" 03'
    path = save_settings(settings, tmp_path / "s.toml")
    assert stat.S_IMODE(os.stat(path).st_mode) == 0o600
    text = path.read_text(encoding="utf-8")
    assert "paper" in text and "base_url" not in text
    again = load_settings(path, env={})
    assert again.printer.paper == "A4" and again.pharmacy.phone == '01 "02" 03'


@pytest.mark.parametrize("content, words", [
    ("[nope]\na = 1\n", "Section"),
    ("[scanner]\nfps = 'vite'\n", "fps"),
    ("[scanner]\nunknown = 1\n", "inconnu"),
    ("[scanner\n", "illisible"),
])
def test_bad_settings_file_gives_a_french_message(tmp_path, content, words):
    file = tmp_path / "settings.toml"
    file.write_text(content, encoding="utf-8")
    with pytest.raises(ConfigurationError) as err:
        load_settings(file, env={})
    assert words in str(err.value)


def test_missing_explicit_file_is_an_error(tmp_path):
    with pytest.raises(ConfigurationError):
        load_settings(tmp_path / "absent.toml", env={})


def test_token_never_in_the_file(tmp_path, monkeypatch):
    monkeypatch.setenv("COMPTOIR_SERVICE_TOKEN", "secret-token")
    settings = load_settings(env=dict(os.environ))
    assert settings.service_token() == "secret-token"
    path = save_settings(settings, tmp_path / "s.toml")
    assert "secret-token" not in path.read_text(encoding="utf-8")


def test_cli_args(tmp_path):
    class Args:
        config = None
        db = "sqlite:////tmp/cli.db"
        lang = "en"

    settings = settings_from_args(Args())
    assert settings.db_url == "sqlite:////tmp/cli.db" and settings.ui.language == "en"
