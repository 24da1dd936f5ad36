"""The WeCom (企业微信) channel: group robots for reminders, a self-built app for questions."""
