"""The outgoing events, documented in the OpenAPI document as webhooks (OpenAPI 3.1)."""

from __future__ import annotations

# The body alerts/channels/webhook.py posts, and the headers that sign it.
NOTIFICATION = {
    "type": "object",
    "required": ["id", "recipient", "title", "body", "link"],
    "properties": {
        "id": {"type": "integer", "description": "通知编号（同一编号只投递一次，重试时相同）"},
        "recipient": {"type": "string", "description": "接收人的登录名"},
        "title": {"type": "string", "description": "事项种类，例如“核实到期提醒”"},
        "body": {"type": "string", "description": "事项数量与期限，不含敏感内容（保密）"},
        "link": {"type": "string", "description": "本系统中的链接，登录后查看"},
    },
}
SIGNED = [
    {
        "name": "X-Ganbu-Timestamp",
        "in": "header",
        "required": True,
        "schema": {"type": "string"},
        "description": "发送时间（Unix 秒）",
    },
    {
        "name": "X-Ganbu-Signature",
        "in": "header",
        "required": True,
        "schema": {"type": "string"},
        "description": "sha256= 加 HMAC-SHA256(密钥, 时间戳 + '.' + 请求体) 的十六进制",
    },
]
WEBHOOKS = {
    "notification": {
        "post": {
            "summary": "提醒消息（通用 Webhook 通道）",
            "description": (
                "系统管理员在“消息通道”中配置通用 Webhook 后，到期提醒、待办摘要等消息以此格式"
                "推送到对方地址；对方返回任何 2xx 即视为送达，否则按退避策略重试。"
            ),
            "parameters": SIGNED,
            "requestBody": {
                "required": True,
                "content": {"application/json": {"schema": NOTIFICATION}},
            },
            "responses": {"200": {"description": "已收到"}},
        }
    }
}
