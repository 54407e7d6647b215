"""Progress bars for the steps that take more than a few seconds: tqdm's (a bar widget in JupyterLab,
a line on a terminal). None for a few items, when asked for none, or on a static page (the site build
runs the notebooks with `STATIC_PAGE` set: a page has no kernel to move a bar)."""

from __future__ import annotations

import os

STATIC_PAGE = "HELPERS_STATIC_PAGE"  # set by tools.site_build while it runs a notebook


def static_page() -> bool:
    """True while the site build runs the notebook (no kernel will answer the controls)."""
    return os.environ.get(STATIC_PAGE, "") not in ("", "0")


class Silent:
    """A bar that shows nothing (same calls as tqdm's)."""

    def update(self, n: int = 1) -> None:
        pass

    def __enter__(self):
        return self

    def __exit__(self, *exc) -> None:
        pass


def bar(total: int, desc: str, unit: str = "file", show: bool | None = None, least: int = 2):
    """A tqdm bar counting to `total` `unit`s, or a Silent one: when `show` is False, and when it is
    None on a static page or for fewer than `least` units."""
    if show is False or (show is None and (total < least or static_page())):
        return Silent()
    from tqdm.auto import tqdm

    return tqdm(total=total, desc=desc, unit=unit)
