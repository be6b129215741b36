"""A local HTTP server publishing BDPM files the way a web server does (never the internet in tests).

It serves ``/<release>/<file name>`` from a folder, with Content-Length, ETag, Last-Modified and byte
ranges (``Range``/``If-Range``, 206), 404 for a file the release lacks, and two faults a real network
has: a connection cut after a number of bytes (``cut``), and a file served with other bytes than
announced (``replace``). Every request is recorded with its Range header.
"""

from __future__ import annotations

import hashlib
import re
import threading
from dataclasses import dataclass, field
from email.utils import formatdate
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path


@dataclass
class Published:
    folder: Path
    cut: dict[str, list[int]] = field(default_factory=dict)  # file -> bytes sent before each cut, in order
    replace: dict[str, bytes] = field(default_factory=dict)  # file -> bytes served instead
    requests: list[tuple[str, str | None]] = field(default_factory=list)  # (file, Range header)
    mtime: float = 1_780_000_000.0  # Last-Modified of every file (2026-05-28)

    def data(self, name: str) -> bytes | None:
        if name in self.replace:
            return self.replace[name]
        path = self.folder / name
        return path.read_bytes() if path.is_file() else None


def _handler(published: Published):
    class Handler(BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.1"

        def log_message(self, *_args) -> None:  # quiet tests
            pass

        def do_GET(self) -> None:  # noqa: N802 - the http.server API
            name = self.path.rsplit("/", 1)[-1]
            published.requests.append((name, self.headers.get("Range")))
            data = published.data(name)
            if data is None:
                self._send(404, b"not found", {})
                return
            etag = '"' + hashlib.sha256(data).hexdigest()[:16] + '"'
            headers = {"ETag": etag, "Last-Modified": formatdate(published.mtime, usegmt=True),
                       "Accept-Ranges": "bytes", "Content-Type": "text/plain"}
            start, status = 0, 200
            match = re.match(r"bytes=(\d+)-$", self.headers.get("Range", ""))
            if match and self.headers.get("If-Range") in (None, etag, headers["Last-Modified"]):
                start = int(match.group(1))
                if start >= len(data):
                    self._send(416, b"", {"Content-Range": f"bytes */{len(data)}"})
                    return
                status = 206
                headers["Content-Range"] = f"bytes {start}-{len(data) - 1}/{len(data)}"
            body = data[start:]
            cuts = published.cut.get(name)
            if cuts:
                limit = cuts.pop(0)
                self._send(status, body, headers, stop_after=limit)
                return
            self._send(status, body, headers)

        def _send(self, status: int, body: bytes, headers: dict[str, str], stop_after: int | None = None) -> None:
            self.send_response(status)
            for key, value in headers.items():
                self.send_header(key, value)
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            if stop_after is None:
                self.wfile.write(body)
                return
            self.wfile.write(body[:stop_after])  # then the connection drops mid-body
            self.wfile.flush()
            self.close_connection = True
            self.connection.shutdown(2)

    return Handler


class BdpmServer:
    """``with BdpmServer(published) as server: server.base("2026-05")``."""

    def __init__(self, published: Published) -> None:
        self.published = published
        self.httpd = ThreadingHTTPServer(("127.0.0.1", 0), _handler(published))
        self.thread = threading.Thread(target=self.httpd.serve_forever, daemon=True)

    def base(self, release: str) -> str:
        host, port = self.httpd.server_address[:2]
        return f"http://{host}:{port}/{release}/"

    def __enter__(self) -> BdpmServer:
        self.thread.start()
        return self

    def __exit__(self, *exc) -> None:
        self.httpd.shutdown()
        self.httpd.server_close()
        self.thread.join(5)
