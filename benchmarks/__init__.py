"""Band Coach benchmarks: `python -m benchmarks` measures the skill against minimal baselines
(latency, store round trips, cold start, HTTP throughput, voice limits, growth, memory)."""
