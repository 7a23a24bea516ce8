"""The main pages, one module each (and their parts), all keeping shell/page.py's contract."""
