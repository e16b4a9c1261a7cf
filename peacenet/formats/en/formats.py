# English as it is written in Europe: day before month, a 24-hour clock.
DATE_FORMAT = "j F Y"  # 7 January 2027
TIME_FORMAT = "H:i"  # 15:00
DATETIME_FORMAT = "j F Y, H:i"  # 7 January 2027, 15:00
YEAR_MONTH_FORMAT = "F Y"  # January 2027
MONTH_DAY_FORMAT = "j F"  # 7 January
SHORT_DATE_FORMAT = "d/m/Y"  # 07/01/2027
SHORT_DATETIME_FORMAT = "d/m/Y H:i"  # 07/01/2027 15:00
FIRST_DAY_OF_WEEK = 1  # Monday
DECIMAL_SEPARATOR = "."
THOUSAND_SEPARATOR = ","
NUMBER_GROUPING = 3

DAY_DATE_FORMAT = "l j F Y"  # Thursday 7 January 2027
DAY_DATETIME_FORMAT = "l j F Y, H:i"  # Thursday 7 January 2027, 15:00
MONTH_YEAR_SHORT_FORMAT = "M Y"  # Jan 2027
