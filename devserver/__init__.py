"""The local development server: every service in one process, AWS emulated in process."""
