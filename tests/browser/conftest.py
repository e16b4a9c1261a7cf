import pytest


@pytest.fixture
def screenshot(page, output_path):
    """Save a full-page screenshot under this test's output folder and return its path."""

    def take(name):
        path = f"{output_path}/{name}.png"
        page.screenshot(path=path, full_page=True)
        return path

    return take
