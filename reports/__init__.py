"""Report builders: plain data in, PDF or XLSX bytes out.

Nothing here may import Flask, SQLAlchemy, WTForms or the app; an
import-linter contract in setup.cfg enforces it.
"""
