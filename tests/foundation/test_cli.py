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


def _leaf_commands(parser, prefix=()):
    """Every runnable command path (``("ordonnancier", "verify")`` …)."""
    import argparse

    paths = []
    for action in parser._actions:
        if isinstance(action, argparse._SubParsersAction):
            for name, child in action.choices.items():
                below = _leaf_commands(child, (*prefix, name))
                paths.extend(below or [(*prefix, name)])
    return paths


def test_global_options_before_or_after_any_command():
    """Issue 14 point 10: ``--db``, ``--lang`` and ``--config`` before or after the command, everywhere
    (the ``sandbox`` commands' ``--db`` keeps its own meaning: the sandbox's database)."""
    parser = build_parser()
    commands = _leaf_commands(parser)
    assert ("ordonnancier", "verify") in commands and ("catalogue", "import") in commands
    for path in commands:
        action = parser._subparsers._group_actions[0].choices[path[0]]
        for name in path[1:]:
            action = next(a for a in action._actions if a.__class__.__name__ == "_SubParsersAction").choices[name]
        required = [a for a in action._actions if a.required and a.option_strings == []]
        positional = ["x"] * sum(1 for a in required if a.nargs in (None, 1)) + \
                     ["x"] * sum(1 for a in required if a.nargs == "+")
        try:
            after = parser.parse_args([*path, *positional, "--db", "sqlite:///after.db", "--lang", "en"])
            before = parser.parse_args(["--db", "sqlite:///before.db", "--lang", "en", *path, *positional])
        except SystemExit as exc:  # a command with required options of its own: not what is tested here
            assert exc.code == 2
            continue
        assert after.lang == "en" and before.lang == "en", path
        if action._option_string_actions["--db"].dest == "db":  # the sandbox's --db is its own database
            assert after.db == "sqlite:///after.db" and before.db == "sqlite:///before.db", path


def test_ordonnancier_verify_takes_db_after_the_command():
    args = build_parser().parse_args(["ordonnancier", "verify", "--db", "sqlite:///x.db"])
    assert args.db == "sqlite:///x.db" and args.lang is None
    args = build_parser().parse_args(["--db", "sqlite:///y.db", "outbox", "--lang", "en"])
    assert args.db == "sqlite:///y.db" and args.lang == "en"


def test_sandbox_serve_keeps_its_own_db():
    args = build_parser().parse_args(["--db", "sqlite:///counter.db", "sandbox", "serve", "--db", "sqlite:///sb.db"])
    assert args.db == "sqlite:///counter.db" and args.sandbox_db == "sqlite:///sb.db"
