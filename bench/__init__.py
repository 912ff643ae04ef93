"""Benchmarks (not collected by pytest); run the scripts directly."""
