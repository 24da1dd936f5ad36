"""WeCom callback crypto against WeCom's published test vector (weworkapi sample)."""

import base64

import pytest

from bot.wecom.crypto import CryptoError, WeComCrypto, signature

TOKEN = "hJqcu3uJ9Tn2gXPmxx2w9kkCkCE2EPYo"
AES_KEY = "6qkdMrq68nTKduznJYO1A37W2oEgpkMUvkttRToqhUt"
CORP_ID = "ww1436e0e65a779aee"
ECHOSTR = "fsi1xnbH4yQh0+PJxcOdhhK6TDXkjMyhEPA7xB2TGz6b+g7xyAbEkRxN/3cNXW9qdqjnoVzEtpbhnFyq6SVHyA=="
ENCRYPTED = (
    "Kl7kjoSf6DMD1zh7rtrHjFaDapSCkaOnwu3bqLc5tAybhhMl9pFeK8NslNPVdMwmBQTNoW4mY7AIjeLvEl3NyeTkAgG"
    "zBhzTtRLNshw2AEew+kkYcD+Fq72Kt00fT0WnN87hGrW8SqGc+NcT3mu87Ha3dz1pSDi6GaUA6A0sqfde0VJPQbZ9U+3"
    "JWcoD4Z5jaU0y9GSh010wsHF8KZD24YhmZH4ch4Ka7ilEbjbfvhKkNL65HHL0J6EYJIZUC2pFrdkJ7MhmEbU2qARR4iQ"
    "HE7wy24qy0cRX3Mfp6iELcDNfSsPGjUQVDGxQDCWjayJOpcwocugux082f49HKYg84EpHSGXAyh+/oxwaWbvL6aSDPOY"
    "uPDGOCI8jmnKiypE+"
)


@pytest.fixture
def crypto() -> WeComCrypto:
    return WeComCrypto(TOKEN, AES_KEY, CORP_ID)


def test_url_verification_vector(crypto: WeComCrypto) -> None:
    crypto.verify("012bc692d0a58dd4b10f8dfe5c4ac00ae211ebeb", "1476416373", "47744683", ECHOSTR)
    assert crypto.decrypt(ECHOSTR) == "1288432023552776189"


def test_message_vector(crypto: WeComCrypto) -> None:
    crypto.verify("0c3914025cb4b4d68103f6bfc8db550f79dcf48e", "1476422779", "1597212914", ENCRYPTED)
    message = crypto.decrypt(ENCRYPTED)
    assert message == (
        "<xml><ToUserName>ww1436e0e65a779aee</ToUserName><FromUserName>ChenJiaShun</FromUserName>"
        "<CreateTime>1476422779</CreateTime><MsgType>text</MsgType><Content>你好</Content>"
        "<MsgId>1456453720</MsgId><AgentID>1000002</AgentID></xml>"
    )


def test_encrypted_replies_decrypt_and_sign(crypto: WeComCrypto) -> None:
    reply = "<xml><Content><![CDATA[≥20000笔]]></Content></xml>" * 3
    encrypted = crypto.encrypt(reply)
    assert crypto.decrypt(encrypted) == reply
    crypto.verify(crypto.sign("1", "2", encrypted), "1", "2", encrypted)
    assert len(base64.b64decode(encrypted)) % 32 == 0


@pytest.mark.parametrize(
    "bad", ["", "!!!not base64!!!", "AAAA", ENCRYPTED[:-8] + "AAAAAAA=", "A" * 44]
)
def test_what_does_not_decrypt_is_refused(crypto: WeComCrypto, bad: str) -> None:
    with pytest.raises(CryptoError):
        crypto.decrypt(bad)


def test_a_message_for_another_corp_is_refused() -> None:
    other = WeComCrypto(TOKEN, AES_KEY, "ww-someone-else")
    with pytest.raises(CryptoError, match="receive id"):
        other.decrypt(ECHOSTR)


def test_a_wrong_signature_is_refused(crypto: WeComCrypto) -> None:
    with pytest.raises(CryptoError):
        crypto.verify("0" * 40, "1476416373", "47744683", ECHOSTR)
    assert signature("b", "a", "c", "d") == signature("a", "b", "c", "d")
