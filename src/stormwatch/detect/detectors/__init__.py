"""Detectors: pure `step(state, bucket) -> (state, Detection | None)` functions.

Every detector module exposes `new_state(config) -> dict` and `step(state, bucket, config)`;
the config has defaults, so `step(state, bucket)` works. State is JSON-serialisable.
"""
