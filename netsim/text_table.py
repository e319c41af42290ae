"""Plain-text tables for the command-line tools: columns aligned, "-" where nothing applies."""


def aligned(header, rows) -> str:
    """header: column titles; rows: lists of values (floats shown to 4 significant digits).
    One line per row, columns separated by two spaces, no trailing blanks."""
    cells = [[text_of(value) for value in row] for row in rows]
    widths = [max(len(line[k]) for line in [list(header), *cells]) for k in range(len(header))]
    return "\n".join("  ".join(text.ljust(width) for text, width in zip(line, widths)).rstrip()
                     for line in [list(header), *cells])


def text_of(value) -> str:
    if value is None:
        return "-"
    return f"{value:.4g}" if isinstance(value, float) else str(value)
