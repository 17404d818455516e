"""Settings package: ``base`` holds what every environment shares; ``dev``, ``test``
and ``prod`` each change only what differs. Pick one with DJANGO_SETTINGS_MODULE."""
