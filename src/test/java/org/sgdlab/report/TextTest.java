package org.sgdlab.report;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class TextTest {
    @Test
    void numbersHaveFourSignificantDigits() {
        assertEquals("0.1235", Text.number(0.123456));
        assertEquals("-0.4987", Text.number(-0.49871));
        assertEquals("1235", Text.number(1234.5));
        assertEquals("42", Text.number(42.0));
        assertEquals("0.001", Text.number(0.001));
        assertEquals("1.235e-5", Text.number(1.23456e-5));
        assertEquals("1e-30", Text.number(1e-30));
        assertEquals("2.5e6", Text.number(2.5e6));
        assertEquals("1.5e6", Text.number(1500000.2));
        assertEquals("0", Text.number(0.0));
        assertEquals("NaN", Text.number(Double.NaN));
        assertEquals("\u2212\u221e", Text.number(Double.NEGATIVE_INFINITY));
    }

    @Test
    void valuesFromResultFilesAreShownAsNumbersListsAndPairs() {
        Map<String, Object> map = new LinkedHashMap<>();
        map.put("rate", 0.123456);
        map.put("width", 64);

        assertEquals("16, 0.3333", Text.value(List.of(16, 1.0 / 3)));
        assertEquals("rate = 0.1235; width = 64", Text.value(map));
        assertEquals("NaN", Text.value("NaN"));
        assertEquals("true", Text.value(true));
        assertEquals("", Text.value(null));
    }

    @Test
    void specialNumbersWrittenAsTextAreNumeric() {
        assertEquals(Double.POSITIVE_INFINITY, Text.numeric("Infinity"));
        assertEquals(3.0, Text.numeric(3));
        assertNull(Text.numeric("three"));
        assertNull(Text.numeric(true));
    }

    @Test
    void durationsReadInTheirLargestUnits() {
        assertEquals("0.4 s", Text.duration(0.42));
        assertEquals("3 min 05 s", Text.duration(185));
        assertEquals("2 h 07 min", Text.duration(2 * 3600 + 7 * 60 + 20));
        assertEquals("not recorded", Text.duration(Double.NaN));
    }

    @Test
    void escapeReplacesEveryMarkupCharacter() {
        assertEquals("&lt;a href=&quot;x&quot;&gt;&amp;&#39;", Text.escape("<a href=\"x\">&'"));
    }
}
