"""Console request handlers, one module per area."""
