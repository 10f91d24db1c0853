"""Pixels and colours: the viewport, the palette and the charts.

Drawing code takes a canvas 2-D context (any object with its methods) and plain
numbers, so the tests draw on a recording fake. May import ``text``.
"""
