import torch

from dragon_tools.model import PCLayer


def test_pc_layer_is_identity_at_init():
    pc = PCLayer(32, 16)
    h = torch.randn(7, 32)
    assert torch.equal(pc(h), h)
    assert not pc.w1.requires_grad and not pc.w2.requires_grad


def test_pc_layer_computes_residual_tanh_when_w2_set():
    pc = PCLayer(8, 4)
    with torch.no_grad():
        pc.w2.copy_(torch.randn(8, 4))
    h = torch.randn(3, 8)
    assert torch.allclose(pc(h), h + torch.tanh(h @ pc.w1.t()) @ pc.w2.t())


def test_trained_model_keeps_identity_pc_layer(tiny_model):
    before = tiny_model.pc.w2.clone()
    opt = torch.optim.SGD([p for p in tiny_model.parameters() if p.requires_grad], lr=0.1)
    ids = torch.randint(0, tiny_model.cfg.vocab_size, (2, 12))
    loss = tiny_model(ids).logsumexp(-1).mean()
    loss.backward()
    opt.step()
    assert torch.equal(tiny_model.pc.w2, before)
