"""Research corpora → ``Document``s: one adapter per corpus, one registry, the training mixes.

* ``base`` — the ``Adapter`` type and the shared readers (``DataError`` names file and line);
* one module per corpus: ``pe_fr``, ``abstrct``, ``xstance``, ``efra``, ``fewshot``,
  ``jsonl``; the cross-lingual sets of ``$STANCE_DATA_DIR/xling`` (stance with a target, NLI,
  argument roles): ``perspectrum``, ``ibm_claim_stance``, ``ukp_sentential``,
  ``ibm_evidence``, ``semeval2016``, ``vast``, ``iam``, ``catalonia``, ``xnli``, ``fr_nli``,
  ``negation_nli``, which share the one-row-one-document reader ``rows``;
* ``registry`` — format name → adapter, ``load_dataset``, ``default_paths``, ``data_dir``;
* ``splits`` — group splits, X-Stance dev questions and held-out authors;
* ``export`` — ``prepare`` (project JSONL), ``to_record``, ``to_hf_dataset``;
* ``stats`` — rows per source × language × split × label; ``mix`` — the training pools.
"""
