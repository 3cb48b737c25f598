"""Ideas across languages: detecting a text's language, machine translation and the stored translations."""
