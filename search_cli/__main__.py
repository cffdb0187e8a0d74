"""`python -m search_cli` runs the pressnews CLI."""

from search_cli.main import cli

if __name__ == "__main__":
    cli(prog_name="pressnews")
