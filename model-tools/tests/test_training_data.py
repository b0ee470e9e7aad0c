import math

from dragon_tools import data
from dragon_tools.train import Phase, lr_at


def test_target_weights_mask_user_turns_and_keep_answers(tiny_tokenizer):
    t = tiny_tokenizer
    doc = t.chat_prompt(data.addition_example(12, 34, "What is {a}+{b}?"), generation_prompt=False) + [t.eos]
    w = data.target_weights(t, doc)
    answer = t.encode("46")
    start = doc.index(t.role("assistant")) + 1
    assert w[0] == 1.0                                             # bos: a new document starts after an eos
    assert all(x == 0.0 for x in w[1:start])                      # the user turn and <|assistant|>
    assert w[start:start + len(answer)] == [1.0] * len(answer)     # the answer is learned
    assert w[-2:] == [1.0, 1.0]                                    # <|end|> and <|eos|>


def test_prose_is_fully_weighted(tiny_tokenizer):
    doc = tiny_tokenizer.completion_prompt("The quick brown fox.")
    assert data.target_weights(tiny_tokenizer, doc) == [1.0] * len(doc)


def test_build_stream_weights_align_with_tokens(tiny_tokenizer):
    stream, weights = data.build_stream(tiny_tokenizer, ["The quick brown fox."] * 5, [(12, 34), (56, 78)], 2000, 3,
                                        with_weights=True)
    assert len(stream) == len(weights) >= 2000
    assert 0 < sum(weights) < len(weights)


def test_lr_schedule_warms_up_then_decays_to_min():
    p = Phase(steps=100, batch=1, lr=1.0, min_lr=0.1, warmup=10, mixture=data.Mixture(), masked=False,
              data_seed_offset=0)
    assert math.isclose(lr_at(0, p), 0.1) and math.isclose(lr_at(9, p), 1.0)
    assert math.isclose(lr_at(10, p), 1.0)
    assert lr_at(99, p) < 0.11 and all(lr_at(s, p) >= lr_at(s + 1, p) for s in range(10, 99))
