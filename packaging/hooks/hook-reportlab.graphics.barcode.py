"""reportlab's barcode widgets import their symbologies by name (``code128``, ``qr``...) when the
package loads: all of them must be in the frozen app, or printing fails at import."""

from PyInstaller.utils.hooks import collect_submodules

hiddenimports = collect_submodules("reportlab.graphics.barcode")
