"""``comptoir decode FILE|FOLDER... [--backend zxing|pyzbar] [--json]``: what the scanner would read.

Prints one line per symbol found (one JSON object with ``--json``): file, frame, format, text,
kind and parsed fields, and for a refused symbol the French reason. Exit 0 when every symbol found
was recognised, or none was found. A refused symbol (a foreign QR code, a malformed address), an
unreadable file or a frame the decoder failed on is also reported as one French line on stderr and
makes the exit code 1, after everything else has been decoded; the traceback of an unexpected
failure goes to the log file, never to the terminal.
"""

from __future__ import annotations

import argparse
import json
import logging
import sys
from collections.abc import Iterator
from pathlib import Path

from app.cli import log_refusal
from app.domain.errors import ComptoirError
from app.i18n import _t, error_text

log = logging.getLogger(__name__)


def register(subparsers: argparse._SubParsersAction) -> None:
    parser = subparsers.add_parser("decode", help=_t("décoder les codes-barres d'images ou de vidéos"))
    parser.add_argument("files", nargs="+", metavar="FILE", help=_t("image(s), vidéo(s) ou dossier(s) qui en contiennent"))
    parser.add_argument("--backend", choices=("zxing", "pyzbar"), default=None,
                        help=_t("décodeur (défaut : le réglage du lecteur, zxing)"))
    parser.add_argument("--json", action="store_true", help=_t("un objet JSON par code lu"))
    parser.set_defaults(handler=run)


def expand(names: list[str]) -> Iterator[tuple[str, str | None]]:
    """``(name, error)`` for each file to decode: a folder stands for its images and videos (sorted,
    not recursive), so a folder of photos from the camera can be decoded in one go."""
    from app.scanning.files import VIDEO_SUFFIXES
    from app.scanning.sources import IMAGE_SUFFIXES

    for name in names:
        path = Path(name)
        if not path.is_dir():
            yield name, None
            continue
        try:
            media = sorted(p for p in path.iterdir()
                           if p.is_file() and p.suffix.lower() in IMAGE_SUFFIXES | VIDEO_SUFFIXES)
        except OSError as exc:
            yield name, _t("Dossier illisible : « {folder} » ({error})").format(folder=name, error=exc.strerror or exc)
            continue
        if not media:
            yield name, _t("Dossier sans image ni vidéo : « {folder} »").format(folder=name)
        for item in media:
            yield str(item), None


def run(args: argparse.Namespace) -> int:
    from app.config import settings_from_args
    from app.scanning.decoders import get_decoder

    settings = settings_from_args(args)
    decoder = get_decoder(args.backend or settings.scanner.backend, exhaustive=True)
    check = settings.service.check_number
    problems = 0
    for name, error in expand(args.files):
        if error:
            print(f"comptoir: {error}", file=sys.stderr)
            problems += 1
            continue
        try:
            problems += _decode_file(name, decoder, check, as_json=args.json)
        except ComptoirError as exc:
            log_refusal("decode", exc)
            print(f"comptoir: {error_text(exc)}", file=sys.stderr)
            problems += 1
        except Exception as exc:  # OpenCV on a corrupt file, a decoder defect: the other files go on
            log.warning("decode %s failed", name, exc_info=exc)
            print("comptoir: " + _t("« {file} » : lecture impossible ({error}), détails dans le journal").format(
                file=name, error=type(exc).__name__), file=sys.stderr)
            problems += 1
    return 1 if problems else 0


def _decode_file(name: str, decoder, check: bool, *, as_json: bool) -> int:
    """Print every symbol of every frame of ``name``; the number of problems met (French on stderr)."""
    from app.scanning.classify import classify
    from app.scanning.files import iter_frames

    problems = 0
    for frame_no, frame in iter_frames(name):
        try:
            symbols = decoder.decode(frame)
        except Exception as exc:  # one frame the decoder fails on: the next frames are still read
            log.warning("decoder failed on %s#%d", name, frame_no, exc_info=exc)
            print("comptoir: " + _t("{file} : image impossible à décoder ({error}), détails dans le journal").format(
                file=f"{name}#{frame_no}", error=type(exc).__name__), file=sys.stderr)
            problems += 1
            continue
        for symbol in symbols:
            result = classify(symbol.text, symbol.aim or symbol.format, check_number=check)
            record = {"file": name, "frame": frame_no, "format": symbol.format, "text": symbol.text,
                      "kind": result.kind.value, "fields": result.fields}
            if result.message:
                record["message"] = result.message
            if as_json:
                print(json.dumps(record, ensure_ascii=False), flush=True)
            else:
                shown = symbol.text.replace("\x1d", "<GS>")
                reason = f"\t{result.message}" if result.message else ""
                print(f"{name}#{frame_no}\t{symbol.format}\t{result.kind.value}\t{shown}{reason}", flush=True)
            if not result.ok:
                print(f"comptoir: {name}#{frame_no} : {result.message}", file=sys.stderr)
                problems += 1
    return problems
