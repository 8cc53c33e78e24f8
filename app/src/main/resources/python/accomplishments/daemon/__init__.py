"""Stand-in for ``accomplishments.daemon``; only ``dbusapi`` is provided."""
