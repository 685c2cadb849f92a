"""Mean pooling for a standard ``*ForSequenceClassification``, as one extra encoder layer.

Sequence classifiers read the first token (``<s>``/``[CLS]``). e5 was trained for *mean*
pooling: its first-token state barely varies between inputs, so a classifier on it learns
slowly (docs/research-log.md). Rather than a custom head (which
``AutoModelForSequenceClassification`` could not open), we append one encoder layer whose
fixed weights make every position's output the layer-normalised mean of the real tokens' states:

* query = key = 0: every attention score is 0, so attention is uniform over unmasked tokens
  and, with value = identity, each position receives the mean of the states;
* the attention output projection is ``SCALE`` × identity: after the residual sum
  ``SCALE·mean + h`` the LayerNorm (scale invariant) sees the mean, the token's own state
  weighing ``1/SCALE``;
* the feed-forward block is zeroed, so its residual LayerNorm leaves the result unchanged.

The model stays a plain BERT/RoBERTa/CamemBERT with ``num_hidden_layers + 1`` layers: any
``AutoModel*`` opens it, ONNX and int8 export work unchanged. The layer is never trained.
"""

from __future__ import annotations

import copy
from typing import Any

import torch

SCALE = 1000.0


def add_mean_pool_layer(model: Any) -> Any:
    """Append the pooling layer to ``model``'s encoder (in place) and return the model."""
    layers = model.base_model.encoder.layer
    layer = copy.deepcopy(layers[-1])
    hidden = int(model.config.hidden_size)
    with torch.no_grad():
        for p in layer.parameters():
            p.zero_()
        eye = torch.eye(hidden, dtype=layer.attention.self.value.weight.dtype)
        layer.attention.self.value.weight.copy_(eye)
        layer.attention.output.dense.weight.copy_(eye * SCALE)
        layer.attention.output.LayerNorm.weight.fill_(1.0)
        layer.output.LayerNorm.weight.fill_(1.0)
    for p in layer.parameters():
        p.requires_grad = False
    layers.append(layer)
    model.config.num_hidden_layers = len(layers)
    return model
