"""Choose an argument tagger run's ``span_role_weight`` on its dev documents, after training.

``stance train --task tagger`` chooses it at the end of a run (``training/tagging.py``,
``with_span_role_weight``); this script does the same for a run saved before it did, and
writes the weight into the run's manifest (``stance_part.json``, and its ``adapter/``'s) and
its ``train_summary.json``::

    python scripts/tagger_span_weight.py runs/tagger
"""

from __future__ import annotations

import argparse
import json
from pathlib import Path

from stance.model.part import PartInfo, load_part
from stance.training.config import from_dict
from stance.training.tagging import with_span_role_weight


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("run", type=Path, help="a `stance train --task tagger` output directory")
    run = parser.parse_args().run
    config = from_dict(json.loads((run / "train_config.json").read_text()))
    model, tokenizer, info = load_part(run)
    chosen = with_span_role_weight(model, tokenizer, info, config)
    weight = chosen.extra["span_role_weight"]
    for folder in (run, run / "adapter"):
        if (folder / "stance_part.json").exists():
            part = PartInfo.load(folder)
            part.extra.update(span_role_weight=weight, dev_scores=chosen.extra["dev_scores"])
            part.save(folder)
    (run / "train_summary.json").write_text(json.dumps(chosen.extra["dev_scores"], indent=2))
    grid = {k: v for k, v in chosen.extra["dev_scores"].items() if k.startswith("span_role_")}
    print(json.dumps(grid, indent=2))


if __name__ == "__main__":
    main()
