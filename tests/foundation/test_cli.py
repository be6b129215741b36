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


def test_the_command_is_the_first_word_that_is_no_option_nor_its_value():
    from app.cli import command_of

    assert command_of([]) is None and command_of(["--lang", "en"]) is None
    assert command_of(["--db", "sqlite:///x.db", "gui", "--workstation", "preparation"]) == "gui"
    assert command_of(["--config", "c.toml", "ordonnancier", "verify", "--db", "u"]) == "ordonnancier"
    assert command_of(["--lang=en", "catalogue", "search", "doliprane"]) == "catalogue"
    assert command_of(["--", "decode"]) == "decode"


def test_opening_the_window_parses_its_command_line_without_the_other_commands_stacks():
    """`comptoir` (the window) built the whole command line first: every command module's imports
    (database, catalogue, service client, printing) cost most of a second before Qt even loaded."""
    import subprocess
    import sys

    code = (
        "import sys\n"
        "import app.cli.gui as gui\n"
        "seen = []\n"
        "gui.run = lambda args: seen.append((args.command, args.lang, args.workstation)) or 0\n"
        "from app.cli import main\n"
        "assert main(['--lang', 'en']) == 0 and main(['gui', '--workstation', 'preparation', '--db', 'x']) == 0\n"
        "heavy = sorted(m for m in sys.modules if m.split('.')[0] in ('sqlalchemy', 'alembic', 'httpx',"
        " 'reportlab', 'cv2', 'numpy', 'psycopg') or m.startswith(('app.catalogue', 'app.storage',"
        " 'app.printing', 'app.workflow', 'app.eprescription')))\n"
        "print(seen, heavy)\n"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=120)
    assert out.returncode == 0, out.stderr
    assert out.stdout.strip() == "[('gui', 'en', None), ('gui', None, 'preparation')] []", out.stdout
