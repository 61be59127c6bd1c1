"""The offline dashboard of indicators and comparisons (`nianbao dashboard`)."""
