"""Everything that makes a model; the product never imports it.

``config`` is the typed training config, ``data/`` reads research corpora (one adapter per
corpus), ``examples``-level pair building lives in ``targets``, ``encode`` tokenises for the
Hugging Face ``Trainer`` set up in ``trainer``, ``recipes/`` holds distillation, the linear
probe, SVD → LoRA compression and healing; ``baselines`` are TF-IDF and majority models.
"""
