"""HTTPS with verification on, and mutual TLS: the client presents its certificate (as the real
service authenticates CPS cards); without it, or against an unknown server, a clear refusal."""

from __future__ import annotations

import datetime as dt
import ipaddress

import pytest

from app.domain.errors import ServiceError
from app.eprescription.client import EPrescriptionClient
from app.sandbox.server import TlsOptions
from app.sandbox.testing import running_sandbox
from tests.service.conftest import demo_bundle

crypto = pytest.importorskip("cryptography")
from cryptography import x509  # noqa: E402
from cryptography.hazmat.primitives import hashes, serialization  # noqa: E402
from cryptography.hazmat.primitives.asymmetric import ec  # noqa: E402
from cryptography.x509.oid import NameOID  # noqa: E402


def _issue(name: str, issuer_key=None, issuer_name=None, *, ca: bool = False, ip: str | None = None):
    key = ec.generate_private_key(ec.SECP256R1())
    subject = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, name)])
    now = dt.datetime.now(dt.UTC)
    builder = (x509.CertificateBuilder().subject_name(subject).issuer_name(issuer_name or subject)
               .public_key(key.public_key()).serial_number(x509.random_serial_number())
               .not_valid_before(now - dt.timedelta(minutes=5)).not_valid_after(now + dt.timedelta(days=1))
               .add_extension(x509.BasicConstraints(ca=ca, path_length=None), critical=True))
    if ip:
        builder = builder.add_extension(x509.SubjectAlternativeName([x509.IPAddress(ipaddress.ip_address(ip))]),
                                        critical=False)
    cert = builder.sign(issuer_key or key, hashes.SHA256())
    return key, cert


def _write(path, key, cert):
    path.with_suffix(".pem").write_bytes(cert.public_bytes(serialization.Encoding.PEM))
    if key is not None:
        path.with_suffix(".key").write_bytes(key.private_bytes(
            serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption()))
    return str(path.with_suffix(".pem")), str(path.with_suffix(".key"))


@pytest.fixture(scope="module")
def pki(tmp_path_factory):
    folder = tmp_path_factory.mktemp("pki")
    ca_key, ca = _issue("Comptoir test CA", ca=True)
    server_key, server = _issue("127.0.0.1", ca_key, ca.subject, ip="127.0.0.1")
    card_key, card = _issue("Carte CPS 10000000009", ca_key, ca.subject)
    return {"ca": _write(folder / "ca", None, ca)[0], "server": _write(folder / "server", server_key, server),
            "card": _write(folder / "card", card_key, card)}


def test_mutual_tls(pki, tmp_path):
    tls = TlsOptions(*pki["server"], client_ca=pki["ca"])
    with running_sandbox(f"sqlite:///{tmp_path / 'tls.sqlite3'}", tls=tls) as (base_url, admin):
        assert base_url.startswith("https://127.0.0.1:")
        prescriber = EPrescriptionClient(base_url, admin.prescriber_token(), verify=pki["ca"], cert=pki["card"])
        number, _ = prescriber.submit_prescription(demo_bundle("demo-1-amoxicilline.json"))
        token = admin.pharmacy_token("750000010", "10000000009")
        with EPrescriptionClient(base_url, token, verify=pki["ca"], cert=pki["card"]) as client:
            assert client.fetch(number).lines[0].medication.code == "3400934171727"
        with EPrescriptionClient(base_url, token, verify=pki["ca"], retries=0) as no_card, \
                pytest.raises(ServiceError):
            no_card.fetch(number)  # TLS 1.3 reports the refusal as a closed connection
        with EPrescriptionClient(base_url, token, cert=pki["card"], retries=0) as unknown_server, \
                pytest.raises(ServiceError) as err:
            unknown_server.fetch(number)  # verification on: a self-made CA is not trusted by default
        assert "certificat du service" in str(err.value) and not err.value.retryable
        prescriber.close()
