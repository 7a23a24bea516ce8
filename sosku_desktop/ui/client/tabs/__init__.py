"""The tabs of the client view, one module each."""
