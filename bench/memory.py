"""Peak resident memory of this process, for the benchmark tables."""

import resource
import sys


def peak_rss_mb() -> float:
    """Peak resident set size so far, in MiB (ru_maxrss is KiB on Linux, bytes on macOS)."""
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    return peak / (1024 * 1024) if sys.platform == "darwin" else peak / 1024
