"""The web application: pages in Chinese (English switchable), the JSON API, users, approval (docs/web.md)."""
