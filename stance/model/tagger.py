"""The argument tagger: one encoder pass gives every token its BIO tag and every sentence its role.

A window of consecutive sentences is read at once (``stance/model/windows.py`` builds it): each
sentence is opened by a marker, the tokenizer's CLS token (``<s>`` for the XLM-R tokenizer of
the e5 base), so the first marker is the usual ``[CLS]``. Tokens get their BIO tag from
``classifier`` (as ``BertForTokenClassification``); a sentence gets its role from its marker's
state through BERT's pooler (``dense`` + ``tanh``) and ``role_classifier``, as
``BertForSequenceClassification`` reads position 0. Hence a one-sentence window is exactly a
sequence classifier's input, and the checkpoint splits into two standard models
(``sequence_classifier``, ``token_classifier``: what ``stance export hf`` writes).

``config.id2label`` holds the BIO tags, so ``AutoModelForTokenClassification`` opens a saved
tagger as a plain span tagger (``role_classifier`` is then left out); the roles are in
``config.role_labels``.
"""

from __future__ import annotations

import copy
from dataclasses import dataclass
from typing import Any

import torch
from transformers import BertConfig, BertForSequenceClassification, BertForTokenClassification
from transformers.modeling_outputs import ModelOutput
from transformers.models.bert.modeling_bert import BertModel, BertPreTrainedModel

from stance.doc import ROLES
from stance.model.losses import tagger_loss


@dataclass
class ArgumentTaggerOutput(ModelOutput):
    """``logits``: batch × tokens × BIO tags; ``role_logits``: batch × sentences × roles."""

    loss: torch.Tensor | None = None
    logits: torch.Tensor | None = None
    role_logits: torch.Tensor | None = None


class BertForArgumentTagging(BertPreTrainedModel):
    """BERT with a token head (BIO spans) and a sentence head read at marker tokens (roles)."""

    def __init__(self, config: BertConfig) -> None:
        super().__init__(config)
        self.num_labels = config.num_labels
        config.role_labels = list(getattr(config, "role_labels", None) or ROLES)
        self.bert = BertModel(config, add_pooling_layer=True)
        dropout = config.classifier_dropout
        self.dropout = torch.nn.Dropout(config.hidden_dropout_prob if dropout is None else dropout)
        self.classifier = torch.nn.Linear(config.hidden_size, len(config.id2label or {}))
        self.role_classifier = torch.nn.Linear(config.hidden_size, len(config.role_labels))
        self.post_init()

    @classmethod
    def from_config(cls, config: BertConfig) -> BertForArgumentTagging:
        """As ``AutoModel*.from_config`` (``stance/model/adapters.py`` builds parts this way)."""
        return cls(config)

    @property
    def role_labels(self) -> tuple[str, ...]:
        return tuple(self.config.role_labels)

    def forward(
        self,
        input_ids: torch.Tensor | None = None,
        attention_mask: torch.Tensor | None = None,
        token_type_ids: torch.Tensor | None = None,
        inputs_embeds: torch.Tensor | None = None,
        labels: torch.Tensor | None = None,
        role_positions: torch.Tensor | None = None,
        role_labels: torch.Tensor | None = None,
        role_allowed: torch.Tensor | None = None,
        output_attentions: bool | None = None,
        output_hidden_states: bool | None = None,
        return_dict: bool | None = None,
    ) -> ArgumentTaggerOutput:
        """``role_positions``: batch × sentences, the marker of each sentence (-1: padding);
        ``labels``: token BIO ids, ``role_labels``: role ids (-100: not given, e.g. a partial
        label whose 0/1 ``role_allowed`` row says which roles the gold allows)."""
        hidden = self.bert(
            input_ids,
            attention_mask=attention_mask,
            token_type_ids=token_type_ids,
            inputs_embeds=inputs_embeds,
            return_dict=True,
        ).last_hidden_state
        logits = self.classifier(self.dropout(hidden))
        role_logits = (
            None if role_positions is None else self.sentence_logits(hidden, role_positions)
        )
        loss = None
        if labels is not None or role_labels is not None:
            loss = tagger_loss(logits, labels, role_logits, role_labels, role_allowed)
        return ArgumentTaggerOutput(loss=loss, logits=logits, role_logits=role_logits)

    def sentence_logits(self, hidden: torch.Tensor, positions: torch.Tensor) -> torch.Tensor:
        """Role logits of the sentences whose markers sit at ``positions`` (padding: -1, read
        at 0 and ignored by the loss): ``role_classifier(dropout(pooler(hidden[marker])))``."""
        index = positions.clamp(min=0).long()
        states = hidden.gather(1, index[..., None].expand(-1, -1, hidden.shape[-1]))
        pooler = self.bert.pooler
        assert pooler is not None
        pooled = pooler.activation(pooler.dense(states))
        return self.role_classifier(self.dropout(pooled))


def _config_for(tagger: BertForArgumentTagging, labels: tuple[str, ...], arch: str) -> Any:
    config = copy.deepcopy(tagger.config)
    config.num_labels = len(labels)
    config.id2label = dict(enumerate(labels))
    config.label2id = {label: i for i, label in enumerate(labels)}
    config.architectures = [arch]
    if hasattr(config, "role_labels"):
        del config.role_labels
    return config


def sequence_classifier(tagger: BertForArgumentTagging) -> BertForSequenceClassification:
    """The roles head as a standard ``BertForSequenceClassification`` (pooler included): on a
    one-sentence window it gives the tagger's role logits."""
    config = _config_for(tagger, tagger.role_labels, "BertForSequenceClassification")
    model = BertForSequenceClassification(config)
    state = {k: v for k, v in tagger.state_dict().items() if k.startswith("bert.")}
    state |= {
        "classifier.weight": tagger.role_classifier.weight.detach().clone(),
        "classifier.bias": tagger.role_classifier.bias.detach().clone(),
    }
    model.load_state_dict(state, strict=True)
    return model.eval()


def token_classifier(tagger: BertForArgumentTagging) -> BertForTokenClassification:
    """The BIO head as a standard ``BertForTokenClassification`` (no pooler)."""
    id2label: dict[Any, str] = dict(tagger.config.id2label or {})
    labels = tuple(id2label[i] for i in range(len(id2label)))
    model = BertForTokenClassification(_config_for(tagger, labels, "BertForTokenClassification"))
    state = {
        k: v
        for k, v in tagger.state_dict().items()
        if not k.startswith(("bert.pooler.", "role_classifier."))
    }
    model.load_state_dict(state, strict=True)
    return model.eval()
