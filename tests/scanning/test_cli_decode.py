"""``comptoir decode`` on generated images and a video file."""

from __future__ import annotations

import json

import cv2
import pytest

from app.cli import main
from tests.scanning import factory as fx


@pytest.fixture
def images(tmp_path):
    qr = tmp_path / "qr.png"
    cv2.imwrite(str(qr), fx.on_canvas(fx.qr(f"https://ordonnance.example/o/{fx.ORDONNANCES[0]}")))
    box = tmp_path / "box.jpg"
    cv2.imwrite(str(box), fx.on_canvas(fx.gs1_datamatrix(fx.box_hri(fx.REAL_CIP13[0]))))
    blank = tmp_path / "blank.png"
    cv2.imwrite(str(blank), fx.on_canvas(fx.qr("x")[:2, :2]))
    return qr, box, blank


def test_json_lines(images, capsys):
    qr, box, blank = images
    assert main(["decode", str(qr), str(box), str(blank), "--json"]) == 0
    records = [json.loads(line) for line in capsys.readouterr().out.splitlines()]
    assert records[0] == {"file": str(qr), "frame": 0, "format": "QRCode",
                          "text": f"https://ordonnance.example/o/{fx.ORDONNANCES[0]}",
                          "kind": "ordonnance", "fields": {"number": fx.ORDONNANCES[0]}}
    assert records[1]["kind"] == "product"
    assert records[1]["fields"] == {"cip13": fx.REAL_CIP13[0], "gtin": "0" + fx.REAL_CIP13[0],
                                    "expiry": "2027-12-31", "lot": "L2301A", "serial": "SN8842X1"}
    assert len(records) == 2


def test_video_every_frame_with_pyzbar(tmp_path, capsys):
    frames = [fx.on_canvas(fx.qr(n)) for n in fx.ORDONNANCES] + [fx.on_canvas(fx.code128("10000000009"))]
    video = fx.write_video(tmp_path / "v.avi", frames)
    assert main(["decode", str(video), "--backend", "pyzbar", "--json"]) == 0
    records = [json.loads(line) for line in capsys.readouterr().out.splitlines()]
    assert [(r["frame"], r["kind"]) for r in records] == [(0, "ordonnance"), (1, "ordonnance"),
                                                         (2, "ordonnance"), (3, "prescriber")]
    assert records[3]["fields"] == {"rpps": "10000000009"}


def test_text_output(images, capsys):
    assert main(["decode", str(images[1])]) == 0
    assert "DataMatrix\tproduct\t010" in capsys.readouterr().out


def test_unreadable_and_missing_files(images, tmp_path, capsys):
    bad = tmp_path / "bad.png"
    bad.write_bytes(b"not a png")
    text = tmp_path / "notes.txt"
    text.write_text("hello")
    code = main(["decode", str(bad), str(images[0]), str(tmp_path / "missing.png"), str(text), "--json"])
    out = capsys.readouterr()
    assert code != 0
    assert len(out.out.splitlines()) == 1  # the good file is still decoded
    assert "illisible" in out.err and "introuvable" in out.err and "Traceback" not in out.err


def test_a_folder_decodes_every_image_in_it(images, tmp_path, capsys):
    qr, box, _blank = images
    (tmp_path / "notes.txt").write_text("not an image")
    assert main(["decode", str(tmp_path), "--json"]) == 0
    records = [json.loads(line) for line in capsys.readouterr().out.splitlines()]
    assert sorted(r["file"] for r in records) == sorted([str(qr), str(box)])


def test_a_folder_without_media_says_so(tmp_path, capsys):
    empty = tmp_path / "vide"
    empty.mkdir()
    assert main(["decode", str(empty)]) == 1
    err = capsys.readouterr().err
    assert "Dossier sans image ni vidéo" in err and "introuvable" not in err


def test_a_malformed_qr_is_one_french_line_and_a_failing_exit(tmp_path, capsys):
    """urlsplit raised on this QR and the command printed a traceback."""
    bad = tmp_path / "bad.png"
    cv2.imwrite(str(bad), fx.on_canvas(fx.qr("https://[x]/PZX2R071KJX3EZF213AF")))
    good = tmp_path / "good.png"
    cv2.imwrite(str(good), fx.on_canvas(fx.qr(fx.ORDONNANCES[1])))
    assert main(["decode", str(bad), str(good)]) == 1
    out = capsys.readouterr()
    assert out.out.splitlines() == [
        f"{bad}#0\tQRCode\tunknown\thttps://[x]/PZX2R071KJX3EZF213AF\tCe QR code n'est pas une ordonnance numérique",
        f"{good}#0\tQRCode\tordonnance\t{fx.ORDONNANCES[1]}"]
    assert out.err == f"comptoir: {bad}#0 : Ce QR code n'est pas une ordonnance numérique\n"


def test_a_decoder_failure_is_reported_in_french_and_the_next_file_is_read(images, monkeypatch, capsys):
    from app.scanning.decoders import ZxingDecoder

    qr, box, _blank = images
    real = ZxingDecoder.decode
    calls = []

    def decode(self, frame):
        calls.append(1)
        if len(calls) == 1:
            raise RuntimeError("decoder defect")
        return real(self, frame)

    monkeypatch.setattr(ZxingDecoder, "decode", decode)
    assert main(["decode", str(box), str(qr), "--json"]) == 1
    out = capsys.readouterr()
    assert [json.loads(line)["kind"] for line in out.out.splitlines()] == ["ordonnance"]
    assert out.err == (f"comptoir: {box}#0 : image impossible à décoder (RuntimeError), "
                       "détails dans le journal\n")
    assert "Traceback" not in out.err + out.out
