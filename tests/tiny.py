"""Tiny random-init encoders and a tokenizer trained on a few sentences, for fast CPU tests."""

from __future__ import annotations

import json
import re
import shutil
from pathlib import Path

import torch

from stance.doc import DocStance, Document, Sentence, Span
from stance.model.part import PartInfo
from stance.model.pooling import add_mean_pool_layer
from stance.segment import split_sentences
from stance.training.recipes.compress import encoder_linears

CORPUS = [
    "Il faut taxer le kérosène des avions.",
    "Les vols courts polluent beaucoup plus que le train.",
    "Le gouvernement doit agir maintenant pour le climat.",
    "Cependant, certaines régions dépendent du tourisme aérien.",
    "Je pense que la retraite à 67 ans est une mauvaise idée.",
    "Les jeunes n'ont pas de travail, c'est le vrai problème.",
    "La Suisse doit-elle adhérer à l'Union européenne ?",
    "L'entreprise vend ses produits, elle n'est pas philanthrope.",
    "Le consommateur ne décide pas à la place de l'entreprise.",
    "En effet, 60 % des clients suivent la publicité.",
    "Macron va devenir président, personne ne le connaissait.",
    "Bravo pour cette victoire, la France avance !",
]


def build_tokenizer(out: Path) -> None:
    """A small Unigram tokenizer (XLM-R style specials) trained on ``CORPUS``."""
    from tokenizers import (
        Tokenizer,
        decoders,
        models,
        normalizers,
        pre_tokenizers,
        processors,
        trainers,
    )
    from transformers import PreTrainedTokenizerFast

    specials = ["<s>", "<pad>", "</s>", "<unk>", "<mask>"]
    tok = Tokenizer(models.Unigram())
    tok.normalizer = normalizers.NFKC()
    tok.pre_tokenizer = pre_tokenizers.Metaspace()
    tok.decoder = decoders.Metaspace()
    trainer = trainers.UnigramTrainer(vocab_size=300, special_tokens=specials, unk_token="<unk>")
    tok.train_from_iterator(CORPUS * 3, trainer=trainer)
    tok.post_processor = processors.TemplateProcessing(
        single="<s> $A </s>",
        pair="<s> $A </s> </s> $B </s>",
        special_tokens=[("<s>", tok.token_to_id("<s>")), ("</s>", tok.token_to_id("</s>"))],
    )
    fast = PreTrainedTokenizerFast(
        tokenizer_object=tok,
        bos_token="<s>",
        eos_token="</s>",
        unk_token="<unk>",
        pad_token="<pad>",
        mask_token="<mask>",
        cls_token="<s>",
        sep_token="</s>",
        model_max_length=128,
    )
    fast.save_pretrained(str(out))


def build_base(out: Path, kind: str = "bert") -> Path:
    """Random-init BERT or CamemBERT encoder saved with the tiny tokenizer."""
    from transformers import AutoModel, BertConfig, CamembertConfig

    out.mkdir(parents=True, exist_ok=True)
    build_tokenizer(out)
    vocab = len(json.loads((out / "tokenizer.json").read_text())["model"]["vocab"])
    common = {
        "vocab_size": vocab,
        "hidden_size": 32,
        "num_hidden_layers": 2,
        "num_attention_heads": 2,
        "intermediate_size": 64,
        "max_position_embeddings": 160,
    }
    config = (
        CamembertConfig(pad_token_id=1, **common)
        if kind == "camembert"
        else BertConfig(pad_token_id=1, **common)
    )
    with torch.random.fork_rng():  # the same weights in every run: no test passes by luck
        torch.manual_seed(0)
        model = AutoModel.from_config(config)
    model.save_pretrained(str(out))
    return out


ROLE_LABELS = ("claim", "premise", "none")


def fine_tuned_part(
    base: Path, out: Path, rank: int, seed: int = 0, mean_pool: bool = False
) -> torch.nn.Module:
    """A stand-in for full fine-tuning: rank-``rank`` changes to every encoder linear layer,
    new biases, LayerNorms and head; embeddings and pooling layer untouched; saved as a full
    part."""
    from transformers import AutoModelForSequenceClassification

    gen = torch.Generator().manual_seed(seed)
    model = AutoModelForSequenceClassification.from_pretrained(
        str(base), num_labels=3, id2label=dict(enumerate(ROLE_LABELS))
    )
    n_layers = int(model.config.num_hidden_layers)
    own_layers = encoder_linears(n_layers)
    frozen = rf"embeddings|layer\.{n_layers}\."  # the pooling layer is never trained
    if mean_pool:
        add_mean_pool_layer(model)
    with torch.no_grad():
        for name, module in model.named_modules():
            if re.match(own_layers, name):
                n_out, n_in = module.weight.shape
                left = torch.randn(n_out, rank, generator=gen)
                module.weight += 0.2 * left @ torch.randn(rank, n_in, generator=gen)
                module.bias += 0.1 * torch.randn(n_out, generator=gen)
            elif name.endswith("LayerNorm") and not re.search(frozen, name):
                module.weight += 0.1 * torch.randn(module.weight.shape, generator=gen)
    model.save_pretrained(str(out))
    shutil.copy2(base / "tokenizer.json", out / "tokenizer.json")
    shutil.copy2(base / "tokenizer_config.json", out / "tokenizer_config.json")
    extra = {"mean_pool": True} if mean_pool else {}
    PartInfo(task="component", labels=ROLE_LABELS, base=str(base), context=1, extra=extra).save(out)
    return model.eval()


def component_docs() -> list[Document]:
    """Paragraphs whose sentence roles follow a learnable cue (claims say 'il faut'/'doit')."""
    paragraphs = [
        "Il faut taxer le kérosène. Les vols courts polluent beaucoup. Le train existe.",
        "Le gouvernement doit agir. En effet, 60 % des clients suivent la publicité. Bravo.",
        "Il faut réformer la retraite. Les jeunes n'ont pas de travail. La Suisse vote.",
        "Le consommateur doit décider. En effet, l'entreprise vend ses produits. Macron parle.",
    ]
    docs = []
    for n, text in enumerate(paragraphs * 3):
        sents = []
        for s in split_sentences(text):
            role = (
                "claim"
                if ("faut" in s.text or "doit" in s.text)
                else (
                    "premise"
                    if ("effet" in s.text or "polluent" in s.text or "jeunes" in s.text)
                    else "none"
                )
            )
            sents.append(Sentence(s.index, s.start, s.end, s.text, role=role))
        spans = tuple(Span(s.start, s.end, s.role or "none") for s in sents if s.role != "none")
        docs.append(Document(id=f"p{n}", text=text, sentences=tuple(sents), spans=spans))
    return docs


def stance_docs() -> list[Document]:
    rows = [
        ("Faut-il taxer le kérosène ?", "Oui, il faut taxer les avions.", "favor", 1),
        ("Faut-il taxer le kérosène ?", "Non, le tourisme en souffrirait.", "against", 1),
        ("La retraite à 67 ans ?", "Oui, c'est nécessaire et juste.", "favor", 2),
        ("La retraite à 67 ans ?", "Non, c'est une mauvaise idée.", "against", 2),
    ]
    return [
        Document(
            id=f"s{i}",
            text=text,
            target=target,
            stance=DocStance(label, {label: 1.0}),
            meta={"question_id": q + 10 * (i // 4), "topic": f"t{q}"},
        )
        for i, (target, text, label, q) in enumerate(rows * 4)
    ]


def write_jsonl(docs: list[Document], path: Path) -> str:
    from stance.training.data.export import to_record

    path.write_text("".join(json.dumps(to_record(d), ensure_ascii=False) + "\n" for d in docs))
    return f"jsonl:{path}"


def build_tiny_pipeline(root: Path, kind: str = "bert") -> Path:
    """A full pipeline directory (component + span + stance LoRA parts) on a tiny base.

    The stance part uses the mean-pooling layer (``stance.pooling``), so every pipeline,
    export and speed test goes through it.

    Same layout as the shipped ``models/default``: ``pipeline.json`` + one adapter per task.
    """
    import shutil

    from stance.training.config import from_dict
    from stance.training.trainer import train

    base = build_base(root / "base", kind)
    comp = write_jsonl(component_docs(), root / "component.jsonl")
    stan = write_jsonl(stance_docs(), root / "stance.jsonl")
    pipe = root / "pipeline"
    pipe.mkdir(parents=True, exist_ok=True)
    for task, spec in (("component", comp), ("span", comp), ("stance", stan)):
        config = from_dict(
            {
                "task": task,
                "base": str(base),
                "data": [spec],
                "dev_data": [spec],
                "epochs": 6,
                "learning_rate": 5e-3,
                "batch_size": 8,
                "max_length": 64,
                "lora_r": 4,
                "lora_alpha": 8,
                "patience": 100,
                "none_pairs": 0.5,
                "context": 1,
                "context_chars": 90,  # not the default: exports and cards must carry it
                "mean_pool": task == "stance",  # as the shipped stance part
            }
        )
        train(config, root / "runs" / task)
        shutil.copytree(root / "runs" / task / "adapter", pipe / task)
    manifest = {
        "name": "tiny",
        "base": str(base),
        "parts": {t: t for t in ("component", "span", "stance")},
    }
    (pipe / "pipeline.json").write_text(json.dumps(manifest))
    return pipe


def build_tagger_part(base: Path, out: Path, seed: int = 0) -> Path:
    """An untrained argument tagger part on ``base`` whose heads give outputs far from uniform
    (scaled random heads), with a manifest whose two temperatures are not 1."""
    from stance.model.part import label_kwargs
    from stance.model.tagger import BertForArgumentTagging
    from stance.model.tasks import SPAN_TAGS_MERGED

    torch.manual_seed(seed)
    model = BertForArgumentTagging.from_pretrained(str(base), **label_kwargs(SPAN_TAGS_MERGED))
    with torch.no_grad():
        for head in (model.classifier, model.role_classifier, model.bert.pooler.dense):
            head.weight.normal_(0.0, 0.5)
            head.bias.normal_(0.0, 0.5)
    model.save_pretrained(str(out))
    shutil.copy2(base / "tokenizer.json", out / "tokenizer.json")
    shutil.copy2(base / "tokenizer_config.json", out / "tokenizer_config.json")
    extra = {"role_labels": list(ROLE_LABELS), "span_temperature": 0.8}
    PartInfo(
        "tagger", SPAN_TAGS_MERGED, str(base), max_length=40, temperature=0.7, extra=extra
    ).save(out)
    return out


def build_tagger_pipeline(root: Path) -> Path:
    """A pipeline directory whose only part is an (untrained) argument tagger."""
    base = build_base(root / "base")
    pipe = root / "pipeline"
    build_tagger_part(base, pipe / "tagger")
    manifest = {"name": "tiny-tagger", "base": str(base), "parts": {"tagger": "tagger"}}
    (pipe / "pipeline.json").write_text(json.dumps(manifest))
    return pipe
