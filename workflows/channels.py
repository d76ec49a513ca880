"""Text messages (SMS) through a pluggable backend, as Django does for email.

`MAILLAGE_SMS_BACKEND` names a class with a `send(number, text)` method that
raises on failure (so the message is retried). Two ship with Maillage: the
console (prints, for development) and a file backend (one file per message,
for tests and for checking what would be sent). A provider's backend is a
small class of the same shape, e.g.::

    class ProviderSmsBackend:
        def send(self, number: str, text: str) -> None:
            response = requests.post(URL, json={"to": number, "text": text})
            response.raise_for_status()
"""

import sys
import uuid
from pathlib import Path
from typing import Protocol

from django.conf import settings
from django.utils import timezone
from django.utils.module_loading import import_string


class SmsBackend(Protocol):
    def send(self, number: str, text: str) -> None: ...


class ConsoleSmsBackend:
    """Writes each message to the standard output."""

    def send(self, number: str, text: str) -> None:
        sys.stdout.write(f"SMS to {number}:\n{text}\n{'-' * 40}\n")
        sys.stdout.flush()


class FileSmsBackend:
    """Writes each message to its own file in `MAILLAGE_SMS_FILE_PATH`."""

    def __init__(self) -> None:
        self.directory = Path(settings.MAILLAGE_SMS_FILE_PATH)

    def send(self, number: str, text: str) -> None:
        self.directory.mkdir(parents=True, exist_ok=True)
        name = f"{timezone.now():%Y%m%d-%H%M%S}-{uuid.uuid4().hex[:8]}.txt"
        (self.directory / name).write_text(f"To: {number}\n\n{text}\n", "utf-8")


def sms_backend() -> SmsBackend:
    return import_string(settings.MAILLAGE_SMS_BACKEND)()
