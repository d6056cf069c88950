"""Walking a traced tf.function's graph, for tests that check which kernels a step runs."""

from collections.abc import Iterator


def traced_ops(graph) -> Iterator:
    """Every tf.Operation of `graph` (a FuncGraph, e.g. `fn.get_concrete_function(...).graph`)
    and of the functions nested in it, depth first: a custom_gradient's gradient, a while
    loop's body and tf.cond's branches each sit in a function of their own."""
    yield from graph.get_operations()
    for function in graph._functions.values():  # TensorFlow keeps no public list of them
        yield from traced_ops(function.graph)
