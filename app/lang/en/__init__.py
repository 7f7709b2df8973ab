"""English: words.py (word lists) and incidents.py (incident rule tables)."""
