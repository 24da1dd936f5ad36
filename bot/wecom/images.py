"""Images to WeCom: group robots take base64 + md5 (≤ 2 MB); app users get media/upload ids."""

import base64
import hashlib

from bot.wecom.api import WeComAPI, WeComError

ROBOT_IMAGE_LIMIT = 2 * 1024 * 1024


def robot_image_payload(png: bytes) -> dict:
    """The webhook body of an image; ValueError when it is over the robots' 2 MB."""
    if len(png) > ROBOT_IMAGE_LIMIT:
        raise ValueError(f"image of {len(png)} bytes is over the robot limit of 2 MB")
    encoded = base64.b64encode(png).decode("ascii")
    return {"msgtype": "image", "image": {"base64": encoded, "md5": hashlib.md5(png).hexdigest()}}


async def send_robot_image(api: WeComAPI, key: str, png: bytes) -> None:
    """Post an image to a group robot."""
    answer = await api.robot(key, robot_image_payload(png))
    if answer.get("errcode", -1) != 0:
        raise WeComError(answer.get("errcode", -1), answer.get("errmsg", ""))


async def send_app_image(api: WeComAPI, user: str, png: bytes, filename: str = "chart.png") -> None:
    """Upload an image and send it to a user of the app."""
    await api.send_image(user, await api.upload_image(filename, png))
