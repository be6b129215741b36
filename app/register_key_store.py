"""Where this workstation keeps the ordonnancier's key: the OS keyring, or a private file.

Apart from :mod:`app.config` (the settings): the key is read when a register is written or checked,
never to open the window.
"""

from __future__ import annotations

import base64
import logging
import os
import re
from pathlib import Path

from app.config import KEYRING_SERVICE, config_dir, usable_keyring
from app.domain.errors import ConfigurationError
from app.private_files import private_dir

KEY_STORES = ("auto", "keyring", "file")
_KEY_ID = re.compile(r"[0-9a-f]{16}")


def register_key_dir() -> Path:
    """The folder of the register keys kept as files (no usable keyring), in the user config dir."""
    return config_dir() / "ordonnancier"


class RegisterKeyStore:
    """Where this workstation keeps the ordonnancier's key: the OS keyring, or a private file.

    Why outside the database: the key seals the register (app/domain/ordonnancier.py); whoever can
    edit the database, including the administrator of a shared PostgreSQL server, must not be able to
    reseal an edit. ``auto`` uses the OS keyring where a backend works and falls back to a file
    created 0600 in a 0700 folder of the user config dir (headless Linux, CI): the database user of a
    server cannot read a workstation's files. Keys are stored under their key id (16 hex digits, from
    the database, hence checked before use in a path or a keyring entry name).
    """

    def __init__(self, mode: str = "auto", directory: Path | None = None) -> None:
        if mode not in KEY_STORES:
            raise ConfigurationError(f"Réglage ordonnancier.key_store : « {mode} » inconnu "
                                     f"({', '.join(KEY_STORES)} attendu)")
        self.mode = mode
        self.directory = directory or register_key_dir()

    @staticmethod
    def _entry(key_id: str) -> str:
        return f"ordonnancier-{key_id}"

    def _file(self, key_id: str) -> Path:
        return self.directory / f"{key_id}.key"

    def load(self, key_id: str) -> bytes | None:
        """The key ``key_id`` from the keyring or the file, None when this workstation lacks it."""
        if not _KEY_ID.fullmatch(key_id or ""):
            return None
        if self.mode != "file" and usable_keyring() is not None:
            try:
                import keyring

                text = keyring.get_password(KEYRING_SERVICE, self._entry(key_id))
                if text:
                    return _decode_key(text)
            except Exception as exc:  # a locked or broken keyring: the file may still have it
                logging.getLogger(__name__).warning("keyring read failed (%s)", type(exc).__name__)
        if self.mode != "keyring":
            try:
                return _decode_key(self._file(key_id).read_text(encoding="ascii"))
            except FileNotFoundError:
                return None
            except (OSError, UnicodeDecodeError, ValueError) as exc:
                raise ConfigurationError(f"Fichier de clé du registre illisible : {self._file(key_id)}",
                                         detail=repr(exc)) from exc
        return None

    def save(self, key_id: str, key: bytes) -> str:
        """Keep ``key``; return where, in French. Never overwrites a different key of the same id."""
        if not _KEY_ID.fullmatch(key_id):
            raise ConfigurationError("Identifiant de clé du registre invalide")
        if self.mode != "file" and usable_keyring() is not None:
            try:
                import keyring

                keyring.set_password(KEYRING_SERVICE, self._entry(key_id), _encode_key(key))
                if keyring.get_password(KEYRING_SERVICE, self._entry(key_id)) == _encode_key(key):
                    return f"trousseau du système (entrée {KEYRING_SERVICE}/{self._entry(key_id)})"
                raise RuntimeError("the keyring did not keep the key")
            except Exception as exc:
                if self.mode == "keyring":
                    raise ConfigurationError("Impossible d'enregistrer la clé du registre dans le trousseau "
                                             "du système", detail=repr(exc)) from exc
                logging.getLogger(__name__).warning("keyring write failed (%s): register key kept in a file",
                                                    type(exc).__name__)
        elif self.mode == "keyring":
            raise ConfigurationError("Aucun trousseau système (keyring) n'est disponible sur ce poste : "
                                     "réglez ordonnancier.key_store = \"file\" ou \"auto\"")
        return self._save_file(key_id, key)

    def _save_file(self, key_id: str, key: bytes) -> str:
        path = self._file(key_id)
        try:
            private_dir(self.directory)
            try:
                fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
            except FileExistsError:
                if self.load(key_id) != key:
                    raise ConfigurationError(f"Un autre fichier de clé porte déjà ce nom : {path}") from None
                return f"fichier {path}"
            with os.fdopen(fd, "w", encoding="ascii") as fh:
                fh.write(_encode_key(key) + "\n")
                fh.flush()
                os.fsync(fh.fileno())
        except OSError as exc:
            raise ConfigurationError(f"Impossible d'enregistrer la clé du registre : {path} "
                                     f"({exc.strerror or exc})", detail=repr(exc)) from exc
        return f"fichier {path} (lisible par ce seul compte)"


def _encode_key(key: bytes) -> str:
    return base64.urlsafe_b64encode(key).decode("ascii")


def _decode_key(text: str) -> bytes:
    return base64.urlsafe_b64decode(text.strip().encode("ascii"))
