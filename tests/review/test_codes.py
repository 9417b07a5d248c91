"""BLIND-3: the codes judges see are random (secrets), >= 64 bits, never derived from
ids or times, and do not collide."""

import math

from twinning.review.models import CODE_ALPHABET, CODE_LENGTH, new_item_code


def test_d3_codes_carry_at_least_64_random_bits():
    assert len(set(CODE_ALPHABET)) ** CODE_LENGTH >= 2**64
    assert math.log2(len(CODE_ALPHABET)) * CODE_LENGTH >= 64


def test_d3_no_collision_in_100000_codes():
    codes = [new_item_code() for _ in range(100_000)]

    assert len(set(codes)) == 100_000
    assert all(len(c) == CODE_LENGTH and set(c) <= set(CODE_ALPHABET) for c in codes)


def test_d3_codes_do_not_follow_one_another():
    first, second = new_item_code(), new_item_code()

    shared_prefix = next(
        (i for i, (a, b) in enumerate(zip(first, second, strict=True)) if a != b), CODE_LENGTH
    )
    assert shared_prefix < CODE_LENGTH - 4
