"""manage.py make_derivatives: thumbnails, web images and IIIF tiles of page images."""

from django.core.management.base import BaseCommand

from sources.models import DerivativeState, PageImage
from sources.scans.derivatives import make_all


class Command(BaseCommand):
    help = (
        "Make the derivatives (thumbnail, web size, IIIF level-0 tiles) of page images "
        "still waiting for them, or of every image with --all, printing progress."
    )

    def add_arguments(self, parser):
        parser.add_argument("--all", action="store_true", help="Remake every image's files.")
        parser.add_argument("--document", help="Only the images of the document with this slug.")

    def handle(self, *args, **options):
        images = PageImage.objects.all()
        if not options["all"]:
            images = images.exclude(derivatives=DerivativeState.READY)
        if options["document"]:
            images = images.filter(document__slug=options["document"])
        done, failed = make_all(images, progress=self.stdout.write)
        self.stdout.write(f"{done} image(s) ready, {failed} failed.")
        if failed:
            self.stderr.write("See each failed image's error in the admin, fix it, run again.")
