"""Layer: what each answer rests on and what to ask next."""
