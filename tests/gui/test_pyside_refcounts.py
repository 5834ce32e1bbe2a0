"""PySide6 must not miscount references when signals carry bool or None (6.12.0 does: each
`toggled(bool)` into a Python slot and each None/True through an `object` signal took a reference
it never gave back, and the app aborted at exit with "bool_dealloc"). pyproject.toml keeps
PySide6 below 6.12; this test fails on any version that brings the fault back."""

from __future__ import annotations

import gc
import sys

from PySide6.QtCore import QObject, Signal
from PySide6.QtWidgets import QButtonGroup, QCheckBox, QRadioButton, QWidget


class _Relay(QObject):
    carried = Signal(object)


def _drift(action, times: int = 100) -> tuple[int, int]:
    gc.collect()
    true_before, none_before = sys.getrefcount(True), sys.getrefcount(None)
    for _ in range(times):
        action()
    gc.collect()
    return sys.getrefcount(True) - true_before, sys.getrefcount(None) - none_before


def _no_loss(drift: tuple[int, int]) -> bool:
    # A few references may be gained (caches); losing one per call is the fault.
    return all(d > -10 for d in drift)


def test_bool_signals_into_python_slots_keep_references(qapp):
    owner = QWidget()
    box = QCheckBox(owner)
    box.toggled.connect(lambda _on: None)
    group = QButtonGroup(owner)
    first, second = QRadioButton(owner), QRadioButton(owner)
    group.addButton(first)
    group.addButton(second)
    first.setChecked(True)
    group.buttonToggled.connect(lambda *_args: None)

    def flip():
        second.setChecked(True)
        first.setChecked(True)

    assert _no_loss(_drift(lambda: box.setChecked(not box.isChecked())))
    assert _no_loss(_drift(flip))
    owner.deleteLater()


def test_none_and_true_through_object_signals_keep_references(qapp):
    relay = _Relay()
    relay.carried.connect(lambda _value: None)
    assert _no_loss(_drift(lambda: relay.carried.emit(None)))
    assert _no_loss(_drift(lambda: relay.carried.emit(True)))
