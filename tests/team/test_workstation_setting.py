"""``[workstation] name`` names this workstation everywhere; ``[ordonnancier] workstation`` (older
settings files) still works."""

from __future__ import annotations

import socket

from app.config import load_settings, save_settings
from app.storage.ordonnancier_keying import Protection


def _settings(tmp_path, text: str, env: dict[str, str] | None = None):
    file = tmp_path / "settings.toml"
    file.write_text(text, encoding="utf-8")
    return load_settings(file, env=env or {})


def test_the_workstation_section_wins_then_the_older_setting_then_the_host_name(tmp_path):
    assert _settings(tmp_path, "").workstation_name == (socket.gethostname() or "poste")
    old = _settings(tmp_path, '[ordonnancier]\nworkstation = "ANCIEN"\n')
    assert old.workstation_name == "ANCIEN"
    both = _settings(tmp_path, '[ordonnancier]\nworkstation = "ANCIEN"\n[workstation]\nname = "COMPTOIR-2"\n')
    assert both.workstation_name == "COMPTOIR-2"
    assert Protection.from_settings(both).workstation == "COMPTOIR-2"
    env = _settings(tmp_path, '[workstation]\nname = "COMPTOIR-2"\n', {"COMPTOIR_WORKSTATION_NAME": "PREPARATION",
                                                                      "COMPTOIR_WORKSTATION_IDLE_LOCK_MINUTES": "2"})
    assert (env.workstation_name, env.workstation.idle_lock_minutes) == ("PREPARATION", 2)


def test_the_section_is_saved_and_read_back(tmp_path):
    settings = _settings(tmp_path, "")
    settings.workstation.name = "COMPTOIR-1"
    settings.workstation.idle_lock_minutes = 0
    path = save_settings(settings, tmp_path / "saved.toml")
    assert '[workstation]\nname = "COMPTOIR-1"\nidle_lock_minutes = 0' in path.read_text(encoding="utf-8")
    again = load_settings(path, env={})
    assert (again.workstation_name, again.workstation.idle_lock_minutes) == ("COMPTOIR-1", 0)


def test_the_workstation_mode_from_the_settings_or_the_command_line(tmp_path, monkeypatch):
    import app.ui.main
    from app.cli import main

    assert _settings(tmp_path, "").workstation.mode == "counter"
    assert _settings(tmp_path, '[workstation]\nmode = "preparation"\n').workstation.mode == "preparation"
    opened = []
    monkeypatch.setattr(app.ui.main, "run", lambda settings, *more: opened.append(settings.workstation.mode) or 0)
    assert main(["gui", "--workstation", "preparation"]) == 0
    assert main(["gui"]) == 0
    assert opened == ["preparation", "counter"]
