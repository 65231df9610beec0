"""Document model and format readers: source file -> prose blocks with a source map."""
