"""Article verdicts on the committed example articles toward a target, its negation and an
unrelated target (issue: the stance must read the target, not the text's tone).

    python scripts/example_verdicts.py                  # the shipped default model
    python scripts/example_verdicts.py --model runs/transfer/e

Prints one Markdown row per article: the verdict (with its probability) and the sentences that
decided it (1-based), for each of the three targets.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
TARGETS = {
    "target": "Il faut interdire les vols intérieurs courts",
    "negated": "Il ne faut pas interdire les vols intérieurs courts",
    "unrelated": "Les cantines scolaires doivent proposer un menu végétarien chaque jour",
}


def main() -> None:
    import stance
    from stance.io.readers import read_inputs

    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--model", default=None, help="pipeline or part dir (default: shipped)")
    args = parser.parse_args()
    nlp = stance.load(args.model)
    docs = sorted(read_inputs([str(ROOT / "data/examples")]), key=lambda d: d.source)
    print("| article | " + " | ".join(f"{k}: « {t} »" for k, t in TARGETS.items()) + " |")
    print("|---" * (len(TARGETS) + 1) + "|")
    for doc in docs:
        cells = []
        for target in TARGETS.values():
            st = nlp(doc.text, target=target).stance
            assert st is not None
            where = ", ".join(f"#{i + 1}" for i in st.evidence) or "—"
            cells.append(f"{st.label} ({st.scores[st.label]:.2f}; {where})")
        print(f"| {Path(doc.source).name} | " + " | ".join(cells) + " |")


if __name__ == "__main__":
    main()
