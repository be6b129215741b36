"""``comptoir decode FILE|FOLDER... [--backend zxing|pyzbar] [--json]``: what the scanner would read.

Prints one line per symbol found (one JSON object with ``--json``): file, frame, format, text,
kind and parsed fields. Exit 0 even when nothing is found; an unreadable file is reported on stderr
and makes the exit code non-zero, after the other files have been decoded.
"""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Iterator
from pathlib import Path

from app.cli import log_refusal
from app.domain.errors import ComptoirError


def register(subparsers: argparse._SubParsersAction) -> None:
    parser = subparsers.add_parser("decode", help="décoder les codes-barres d'images ou de vidéos")
    parser.add_argument("files", nargs="+", metavar="FILE", help="image(s), video file(s) or folder(s) of them")
    parser.add_argument("--backend", choices=("zxing", "pyzbar"), default=None,
                        help="decoder (default: the scanner setting, zxing)")
    parser.add_argument("--json", action="store_true", help="one JSON object per symbol")
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
            yield name, f"Dossier illisible : « {name} » ({exc.strerror or exc})"
            continue
        if not media:
            yield name, f"Dossier sans image ni vidéo : « {name} »"
        for item in media:
            yield str(item), None


def run(args: argparse.Namespace) -> int:
    from app.config import settings_from_args
    from app.scanning.classify import classify
    from app.scanning.decoders import get_decoder
    from app.scanning.files import iter_frames

    settings = settings_from_args(args)
    decoder = get_decoder(args.backend or settings.scanner.backend, exhaustive=True)
    check = settings.service.check_number
    failures = 0
    for name, error in expand(args.files):
        if error:
            print(f"comptoir: {error}", file=sys.stderr)
            failures += 1
            continue
        try:
            for frame_no, frame in iter_frames(name):
                for symbol in decoder.decode(frame):
                    result = classify(symbol.text, symbol.aim or symbol.format, check_number=check)
                    record = {"file": name, "frame": frame_no, "format": symbol.format, "text": symbol.text,
                              "kind": result.kind.value, "fields": result.fields}
                    if result.message:
                        record["message"] = result.message
                    if args.json:
                        print(json.dumps(record, ensure_ascii=False), flush=True)
                    else:
                        shown = symbol.text.replace("\x1d", "<GS>")
                        print(f"{name}#{frame_no}\t{symbol.format}\t{result.kind.value}\t{shown}", flush=True)
        except ComptoirError as exc:
            log_refusal("decode", exc)
            print(f"comptoir: {exc}", file=sys.stderr)
            failures += 1
    return 1 if failures else 0
