"""Numenta Anomaly Benchmark: streaming runner and a faithful re-implementation of its scoring."""
