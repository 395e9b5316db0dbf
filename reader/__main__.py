"""Entry point for ``python -m reader``."""

from reader.cli import main

if __name__ == "__main__":
    main()
