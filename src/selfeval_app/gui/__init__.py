"""The PySide6 window over the core. The only package that imports Qt."""
