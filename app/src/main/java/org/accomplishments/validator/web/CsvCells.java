package org.accomplishments.validator.web;

/**
 * Cells of the CSV downloads, safe to open in a spreadsheet: a value that starts with {@code =}, {@code +},
 * {@code -} or {@code @} (and tab or carriage return, which some spreadsheets skip before reading a formula) is
 * prefixed with {@code '}, so it is shown as text, never evaluated (OWASP "CSV injection"). Share names, owners,
 * notes and reasons come from strangers.
 */
final class CsvCells {
    private CsvCells() {
    }

    static String safe(String value) {
        if (value == null || value.isEmpty()) {
            return "";
        }
        char first = value.charAt(0);
        return first == '=' || first == '+' || first == '-' || first == '@' || first == '\t' || first == '\r'
                ? "'" + value : value;
    }
}
