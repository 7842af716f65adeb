"""The fictional partnership "Demoshire": sample registers for demonstrations and tests."""
