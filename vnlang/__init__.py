"""Vietnamese language knowledge, pure and dependency-free: text folding and tone placement
(`text`), the provincial gazetteer and the 2025 merger (`gazetteer`), legal-document numbering
(`legaldocs`) and near-duplicate fingerprints (`fingerprint`). The bottom layer: it imports
nothing of pressnews' other packages."""
