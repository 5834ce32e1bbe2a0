"""The benchmark's floor, frozen the same way as the app: an empty PySide6 window that prints
the time of its first paint and quits (as in benchmarks/bench_start.py)."""

import sys
import time

from PySide6.QtWidgets import QApplication, QWidget


class Window(QWidget):
    done = False

    def paintEvent(self, event):  # noqa: N802
        super().paintEvent(event)
        if not Window.done:
            Window.done = True
            sys.stdout.write(f"FIRST_PAINT {time.time():.6f}\n")
            sys.stdout.flush()
            QApplication.quit()


if __name__ == "__main__":
    app = QApplication(sys.argv[:1])
    window = Window()
    window.show()
    app.exec()
