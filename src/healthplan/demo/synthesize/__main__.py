"""``python -m healthplan.demo.synthesize [--reference DIR] [--out DIR]``."""

from __future__ import annotations

import argparse
from pathlib import Path

from . import default_output, default_reference, synthesize


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m healthplan.demo.synthesize", description=__doc__)
    parser.add_argument("--reference", type=Path, default=None,
                        help=f"the shared reference folder (default: {default_reference()})")
    parser.add_argument("--out", type=Path, default=None, help=f"where to write (default: {default_output()})")
    args = parser.parse_args(argv)
    for path in synthesize(args.reference, args.out):
        print(f"{path}  {path.stat().st_size:,} bytes")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
