"""python -m pipelines.sample.cooperatives OUT_DIR PROFILE: write one profile's files, print the truth."""

import sys
from pathlib import Path

from pipelines.sample.cooperatives import write_cooperative_exports

print(write_cooperative_exports(Path(sys.argv[1]), sys.argv[2]))
