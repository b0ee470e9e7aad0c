import hashlib
import json
import os

import numpy as np
import onnx
import pytest
import torch

from dragon_tools import golden
from dragon_tools.evaluate import load_bundle
from dragon_tools.export import balanced_partition, write_bundle


@pytest.fixture
def bundle(tmp_path, tiny_model, tiny_tokenizer):
    tiny_model.round_to_fp16()
    with torch.no_grad():
        for b in tiny_model.blocks:
            b.moe.bias.copy_(torch.randn(tiny_model.cfg.routed_experts) * 0.1)
    loads = [np.arange(tiny_model.cfg.routed_experts, dtype=float) for _ in tiny_model.blocks]
    out = tmp_path / "bundle"
    manifest = write_bundle(tiny_model, tiny_tokenizer, {"seed": 1}, str(out), "0.0.1", loads)
    return out, manifest


def _dims(value_info):
    return [d.dim_param or d.dim_value for d in value_info.type.tensor_type.shape.dim]


def test_manifest_lists_every_file_with_its_checksum(bundle):
    out, manifest = bundle
    on_disk = {os.path.relpath(os.path.join(r, n), out) for r, _, ns in os.walk(out) for n in ns}
    assert set(manifest["files"]) == on_disk - {"manifest.json"}
    for rel, meta in manifest["files"].items():
        blob = (out / rel).read_bytes()
        assert meta["bytes"] == len(blob)
        assert meta["sha256"] == hashlib.sha256(blob).hexdigest()


def test_graph_signatures_and_shapes(bundle, tiny_config):
    out, manifest = bundle
    c = tiny_config
    m = onnx.load(str(out / manifest["graphs"]["attention"][0]))
    onnx.checker.check_model(m)
    assert m.opset_import[0].version == 17
    ins = {i.name: _dims(i) for i in m.graph.input}
    outs = {o.name: _dims(o) for o in m.graph.output}
    assert ins["hidden"] == ["B", "T", c.d_model]
    assert ins["k_cache"] == ["B", c.n_heads, c.window, c.head_dim]
    assert ins["cache_positions"] == ["B", c.window]
    assert outs["k_new"] == ["B", c.n_heads, "T", c.head_dim]
    assert set(outs) == {"hidden_out", "moe_input", "k_new", "v_new"}
    head = onnx.load(str(out / "head.onnx"))
    assert [i.name for i in head.graph.input] == ["hidden", "pc_w1", "pc_w2"]
    assert _dims(head.graph.output[0]) == ["N", c.vocab_size]
    assert len(manifest["graphs"]["experts"]) == c.n_layers
    assert all(len(row) == c.routed_experts for row in manifest["graphs"]["experts"])


def test_large_weights_are_stored_as_fp16(bundle):
    out, manifest = bundle
    m = onnx.load(str(out / manifest["graphs"]["experts"][0][0]))
    names = {i.name: i.data_type for i in m.graph.initializer}
    assert names == {"w1.fp16": onnx.TensorProto.FLOAT16, "w2.fp16": onnx.TensorProto.FLOAT16,
                     "w3.fp16": onnx.TensorProto.FLOAT16} or all(
        t == onnx.TensorProto.FLOAT16 for n, t in names.items() if n.endswith(".fp16"))


def test_bundle_reloads_into_the_same_model(bundle, tiny_model):
    out, _ = bundle
    again, tok, manifest = load_bundle(str(out))
    ids = torch.randint(0, tiny_model.cfg.vocab_size, (2, 9))
    with torch.no_grad():
        assert torch.equal(again(ids), tiny_model(ids))


def test_golden_records_greedy_steps(bundle, tiny_model, tiny_tokenizer):
    out, _ = bundle
    doc = json.loads((out / "golden.json").read_text(encoding="utf-8"))
    assert len(doc["cases"]) >= 8
    long_case = next(c for c in doc["cases"] if c["name"] == "long_context")
    assert len(long_case["prompt_ids"]) > tiny_model.cfg.window
    for case in doc["cases"]:
        assert case["prompt_ids"] == golden.prompt_ids(tiny_tokenizer, case)
        assert len(case["steps"]) == min(golden.STEPS, len(case["greedy_ids"]))
        for t, step in enumerate(case["steps"]):
            logits = [v for _, v in step["top"]]
            assert logits == sorted(logits, reverse=True) and len(logits) == golden.TOP
            assert step["top"][0][0] == case["greedy_ids"][t]  # greedy picks the top logit
            assert len(step["experts"]) == tiny_model.cfg.n_layers
    # the recorded logits are what the model computes for that prefix
    case = doc["cases"][0]
    ids = case["prompt_ids"] + case["greedy_ids"][:2]
    with torch.no_grad():
        logits = tiny_model(torch.tensor([ids]))[0, -1]
    top = torch.topk(logits, golden.TOP)
    assert [[int(i), float(v)] for v, i in zip(top.values, top.indices)] == case["steps"][2]["top"]
    for tc in doc["tokenizer_cases"]:
        assert tiny_tokenizer.encode(tc["text"]) == tc["ids"]


def test_replay_holds_base_distribution_documents(bundle, tiny_tokenizer):
    out, manifest = bundle
    doc = json.loads((out / manifest["replay"]).read_text(encoding="utf-8"))
    assert len(doc["replay"]) > 100 and len(doc["holdout"]) > 50
    for d in doc["replay"] + doc["holdout"]:
        assert d[0] == tiny_tokenizer.bos and all(0 <= t < tiny_tokenizer.vocab_size for t in d)


def test_balanced_partition_splits_load_evenly():
    loads = [np.array([8.0, 1, 7, 2, 6, 3, 5, 4])]
    groups = balanced_partition(loads)
    sums = [sum(loads[0][e] for e in g["experts"][0]) for g in groups]
    assert sorted(e for g in groups for e in g["experts"][0]) == list(range(8))
    assert abs(sums[0] - sums[1]) <= 2


def test_sampled_replay_documents_keep_their_prompt_and_stop_at_eos(tiny_model, tiny_tokenizer):
    from dragon_tools import replay
    docs = replay.sample_documents(tiny_model, tiny_tokenizer, 23, seed=5, max_new=12)
    assert len(docs) == 23
    for i, d in enumerate(docs):
        prompt = tiny_tokenizer.completion_prompt(replay.SAMPLE_PROMPTS[i % len(replay.SAMPLE_PROMPTS)])
        sampled = d[len(prompt):]
        assert d[:len(prompt)] == prompt
        assert 1 <= len(sampled) <= 12
        assert tiny_tokenizer.eos not in sampled[:-1]  # cut right after the first EOS
    assert replay.sample_documents(tiny_model, tiny_tokenizer, 23, seed=5, max_new=12) == docs
