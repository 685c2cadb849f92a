"""Model parts: one task network in one directory.

``part`` opens a part directory (a ``save_pretrained`` checkpoint or a LoRA adapter over a
base), ``classifier`` runs it over text (pair classification, token tagging), ``tasks`` turns
documents into model inputs and model outputs back into labels, ``backends`` and ``onnx`` are
the faster ways to run the same network, ``e5`` / ``e5_file`` rebuild the offline base encoder,
``card`` writes model cards. ``tagger`` is the argument tagger (roles and BIO tags in one pass),
``windows`` cuts documents into its windows, ``losses`` holds the losses a model computes itself.
A new model backend goes in ``backends.py`` (a part loader).
"""
