"""Reading and writing weights in bundle formats: safetensors and ONNX initializers (fp16 storage)."""
from __future__ import annotations

import json
import struct
from typing import Dict, Tuple

import numpy as np
import onnx
from onnx import TensorProto, helper, numpy_helper

FP16_SUFFIX = ".fp16"
_DTYPES = {"F32": np.float32, "F16": np.float16, "I64": np.int64}


def write_safetensors(path: str, tensors: Dict[str, np.ndarray], metadata: Dict[str, str] = None) -> None:
    header, offset, blobs = {}, 0, []
    for name, arr in tensors.items():
        arr = np.ascontiguousarray(arr)
        dtype = {np.dtype(np.float32): "F32", np.dtype(np.float16): "F16", np.dtype(np.int64): "I64"}[arr.dtype]
        data = arr.astype(arr.dtype.newbyteorder("<")).tobytes()
        header[name] = {"dtype": dtype, "shape": list(arr.shape), "data_offsets": [offset, offset + len(data)]}
        blobs.append(data)
        offset += len(data)
    if metadata:
        header["__metadata__"] = {k: str(v) for k, v in metadata.items()}
    raw = json.dumps(header, separators=(",", ":")).encode("utf-8")
    raw += b" " * (-len(raw) % 8)  # align the data section to 8 bytes
    with open(path, "wb") as f:
        f.write(struct.pack("<Q", len(raw)))
        f.write(raw)
        for b in blobs:
            f.write(b)


def read_safetensors(path: str) -> Tuple[Dict[str, np.ndarray], Dict[str, str]]:
    with open(path, "rb") as f:
        (n,) = struct.unpack("<Q", f.read(8))
        header = json.loads(f.read(n))
        data = f.read()
    meta = header.pop("__metadata__", {})
    out = {}
    for name, h in header.items():
        b, e = h["data_offsets"]
        out[name] = np.frombuffer(data[b:e], dtype=np.dtype(_DTYPES[h["dtype"]]).newbyteorder("<")).reshape(h["shape"])
    return out, meta


def store_large_initializers_as_fp16(path: str, min_elements: int = 1024) -> None:
    """Rewrites an ONNX file so float initializers of >= min_elements are stored as fp16 + Cast.

    The weights were already rounded to fp16 values, so this loses nothing; ONNX Runtime folds
    the Cast into an fp32 constant when it creates the session.
    """
    model = onnx.load(path)
    g = model.graph
    inits, casts = [], []
    for init in g.initializer:
        if init.data_type == TensorProto.FLOAT and int(np.prod(init.dims)) >= min_elements:
            arr = numpy_helper.to_array(init)
            half = arr.astype(np.float16)
            if not np.array_equal(half.astype(np.float32), arr):
                raise ValueError(f"{path}: initializer {init.name} is not fp16-representable")
            inits.append(numpy_helper.from_array(half, init.name + FP16_SUFFIX))
            casts.append(helper.make_node("Cast", [init.name + FP16_SUFFIX], [init.name],
                                          to=TensorProto.FLOAT, name="cast_" + init.name))
        else:
            inits.append(init)
    del g.initializer[:]
    g.initializer.extend(inits)
    nodes = casts + list(g.node)
    del g.node[:]
    g.node.extend(nodes)
    onnx.checker.check_model(model)
    onnx.save(model, path)


def set_output_dims(path: str, dims: Dict[str, list]) -> None:
    """Replaces output shapes the exporter could not name (it invents symbols) by the contract's."""
    model = onnx.load(path)
    for out in model.graph.output:
        if out.name in dims:
            shape = out.type.tensor_type.shape
            for d, want in zip(shape.dim, dims[out.name]):
                if isinstance(want, str):
                    d.dim_param = want
                else:
                    d.dim_value = want
    onnx.checker.check_model(model)
    onnx.save(model, path)


def onnx_initializers(path: str) -> Dict[str, np.ndarray]:
    """Initializers of an ONNX file as fp32 arrays, under their names before fp16 storage."""
    graph = onnx.load(path).graph
    out = {}
    for init in graph.initializer:
        name = init.name[: -len(FP16_SUFFIX)] if init.name.endswith(FP16_SUFFIX) else init.name
        out[name] = numpy_helper.to_array(init).astype(np.float32)
    for node in graph.node:  # the exporter deduplicates equal initializers through Identity nodes
        if node.op_type == "Identity" and node.input[0] in out:
            out[node.output[0]] = out[node.input[0]]
    return out
