"""biip reads its GS1 tables (application identifiers, company prefixes) from JSON files beside its
modules: without them no DataMatrix of a box is understood."""

from PyInstaller.utils.hooks import collect_data_files

datas = collect_data_files("biip")
