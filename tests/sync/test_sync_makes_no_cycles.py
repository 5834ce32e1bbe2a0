"""The window holds automatic garbage collection back while a background job runs
(gui/garbage_collection.py), trusting that a sync round leaves its objects to reference counting:
a round each way over a real folder, with collection off, leaves no cyclic garbage behind."""

from __future__ import annotations

import gc

from sync_helpers import la_round, school_round

from selfeval_app.exchange.transport_folder import FolderTransport, prepare_folder


def test_rounds_each_way_leave_no_cyclic_garbage(pair, tmp_path):
    folder = tmp_path / "OneDrive - Hwb" / "Rhannu"
    folder.mkdir(parents=True)
    prepare_folder(folder, pair.school)
    gc.collect()
    gc.disable()
    try:
        sent = school_round(pair, FolderTransport(folder, pair.school))
        received = la_round(pair, FolderTransport(folder, pair.la))
        acknowledged = school_round(pair, FolderTransport(folder, pair.school))
        unreachable = gc.collect()
    finally:
        gc.enable()
    assert sent["bundles_put"] == 1 and received["imported"] == 1 and received["receipts_written"] == 1
    assert acknowledged["acknowledged"] == 1
    assert unreachable < 50, f"{unreachable} objects in cycles after three rounds"
