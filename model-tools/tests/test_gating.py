import torch

from dragon_tools.model import MoE, ModelConfig


def make_moe(top_k=2):
    torch.manual_seed(1)
    return MoE(ModelConfig(d_model=16, routed_experts=6, top_k=top_k, expert_hidden=8, shared_hidden=8))


def test_bias_changes_selection_but_not_weights():
    moe = make_moe()
    u = torch.randn(50, 16)
    sel0, w0 = moe.route(u)
    s = torch.sigmoid(u @ moe.gate.t())
    # push a rarely chosen expert into every selection
    with torch.no_grad():
        moe.bias[5] = 10.0
    sel1, w1 = moe.route(u)
    assert (sel1[:, 0] == 5).all()
    assert not torch.equal(sel0, sel1)
    # the weights are the selected affinities normalised; the bias never enters them
    expected = s.gather(1, sel1)
    assert torch.allclose(w1, expected / expected.sum(1, keepdim=True))
    assert torch.allclose(w1.sum(1), torch.ones(50))


def test_weights_are_normalised_affinities_of_topk_by_biased_score():
    moe = make_moe(top_k=3)
    with torch.no_grad():
        moe.bias.copy_(torch.tensor([0.3, -0.2, 0.0, 0.1, -0.5, 0.2]))
    u = torch.randn(20, 16)
    sel, w = moe.route(u)
    s = torch.sigmoid(u @ moe.gate.t())
    for r in range(20):
        ranked = sorted(range(6), key=lambda e: -(s[r, e] + moe.bias[e]).item())[:3]
        assert sel[r].tolist() == ranked
        assert torch.allclose(w[r], s[r, ranked] / s[r, ranked].sum())


def test_bias_update_lowers_overloaded_and_raises_underloaded(tiny_model):
    ids = torch.randint(0, tiny_model.cfg.vocab_size, (2, 16))
    tiny_model(ids)
    before = [b.moe.bias.clone() for b in tiny_model.blocks]
    tiny_model.update_bias(0.01)
    for block, b0 in zip(tiny_model.blocks, before):
        load = block.moe.last_load.float()
        delta = block.moe.bias - b0
        assert torch.allclose(delta[load > load.mean()], torch.tensor(-0.01))
        assert torch.allclose(delta[load < load.mean()], torch.tensor(0.01))
        assert torch.all(delta[load == load.mean()] == 0)


def test_moe_routes_every_row_to_k_experts(tiny_model):
    ids = torch.randint(0, tiny_model.cfg.vocab_size, (3, 10))
    tiny_model(ids)
    for block in tiny_model.blocks:
        assert block.moe.last_load.sum().item() == 3 * 10 * tiny_model.cfg.top_k
