"""Labelling many documents: resumable output files (``label``) and engines (local, Ray)."""
