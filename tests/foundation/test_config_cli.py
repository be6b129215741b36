"""``comptoir config``: the service token into the keyring (never argv), settings with their source."""

import io
import logging
import sys

import keyring
import pytest
from keyring.backend import KeyringBackend
from keyring.backends import fail

import app.config as config_module
from app.cli import main
from app.config import load_settings


class MemoryKeyring(KeyringBackend):
    """An in-memory keyring with the real backend interface."""

    priority = 1

    def __init__(self) -> None:
        super().__init__()
        self.secrets: dict[tuple[str, str], str] = {}

    def get_password(self, service, username):
        return self.secrets.get((service, username))

    def set_password(self, service, username, password):
        self.secrets[(service, username)] = password

    def delete_password(self, service, username):
        self.secrets.pop((service, username), None)


@pytest.fixture
def memory_keyring():
    previous = keyring.get_keyring()
    backend = MemoryKeyring()
    keyring.set_keyring(backend)
    yield backend
    keyring.set_keyring(previous)


@pytest.fixture
def no_keyring():
    previous = keyring.get_keyring()
    keyring.set_keyring(fail.Keyring())
    yield
    keyring.set_keyring(previous)


class _Stdin(io.StringIO):
    def __init__(self, text: str, tty: bool) -> None:
        super().__init__(text)
        self.tty = tty

    def isatty(self) -> bool:
        return self.tty


def test_set_token_from_stdin_is_read_back_by_settings(memory_keyring, monkeypatch, capsys):
    monkeypatch.setattr(sys, "stdin", _Stdin("tok-123\n", tty=False))
    assert main(["config", "set-token"]) == 0
    assert memory_keyring.secrets == {("comptoir", "default"): "tok-123"}
    assert load_settings().service_token() == "tok-123"
    assert "tok-123" not in capsys.readouterr().out


def test_set_token_prompts_without_echo_on_a_terminal(memory_keyring, monkeypatch):
    monkeypatch.setattr(sys, "stdin", _Stdin("", tty=True))
    prompts = []
    monkeypatch.setattr("getpass.getpass", lambda prompt: prompts.append(prompt) or "typed-token")
    assert main(["config", "set-token"]) == 0
    assert prompts and memory_keyring.secrets[("comptoir", "default")] == "typed-token"


def test_token_is_never_an_argument():
    with pytest.raises(SystemExit):
        main(["config", "set-token", "tok-123"])


def test_empty_token_is_refused(memory_keyring, monkeypatch, capsys):
    monkeypatch.setattr(sys, "stdin", _Stdin("  \n", tty=False))
    assert main(["config", "set-token"]) == 2
    assert "Jeton vide" in capsys.readouterr().err and not memory_keyring.secrets


def test_without_keyring_says_so_and_names_the_alternative(no_keyring, monkeypatch, capsys):
    monkeypatch.setattr(sys, "stdin", _Stdin("tok\n", tty=False))
    assert main(["config", "set-token"]) == 2
    err = capsys.readouterr().err
    assert "Aucun trousseau" in err and "COMPTOIR_SERVICE_TOKEN" in err


def test_missing_keyring_is_logged_once(no_keyring, monkeypatch, caplog):
    monkeypatch.setattr(config_module, "_keyring_warned", False)
    settings = load_settings()
    with caplog.at_level(logging.WARNING, logger="app.config"):
        assert settings.service_token() is None
        assert settings.service_token() is None
    warnings = [r for r in caplog.records if "keyring" in r.getMessage()]
    assert len(warnings) == 1 and "COMPTOIR_SERVICE_TOKEN" in warnings[0].getMessage()


def test_show_gives_sources_and_hides_the_token(memory_keyring, monkeypatch, capsys, tmp_path):
    file = tmp_path / "settings.toml"
    file.write_text('[pharmacy]\nname = "Pharmacie Test"\n', encoding="utf-8")
    memory_keyring.set_password("comptoir", "default", "very-secret")
    monkeypatch.setenv("COMPTOIR_SCANNER_FPS", "30")
    assert main(["--config", str(file), "--db", "postgresql://u:pw@h/db", "config", "show"]) == 0
    out = capsys.readouterr().out
    lines = {line.split(" = ")[0]: line for line in out.splitlines() if " = " in line}
    assert f"fichier {file}" in lines["pharmacy.name"] and "'Pharmacie Test'" in lines["pharmacy.name"]
    assert "COMPTOIR_SCANNER_FPS" in lines["scanner.fps"] and "30" in lines["scanner.fps"]
    assert "ligne de commande (--db)" in lines["database.url"] and ":pw@" not in out
    assert "[défaut]" in lines["printer.paper"]
    assert "présent (trousseau" in lines["service.token"] and "very-secret" not in out


def test_show_token_absent_and_from_environment(memory_keyring, monkeypatch, capsys):
    assert main(["config", "show"]) == 0
    assert "service.token = absent" in capsys.readouterr().out
    monkeypatch.setenv("COMPTOIR_SERVICE_TOKEN", "env-secret")
    assert main(["config", "show"]) == 0
    out = capsys.readouterr().out
    assert "présent (COMPTOIR_SERVICE_TOKEN)" in out and "env-secret" not in out


def test_path_follows_config_dir_and_flag(monkeypatch, capsys, tmp_path):
    assert main(["config", "path"]) == 0
    assert capsys.readouterr().out.strip().endswith("config/settings.toml")
    assert main(["--config", str(tmp_path / "x.toml"), "config", "path"]) == 0
    assert capsys.readouterr().out.strip() == str(tmp_path / "x.toml")
