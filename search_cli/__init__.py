"""The pressnews command line: a thin layer over crawler/ and indexer/."""
