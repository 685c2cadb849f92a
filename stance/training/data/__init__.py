"""Research corpora → ``Document``s: one adapter per corpus, and the training mixes."""
