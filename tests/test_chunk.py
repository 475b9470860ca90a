from gidsbot.text import sentences
from ingest.chunk import MAX_WORDS, chunk_document
from ingest.extract import read_bytes
from ingest.types import Document, Section
from tests.conftest import CORPUS


def _doc(sections: list[Section]) -> Document:
    return Document(source="a.txt", title="Titel", sections=sections, language="nl")


def test_chunks_stay_within_a_section_and_size():
    long_text = " ".join(f"Zin nummer {i} gaat over duurzame aankopen en papier." for i in range(200))
    chunks = chunk_document(_doc([Section(("A",), long_text), Section(("B",), "Korte sectie over koffie.")]))
    assert {c.section for c in chunks} == {"A", "B"}
    assert all(len(c.text.split()) <= MAX_WORDS + 40 for c in chunks)
    assert len([c for c in chunks if c.section == "A"]) >= 5


def test_consecutive_chunks_overlap_by_a_sentence():
    text = " ".join(f"Zin {i} vertelt iets over criteria voor kantoorpapier." for i in range(120))
    a, b = chunk_document(_doc([Section(("A",), text)]))[:2]
    assert sentences(a.text)[-1] in sentences(b.text)[:8]
    assert sentences(a.text)[0] not in b.text


def test_ids_are_stable_and_change_only_with_the_passage():
    first = chunk_document(_doc([Section(("A",), "Eerste tekst."), Section(("B",), "Tweede tekst.")]))
    again = chunk_document(_doc([Section(("A",), "Eerste tekst."), Section(("B",), "Tweede tekst, gewijzigd.")]))
    assert first[0].id == again[0].id
    assert first[1].id != again[1].id


def test_bundled_corpus_chunks_carry_metadata():
    path = CORPUS / "icdo-werkgroep-duurzame-overheidsopdrachten-activiteiten-2021.txt"
    document = read_bytes(path.read_bytes(), path.name)
    assert document is not None
    chunks = chunk_document(document)
    assert 5 <= len(chunks) <= 40
    assert all(c.source == path.name and c.language == "nl" and c.title for c in chunks)
    assert any(c.section.endswith("5.1. Belgische Buyer Group") for c in chunks)
    assert len({c.id for c in chunks}) == len(chunks)
