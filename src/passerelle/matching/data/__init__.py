"""The name variant lexicon shipped with the matcher (see README.md in this folder)."""
