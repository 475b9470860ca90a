"""What people use: the `gidsbot` command line (ui.cli) and the Streamlit chat (ui/app.py)."""

__all__: list[str] = []
