"""Plans and apply progress for people and tools: terminal text, Terraform-shaped JSON, markdown.

Import the submodule you need (``ulplan.render.text``, ``.json``, ``.markdown``,
``.progress``); this package imports nothing itself so that loading one renderer never
pulls in rich.
"""
