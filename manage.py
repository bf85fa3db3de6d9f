#!/usr/bin/env python
"""Django's command-line utility for administrative tasks."""

import os
import sys


def main() -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "coursesite.settings")
    # The command line is for development unless told otherwise: production
    # sets DEBUG=0 for its management commands, and the servers (wsgi.py,
    # asgi.py) never take this default, so they refuse to start unconfigured.
    os.environ.setdefault("DEBUG", "1")
    from django.core.management import execute_from_command_line

    execute_from_command_line(sys.argv)


if __name__ == "__main__":
    main()
