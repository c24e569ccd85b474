"""The document engine: Russian dates, declined names and DOCX/PDF rendering.

A plain package (no models) so that every app that produces paperwork can use it.
"""
