"""The dialog of an unexpected error: a French summary, the report (version, platform, traceback;
masked like the log, no patient data), "Copier le rapport" and "Fermer".

Built only when an error happens (:class:`app.ui.error_reporter.ErrorReporter` installs the hooks and
opens it); further errors while it is open are counted in it, their reports appended.
"""

from __future__ import annotations

from PySide6.QtCore import Qt, Slot
from PySide6.QtGui import QGuiApplication
from PySide6.QtWidgets import (
    QDialog,
    QHBoxLayout,
    QLabel,
    QPlainTextEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from app.logs import log_file

MAX_REPORTS = 5  # reports kept in one dialog; later errors are only counted (all are in the log)


class ErrorDialog(QDialog):
    """One unexpected error: what happened in French, the report, "Copier le rapport" and "Fermer"."""

    def __init__(self, report: str, error_name: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle(self.tr("Erreur inattendue"))
        self.setMinimumWidth(560)
        self.reports = [report]
        self.repeats = 0
        self.others = 0
        path = log_file()
        where = self.tr("Le rapport détaillé est dans le journal : %1.").replace("%1", str(path)) if path \
            else self.tr("Le journal n'a pas pu être écrit : copiez le rapport ci-dessous.")
        self.summary_label = QLabel(
            self.tr("Une erreur inattendue est survenue (%1). C'est un défaut du logiciel, pas une erreur de "
                    "votre part : l'opération en cours n'a peut-être pas abouti, vérifiez-la avant de "
                    "continuer.").replace("%1", error_name) + "\n" + where + "\n"
            + self.tr("Pour le signaler, copiez le rapport et transmettez-le au support : il ne contient "
                      "aucune donnée de patient."))
        self.summary_label.setWordWrap(True)
        self.summary_label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.count_label = QLabel()
        self.count_label.setVisible(False)
        self.report_view = QPlainTextEdit(report)
        self.report_view.setReadOnly(True)
        self.report_view.setLineWrapMode(QPlainTextEdit.LineWrapMode.NoWrap)
        self.copy_button = QPushButton(self.tr("Copier le rapport"))
        self.copy_button.clicked.connect(self.copy_report)
        self.close_button = QPushButton(self.tr("Fermer"))
        self.close_button.setDefault(True)
        self.close_button.clicked.connect(self.accept)
        buttons = QHBoxLayout()
        buttons.addStretch(1)
        buttons.addWidget(self.copy_button)
        buttons.addWidget(self.close_button)
        layout = QVBoxLayout(self)
        layout.addWidget(self.summary_label)
        layout.addWidget(self.count_label)
        layout.addWidget(self.report_view, 1)
        layout.addLayout(buttons)

    @property
    def report(self) -> str:
        """Every report this dialog holds, the first one first."""
        return "\n".join(self.reports)

    def add(self, report: str, *, same: bool) -> None:
        """Another error while this dialog is open: counted, its report kept (up to MAX_REPORTS)."""
        if same:
            self.repeats += 1
        else:
            self.others += 1
            if len(self.reports) < MAX_REPORTS:
                self.reports.append(report)
                self.report_view.setPlainText(self.report)
        parts = []
        if self.repeats:
            parts.append(self.tr("Cette erreur s'est reproduite %n fois.", "", self.repeats))
        if self.others:
            parts.append(self.tr("Autres erreurs depuis : %n (voir le rapport et le journal).", "", self.others))
        self.count_label.setText(" ".join(parts))
        self.count_label.setVisible(True)

    @Slot()
    def copy_report(self) -> None:
        QGuiApplication.clipboard().setText(self.report)
        self.copy_button.setText(self.tr("Rapport copié"))
