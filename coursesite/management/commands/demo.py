"""`manage.py demo`: migrate, build the demo course, and serve it."""

from django.core.management import call_command
from django.core.management.base import BaseCommand


class Command(BaseCommand):
    help = "Create or update the database, load the CIS6200 demo course, and serve it."

    def add_arguments(self, parser):
        parser.add_argument("addrport", nargs="?", default="127.0.0.1:8000")
        parser.add_argument("--password", default="demo", help="Password of every demo login.")

    def handle(self, *args, addrport: str, password: str, **options):
        call_command("migrate", interactive=False, verbosity=0)
        call_command("seed_demo", password=password, stdout=self.stdout)
        call_command("runserver", addrport, use_reloader=False)
