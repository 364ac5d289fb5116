"""One module per family of formats; each class is registered in `library.extract.registry`."""
