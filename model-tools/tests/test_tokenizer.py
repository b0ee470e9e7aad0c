import re

from dragon_tools.tokenizer import PATTERN, Tokenizer, merge_pair

SAMPLES = ["Hello, world!", "Don't   panic!\n\tI'm fine.", "Café ünïcode 😀 中文", "12+34=46",
           "   leading", "trailing   ", "", "a'b's 'll", "\r\n\x0b\x0c", "<|user|>"]


def test_pattern_covers_every_character_exactly_once():
    for s in SAMPLES:
        assert "".join(re.findall(PATTERN, s)) == s


def test_digits_are_split_one_per_piece():
    assert re.findall(PATTERN, "a 123") == ["a", " 1", "2", "3"]


def test_round_trip(tiny_tokenizer):
    for s in SAMPLES:
        assert tiny_tokenizer.decode(tiny_tokenizer.encode(s)) == s


def test_special_tokens_are_never_parsed_from_text(tiny_tokenizer):
    ids = tiny_tokenizer.encode("<|user|>")
    assert tiny_tokenizer.special["<|user|>"] not in ids


def test_merge_pair_replaces_non_overlapping_left_to_right():
    assert merge_pair([1, 1, 1, 2, 1, 1], (1, 1), 9) == [9, 1, 2, 9]


def test_encoding_applies_lowest_rank_merge_first():
    # merges: (a,b)->256, (b,c)->257; "abc" has both pairs, rank 0 wins: [256, c]
    tok = Tokenizer([(97, 98), (98, 99)], 256 + 2 + 7)
    assert tok.encode("abc") == [256, 99]
    tok2 = Tokenizer([(98, 99), (97, 98)], 256 + 2 + 7)
    assert tok2.encode("abc") == [97, 256]


def test_chat_template_layout(tiny_tokenizer):
    t = tiny_tokenizer
    ids = t.chat_prompt([{"role": "user", "content": "hi"}])
    assert ids == [t.bos, t.role("user")] + t.encode("hi") + [t.end, t.role("assistant")]


def test_save_and_load(tmp_path, tiny_tokenizer):
    p = tmp_path / "tokenizer.json"
    tiny_tokenizer.save(p)
    again = Tokenizer.load(p)
    assert again.merges == tiny_tokenizer.merges and again.special == tiny_tokenizer.special
