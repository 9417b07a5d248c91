"""The high-school exchange (issue 10): seasons, the sending side, host families, schools and
coordinators. See docs/apps/exchanges.md."""
