from gidsbot.text import sentences
from ingest.chunk import MAX_WORDS, TARGET_WORDS, chunk_document
from ingest.extract import read_bytes
from ingest.types import Document, Section
from tests.conftest import CORPUS


def _doc(sections: list[Section]) -> Document:
    return Document(source="a.txt", title="Titel", sections=sections, language="nl")


def test_long_sections_are_cut_and_short_ones_share_a_passage_under_their_own_heading():
    long_text = " ".join(f"Zin nummer {i} gaat over duurzame aankopen en papier." for i in range(200))
    sections = [Section(("A",), long_text), Section(("B",), "Korte sectie over koffie."), Section(("B", "C"), "Thee.")]
    chunks = chunk_document(_doc(sections), merge_words=TARGET_WORDS)
    assert all(len(c.text.split()) <= MAX_WORDS + 40 for c in chunks)
    assert len(chunks) >= 5 and all(c.section == "A" for c in chunks)  # a passage is named by where it starts
    last = chunks[-1]
    assert [p.section for p in last.parts] == ["A", "B", "B › C"]
    pieces = [(p.section, text) for p, text in last.pieces()]
    assert pieces[1] == ("B", "B\n\nKorte sectie over koffie.") and pieces[2] == ("B › C", "C\n\nThee.")
    assert last.part_of("Thee.") == 2 and last.part(2).section == "B › C"


def test_a_page_of_short_sections_makes_passages_of_the_designed_size():
    def paragraph(i: int) -> str:
        return " ".join(f"Alinea {i}.{k} gaat kort over criteria, labels en bewijs bij aankopen." for k in range(3))

    sections = [Section((f"Kop {i}",), paragraph(i)) for i in range(12)]
    assert len(chunk_document(_doc(sections))) == 12  # by default every section is its own passage
    chunks = chunk_document(_doc(sections), merge_words=TARGET_WORDS)
    words = sorted(len(c.text.split()) for c in chunks)
    assert len(chunks) == 2 and words[0] >= 150 and words[-1] <= MAX_WORDS
    assert {p.section for c in chunks for p in c.parts} == {f"Kop {i}" for i in range(12)}
    said = [s for c in chunks for s in sentences(c.text) if s.startswith("Alinea")]
    assert len(said) == len(set(said)) == 36  # cut between sections: no sentence repeated


def test_consecutive_chunks_overlap_by_a_sentence():
    text = " ".join(f"Zin {i} vertelt iets over criteria voor kantoorpapier." for i in range(120))
    a, b = chunk_document(_doc([Section(("A",), text)]))[:2]
    assert sentences(a.text)[-1] in sentences(b.text)[:8]
    assert sentences(a.text)[0] not in b.text


def test_ids_are_stable_and_change_only_with_the_passage():
    long_text = " ".join(f"Zin {i} vertelt iets over criteria voor kantoorpapier." for i in range(60))
    first = chunk_document(_doc([Section(("A",), long_text), Section(("B",), "Tweede tekst.")]))
    again = chunk_document(_doc([Section(("A",), long_text), Section(("B",), "Tweede tekst, gewijzigd.")]))
    assert len(first) == len(again) >= 2
    assert first[0].id == again[0].id
    assert first[-1].id != again[-1].id


def test_bundled_corpus_chunks_carry_metadata():
    path = CORPUS / "icdo-werkgroep-duurzame-overheidsopdrachten-activiteiten-2021.txt"
    document = read_bytes(path.read_bytes(), path.name)
    assert document is not None
    chunks = chunk_document(document)
    assert 5 <= len(chunks) <= 40
    assert all(c.source == path.name and c.language == "nl" and c.title for c in chunks)
    assert any(c.section.endswith("5.1. Belgische Buyer Group") for c in chunks)
    assert len({c.id for c in chunks}) == len(chunks)
