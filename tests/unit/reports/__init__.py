"""Unit tests of the report builders: plain data in, PDF and XLSX bytes out, read back as a person would."""
