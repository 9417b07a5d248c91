"""core.blocks: the content blocks higher apps add to lower apps' pages (the home page)."""

import pytest

from twinning.core.blocks import _BLOCKS, HOME, Block, register_block


def _broken() -> Block:
    raise RuntimeError("a broken provider")


def _greeting() -> Block:
    return Block("awards/_committee_honours.html", {"honours": []})


@pytest.fixture
def extra_blocks():
    kept = list(_BLOCKS.get(HOME, []))
    yield
    _BLOCKS[HOME] = kept


@pytest.mark.django_db
def test_a_failing_block_provider_leaves_the_home_page_working(anonymous, extra_blocks):
    register_block(HOME, key="test.broken", order=1, provider=_broken)
    register_block(HOME, key="test.greeting", order=2, provider=_greeting)

    page = anonymous.get("/")

    assert page.status_code == 200
    assert "Your committee's awards" in page.content.decode()
    assert "Find a community" in page.content.decode()
