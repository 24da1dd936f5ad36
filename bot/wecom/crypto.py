"""WeCom callback crypto: SHA1 signatures and AES-256-CBC messages (built on `cryptography`).

The key is the 43-character EncodingAESKey base64-decoded (32 bytes); the IV is its first 16
bytes; plaintext is 16 random bytes, the message length (4 bytes, network order), the message and
the receive id (the corp id), padded with PKCS#7 to a multiple of 32 bytes."""

import base64
import binascii
import hashlib
import hmac
import os
import struct

from cryptography.hazmat.primitives.ciphers import Cipher, algorithms, modes

BLOCK = 32


class CryptoError(Exception):
    """A signature that does not match, or a message that does not decrypt."""


def signature(token: str, timestamp: str, nonce: str, encrypted: str) -> str:
    """msg_signature: SHA1 of the four strings sorted and joined."""
    return hashlib.sha1("".join(sorted([token, timestamp, nonce, encrypted])).encode()).hexdigest()


class WeComCrypto:
    """Verify, decrypt and encrypt callback messages of one app."""

    def __init__(self, token: str, aes_key: str, receive_id: str) -> None:
        if len(aes_key) != 43:
            raise ValueError("WECOM_AES_KEY must be the 43-character EncodingAESKey")
        self.token = token
        self.key = base64.b64decode(aes_key + "=")
        self.receive_id = receive_id

    def verify(self, msg_signature: str, timestamp: str, nonce: str, encrypted: str) -> None:
        expected = signature(self.token, timestamp, nonce, encrypted)
        if not hmac.compare_digest(expected, (msg_signature or "").lower()):
            raise CryptoError("signature mismatch")

    def _cipher(self) -> Cipher:
        return Cipher(algorithms.AES(self.key), modes.CBC(self.key[:16]))

    def decrypt(self, encrypted: str) -> str:
        """The message inside `encrypted`; CryptoError if it is not ours."""
        try:
            data = base64.b64decode(encrypted, validate=True)
        except (binascii.Error, ValueError):
            raise CryptoError("not base64") from None
        if not data or len(data) % 16:
            raise CryptoError("not whole AES blocks")
        decryptor = self._cipher().decryptor()
        plain = decryptor.update(data) + decryptor.finalize()
        pad = plain[-1]
        if not 1 <= pad <= BLOCK or plain[-pad:] != bytes([pad]) * pad:
            raise CryptoError("bad padding")
        body = plain[16:-pad]
        if len(body) < 4:
            raise CryptoError("too short")
        (length,) = struct.unpack(">I", body[:4])
        message, receive_id = body[4 : 4 + length], body[4 + length :]
        if len(message) != length or receive_id.decode(errors="replace") != self.receive_id:
            raise CryptoError("wrong receive id")
        try:
            return message.decode()
        except UnicodeDecodeError:
            raise CryptoError("not UTF-8") from None

    def encrypt(self, message: str, random_prefix: bytes | None = None) -> str:
        """base64 of the AES-encrypted message for a passive reply."""
        body = message.encode()
        plain = (random_prefix or os.urandom(16)) + struct.pack(">I", len(body)) + body
        plain += self.receive_id.encode()
        pad = BLOCK - len(plain) % BLOCK
        plain += bytes([pad]) * pad
        encryptor = self._cipher().encryptor()
        return base64.b64encode(encryptor.update(plain) + encryptor.finalize()).decode()

    def sign(self, timestamp: str, nonce: str, encrypted: str) -> str:
        return signature(self.token, timestamp, nonce, encrypted)
