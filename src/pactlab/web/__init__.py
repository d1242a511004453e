"""The local web app (`pactlab serve`): pages and a JSON API over the library, on loopback.

>>> from pactlab.web import create_app
>>> app = create_app()  # doctest: +SKIP
"""

from pactlab.web.app import create_app

__all__ = ["create_app"]
