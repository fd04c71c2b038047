"""The packaged data: the default knowledge base (``default/``) and the vignette suite."""
