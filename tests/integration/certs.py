"""Certificates for federation tests, made at test time.

A CertAuthority is a throw-away CA; it issues server certificates for one XMPP domain with the
names RFC 6120 section 13.7.1.2 looks for: a dNSName and an id-on-xmppAddr otherName. A second
CertAuthority that the servers do not trust, and self_signed(), give the certificates that
certificate authentication must refuse (and dialback may still accept). Keys are EC P-256:
quick to make and accepted by every TLS stack involved.
"""

from __future__ import annotations

import datetime
import grp
import os
import pwd
from dataclasses import dataclass
from pathlib import Path
from typing import Iterable

from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.x509.oid import ExtendedKeyUsageOID, NameOID, ObjectIdentifier

ID_ON_XMPPADDR = ObjectIdentifier("1.3.6.1.5.5.7.8.5")
VALID_DAYS = 30


@dataclass(frozen=True)
class ServerCert:
    """PEM files of one server certificate. `trust` is what a verifier must trust to accept it:
    the issuing CA's certificate, or the certificate itself when it is self-signed."""
    domain: str
    cert: Path
    key: Path
    trust: Path


def _der_utf8string(text: str) -> bytes:
    """DER of a UTF8String: the otherName value must be encoded by hand (cryptography takes the
    inner value as DER bytes)."""
    data = text.encode("utf-8")
    n = len(data)
    if n < 0x80:
        length = bytes([n])
    else:
        raw = n.to_bytes((n.bit_length() + 7) // 8, "big")
        length = bytes([0x80 | len(raw)]) + raw
    return b"\x0c" + length + data


def _new_key() -> ec.EllipticCurvePrivateKey:
    return ec.generate_private_key(ec.SECP256R1())


def _write_key(path: Path, key: ec.EllipticCurvePrivateKey) -> None:
    path.write_bytes(key.private_bytes(serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8,
                                       serialization.NoEncryption()))
    path.chmod(0o600)


def _write_cert(path: Path, cert: x509.Certificate) -> None:
    path.write_bytes(cert.public_bytes(serialization.Encoding.PEM))
    path.chmod(0o644)


def _name(common_name: str) -> x509.Name:
    return x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, common_name)])


def _server_builder(domain: str, key: ec.EllipticCurvePrivateKey, issuer: x509.Name, *,
                    extra_names: Iterable[str], client_auth: bool, xmpp_addr: bool,
                    days: int) -> x509.CertificateBuilder:
    now = datetime.datetime.now(datetime.timezone.utc)
    names = [domain, *extra_names]
    sans: list[x509.GeneralName] = [x509.DNSName(n) for n in names]
    if xmpp_addr:
        sans += [x509.OtherName(ID_ON_XMPPADDR, _der_utf8string(n)) for n in names]
    usages = [ExtendedKeyUsageOID.SERVER_AUTH]
    if client_auth:  # a server presents its certificate as a TLS client on outgoing s2s
        usages.append(ExtendedKeyUsageOID.CLIENT_AUTH)
    return (
        x509.CertificateBuilder()
        .subject_name(_name(domain))
        .issuer_name(issuer)
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        # an hour back, so that a clock read a moment later elsewhere never sees it as "not yet valid"
        .not_valid_before(now - datetime.timedelta(hours=1))
        .not_valid_after(now + datetime.timedelta(days=days))
        .add_extension(x509.SubjectAlternativeName(sans), critical=False)
        .add_extension(x509.ExtendedKeyUsage(usages), critical=False)
        .add_extension(x509.SubjectKeyIdentifier.from_public_key(key.public_key()), critical=False)
    )


def _leaf_constraints(builder: x509.CertificateBuilder) -> x509.CertificateBuilder:
    return (builder
            .add_extension(x509.BasicConstraints(ca=False, path_length=None), critical=True)
            .add_extension(x509.KeyUsage(digital_signature=True, content_commitment=False, key_encipherment=False,
                                         data_encipherment=False, key_agreement=False, key_cert_sign=False,
                                         crl_sign=False, encipher_only=False, decipher_only=False),
                           critical=True))


class CertAuthority:
    """A CA in `folder` (ca.pem, ca.key). Make a second one for "signed by an untrusted CA"."""

    def __init__(self, folder: Path, name: str = "impd test CA", days: int = VALID_DAYS) -> None:
        self.folder = Path(folder)
        self.folder.mkdir(parents=True, exist_ok=True)
        self.name = name
        self._key = _new_key()
        now = datetime.datetime.now(datetime.timezone.utc)
        subject = _name(name)
        self.certificate = (
            x509.CertificateBuilder()
            .subject_name(subject)
            .issuer_name(subject)
            .public_key(self._key.public_key())
            .serial_number(x509.random_serial_number())
            .not_valid_before(now - datetime.timedelta(hours=1))
            .not_valid_after(now + datetime.timedelta(days=days))
            .add_extension(x509.BasicConstraints(ca=True, path_length=0), critical=True)
            .add_extension(x509.KeyUsage(digital_signature=False, content_commitment=False, key_encipherment=False,
                                         data_encipherment=False, key_agreement=False, key_cert_sign=True,
                                         crl_sign=True, encipher_only=False, decipher_only=False),
                           critical=True)
            .add_extension(x509.SubjectKeyIdentifier.from_public_key(self._key.public_key()), critical=False)
            .sign(self._key, hashes.SHA256())
        )
        self.cert_path = self.folder / "ca.pem"
        self.key_path = self.folder / "ca.key"
        _write_cert(self.cert_path, self.certificate)
        _write_key(self.key_path, self._key)

    def issue(self, domain: str, folder: Path | None = None, *, extra_names: Iterable[str] = (),
              client_auth: bool = True, xmpp_addr: bool = True, days: int = VALID_DAYS) -> ServerCert:
        """A server certificate for `domain` (and extra_names): SAN dNSName + id-on-xmppAddr,
        extendedKeyUsage serverAuth+clientAuth (serverAuth only with client_auth=False).
        Writes <domain>.pem and <domain>.key into folder (default: the CA's folder)."""
        folder = Path(folder) if folder is not None else self.folder
        folder.mkdir(parents=True, exist_ok=True)
        key = _new_key()
        builder = _server_builder(domain, key, self.certificate.subject, extra_names=extra_names,
                                  client_auth=client_auth, xmpp_addr=xmpp_addr, days=days)
        builder = _leaf_constraints(builder).add_extension(
            x509.AuthorityKeyIdentifier.from_issuer_public_key(self._key.public_key()), critical=False)
        cert = builder.sign(self._key, hashes.SHA256())
        cert_path, key_path = folder / f"{domain}.pem", folder / f"{domain}.key"
        _write_cert(cert_path, cert)
        _write_key(key_path, key)
        return ServerCert(domain, cert_path, key_path, self.cert_path)


def self_signed(domain: str, folder: Path, *, extra_names: Iterable[str] = (), client_auth: bool = True,
                xmpp_addr: bool = True, days: int = VALID_DAYS) -> ServerCert:
    """A self-signed server certificate with the same names and usages as CertAuthority.issue()."""
    folder = Path(folder)
    folder.mkdir(parents=True, exist_ok=True)
    key = _new_key()
    builder = _server_builder(domain, key, _name(domain), extra_names=extra_names,
                              client_auth=client_auth, xmpp_addr=xmpp_addr, days=days)
    cert = _leaf_constraints(builder).sign(key, hashes.SHA256())
    cert_path, key_path = folder / f"{domain}.self-signed.pem", folder / f"{domain}.self-signed.key"
    _write_cert(cert_path, cert)
    _write_key(key_path, key)
    return ServerCert(domain, cert_path, key_path, cert_path)


def write_bundle(path: Path, *pems: Path | CertAuthority) -> Path:
    """Concatenate CA certificates (paths or CertAuthority objects) into one PEM bundle."""
    path = Path(path)
    parts = [(p.cert_path if isinstance(p, CertAuthority) else Path(p)).read_text() for p in pems]
    path.write_text("".join(x if x.endswith("\n") else x + "\n" for x in parts))
    path.chmod(0o644)
    return path


def give_to(user: str, *paths: Path) -> None:
    """chown files to a service user (the tests run as root; Prosody runs as `prosody` and must
    read its key, which stays mode 0600)."""
    uid = pwd.getpwnam(user).pw_uid
    gid = grp.getgrgid(pwd.getpwnam(user).pw_gid).gr_gid
    for p in paths:
        os.chown(p, uid, gid)
