"""The application around the views: starting it (launch.py, before Qt; main.py), the main
window, its toolbar, the File menu's actions and the notices. Nothing here is imported by the
rooms below it; launch.py and platform_libraries.py import no Qt."""
