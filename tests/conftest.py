import datetime

import pytest

from workflow.demo import load_demo


@pytest.fixture
def demo(db):
    """The demo data set, loaded through the same code as `make run`."""
    return load_demo()


@pytest.fixture
def today():
    return datetime.date.today()
