"""One typed settings object, read from a TOML file in the platform's config dir.

Precedence, lowest first: defaults < settings file < environment (``COMPTOIR_<SECTION>_<KEY>``, plus
``COMPTOIR_DB_URL``) < command-line flags. Secrets (service tokens) are never in the file: the file
names a keyring entry (``service.token_ref``) and the token lives in the OS keyring
(``COMPTOIR_SERVICE_TOKEN`` overrides it for the demo and CI).
"""

from __future__ import annotations

import dataclasses
import logging
import os
import tomllib
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import platformdirs

from app.domain.errors import N_, ConfigurationError
from app.private_files import private_dir, write_private_text

APP_NAME = "comptoir"
KEYRING_SERVICE = "comptoir"


def config_dir() -> Path:
    return Path(os.environ.get("COMPTOIR_CONFIG_DIR") or platformdirs.user_config_dir(APP_NAME))


def data_dir() -> Path:
    return Path(os.environ.get("COMPTOIR_DATA_DIR") or platformdirs.user_data_dir(APP_NAME))


def log_dir() -> Path:
    return Path(os.environ.get("COMPTOIR_LOG_DIR") or platformdirs.user_log_dir(APP_NAME))


def default_db_url() -> str:
    return f"sqlite:///{data_dir() / 'comptoir.sqlite3'}"


class _Section:
    """Base of the settings' classes: one ``__init__`` (keyword arguments, each field's default otherwise),
    ``__eq__`` and ``__repr__`` over the dataclass fields, in place of those ``@dataclass`` generates.

    Why: ``@dataclass`` writes and compiles the source of these three methods for each class, about a
    millisecond per class at every start, before the window's first paint (issue 14: the settings were
    a third of what the window's start adds to a bare Qt window). They behave as the generated ones,
    but take keyword arguments only (how every caller builds settings).
    """

    __hash__ = None  # mutable and compared by value, as a dataclass with eq=True

    def __init__(self, **values: Any) -> None:
        for f in dataclasses.fields(self):
            if f.name in values:
                setattr(self, f.name, values.pop(f.name))
            elif f.default_factory is not dataclasses.MISSING:
                setattr(self, f.name, f.default_factory())
            else:
                setattr(self, f.name, f.default)
        if values:
            raise TypeError(f"{type(self).__name__}() got unexpected keyword arguments: {', '.join(values)}")

    def _values(self) -> tuple[Any, ...]:
        return tuple(getattr(self, f.name) for f in dataclasses.fields(self))

    def __eq__(self, other: object) -> bool:
        if other.__class__ is not self.__class__:
            return NotImplemented
        return self._values() == other._values()  # type: ignore[attr-defined]

    def __repr__(self) -> str:
        shown = ", ".join(f"{f.name}={getattr(self, f.name)!r}" for f in dataclasses.fields(self))
        return f"{type(self).__qualname__}({shown})"


section = dataclass(init=False, repr=False, eq=False)


@section
class DatabaseSettings(_Section):
    url: str = ""  # empty: SQLite file in the data dir


@section
class ServiceSettings(_Section):
    base_url: str = "http://127.0.0.1:8787/fhir"
    token_ref: str = "default"  # name of the keyring entry holding the bearer token
    number_system: str = "https://comptoir.example/fhir/sid/ordonnance-numerique"
    check_number: bool = True  # verify the MOD 37,36 check character of 20-character numbers
    timeout_s: float = 10.0
    verify_tls: bool = True
    ca_bundle: str = ""
    client_cert: str = ""
    client_key: str = ""


@section
class PharmacySettings(_Section):
    name: str = "Pharmacie du Comptoir"
    address: str = "1 place de la Mairie, 75001 Paris"
    finess: str = "750000010"
    phone: str = "01 23 45 67 89"
    pharmacist_name: str = "Pharmacien titulaire"
    pharmacist_rpps: str = "10000000009"
    role: str = "pharmacist"  # or "preparer" on a preparer workstation
    amc_percent: int = 0  # complementary (AMC) share proposed at billing, % of what the AMO leaves; 0: none
    # generics' laboratories to offer first at equal price, in order ("BIOGARAN, ARROW")
    preferred_labs: str = ""

    def labs(self) -> tuple[str, ...]:
        return tuple(w.strip() for w in self.preferred_labs.split(",") if w.strip())


@section
class ScannerSettings(_Section):
    backend: str = "zxing"  # zxing | pyzbar
    camera: str = ""  # "" none, a device index ("0"), a video file or a folder of images
    fps: int = 15
    width: int = 1280
    height: int = 720
    wedge_prefix: str = ""
    wedge_suffix: str = ""
    wedge_max_interval_ms: int = 50
    wedge_min_length: int = 6
    gs_substitute: str = ""  # key the scanner sends for the GS1 separator (e.g. "@" or "~")
    serial_port: str = ""
    serial_baud: int = 9600


@section
class PrinterSettings(_Section):
    name: str = ""  # printer of the mentions on the ordonnance; "" = the system default
    copy_name: str = ""  # printer of the patient's A4 copy; "" = the system default
    system: str = "auto"  # auto (CUPS where its lp command exists, else Qt) | cups | qt
    job_timeout_s: float = 60.0  # how long a CUPS job may wait in its queue before it counts as failed
    paper: str = "A5"  # paper of the doctor's ordonnance: A4 or A5
    area_x_mm: float = 10.0
    area_y_mm: float = 10.0
    area_w_mm: float = 128.0
    area_h_mm: float = 90.0
    offset_x_mm: float = 0.0
    offset_y_mm: float = 0.0
    show_dialog: bool = False
    pdf_dir: str = ""  # "" = <data dir>/pdf
    # Where the mentions go: "back" = the free back of the ordonnance (a sheet of its paper, within
    # back_margin_mm of each edge; the calibration page says how to feed it), "area" = the free
    # rectangle area_x/y/w/h_mm on its front, "auto" = the area when one is set (area_* changed from
    # these defaults), else the back.
    mentions_place: str = "auto"
    back_margin_mm: float = 10.0


@section
class CatalogueSettings(_Section):
    # where `comptoir catalogue update` finds the BDPM files, each by its name (CIS_bdpm.txt ...);
    # the ANSM's download address, see app/catalogue/download.py
    base_url: str = "https://base-donnees-publique.medicaments.gouv.fr/download/file/"
    timeout_s: float = 30.0
    attempts: int = 3  # tries per file when the connection breaks, each resuming where the last stopped
    max_age_days: int = 30  # the window offers an update once the catalogue is older than this


@section
class UiSettings(_Section):
    language: str = "fr"
    sounds: bool = True  # a short sound for each box accepted or refused at the counter


@section
class OrdonnancierSettings(_Section):
    """Where the register's protection lives outside the database (see app/storage/ordonnancier.py).

    ``anchor_file``: the append-only file of daily closings ("" = <data dir>/ordonnancier-ancrage.jsonl);
    ``key_store``: ``auto`` (OS keyring when one works, else a 0600 file in the config dir),
    ``keyring`` or ``file``; ``workstation``: this workstation's name, kept for the settings files
    written before ``[workstation] name`` (which wins when both are set).
    """

    anchor_file: str = ""
    key_store: str = "auto"
    workstation: str = ""


@section
class WorkstationSettings(_Section):
    """This workstation in the pharmacy's team.

    ``name``: how the ordonnancier, the audit trail and the other workstations name it ("" = the
    older ``[ordonnancier] workstation``, else the host name); ``idle_lock_minutes``: the counter
    locks the session after that long without a key, a scan or a click (0 = never); ``mode``: what
    the window opens on, ``counter`` (the comptoir) or ``preparation`` (the preparer's queue).
    """

    name: str = ""
    idle_lock_minutes: int = 5
    mode: str = "counter"


@section
class Settings(_Section):
    database: DatabaseSettings = field(default_factory=DatabaseSettings)
    service: ServiceSettings = field(default_factory=ServiceSettings)
    pharmacy: PharmacySettings = field(default_factory=PharmacySettings)
    scanner: ScannerSettings = field(default_factory=ScannerSettings)
    printer: PrinterSettings = field(default_factory=PrinterSettings)
    catalogue: CatalogueSettings = field(default_factory=CatalogueSettings)
    ui: UiSettings = field(default_factory=UiSettings)
    ordonnancier: OrdonnancierSettings = field(default_factory=OrdonnancierSettings)
    workstation: WorkstationSettings = field(default_factory=WorkstationSettings)
    source: Path | None = None  # the file read, if any

    @property
    def db_url(self) -> str:
        return self.database.url or default_db_url()

    @property
    def pdf_dir(self) -> Path:
        return Path(self.printer.pdf_dir) if self.printer.pdf_dir else data_dir() / "pdf"

    @property
    def anchor_file(self) -> Path:
        value = self.ordonnancier.anchor_file
        return Path(value).expanduser() if value else data_dir() / "ordonnancier-ancrage.jsonl"

    @property
    def workstation_name(self) -> str:
        """``[workstation] name``, else ``[ordonnancier] workstation`` (older files), else the host name."""
        import socket  # here: loading the settings (before the window's first paint) does not need it

        return (self.workstation.name.strip() or self.ordonnancier.workstation.strip()
                or socket.gethostname() or "poste")

    def service_token(self) -> str | None:
        """The bearer token: ``COMPTOIR_SERVICE_TOKEN`` or the OS keyring; None when absent."""
        token = os.environ.get("COMPTOIR_SERVICE_TOKEN")
        if token:
            return token
        try:
            import keyring

            return keyring.get_password(KEYRING_SERVICE, self.service.token_ref)
        except Exception as exc:  # no keyring backend on this machine (or it is locked)
            _warn_no_keyring(exc)
            return None

    def store_service_token(self, token: str) -> None:
        """Keep the token in the OS keyring (never in the settings file)."""
        try:
            import keyring

            keyring.set_password(KEYRING_SERVICE, self.service.token_ref, token)
        except Exception as exc:
            raise ConfigurationError(
                "Impossible d'enregistrer le jeton dans le trousseau du système", detail=repr(exc)
            ) from exc


def usable_keyring():
    """The OS keyring backend, or None when this machine has none usable (keyring's 'fail' backend)."""
    try:
        import keyring
        from keyring.backends import fail
    except ImportError:
        return None
    backend = keyring.get_keyring()
    return None if isinstance(backend, fail.Keyring) else backend


_keyring_warned = False


def _warn_no_keyring(exc: Exception) -> None:
    """Say once per process, in the log, why the token is missing: otherwise the service answers
    401 and nobody knows the keyring was never there."""
    global _keyring_warned
    if not _keyring_warned:
        _keyring_warned = True
        logging.getLogger(__name__).warning(
            "no usable keyring backend (%s): service token unavailable; set COMPTOIR_SERVICE_TOKEN "
            "or run `comptoir config set-token` where a keyring exists", type(exc).__name__)


_SECTIONS = ("database", "service", "pharmacy", "scanner", "printer", "catalogue", "ui", "ordonnancier",
             "workstation")


def _coerce(value: Any, target_type: Any, where: str) -> Any:
    kind = target_type if isinstance(target_type, type) else {"str": str, "int": int, "float": float,
                                                              "bool": bool}[str(target_type)]
    if kind is bool:
        if isinstance(value, bool):
            return value
        text = str(value).strip().lower()
        if text in ("1", "true", "yes", "oui", "on"):
            return True
        if text in ("0", "false", "no", "non", "off", ""):
            return False
        raise ConfigurationError(N_("Réglage {where} : valeur booléenne attendue, pas « {value} »"),
                                 values={"where": where, "value": value})
    try:
        return kind(value)
    except (TypeError, ValueError) as exc:
        raise ConfigurationError(N_("Réglage {where} : valeur invalide « {value} »"),
                                 values={"where": where, "value": value}) from exc


def _apply(settings: Settings, section: str, key: str, value: Any, where: str) -> None:
    target = getattr(settings, section)
    fields = {f.name: f for f in dataclasses.fields(target)}
    if key not in fields:
        raise ConfigurationError(N_("Réglage inconnu : {setting} ({where})"),
                                 values={"setting": f"{section}.{key}", "where": where})
    setattr(target, key, _coerce(value, fields[key].type, f"{section}.{key}"))


def load_settings(path: str | Path | None = None, *, env: dict[str, str] | None = None,
                  overrides: dict[str, Any] | None = None) -> Settings:
    """Read the settings: file, then environment, then ``overrides`` (``{"database.url": ...}``)."""
    env = dict(os.environ if env is None else env)
    settings = Settings()
    file = Path(path) if path else Path(env.get("COMPTOIR_CONFIG") or config_dir() / "settings.toml")
    if file.exists():
        try:
            data = tomllib.loads(file.read_text(encoding="utf-8"))
        except (tomllib.TOMLDecodeError, UnicodeDecodeError) as exc:
            raise ConfigurationError(N_("Fichier de réglages illisible : {file} ({error})"),
                                     values={"file": file, "error": exc}) from exc
        for section, values in data.items():
            if section not in _SECTIONS or not isinstance(values, dict):
                raise ConfigurationError(N_("Section de réglages inconnue : [{section}] dans {file}"),
                                         values={"section": section, "file": file})
            for key, value in values.items():
                _apply(settings, section, key, value, str(file))
        settings.source = file
    elif path:
        raise ConfigurationError(N_("Fichier de réglages introuvable : {file}"), values={"file": file})
    if env.get("COMPTOIR_DB_URL"):
        settings.database.url = env["COMPTOIR_DB_URL"]
    for name, value in env.items():
        if not name.startswith("COMPTOIR_"):
            continue
        rest = name[len("COMPTOIR_"):].lower()
        section, _, key = rest.partition("_")
        if section in _SECTIONS and key and key in {f.name for f in dataclasses.fields(getattr(settings, section))}:
            _apply(settings, section, key, value, name)
    for dotted, value in (overrides or {}).items():
        if value is None:
            continue
        section, _, key = dotted.partition(".")
        _apply(settings, section, key, value, N_("ligne de commande"))
    return settings


def _toml_value(value: Any) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int | float):
        return repr(value)
    text = str(value).replace("\\", "\\\\").replace('"', '\\"')
    return f'"{text}"'


def save_settings(settings: Settings, path: str | Path | None = None) -> Path:
    """Write the settings file (mode 0600); only values that differ from the defaults are kept."""
    file = Path(path) if path else (settings.source or config_dir() / "settings.toml")
    private_dir(file.parent)
    defaults = Settings()
    lines: list[str] = []
    for section in _SECTIONS:
        current, default = getattr(settings, section), getattr(defaults, section)
        changed = [(f.name, getattr(current, f.name)) for f in dataclasses.fields(current)
                   if getattr(current, f.name) != getattr(default, f.name)]
        if changed:
            lines.append(f"[{section}]")
            lines.extend(f"{k} = {_toml_value(v)}" for k, v in changed)
            lines.append("")
    write_private_text(file, "\n".join(lines))  # 0600, also when it existed wider
    settings.source = file
    return file


def settings_from_args(args: Any) -> Settings:
    """Settings for a CLI invocation: ``--config`` and ``--db`` override file and environment."""
    overrides = {"database.url": getattr(args, "db", None)}
    if getattr(args, "lang", None):
        overrides["ui.language"] = args.lang
    return load_settings(getattr(args, "config", None), overrides=overrides)
