"""Early warning: buckets, detectors (pure step functions), severity and explanations.

Public entry points (see docs/detection.md):
- records.ScoredMention, records.Bucket, buckets.BucketAggregator
- monitor.new_monitor_state, monitor.step_monitor, monitor.DETECTORS
- detectors.{volume, negativity, reach, narrative, competitor}: new_state / step functions
- detection.Detection, severity.severity_of, explain.explain
- core.core_step (generic streaming scorer), nab.runner / nab.scoring (NAB harness)
No Django imports anywhere in this package.
"""
