"""Everything that makes a model; the product never imports it.

``config`` is the typed training config; ``data/`` reads research corpora (one adapter per
corpus, a registry, the training mixes); ``targets`` builds stance pairs (``none`` pairs,
statements, negations); ``encode`` tokenises for the Hugging Face ``Trainer`` set up in
``trainer``; ``probe`` starts a head from a linear probe (LP-FT); ``distill`` builds soft teacher
labels; ``recipes/`` holds what runs after a trained run: SVD → LoRA compression, healing;
``baselines`` are the TF-IDF and majority models.
"""
