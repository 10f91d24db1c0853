"""Every sentence the page shows, as pure functions of plain values.

Status and progress (``messages``), the results panel and captions
(``results``), failures (``failure``) and descriptions for screen readers
(``describe``). Imports nothing else of :mod:`simapp`.
"""
