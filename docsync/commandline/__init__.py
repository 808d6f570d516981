"""The project's own command line, read statically (never imported or run), and the command lines its docs show
(issue 17). `model` holds the records; `argparse_reader`, `click_reader` read them from code; `claims` from docs."""
