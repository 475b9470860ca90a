"""The gidsbot chat: a question in, an answer with numbered, quoted sources out.

Run with `gidsbot serve` (or `streamlit run ui/app.py`). The bot is loaded once per process and
shared by every session. Text that comes from documents is escaped before Streamlit renders it
as Markdown, so a page can neither inject HTML nor load an image from elsewhere.
"""

from __future__ import annotations

import re
from typing import Any

import streamlit as st

from bot import Bot
from bot.errors import GidsbotError, IndexMissing
from bot.settings import Settings, load_settings
from bot.types import Answer

_INLINE_SPECIAL = re.compile(r"([\\`*_\[\]<>~$|])")
_LINE_START = re.compile(r"^(\s*)([#>+\-=]|\d+[.)])", re.MULTILINE)


def md_escape(text: str) -> str:
    """Text shown literally by st.markdown: no emphasis, links, images, HTML, tables or formulas.

    Brackets are escaped, so `![x](http://...)` cannot become an image that the browser fetches;
    what would start a heading, quote or list at the start of a line is escaped too.
    """
    return _LINE_START.sub(r"\1\\\2", _INLINE_SPECIAL.sub(r"\\\1", text))


def safe_link(url: str) -> str:
    """A web address usable as a Markdown link target, or "" for anything but http(s)."""
    if not re.match(r"^https?://[^\s<>()\"']+$", url or ""):
        return ""
    return url.replace(")", "%29").replace("(", "%28")


@st.cache_resource(show_spinner=False)
def get_bot(index: str, version: str) -> Bot:
    return Bot.load(settings=load_settings(index=index, pin_version=version))


def render_sources(answer: dict[str, Any]) -> None:
    for c in answer["citations"]:
        where = " › ".join(p for p in (c["section"], f"p. {c['page']}" if c.get("page") else "") if p)
        head = f"**\\[{c['n']}\\] {md_escape(c['title'])}**"
        if where:
            head += f" — {md_escape(where)}"
        link = safe_link(c.get("url", ""))
        place = f"[{md_escape(c['source'])}]({link})" if link else f"`{c['source'].replace('`', '')}`"
        st.markdown(f"{head}  \n{place}")
        st.markdown("> " + md_escape(c["snippet"]))


def render_answer(answer: dict[str, Any]) -> None:
    if not answer["found"]:
        st.info(answer["answer"].split("\n")[0])
        body = "\n".join(answer["answer"].split("\n")[1:])
        if body:
            st.markdown(md_escape(body).replace("\n", "  \n"))
    else:
        st.markdown(md_escape(answer["answer"]).replace("\n", "  \n"))
    if answer.get("notice"):
        st.caption(md_escape(answer["notice"]))
    if answer["citations"]:
        with st.expander(f"Bronnen · Sources ({len(answer['citations'])})", expanded=True):
            render_sources(answer)


def sidebar(bot: Bot) -> None:
    manifest = bot.index.manifest
    with st.sidebar:
        st.subheader("gidsbot")
        st.caption("Gids voor Duurzame Aankopen · Guide des achats durables")
        st.markdown(
            f"Index **{md_escape(manifest.version)}**  \n"
            f"{manifest.counts.get('documents', 0)} documents · {manifest.counts.get('chunks', 0)} passages  \n"
            f"built {md_escape(manifest.created)}"
        )
        if st.button("New conversation"):
            st.session_state.messages = []
            st.rerun()


def ask(bot: Bot, question: str) -> dict[str, Any]:
    history = [{"role": m["role"], "content": m["content"]} for m in st.session_state.messages[:-1]]
    try:
        answer: Answer = bot.ask(question, history=history)
    except GidsbotError as exc:
        return {"answer": str(exc), "found": False, "citations": [], "language": "", "error": True}
    return answer.to_json()


def main(settings: Settings | None = None) -> None:
    st.set_page_config(page_title="gidsbot", page_icon="🌿", layout="centered")
    settings = settings or load_settings()
    try:
        bot = get_bot(str(settings.index), settings.pin_version)
    except IndexMissing as exc:
        st.error(f"{exc} Start the app with `gidsbot serve`, which builds the index from the bundled corpus.")
        return
    except GidsbotError as exc:
        st.error(str(exc))
        return
    sidebar(bot)
    st.title("gidsbot")
    st.caption("Vraag het de Gids voor Duurzame Aankopen · Demandez au Guide des achats durables · Ask the guide")
    st.session_state.setdefault("messages", [])
    for message in st.session_state.messages:
        with st.chat_message(message["role"]):
            if message["role"] == "assistant":
                render_answer(message["answer"])
            else:
                st.markdown(md_escape(message["content"]))
    question = st.chat_input("Stel een vraag · Posez une question · Ask a question")
    if question:
        st.session_state.messages.append({"role": "user", "content": question})
        with st.chat_message("user"):
            st.markdown(md_escape(question))
        with st.chat_message("assistant"), st.spinner("…"):
            answer = ask(bot, question)
            render_answer(answer)
        st.session_state.messages.append({"role": "assistant", "content": answer["answer"], "answer": answer})


main()
