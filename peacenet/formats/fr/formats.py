DATE_FORMAT = "j F Y"  # 7 janvier 2027
TIME_FORMAT = "H:i"  # 15:00
DATETIME_FORMAT = "j F Y à H:i"  # 7 janvier 2027 à 15:00
YEAR_MONTH_FORMAT = "F Y"  # janvier 2027
MONTH_DAY_FORMAT = "j F"  # 7 janvier
SHORT_DATE_FORMAT = "d/m/Y"  # 07/01/2027
SHORT_DATETIME_FORMAT = "d/m/Y H:i"  # 07/01/2027 15:00
FIRST_DAY_OF_WEEK = 1  # lundi
DECIMAL_SEPARATOR = ","
THOUSAND_SEPARATOR = "\u202f"  # a narrow no-break space: 100 000
NUMBER_GROUPING = 3

DAY_DATE_FORMAT = "l j F Y"  # jeudi 7 janvier 2027
DAY_DATETIME_FORMAT = "l j F Y à H:i"  # jeudi 7 janvier 2027 à 15:00
MONTH_YEAR_SHORT_FORMAT = "N Y"  # janv. 2027
