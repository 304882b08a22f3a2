//! A synthetic national data set for benchmarks, clearly marked synthetic.
