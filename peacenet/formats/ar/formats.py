# Modern Standard Arabic with the digits the Netherlands uses (as CLDR's "ar" in Latin digits).
DATE_FORMAT = "j F Y"  # 7 يناير 2027
TIME_FORMAT = "H:i"  # 15:00
DATETIME_FORMAT = "j F Y، H:i"  # 7 يناير 2027، 15:00
YEAR_MONTH_FORMAT = "F Y"  # يناير 2027
MONTH_DAY_FORMAT = "j F"  # 7 يناير
SHORT_DATE_FORMAT = "d/m/Y"  # 07/01/2027
SHORT_DATETIME_FORMAT = "d/m/Y، H:i"  # 07/01/2027، 15:00
FIRST_DAY_OF_WEEK = 1  # الاثنين, as the week runs in the Netherlands
DECIMAL_SEPARATOR = "."
THOUSAND_SEPARATOR = ","
NUMBER_GROUPING = 3

DAY_DATE_FORMAT = "l j F Y"  # الخميس 7 يناير 2027
DAY_DATETIME_FORMAT = "l j F Y، H:i"  # الخميس 7 يناير 2027، 15:00
MONTH_YEAR_SHORT_FORMAT = "F Y"  # يناير 2027 (Arabic has no abbreviated month names)
