import subprocess
import sys

from app.cli import build_parser, main


def test_global_flags_before_the_default_command(monkeypatch):
    seen = {}

    def fake_gui(args):
        seen["db"] = args.db
        return 0

    import app.cli.gui as gui

    monkeypatch.setattr(gui, "run", fake_gui)
    assert main(["--db", "sqlite:////tmp/x.db"]) == 0
    assert seen["db"] == "sqlite:////tmp/x.db"


def test_unknown_command_is_a_usage_error_not_a_traceback():
    result = subprocess.run([sys.executable, "-m", "app", "frobnicate"], capture_output=True, text=True)
    assert result.returncode == 2
    assert "Traceback" not in result.stderr and "invalid choice" in result.stderr


def test_help_lists_commands():
    text = build_parser().format_help()
    assert "gui" in text
