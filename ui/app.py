"""The gidsbot app: the chat at `/` and the maintainers' status page at `/status`.

Run with `gidsbot serve` (or `streamlit run ui/app.py`). This entry point only declares the pages
(ui/views/); each page sets up what they share itself (ui/shell.py: language, workshop mode, the
loaded index). Text that comes from documents is escaped before Streamlit renders it (ui/markup.py),
so a page can neither inject HTML nor load an image from elsewhere.
"""

from __future__ import annotations

from pathlib import Path

import streamlit as st

from ui.i18n import LANGUAGES, language_from_locale, t

PAGES = Path(__file__).resolve().parent / "views"  # not "pages/": Streamlit would also list its files


def main() -> None:
    chosen = st.session_state.get("lang")  # the language switch's value from the previous run
    lang = chosen if chosen in LANGUAGES else language_from_locale(st.context.locale)
    pages = [
        st.Page(PAGES / "chat.py", title=t("chat", lang), icon=":material/forum:", default=True),
        st.Page(PAGES / "status.py", title=t("status", lang), icon=":material/monitoring:", url_path="status"),
    ]
    st.navigation(pages).run()


main()
