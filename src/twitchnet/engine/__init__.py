"""Layer: the exact engines behind one interface."""
