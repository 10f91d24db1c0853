"""The vendored site, built into a temporary folder and served on 127.0.0.1.

Every browser benchmark measures the page as a visitor gets it offline: the
emcore wheel built from this checkout, Pyodide and Pyodide's numpy wheel
vendored (``build.py``'s ``build_site(vendor=True)``).
"""

from __future__ import annotations

import tempfile
import threading
from contextlib import contextmanager
from pathlib import Path


@contextmanager
def served_site(build, wheels_dir: Path, prefix: str = "emgmm-bench-"):
    """Build and serve the site; yields ``(url, root)``, stops the server after.

    ``build`` is the repository's ``build.py`` module; ``wheels_dir`` holds
    Pyodide's numpy wheel. Files written into ``root`` while serving are
    served too (each request reads the disk).
    """
    with tempfile.TemporaryDirectory(prefix=prefix) as tmp:
        root = Path(tmp) / "site"
        wheel = build.build_wheel(Path(tmp) / "wheel")
        build.build_site(
            root,
            vendor=True,
            wheels_dir=wheels_dir,
            wheel=wheel,
            allow_other_numpy=True,  # the machine's wheel may be a local build
        )
        server = build.make_server(root, 0, quiet=True)
        threading.Thread(target=server.serve_forever, daemon=True).start()
        host, port = server.server_address[:2]
        try:
            yield f"http://{host}:{port}/", root
        finally:
            server.shutdown()
