"""Chat ids: telegram:<chat id>, wecom:<robot key>, wecomapp:<app user id>; masked for logs."""

TELEGRAM, WECOM_ROBOT, WECOM_APP = "telegram", "wecom", "wecomapp"
CHAT_FORMS = "telegram:<chat id>, wecom:<robot key> or wecomapp:<user id>"


def split_chat(chat: str) -> tuple[str, str]:
    """ "telegram:123" -> ("telegram", "123"): the service and its own id of the chat."""
    service, _, ident = chat.partition(":")
    return service, ident


def valid_chat(chat: str) -> bool:
    """Whether `chat` is one of the three forms, with an id that service could have issued."""
    service, ident = split_chat(chat)
    if service == TELEGRAM:
        return ident.lstrip("-").isdigit()
    if service == WECOM_APP:
        return (
            0 < len(ident) <= 64
            and ident.replace("-", "").replace("_", "").replace(".", "").isalnum()
        )
    return service == WECOM_ROBOT and len(ident) >= 8 and ident.replace("-", "").isalnum()


def mask_secret(secret: str) -> str:
    """A robot key or token for logs: its ends only."""
    return f"{secret[:4]}…{secret[-4:]}" if len(secret) > 8 else "…"


def masked_chat(chat: str) -> str:
    """A chat for logs: group robot keys are secrets, so only their ends are shown."""
    service, ident = split_chat(chat)
    if service == WECOM_ROBOT and len(ident) > 8:
        return f"{service}:{mask_secret(ident)}"
    return chat
