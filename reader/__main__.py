"""Entry point for ``python -m reader``."""

from reader.launch import main

if __name__ == "__main__":
    main()
