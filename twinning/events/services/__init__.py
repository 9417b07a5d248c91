"""The events app's writes, by sub-domain (each module's services check their actor first)."""
