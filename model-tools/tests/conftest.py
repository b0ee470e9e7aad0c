import os
import sys

import pytest

sys.path.insert(0, os.path.dirname(os.path.dirname(os.path.abspath(__file__))))

import dragon_tools  # noqa: E402,F401  (sets the CPU threading environment before torch loads)
import torch  # noqa: E402

from dragon_tools.model import DragonMoE, ModelConfig  # noqa: E402
from dragon_tools.tokenizer import SPECIAL_TOKENS, train_bpe  # noqa: E402

TEXT = ("The quick brown fox jumps over the lazy dog. It's 12+34=46, isn't it? "
        "Café au lait, naïve résumé. ") * 20


@pytest.fixture(scope="session")
def tiny_tokenizer():
    return train_bpe([TEXT], 256 + len(SPECIAL_TOKENS) + 40)


@pytest.fixture
def tiny_config(tiny_tokenizer):
    return ModelConfig(vocab_size=tiny_tokenizer.vocab_size, d_model=32, n_layers=2, n_heads=2, window=8,
                       routed_experts=4, top_k=2, expert_hidden=16, shared_hidden=24, pc_hidden=16)


@pytest.fixture
def tiny_model(tiny_config):
    torch.manual_seed(0)
    model = DragonMoE(tiny_config)
    model.eval()
    return model
