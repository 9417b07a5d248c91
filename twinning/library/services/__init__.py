"""Writes of the library (C4): resources, versions, topics and language versions
(`resources`), and downloads (`downloads`). Every service checks its actor first."""

from twinning.library.services.downloads import record_download
from twinning.library.services.resources import (
    add_version,
    create_resource,
    create_topic,
    link_translation,
    unlink_translation,
    update_resource,
)

__all__ = [
    "add_version",
    "create_resource",
    "create_topic",
    "link_translation",
    "record_download",
    "unlink_translation",
    "update_resource",
]
