"""English word lists, one place for each: weekdays and months (dates, the geoparser), number
words and the qualifiers of counts (incidents), titles and the head words of organisations (the
geoparser). Short closed lists no library keeps in this form."""

from __future__ import annotations

WEEKDAYS = ("monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday")
MONTHS = ("january", "february", "march", "april", "may", "june", "july", "august", "september", "october",
          "november", "december")
MONTH_ABBREVIATIONS = ("jan", "feb", "mar", "apr", "jun", "jul", "aug", "sep", "sept", "oct", "nov", "dec")

# Numbers as ACLED reads them: a lower bound, never more than the text says.
NUMBER_WORDS = {
    "a": 1, "an": 1, "one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7, "eight": 8,
    "nine": 9, "ten": 10, "eleven": 11, "twelve": 12, "thirteen": 13, "fourteen": 14, "fifteen": 15,
    "sixteen": 16, "seventeen": 17, "eighteen": 18, "nineteen": 19, "twenty": 20, "thirty": 30, "forty": 40,
    "fifty": 50, "sixty": 60, "seventy": 70, "eighty": 80, "ninety": 90, "hundred": 100, "a dozen": 12,
    "dozen": 12, "a hundred": 100,
}
# Words before a count that make it a bound or an estimate; ACLED takes the figure as the lower bound.
QUALIFIERS = ("more than", "over", "at least", "some", "about", "around", "nearly", "almost", "up to", "roughly",
              "an estimated", "approximately", "as many as", "fewer than", "less than")
