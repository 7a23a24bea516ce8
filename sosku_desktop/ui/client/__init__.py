"""The client view, its tabs (tabs/) and the self-assessment views."""
