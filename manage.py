#!/usr/bin/env python
"""Django's command-line utility for socialpolicy."""

import os
import sys


def main() -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "socialpolicy.settings")
    from socialpolicy.localservices import MissingServiceSetting, ensure_all

    try:
        ensure_all()
    except MissingServiceSetting as exc:
        sys.exit(f"socialpolicy: {exc}")
    from django.core.management import execute_from_command_line

    execute_from_command_line(sys.argv)


if __name__ == "__main__":
    main()
