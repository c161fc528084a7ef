"""The queue book: who waits in which queue, behind one typed store (in-process,
unix socket, Redis)."""
