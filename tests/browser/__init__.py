"""Browser tests: drive the real pages in headless Debian Chromium (see ``kit``)."""
