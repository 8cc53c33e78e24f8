package org.accomplishments.validator.web;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;

class CsvCellsTest {
    @Test
    void cellsASpreadsheetWouldEvaluateAreText() {
        assertEquals("'=1+2", CsvCells.safe("=1+2"));
        assertEquals("'+1", CsvCells.safe("+1"));
        assertEquals("'-1", CsvCells.safe("-1"));
        assertEquals("'@SUM(A1)", CsvCells.safe("@SUM(A1)"));
        assertEquals("'\tx", CsvCells.safe("\tx"));
        assertEquals("alice", CsvCells.safe("alice"));
        assertEquals("a=b", CsvCells.safe("a=b"));
        assertEquals("", CsvCells.safe(null));
    }
}
