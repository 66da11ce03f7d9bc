"""Names, dates and documents: normalisation and comparison, pure and usable on its own."""
