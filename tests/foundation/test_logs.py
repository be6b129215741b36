import logging

from app.logs import RedactNir, setup_logging


def test_log_file_rotates_in_log_dir_and_masks_nir(tmp_path):
    path = setup_logging(directory=tmp_path)
    try:
        logging.getLogger("comptoir.test").warning("patient %s looked up", "1 85 05 78 006 084 91")
        for handler in logging.getLogger().handlers:
            handler.flush()
        text = path.read_text(encoding="utf-8")
        assert "looked up" in text
        assert "006 084" not in text and "[NIR masqué]" in text
    finally:
        root = logging.getLogger()
        for handler in list(root.handlers):
            if getattr(handler, "baseFilename", None) == str(path):
                root.removeHandler(handler)
                handler.close()


def test_filter_leaves_other_numbers():
    record = logging.LogRecord("x", logging.INFO, __file__, 1, "CIP %s", ("3400949497294",), None)
    RedactNir().filter(record)
    assert record.getMessage() == "CIP 3400949497294"
