"""Full-pipeline throughput of the shipped model on PE-FR dev paragraphs (roles+spans+stance).

    python scripts/speed_pipeline.py [N_DOCS]

Prints documents, sentences, seconds, sentences/s and peak RSS as one JSON line. Run it on a
quiet machine; model loading and a warm-up call are excluded from the timing.
"""

from __future__ import annotations

import json
import resource
import sys
import time

import stance
from stance.training.data.registry import data_dir, load_dataset


def main(n_docs: int = 80) -> None:
    docs = load_dataset("pe-fr-bio", data_dir() / "pe_fr/dev_PE.fr")[:n_docs]
    nlp = stance.load()
    nlp("Échauffement.", target="x")
    start = time.time()
    out = list(
        nlp.pipe([d.text for d in docs], target="Les athlètes sont trop payés", batch_size=16)
    )
    seconds = time.time() - start
    sentences = sum(len(d.sentences) for d in out)
    peak_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss // 1024
    print(
        json.dumps(
            {
                "docs": len(out),
                "sentences": sentences,
                "seconds": round(seconds, 1),
                "sent_per_s": round(sentences / seconds, 1),
                "peak_rss_mb": peak_mb,
            }
        )
    )


if __name__ == "__main__":
    main(int(sys.argv[1]) if len(sys.argv) > 1 else 80)
