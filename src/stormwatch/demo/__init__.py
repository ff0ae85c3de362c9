"""A deterministic demo: the fictional Polish bank Nordbank, its customers, and one bad day.

`DemoScenario` generates the mention stream; `DemoSource` replays it live against a clock;
`build_demo_source` sets both up for a freshly created demo workspace.
"""

from stormwatch.demo.posts import DemoMention, MentionTruth
from stormwatch.demo.scenario import CrisisEpisode, DemoScenario
from stormwatch.demo.source import DemoSource, build_demo_source

__all__ = [
    "CrisisEpisode",
    "DemoMention",
    "DemoScenario",
    "DemoSource",
    "MentionTruth",
    "build_demo_source",
]
