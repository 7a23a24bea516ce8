"""The shell: starting Qt, the main window, the idle lock, background tasks, theme."""
