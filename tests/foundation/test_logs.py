import logging

from app.logs import RedactNir, setup_logging


def _flush():
    for handler in logging.getLogger().handlers:
        handler.flush()


def test_log_file_rotates_in_log_dir_and_masks_nir(tmp_path):
    path = setup_logging(directory=tmp_path)
    logging.getLogger("comptoir.test").warning("patient %s looked up", "1 85 05 78 006 084 91")
    _flush()
    text = path.read_text(encoding="utf-8")
    assert "looked up" in text
    assert "006 084" not in text and "[NIR masqué]" in text


def test_setting_up_again_moves_the_log_not_duplicates_it(tmp_path):
    first = setup_logging(directory=tmp_path / "a")
    second = setup_logging(directory=tmp_path / "b")
    logging.getLogger("comptoir.test").warning("after the move")
    _flush()
    assert "after the move" in second.read_text(encoding="utf-8")
    assert "after the move" not in first.read_text(encoding="utf-8")
    ours = [h for h in logging.getLogger().handlers if h.get_name() == "comptoir-file"]
    assert len(ours) == 1


def test_filter_leaves_other_numbers():
    record = logging.LogRecord("x", logging.INFO, __file__, 1, "CIP %s", ("3400949497294",), None)
    RedactNir().filter(record)
    assert record.getMessage() == "CIP 3400949497294"


def test_traceback_text_is_masked_too(tmp_path):
    path = setup_logging(directory=tmp_path)
    try:
        raise ValueError("bad patient 2 69 05 49 588 157 80")
    except ValueError:
        logging.getLogger("comptoir.test").exception("lookup failed")
    _flush()
    text = path.read_text(encoding="utf-8")
    assert "lookup failed" in text and "ValueError" in text
    assert "588 157" not in text and "[NIR masqué]" in text


def test_log_files_are_private_even_after_rotation(tmp_path):
    import os
    import stat

    path = setup_logging(directory=tmp_path)
    handler = next(h for h in logging.getLogger().handlers if h.get_name() == "comptoir-file")
    logging.getLogger("comptoir.test").warning("first file")
    handler.doRollover()
    logging.getLogger("comptoir.test").warning("second file")
    _flush()
    for file in (path, path.with_name(path.name + ".1")):
        assert stat.S_IMODE(os.stat(file).st_mode) == 0o600, file


def test_an_earlier_log_file_is_made_private(tmp_path):
    import os
    import stat

    old = tmp_path / "comptoir.log"
    old.write_text("written by an earlier version\n", encoding="utf-8")
    old.chmod(0o644)
    setup_logging(directory=tmp_path)
    logging.getLogger("comptoir.test").warning("now private")
    assert stat.S_IMODE(os.stat(old).st_mode) == 0o600


def test_tokens_are_masked_in_messages_and_tracebacks(tmp_path):
    path = setup_logging(directory=tmp_path)
    log = logging.getLogger("comptoir.test")
    log.warning("headers %s", {"Authorization": "Bearer eyJhbGciOi.JIUzI1NiJ9-x"})
    try:
        raise RuntimeError("GET /fhir?token=s3cret-token-value failed")
    except RuntimeError:
        log.exception("request failed")
    _flush()
    text = path.read_text(encoding="utf-8")
    assert "eyJhbGciOi" not in text and "s3cret-token-value" not in text
    assert "Bearer [jeton masqué]" in text and "token=[jeton masqué]" in text
    assert "request failed" in text and "RuntimeError" in text


def test_short_words_after_token_are_not_masked():
    from app.logs import redact

    assert redact("token: absent") == "token: absent"  # not a token value: fewer than 8 characters
    assert redact("CIP 3400949497294 RPPS 10000000009") == "CIP 3400949497294 RPPS 10000000009"


def test_the_error_report_names_version_platform_and_the_traceback_masked():
    import platform
    import sys

    from app.logs import error_report

    try:
        {}["patient 2 69 05 49 588 157 80"]
    except KeyError:
        report = error_report(sys.exc_info(), where="fil de travail")
    lines = report.splitlines()
    assert lines[0].startswith("Comptoir 0.1.0 — rapport d'erreur du ")
    assert lines[1] == f"Système : {platform.platform()} ; Python {platform.python_version()}"
    assert lines[2] == "Où : fil de travail"
    assert "Traceback (most recent call last):" in report and "test_the_error_report" in report
    assert lines[-1] == "KeyError: 'patient [NIR masqué]'"


def test_log_file_is_the_current_file(tmp_path):
    from app.logs import log_file

    assert setup_logging(directory=tmp_path / "x") == log_file()


def test_the_log_rotates_by_size_keeping_the_last_files(tmp_path):
    """At its size limit the file becomes .1, the older ones move up and the oldest beyond the count goes;
    every line of the files kept is whole, and the newest lines are in the current file."""
    from app.logs import PrivateRotatingFileHandler

    path = tmp_path / "comptoir.log"
    handler = PrivateRotatingFileHandler(path, max_bytes=200, backup_count=2)
    handler.setFormatter(logging.Formatter("%(message)s"))
    logger = logging.getLogger("comptoir.test.rotation")
    logger.propagate = False
    logger.addHandler(handler)
    try:
        for n in range(40):
            logger.warning("line %02d %s", n, "x" * 30)
    finally:
        logger.removeHandler(handler)
        handler.close()
    files = sorted(p.name for p in tmp_path.iterdir())
    assert files == ["comptoir.log", "comptoir.log.1", "comptoir.log.2"]
    for file in tmp_path.iterdir():
        assert 0 < file.stat().st_size < 200
    current = path.read_text(encoding="utf-8").splitlines()
    assert current[-1].startswith("line 39 ")
    kept = [line for name in ("comptoir.log.2", "comptoir.log.1", "comptoir.log")
            for line in (tmp_path / name).read_text(encoding="utf-8").splitlines()]
    numbers = [int(line.split()[1]) for line in kept]
    assert numbers == list(range(numbers[0], 40))  # consecutive: nothing lost between the files kept
