"""What a run can be taken away as: chart PNGs, JSON, CSV, script, notebook,
video, and the share link's notes. May import every other folder but ``app``.
"""
