"""Personal access tokens: format and hashing (Memos' token_test.go PAT scenarios)."""

from __future__ import annotations

import hashlib
import re

from memos.auth.personal_access_tokens import (
    PAT_PREFIX,
    generate_personal_access_token,
    hash_personal_access_token,
    is_personal_access_token,
)


def test_generated_token_is_the_prefix_and_32_alphanumerics() -> None:
    token = generate_personal_access_token()

    assert token.startswith("memos_pat_")
    assert len(token) > len(PAT_PREFIX)
    assert len(token) == 42
    assert re.fullmatch(r"memos_pat_[0-9a-zA-Z]{32}", token)


def test_two_generated_tokens_differ() -> None:
    assert generate_personal_access_token() != generate_personal_access_token()


def test_generated_tokens_use_the_whole_alphabet_over_many_draws() -> None:
    characters = set("".join(generate_personal_access_token()[10:] for _ in range(200)))

    assert characters <= set("0123456789abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ")
    assert len(characters) > 55


def test_hash_is_64_lower_case_hex_characters() -> None:
    token_hash = hash_personal_access_token("memos_pat_abc")

    assert re.fullmatch(r"[0-9a-f]{64}", token_hash)


def test_hash_is_sha256_of_the_whole_token_including_the_prefix() -> None:
    token = "memos_pat_0123456789abcdefghijABCDEFGHIJ01"

    assert hash_personal_access_token(token) == hashlib.sha256(token.encode()).hexdigest()


def test_same_token_hashes_the_same_and_different_tokens_differently() -> None:
    assert hash_personal_access_token("memos_pat_a") == hash_personal_access_token("memos_pat_a")
    assert hash_personal_access_token("memos_pat_a") != hash_personal_access_token("memos_pat_b")


def test_hash_of_a_generated_token_is_deterministic() -> None:
    token = generate_personal_access_token()

    assert hash_personal_access_token(token) == hash_personal_access_token(token)


def test_personal_access_token_lifecycle() -> None:
    token = generate_personal_access_token()

    token_hash = hash_personal_access_token(token)

    assert len(token_hash) == 64
    assert hash_personal_access_token(token) == token_hash
    assert hash_personal_access_token(generate_personal_access_token()) != token_hash


def test_only_the_prefix_routes_a_token_to_the_pat_path() -> None:
    assert is_personal_access_token(generate_personal_access_token())
    assert is_personal_access_token("memos_pat_6f1d2c3e-0000-4000-8000-000000000000")
    assert not is_personal_access_token("eyJhbGciOiJIUzI1NiJ9.e30.sig")
    assert not is_personal_access_token("MEMOS_PAT_abc")
    assert not is_personal_access_token("")
