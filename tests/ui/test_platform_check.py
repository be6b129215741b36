from app.ui.platform_check import XCB_LIBRARIES, check_display, missing_xcb_packages, uses_xcb


def test_xcb_only_on_linux_with_an_x_display():
    assert uses_xcb({"DISPLAY": ":0"}, "linux")
    assert not uses_xcb({"DISPLAY": ":0", "WAYLAND_DISPLAY": "wayland-0"}, "linux")
    assert not uses_xcb({"DISPLAY": ":0", "QT_QPA_PLATFORM": "offscreen"}, "linux")
    assert uses_xcb({"QT_QPA_PLATFORM": "xcb"}, "linux")
    assert not uses_xcb({"DISPLAY": ":0"}, "win32")


def test_missing_libraries_are_named_as_packages():
    present = {"xcb-cursor"}
    missing = missing_xcb_packages(lambda name: name if name in present else None)
    assert "libxcb-cursor0" not in missing and "libxcb-icccm4" in missing
    assert len(missing) == len(XCB_LIBRARIES) - 1


def test_offscreen_tests_need_nothing(monkeypatch):
    monkeypatch.setenv("QT_QPA_PLATFORM", "offscreen")
    assert check_display() is None


def test_no_graphical_session_is_named(monkeypatch):
    for name in ("DISPLAY", "WAYLAND_DISPLAY", "QT_QPA_PLATFORM"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setattr("sys.platform", "linux")
    message = check_display()
    assert message is not None and "Aucun affichage graphique" in message


def test_has_display_elsewhere():
    from app.ui.platform_check import has_display

    assert has_display({}, "win32") and has_display({}, "darwin")
    assert not has_display({}, "linux") and has_display({"WAYLAND_DISPLAY": "w"}, "linux")
