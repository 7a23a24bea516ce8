"""Dialogs and wizards: meeting entry, new client, settings, groups, period."""
