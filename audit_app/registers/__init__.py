"""Reading the registers a partnership audits from: GIAS files and its own agency list.

Pure parsing: files in, plain dataclasses and row-numbered problems out. No
Flask and no database here; storing what was read is the import's job.
"""
