"""Training recipes beyond a plain fine-tune: distillation, linear probe, SVD → LoRA, healing."""
