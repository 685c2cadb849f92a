"""Recipes after a trained run: SVD → LoRA compression (the shipped form) and healing."""
