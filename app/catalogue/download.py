"""Downloading a BDPM release from the files the ANSM publishes (or any mirror of them).

Each file is found under a base URL by its BDPM name: ``<base>CIS_bdpm.txt`` and so on. The ANSM
publishes them at ``https://base-donnees-publique.medicaments.gouv.fr/download/file/<name>`` (the
default, ``[catalogue] base_url``); the site's older address ``…/telechargement.php?fichier=<name>``
works the same way as a base (a base ending in ``/`` or ``=`` is followed by the name directly, one
holding ``{file}`` has the name put there).

What a release must hold (decided here, see resources/bdpm/README.md): ``CIS_bdpm.txt`` and
``CIS_CIP_bdpm.txt`` — the specialities and the presentations with their prices, what an update is
for — are required; ``CIS_GENER``, ``CIS_COMPO`` and ``CIS_CPD`` may be absent (a 404): the catalogue
then keeps its generic groups, compositions and conditions from the earlier release, as the
importer does for a partial folder. Any other failure stops the update before anything changes.

Safe against a bad network (httpx, with timeouts): each file is written to ``<name>.part`` beside its
validator (ETag or Last-Modified); a cut connection is resumed with a Range request (``If-Range``, so
a file changed meanwhile starts over), a few times in the same run and again at the next run. A file
is accepted only whole (its announced size) and looking like a BDPM file (not a web page, text with
the right number of tab-separated columns); the importer then checks every row and refuses a damaged
release as a whole (:mod:`app.catalogue.guards`).
"""

from __future__ import annotations

import json
import logging
import re
import shutil
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date, datetime
from email.utils import parsedate_to_datetime
from pathlib import Path

import httpx

from app.catalogue.reader import detect_encoding, split_lines
from app.catalogue.records import CIP_FILE, CIS_FILE, FILES
from app.config import CatalogueSettings
from app.domain.errors import CatalogueError

log = logging.getLogger(__name__)

DEFAULT_BASE_URL = CatalogueSettings.base_url
REQUIRED_FILES = (CIS_FILE, CIP_FILE)
MAX_FILE_BYTES = 200 * 1024 * 1024  # the largest BDPM file is about 4 MB: anything near this is not one
HEAD_BYTES = 64 * 1024  # what the format check reads of a file
USER_AGENT = "Comptoir (mise a jour du catalogue BDPM)"
_UNCHANGED = "Rien n'a été modifié."

Progress = Callable[[int, int, str], None]


class DownloadError(CatalogueError):
    """A file of the release could not be downloaded whole, or is not a BDPM file: nothing changed."""


def file_url(base: str, name: str) -> str:
    """The address of the file ``name`` under ``base`` (see the module's docstring)."""
    if "{file}" in base:
        return base.replace("{file}", name)
    return base + name if base.endswith(("/", "=")) else f"{base}/{name}"


@dataclass
class Fetched:
    """A downloaded release: the folder holding its files, what was absent, and its name."""

    folder: Path
    release: str
    present: list[str] = field(default_factory=list)
    missing: list[str] = field(default_factory=list)
    sizes: dict[str, int] = field(default_factory=dict)
    resumed: dict[str, int] = field(default_factory=dict)  # file -> bytes already there when resumed


def release_from(base: str, modified: list[datetime], today: date) -> str:
    """The release's name: a date in the base URL ("…/2026-05/"), else the newest Last-Modified of
    its files, else today's date."""
    match = re.search(r"(\d{4}-\d{2})(?:-(\d{2}))?", base)
    if match:
        return match.group(0)
    if modified:
        return max(modified).date().isoformat()
    return today.isoformat()


def check_format(name: str, path: Path) -> None:
    """Refuse, naming the file, what is clearly not a BDPM file: a web page, binary data, or a first
    line without the file's columns. The importer checks every row afterwards."""
    with path.open("rb") as fh:
        head = fh.read(HEAD_BYTES)
    stripped = head.lstrip()
    if not stripped:
        raise DownloadError(f"Le fichier {name} téléchargé est vide. {_UNCHANGED}")
    if stripped[:1] == b"<":
        raise DownloadError(f"Le serveur a renvoyé une page web au lieu du fichier {name} "
                            f"(adresse de téléchargement à vérifier). {_UNCHANGED}")
    if b"\x00" in head:
        raise DownloadError(f"Le fichier {name} téléchargé n'est pas du texte (fichier abîmé ?). {_UNCHANGED}")
    lines = split_lines(head)
    if len(head) == HEAD_BYTES and len(lines) > 1:
        lines = lines[:-1]  # cut by the read
    lines = [line for line in lines[:20] if line.strip()]
    expected = FILES[name].layout.columns
    encoding = detect_encoding(lines)
    for number, line in enumerate(lines[:5], start=1):
        cells = line.decode(encoding, errors="replace").split("\t")
        if len(cells) < expected:
            raise DownloadError(f"Le fichier {name} n'a pas le format BDPM : ligne {number} à {len(cells)} "
                                f"colonne(s) au lieu de {expected} (fichier abîmé ou d'un autre format ?). "
                                f"{_UNCHANGED}")


class Downloader:
    """Downloads the BDPM files into a staging folder, resuming what a cut connection left.

    ``client`` (an :class:`httpx.Client`) and ``sleep`` are injectable; ``attempts`` is how many times
    one run tries a file whose connection breaks (each attempt resumes where the last one stopped).
    """

    def __init__(self, *, client: httpx.Client | None = None, timeout_s: float = 30.0, attempts: int = 3,
                 sleep: Callable[[float], None] = time.sleep, progress: Progress | None = None) -> None:
        self._own_client = client is None
        self.client = client or httpx.Client(
            timeout=httpx.Timeout(timeout_s, connect=min(timeout_s, 10.0)), follow_redirects=True,
            headers={"User-Agent": USER_AGENT})
        self.attempts = max(1, attempts)
        self.sleep = sleep
        self.progress = progress

    def close(self) -> None:
        if self._own_client:
            self.client.close()

    def __enter__(self) -> Downloader:
        return self

    def __exit__(self, *exc) -> None:
        self.close()

    # --- one release ------------------------------------------------------------------------------
    def fetch_release(self, base: str, staging: Path, *, today: date | None = None) -> Fetched:
        """Download every BDPM file under ``base`` into ``staging`` (kept between runs: partial
        files resume). Required files missing, or any file failing, raise :class:`DownloadError`."""
        staging.mkdir(parents=True, exist_ok=True)
        modified: list[datetime] = []
        fetched = Fetched(staging, "")
        names = list(FILES)
        for index, name in enumerate(names):
            self._report(index, len(names), f"Téléchargement de {name}")
            result = self.fetch_file(file_url(base, name), name, staging)
            if result is None:
                if name in REQUIRED_FILES:
                    raise DownloadError(f"Le fichier {name} est absent de {file_url(base, name)} : "
                                        f"mise à jour impossible. {_UNCHANGED}")
                (staging / name).unlink(missing_ok=True)  # an earlier run's copy is not this release's
                fetched.missing.append(name)
                continue
            size, when, resumed_from = result
            fetched.present.append(name)
            fetched.sizes[name] = size
            if resumed_from:
                fetched.resumed[name] = resumed_from
            if when is not None:
                modified.append(when)
        self._report(len(names), len(names), "Téléchargement terminé")
        fetched.release = release_from(base, modified, today or date.today())
        return fetched

    def _report(self, done: int, total: int, message: str) -> None:
        if self.progress is not None:
            self.progress(done, total, message)

    # --- one file ---------------------------------------------------------------------------------
    def fetch_file(self, url: str, name: str, folder: Path) -> tuple[int, datetime | None, int] | None:
        """Download ``url`` into ``folder/name``; None on a 404. Returns (size, Last-Modified, bytes
        resumed from an earlier attempt)."""
        part = folder / f"{name}.part"
        meta = folder / f"{name}.part.json"
        kept_before = part.stat().st_size if part.exists() and _validator(meta, url) else 0
        last_error: Exception | None = None
        for attempt in range(self.attempts):
            if attempt:
                self.sleep(min(2.0 ** attempt, 10.0))
            starts: list[int] = []
            try:
                outcome = self._attempt(url, name, part, meta, starts)
            except (httpx.TransportError, httpx.StreamError) as exc:
                last_error = exc
                if starts and starts[0] == 0:
                    kept_before = 0  # the server sent the whole file again: nothing was kept
                if isinstance(exc, httpx.UnsupportedProtocol | httpx.ConnectError | httpx.ConnectTimeout):
                    break  # no server there: trying again at once will not help
                log.warning("download of %s cut after %d bytes (attempt %d): %r", name,
                            part.stat().st_size if part.exists() else 0, attempt + 1, exc)
                continue
            if outcome is None:
                return None
            size, when = outcome
            if starts and starts[0] == 0:
                kept_before = 0
            try:
                check_format(name, part)
            except DownloadError:
                part.unlink(missing_ok=True)  # never resume onto a damaged start
                meta.unlink(missing_ok=True)
                raise
            part.replace(folder / name)
            meta.unlink(missing_ok=True)
            return size, when, kept_before
        kept = part.stat().st_size if part.exists() else 0
        if isinstance(last_error, httpx.UnsupportedProtocol):
            raise DownloadError(f"Adresse de téléchargement invalide : {url}. {_UNCHANGED}", detail=repr(last_error))
        if isinstance(last_error, httpx.ConnectError | httpx.ConnectTimeout) and not kept:
            raise DownloadError(f"Serveur du catalogue injoignable ({httpx.URL(url).host}) : vérifiez la connexion "
                                f"Internet ou l'adresse [catalogue] base_url. {_UNCHANGED}", detail=repr(last_error))
        raise DownloadError(
            f"Téléchargement de {name} interrompu ({type(last_error).__name__}) après {kept} octets : "
            f"relancez la mise à jour, elle reprendra où elle s'est arrêtée. {_UNCHANGED}",
            detail=f"{url}: {last_error!r}")

    def _attempt(self, url: str, name: str, part: Path, meta: Path,
                 starts: list[int]) -> tuple[int, datetime | None] | None:
        """One GET of ``url`` into ``part`` (resumed when possible); ``starts`` receives the offset the
        body was written from. None on a 404."""
        validator = _validator(meta, url)
        offset = part.stat().st_size if part.exists() and validator else 0
        headers = {"Accept-Encoding": "identity"}  # byte ranges of the file itself, not of a gzip stream
        if offset:
            headers.update({"Range": f"bytes={offset}-", "If-Range": validator})
        try:
            with self.client.stream("GET", url, headers=headers) as response:
                if response.status_code == 404:
                    return None
                if response.status_code == 416 and offset:  # nothing left to send: start over cleanly
                    part.unlink(missing_ok=True)
                    meta.unlink(missing_ok=True)
                    raise httpx.RemoteProtocolError("range not satisfiable", request=response.request)
                if response.status_code not in (200, 206):
                    raise DownloadError(f"Le serveur a refusé le fichier {name} (HTTP {response.status_code}). "
                                        f"{_UNCHANGED}", detail=url)
                total, start = _expected(response, offset)
                starts.append(start)
                if total is not None and total > MAX_FILE_BYTES:
                    raise DownloadError(f"Le fichier {name} annoncé fait {total} octets : ce n'est pas un "
                                        f"fichier BDPM. {_UNCHANGED}", detail=url)
                mode = "ab" if start else "wb"
                _write_validator(meta, url, response.headers)
                written = start
                with part.open(mode) as fh:
                    for chunk in response.iter_bytes():  # as received: a cut loses nothing already read
                        written += len(chunk)
                        if written > MAX_FILE_BYTES:
                            raise DownloadError(f"Le fichier {name} dépasse {MAX_FILE_BYTES} octets : ce n'est "
                                                f"pas un fichier BDPM. {_UNCHANGED}", detail=url)
                        fh.write(chunk)
                if total is not None and written != total:
                    raise httpx.RemoteProtocolError(f"{written} of {total} bytes", request=response.request)
                return written, _last_modified(response.headers)
        except httpx.HTTPError as exc:
            if isinstance(exc, httpx.TransportError | httpx.StreamError):
                raise
            raise DownloadError(f"Téléchargement de {name} impossible : {exc}. {_UNCHANGED}", detail=url) from exc


def _expected(response: httpx.Response, offset: int) -> tuple[int | None, int]:
    """(total size of the file when known, offset the body starts at)."""
    if response.status_code == 206:
        match = re.match(r"bytes (\d+)-(\d+)/(\d+|\*)", response.headers.get("Content-Range", ""))
        if not match or int(match.group(1)) != offset:
            raise httpx.RemoteProtocolError("unexpected Content-Range", request=response.request)
        return (None if match.group(3) == "*" else int(match.group(3))), offset
    length = response.headers.get("Content-Length")
    encoded = response.headers.get("Content-Encoding", "identity") not in ("identity", "")
    return (int(length) if length and length.isdigit() and not encoded else None), 0


def _validator(meta: Path, url: str) -> str | None:
    """The ETag (strong) or Last-Modified the partial file was downloaded under, for If-Range."""
    try:
        data = json.loads(meta.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    if data.get("url") != url:
        return None
    etag = data.get("etag") or ""
    return etag if etag and not etag.startswith("W/") else (data.get("last_modified") or None)


def _write_validator(meta: Path, url: str, headers: httpx.Headers) -> None:
    meta.write_text(json.dumps({"url": url, "etag": headers.get("ETag", ""),
                                "last_modified": headers.get("Last-Modified", "")}), encoding="utf-8")


def _last_modified(headers: httpx.Headers) -> datetime | None:
    value = headers.get("Last-Modified")
    if not value:
        return None
    try:
        return parsedate_to_datetime(value)
    except (TypeError, ValueError):
        return None


def copy_release(folder: Path, staging: Path) -> Fetched:
    """A release from a local folder (``--from DIR``): checked like a download, copied to ``staging``
    so that the update reads a stable copy."""
    if not folder.is_dir():
        raise CatalogueError(f"Dossier BDPM introuvable : {folder}")
    staging.mkdir(parents=True, exist_ok=True)
    fetched = Fetched(staging, "")
    for name in FILES:
        source = folder / name
        if not source.is_file():
            if name in REQUIRED_FILES:
                raise DownloadError(f"Le fichier {name} est absent de {folder} : mise à jour impossible. "
                                    f"{_UNCHANGED}")
            (staging / name).unlink(missing_ok=True)
            fetched.missing.append(name)
            continue
        check_format(name, source)
        shutil.copyfile(source, staging / name)
        fetched.present.append(name)
        fetched.sizes[name] = source.stat().st_size
    modified = [datetime.fromtimestamp((folder / n).stat().st_mtime) for n in fetched.present]
    fetched.release = release_from(folder.name, modified, date.today())
    return fetched
