"""Ingestion into the versioned index: incremental, atomic, pickle-free (fast hashing embeddings)."""

import sqlite3
from pathlib import Path

import pytest

from bot import Bot
from gidsbot.errors import IndexMismatch, IndexMissing, IngestError
from gidsbot.index import (
    current_version,
    ingest_lock,
    list_versions,
    read_manifest,
    read_matrix,
    resolve_version,
    set_current,
)
from gidsbot.settings import load_settings
from ingest.pipeline import run_ingest
from tests.docs import make_pdf


def _settings(tmp_path: Path, **extra):  # type: ignore[no-untyped-def]
    return load_settings(environ={}, index=tmp_path / "index", embeddings="hashing", **extra)


def test_first_ingest_of_the_bundled_corpus(tmp_path):
    report = run_ingest(_settings(tmp_path), show_progress=False)
    assert (report.documents, report.added, report.removed) == (2, 2, 0)
    assert report.chunks == report.embedded_chunks > 10
    assert report.failed == [] and report.index_version == current_version(tmp_path / "index")


def test_index_holds_no_pickle(tmp_path):
    run_ingest(_settings(tmp_path), show_progress=False)
    files = [p for p in (tmp_path / "index").rglob("*") if p.is_file()]
    assert {p.suffix for p in files} <= {".json", ".sqlite", ".faiss", ".lock", ""}
    for path in files:
        data = path.read_bytes()
        assert b"\x80\x04\x95" not in data and b"\x80\x05\x95" not in data, f"pickle stream in {path}"


def test_unchanged_corpus_re_embeds_nothing(tmp_path):
    run_ingest(_settings(tmp_path), show_progress=False)
    again = run_ingest(_settings(tmp_path), show_progress=False)
    assert (again.added, again.changed, again.removed, again.unchanged, again.embedded_chunks) == (0, 0, 0, 2, 0)


def test_changed_document_re_embeds_only_its_changed_chunks(tmp_path, corpus_copy):
    first = run_ingest(_settings(tmp_path), paths=[corpus_copy], show_progress=False)
    target = corpus_copy / "vlaams-parlement-vraag-actieplan-duurzame-overheidsopdrachten.txt"
    target.write_text(
        target.read_text(encoding="utf-8") + "\n\nOp 9 oktober 2019 volgde een derde BMS over textiel.\n",
        encoding="utf-8",
    )
    second = run_ingest(_settings(tmp_path), paths=[corpus_copy], show_progress=False)
    assert (second.changed, second.unchanged, second.added, second.removed) == (1, 1, 0, 0)
    assert 1 <= second.embedded_chunks <= 2 < first.chunks
    bot = Bot.load(settings=_settings(tmp_path))
    assert any("derde BMS" in c.text for c in bot.index.chunks)
    # what the new version writes as the old one did is one file on disk, linked from both
    old, new = (resolve_version(tmp_path / "index", v).dir for v in list_versions(tmp_path / "index"))
    shared = [p.name for p in new.iterdir() if (old / p.name).exists() and p.samefile(old / p.name)]
    assert "criteria.json" in shared and "chunks.sqlite" not in shared
    # an unchanged passage's units keep their vectors, row for row, in the new version
    units = {}
    for folder in (old, new):
        with sqlite3.connect(folder / "chunks.sqlite") as db:
            rows = db.execute(
                "SELECT c.id, s.idx FROM sentences s JOIN chunks c ON c.row = s.chunk_row ORDER BY s.chunk_row, s.idx"
            )
            files = resolve_version(tmp_path / "index", folder.name)
            vectors = read_matrix(files, read_manifest(files), "units.faiss")
            units[folder] = dict(zip(rows.fetchall(), vectors, strict=True))
    same = set(units[old]) & set(units[new])
    assert len(same) >= 5 and all((units[old][k] == units[new][k]).all() for k in same)


def test_a_changed_run_shares_the_vector_blocks_of_unchanged_passages(tmp_path, corpus_copy, monkeypatch):
    """Guards against a changed run writing every vector again (the answer units' are half a version's bytes)."""
    import gidsbot.index.blocks

    monkeypatch.setattr(gidsbot.index.blocks, "BLOCK_EVERY", 2)  # many blocks on two documents
    monkeypatch.setattr("ingest.index.WORDS_PER_BLOCK", 8)
    run_ingest(_settings(tmp_path), paths=[corpus_copy], show_progress=False)
    target = corpus_copy / "vlaams-parlement-vraag-actieplan-duurzame-overheidsopdrachten.txt"
    target.write_text(target.read_text(encoding="utf-8") + "\n\nIn 2020 volgde een vierde BMS.\n", encoding="utf-8")
    run_ingest(_settings(tmp_path), paths=[corpus_copy], show_progress=False)
    old, new = (resolve_version(tmp_path / "index", v) for v in list_versions(tmp_path / "index"))
    for matrix in ("units.faiss", "dense-0.faiss", "words.faiss"):
        old_blocks, new_blocks = (read_manifest(f).blocks[matrix] for f in (old, new))
        assert len(new_blocks) >= 4
        linked = [b for b in new_blocks if (old.dir / b).exists() and (new.dir / b).samefile(old.dir / b)]
        assert 0 < len(linked) < len(new_blocks), matrix  # the edit's blocks are new, the others the old files
        assert set(new_blocks) - set(old_blocks)
    # the manifest checks every block, and the joined blocks are one vector per unit, row for row
    assert set(new_blocks) <= set(read_manifest(new).files)
    with sqlite3.connect(new.db) as db:
        count = db.execute("SELECT COUNT(*) FROM sentences").fetchone()[0]
    assert read_matrix(new, read_manifest(new), "units.faiss").shape[0] == count


def test_removed_document_disappears(tmp_path, corpus_copy):
    run_ingest(_settings(tmp_path), paths=[corpus_copy], show_progress=False)
    (corpus_copy / "icdo-werkgroep-duurzame-overheidsopdrachten-activiteiten-2021.txt").unlink()
    report = run_ingest(_settings(tmp_path), paths=[corpus_copy], show_progress=False)
    assert (report.removed, report.documents) == (1, 1)
    bot = Bot.load(settings=_settings(tmp_path))
    assert {c.source for c in bot.index.chunks} == {"vlaams-parlement-vraag-actieplan-duurzame-overheidsopdrachten.txt"}


def test_broken_and_unreadable_files_are_reported_and_skipped(tmp_path, corpus_copy):
    (corpus_copy / "kapot.pdf").write_bytes(b"%PDF-1.4 garbage")
    (corpus_copy / "logo.png").write_bytes(b"\x89PNG")
    (corpus_copy / "leeg.txt").write_text("   \n", encoding="utf-8")
    (corpus_copy / "omzendbrief.pdf").write_bytes(make_pdf([["Omzendbrief over duurzame voertuigen."]]))
    report = run_ingest(_settings(tmp_path), paths=[corpus_copy], show_progress=False)
    assert report.documents == 3
    assert [f["url"] for f in report.failed] == ["kapot.pdf"]
    assert {(s["url"], s["reason"]) for s in report.skipped} == {("logo.png", "not-text"), ("leeg.txt", "empty")}


def test_interrupted_ingest_leaves_the_previous_version_serving(tmp_path, corpus_copy, monkeypatch):
    run_ingest(_settings(tmp_path), paths=[corpus_copy], show_progress=False)
    before = current_version(tmp_path / "index")
    (corpus_copy / "nieuw.txt").write_text("Een nieuw document over groene stroom.", encoding="utf-8")

    def interrupted(*args, **kwargs):
        raise KeyboardInterrupt

    monkeypatch.setattr("ingest.pipeline.publish", interrupted)
    with pytest.raises(KeyboardInterrupt):
        run_ingest(_settings(tmp_path), paths=[corpus_copy], show_progress=False)
    assert current_version(tmp_path / "index") == before
    assert len(Bot.load(settings=_settings(tmp_path)).index.manifest.counts) > 0
    monkeypatch.undo()
    report = run_ingest(_settings(tmp_path), paths=[corpus_copy], show_progress=False)
    assert report.added == 1 and not list((tmp_path / "index" / "versions").glob(".*"))


def test_a_loaded_bot_keeps_its_version_while_a_new_one_is_published(tmp_path, corpus_copy):
    run_ingest(_settings(tmp_path), paths=[corpus_copy], show_progress=False)
    bot = Bot.load(settings=_settings(tmp_path))
    (corpus_copy / "nieuw.txt").write_text("Een nieuw document over groene stroom.", encoding="utf-8")
    run_ingest(_settings(tmp_path), paths=[corpus_copy], show_progress=False)
    assert bot.ask("Wanneer was de eerste Buyer Meets Supplier?").index_version == bot.version
    assert Bot.load(settings=_settings(tmp_path)).version != bot.version


def test_index_built_with_other_embeddings_is_refused(tmp_path):
    run_ingest(_settings(tmp_path), show_progress=False)
    with pytest.raises(IndexMismatch, match="gidsbot ingest --rebuild"):
        Bot.load(settings=load_settings(environ={}, index=tmp_path / "index", embeddings="use"))


def test_missing_index_says_how_to_build_one(tmp_path):
    with pytest.raises(IndexMissing, match="gidsbot ingest"):
        Bot.load(settings=_settings(tmp_path))


def test_one_ingestion_at_a_time(tmp_path):
    with ingest_lock(tmp_path / "index"), pytest.raises(IngestError, match="Another ingestion"):
        run_ingest(_settings(tmp_path), show_progress=False)


def test_rollback_to_an_earlier_version(tmp_path, corpus_copy):
    run_ingest(_settings(tmp_path), paths=[corpus_copy], show_progress=False)
    first = current_version(tmp_path / "index")
    (corpus_copy / "nieuw.txt").write_text("Een nieuw document over groene stroom.", encoding="utf-8")
    run_ingest(_settings(tmp_path), paths=[corpus_copy], show_progress=False)
    assert list_versions(tmp_path / "index")[0] == first
    set_current(tmp_path / "index", first)
    assert Bot.load(settings=_settings(tmp_path)).version == first


def test_old_versions_are_pruned(tmp_path, corpus_copy):
    for n in range(4):
        (corpus_copy / f"doc{n}.txt").write_text(f"Document {n} over duurzame aankopen.", encoding="utf-8")
        run_ingest(_settings(tmp_path, keep_versions=2), paths=[corpus_copy], show_progress=False)
    assert len(list_versions(tmp_path / "index")) == 2


@pytest.mark.parametrize(
    "failure",
    [OSError(28, "No space left on device"), __import__("sqlite3").OperationalError("database or disk is full")],
)
def test_a_full_disk_is_one_sentence_and_leaves_nothing_behind(tmp_path, corpus_copy, monkeypatch, failure):
    """Guards against a full disk wedging ingestion: a traceback, and a staging folder left behind that
    keeps the space and made every later run fail until removed by hand."""
    run_ingest(_settings(tmp_path), paths=[corpus_copy], show_progress=False)
    before = current_version(tmp_path / "index")
    (corpus_copy / "nieuw.txt").write_text("Een nieuw document over groene stroom.", encoding="utf-8")

    def full(*args, **kwargs):
        raise failure

    monkeypatch.setattr("ingest.index.write_blocks", full)
    with pytest.raises(IngestError, match="The disk is full"):
        run_ingest(_settings(tmp_path), paths=[corpus_copy], show_progress=False)
    assert current_version(tmp_path / "index") == before
    assert not list((tmp_path / "index" / "versions").glob(".*"))
    monkeypatch.undo()
    assert run_ingest(_settings(tmp_path), paths=[corpus_copy], show_progress=False).added == 1


def test_a_killed_runs_staging_folder_is_cleared_at_the_start(tmp_path, corpus_copy, monkeypatch):
    """Guards against the leftovers of a kill -9 keeping disk space until some later run publishes."""
    run_ingest(_settings(tmp_path), paths=[corpus_copy], show_progress=False)
    stale = tmp_path / "index" / "versions" / ".20260101T000000-000000Z"
    stale.mkdir()
    (stale / "chunks.sqlite").write_bytes(b"\0" * 1024)
    with pytest.raises(IngestError), ingest_lock(tmp_path / "index"):  # a second writer waits its turn ...
        run_ingest(_settings(tmp_path), paths=[corpus_copy], show_progress=False)
    assert stale.exists()  # ... and touches nothing without the lock

    def interrupted(*args, **kwargs):
        raise KeyboardInterrupt

    monkeypatch.setattr("ingest.pipeline.publish", interrupted)  # this run never reaches the end ...
    with pytest.raises(KeyboardInterrupt):
        run_ingest(_settings(tmp_path), paths=[corpus_copy], rebuild=True, show_progress=False)
    assert not stale.exists()  # ... yet the old leftovers went at its start
    assert not list((tmp_path / "index" / "versions").glob(".*"))  # and its own staging with it


def test_an_unchanged_run_writes_no_version_and_a_change_does(tmp_path, corpus_copy, capsys):
    """Guards against every nightly run publishing a full copy of an unchanged index: disk grew by a
    whole version a night, and each copy pushed a useful rollback version out."""
    import json

    from ui.cli import main

    first = run_ingest(_settings(tmp_path), paths=[corpus_copy], show_progress=False)
    versions = list_versions(tmp_path / "index")
    again = run_ingest(_settings(tmp_path), paths=[corpus_copy], show_progress=False)
    assert not again.new_version and again.published and again.index_version == first.index_version
    assert (again.documents, again.chunks, again.embedded_chunks) == (first.documents, first.chunks, 0)
    assert list_versions(tmp_path / "index") == versions and current_version(tmp_path / "index") == versions[-1]
    assert main(["ingest", "--path", str(corpus_copy), "--index", str(tmp_path / "index"), "--json"]) == 0
    report = json.loads(capsys.readouterr().out.strip().splitlines()[-1])
    assert report["new_version"] is False and report["index_version"] == first.index_version
    (corpus_copy / "nieuw.txt").write_text("Een nieuw document over groene stroom.", encoding="utf-8")
    changed = run_ingest(_settings(tmp_path), paths=[corpus_copy], show_progress=False)
    assert changed.new_version and changed.added == 1 and changed.index_version != first.index_version
    assert current_version(tmp_path / "index") == changed.index_version


def test_manifest_records_every_data_files_checksum_and_verify_reads_them(tmp_path, capsys):
    """A version whose files were damaged after publishing: loading notices a size that differs, and
    `gidsbot index verify` notices a flipped byte that keeps the size (a SHA-256 per file)."""
    import hashlib
    import json

    from gidsbot.errors import IndexCorrupt
    from ui.cli import main

    root = tmp_path / "index"
    run_ingest(load_settings(environ={}, index=root, embeddings="hashing"), show_progress=False)
    folder = root / "versions" / current_version(root)
    manifest = json.loads((folder / "manifest.json").read_text(encoding="utf-8"))
    blocks = [name for names in manifest["blocks"].values() for name in names]
    assert set(manifest["blocks"]) == {"dense-0.faiss", "units.faiss", "words.faiss"}
    assert set(manifest["files"]) == {"chunks.sqlite", "criteria.json", *blocks}
    for name, recorded in manifest["files"].items():
        data = (folder / name).read_bytes()
        assert recorded == {"bytes": len(data), "sha256": hashlib.sha256(data).hexdigest()}
    assert main(["index", "verify", "--index", str(root), "--json"]) == 0
    assert json.loads(capsys.readouterr().out.splitlines()[-1])["ok"] is True

    block = manifest["blocks"]["dense-0.faiss"][0]
    vectors = folder / block
    data = bytearray(vectors.read_bytes())
    data[-5] ^= 0xFF  # one flipped bit pattern deep in the vectors: same size, other content
    vectors.write_bytes(bytes(data))
    assert main(["index", "verify", "--index", str(root), "--json"]) == 1
    checked = json.loads(capsys.readouterr().out.splitlines()[-1])
    assert checked["ok"] is False
    assert f"{block} does not match the SHA-256" in checked["versions"][0]["problems"][0]

    vectors.write_bytes(bytes(data[:-100]))
    with pytest.raises(IndexCorrupt, match=f"{block} has .* bytes where the manifest records"):
        Bot.load(root)


def test_verify_all_lists_each_version(tmp_path, capsys):

    from ui.cli import main

    root = tmp_path / "index"
    settings = load_settings(environ={}, index=root, embeddings="hashing")
    run_ingest(settings, show_progress=False)
    run_ingest(settings, rebuild=True, show_progress=False)
    (root / "versions" / list_versions(root)[0] / "chunks.sqlite").unlink()
    assert main(["index", "verify", "--all", "--index", str(root)]) == 1
    lines = capsys.readouterr().out.splitlines()
    assert lines[0].startswith(list_versions(root)[1]) and lines[0].endswith("whole")
    assert "chunks.sqlite is missing" in lines[1]


FICHE = """# Kantoorstoelen

## Inleiding

Deze fiche gaat over bureaustoelen voor federale diensten.

## Criteria

### Selectie

De leverancier beschikt over een milieubeheersysteem.

### Uitvoering

Wisselstukken voor de bureaustoelen blijven twaalf jaar lang beschikbaar na de levering.

## Labels

Het label Blauer Engel toont aan dat de stoel aan de criteria voldoet.
"""


def test_merged_passages_cite_the_section_a_quote_stands_in(tmp_path):
    """With merge_words, short sections share one passage, but an answer quoted from one of them cites
    that section, as it would a passage of its own."""
    folder = tmp_path / "docs"
    folder.mkdir()
    (folder / "stoelen.md").write_text(FICHE, encoding="utf-8")
    settings = _settings(tmp_path, merge_words=220)
    report = run_ingest(settings, paths=[folder], show_progress=False)
    assert report.chunks == 1
    bot = Bot.load(settings.index, settings=settings)
    answer = bot.ask("Hoe lang blijven wisselstukken voor de bureaustoelen beschikbaar?")
    assert answer.found and "twaalf jaar" in answer.answer
    assert answer.citations[0].section.endswith("Criteria › Uitvoering")


def test_another_packing_of_passages_reads_every_document_again(tmp_path, corpus_copy):
    run_ingest(_settings(tmp_path), paths=[corpus_copy], show_progress=False)
    merged = run_ingest(_settings(tmp_path, merge_words=220), paths=[corpus_copy], show_progress=False)
    assert merged.new_version and merged.added == merged.documents and merged.embedded_chunks == merged.chunks
    again = run_ingest(_settings(tmp_path, merge_words=220), paths=[corpus_copy], show_progress=False)
    assert not again.new_version


def test_past_approximate_from_passages_the_index_searches_lists_and_a_changed_run_shares_blocks(
    tmp_path, corpus_copy, monkeypatch
):
    """Guards against a large index whose vectors a changed run rewrites whole (an HNSW graph is one file):
    past APPROXIMATE_FROM passages the vectors stay in shared blocks and only the lists' centroids are new."""
    import faiss

    import ingest.index
    from bot.retrieve import load_index

    monkeypatch.setattr(ingest.index, "APPROXIMATE_FROM", 5)
    settings = _settings(tmp_path)
    run_ingest(settings, paths=[corpus_copy], show_progress=False)
    files = resolve_version(settings.index)
    manifest = read_manifest(files)
    assert manifest.blocks["dense-0.faiss"] and len(manifest.blocks["dense-0.lists"]) == 1
    first_block = manifest.blocks["units.faiss"][0]
    assert faiss.read_index(str(files.dir / first_block)).metric_type == faiss.METRIC_INNER_PRODUCT
    loaded = load_index(settings.index)
    assert all(isinstance(d, faiss.IndexIVFFlat) for d in loaded.dense)
    # every vector is found again as its own nearest neighbour, and read back row for row
    assert loaded.vectors[0].shape == (len(loaded.chunks), loaded.dense[0].d)
    found = loaded.dense[0].search(loaded.vectors[0][:5], 1)[1][:, 0]
    assert list(found) == list(range(5))
    answer = Bot.load(settings.index, settings=settings).ask("Wanneer vond de eerste Buyer Meets Supplier plaats?")
    assert answer.found and any("2018" in c.snippet for c in answer.citations)

    page = next(p for p in sorted(corpus_copy.iterdir()) if p.suffix == ".txt")
    page.write_text(page.read_text(encoding="utf-8") + "\n\nEen nieuwe alinea over herbruikbare bekers.\n", "utf-8")
    run_ingest(settings, paths=[corpus_copy], show_progress=False)
    changed = resolve_version(settings.index)
    assert changed.dir != files.dir
    shared = [b for b in read_manifest(changed).blocks["dense-0.faiss"] if (files.dir / b).exists()]
    assert shared and all((changed.dir / b).stat().st_ino == (files.dir / b).stat().st_ino for b in shared)


def test_a_version_searched_through_an_hnsw_graph_still_loads_and_answers(tmp_path, corpus_copy):
    """Guards against an upgrade that strands a large index: versions written before stop 30 kept the passages'
    vectors past 10,000 in one HNSW graph per model, and must still be searched (and reused by a changed run)."""
    import json

    import faiss
    import numpy as np

    from bot.retrieve import load_index
    from gidsbot.index import file_digests, read_matrix

    settings = _settings(tmp_path)
    run_ingest(settings, paths=[corpus_copy], show_progress=False)
    files = resolve_version(settings.index)
    manifest = json.loads((files.dir / "manifest.json").read_text(encoding="utf-8"))
    for n, model in enumerate(manifest["models"]):
        vectors = read_matrix(files, read_manifest(files), model["file"])
        graph = faiss.IndexHNSWSQ(vectors.shape[1], faiss.ScalarQuantizer.QT_fp16, 32, faiss.METRIC_INNER_PRODUCT)
        graph.add(np.ascontiguousarray(vectors))
        faiss.write_index(graph, str(files.dense(n)))
        for block in manifest["blocks"].pop(model["file"]):
            (files.dir / block).unlink()
    manifest["files"] = file_digests(files.dir)
    (files.dir / "manifest.json").write_text(json.dumps(manifest), encoding="utf-8")

    assert all(isinstance(d, faiss.IndexHNSW) for d in load_index(settings.index).dense)
    answer = Bot.load(settings.index, settings=settings).ask("Wanneer vond de eerste Buyer Meets Supplier plaats?")
    assert answer.found and any("2018" in c.snippet for c in answer.citations)
    page = next(p for p in sorted(corpus_copy.iterdir()) if p.suffix == ".txt")
    page.write_text(page.read_text(encoding="utf-8") + "\n\nEen nieuwe alinea over herbruikbare bekers.\n", "utf-8")
    report = run_ingest(settings, paths=[corpus_copy], show_progress=False)
    assert report.new_version and report.embedded_chunks < report.chunks  # the graph's vectors were reused


def test_a_new_way_of_reading_pages_reads_every_page_again_and_keeps_unchanged_vectors(
    tmp_path, corpus_copy, monkeypatch
):
    """Guards against an upgrade whose reading of PDFs or tables changed never reaching an index: an
    unchanged page kept the passages the old reading made until someone thought of --rebuild."""
    import ingest.index

    first = run_ingest(_settings(tmp_path), paths=[corpus_copy], show_progress=False)
    assert read_manifest(resolve_version(tmp_path / "index")).reader == ingest.index.READER
    import ingest.pipeline

    read: list[str] = []
    original = ingest.pipeline.read_bytes
    monkeypatch.setattr(
        ingest.pipeline,
        "read_bytes",
        lambda data, source, *a, **k: read.append(source) or original(data, source, *a, **k),
    )
    monkeypatch.setattr(ingest.index, "READER", ingest.index.READER + 1)
    again = run_ingest(_settings(tmp_path), paths=[corpus_copy], show_progress=False)
    assert len(read) == first.documents  # every page read again
    assert again.new_version and again.unchanged == first.documents  # to the same passages
    assert again.embedded_chunks == 0  # and their vectors kept
    assert read_manifest(resolve_version(tmp_path / "index")).reader == ingest.index.READER
    assert not run_ingest(_settings(tmp_path), paths=[corpus_copy], show_progress=False).new_version


def test_block_ends_depend_on_the_keys_not_their_rows():
    from gidsbot.index import block_ends

    keys = [f"page-{n}#{i}" for n in range(40) for i in range(3)]
    ends = block_ends(keys, every=4)
    assert ends[-1] == len(keys) and ends == sorted(set(ends))
    # two keys inserted at the start shift every boundary by two rows and move none
    shifted = block_ends(["new#0", "new#1", *keys], every=4)
    assert {e - 2 for e in shifted if e > 2} >= set(ends[1:])


def test_an_old_version_with_one_units_file_is_still_read(tmp_path):
    import numpy as np

    from gidsbot.index import IndexFiles, Manifest, write_blocks, write_vectors

    files = IndexFiles(tmp_path, "v1")
    files.dir.mkdir(parents=True)
    vectors = np.eye(4, 8, dtype=np.float32)
    write_vectors(files.dir / "units.faiss", vectors, 8, "float16")
    manifest = Manifest("v1", "hashing", [], "hashing", "", "")
    assert (read_matrix(files, manifest, "units.faiss") == vectors).all()
    manifest.blocks = {"units.faiss": write_blocks(files.dir, "units", vectors, 8, [1, 3, 4])}
    assert len(manifest.blocks["units.faiss"]) == 3
    assert (read_matrix(files, manifest, "units.faiss") == vectors).all()
