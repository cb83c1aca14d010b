"""A minimal GGUF v3 writer (https://github.com/ggml-org/ggml/blob/master/docs/gguf.md).

Layout: magic "GGUF", version, tensor count, metadata count; the metadata key/value pairs;
one info record per tensor (name, dims innermost-first, ggml type, offset into the data
section); padding to the alignment; the tensor data, each tensor aligned. Little-endian.
"""

from __future__ import annotations

import struct

import numpy as np

ALIGNMENT = 32

# Metadata value types
UINT32, INT32, FLOAT32, BOOL, STRING, ARRAY, UINT64 = 4, 5, 6, 7, 8, 9, 10
# ggml tensor types
GGML_F32, GGML_F16 = 0, 1


def _string(s: str) -> bytes:
    data = s.encode("utf-8")
    return struct.pack("<Q", len(data)) + data


def _value(kind: int, value) -> bytes:
    if kind == UINT32:
        return struct.pack("<I", value)
    if kind == INT32:
        return struct.pack("<i", value)
    if kind == FLOAT32:
        return struct.pack("<f", value)
    if kind == BOOL:
        return struct.pack("<?", value)
    if kind == STRING:
        return _string(value)
    if kind == UINT64:
        return struct.pack("<Q", value)
    raise ValueError(f"unsupported metadata type {kind}")


class GGUFWriter:
    def __init__(self) -> None:
        self.metadata: list[tuple[str, int, object, int | None]] = []
        self.tensors: list[tuple[str, np.ndarray, int]] = []

    def add(self, key: str, kind: int, value) -> None:
        self.metadata.append((key, kind, value, None))

    def add_array(self, key: str, element_kind: int, values) -> None:
        self.metadata.append((key, ARRAY, list(values), element_kind))

    def add_tensor(self, name: str, array: np.ndarray, ggml_type: int) -> None:
        """`array` in PyTorch (row-major) shape; GGUF records the dims reversed."""
        dtype = np.float16 if ggml_type == GGML_F16 else np.float32
        self.tensors.append((name, np.ascontiguousarray(array, dtype=dtype), ggml_type))

    def write(self, path: str) -> None:
        out = bytearray(b"GGUF")
        out += struct.pack("<IQQ", 3, len(self.tensors), len(self.metadata))
        for key, kind, value, element_kind in self.metadata:
            out += _string(key) + struct.pack("<I", kind)
            if kind == ARRAY:
                out += struct.pack("<IQ", element_kind, len(value))
                for v in value:
                    out += _value(element_kind, v)
            else:
                out += _value(kind, value)
        offset = 0
        offsets = []
        for name, array, ggml_type in self.tensors:
            out += _string(name) + struct.pack("<I", array.ndim)
            for dim in reversed(array.shape):
                out += struct.pack("<Q", dim)
            out += struct.pack("<IQ", ggml_type, offset)
            offsets.append(offset)
            offset += _aligned(array.nbytes)
        out += b"\0" * (_aligned(len(out)) - len(out))
        for (_, array, _), start in zip(self.tensors, offsets):
            data = array.astype(array.dtype.newbyteorder("<"), copy=False).tobytes()
            out += data + b"\0" * (_aligned(len(data)) - len(data))
        with open(path, "wb") as f:
            f.write(out)


def _aligned(n: int) -> int:
    return (n + ALIGNMENT - 1) // ALIGNMENT * ALIGNMENT
