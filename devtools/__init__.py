"""Tools for developers: the app harness shared by browser tests and the benchmark."""
