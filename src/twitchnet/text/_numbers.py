"""Durations, ages and sex written in words or numbers: the regular expressions and their values."""

import re

_NUMBER_WORDS = {"a": 1, "an": 1, "one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7, "eight": 8, "nine": 9,
                 "ten": 10, "eleven": 11, "twelve": 12, "few": 3, "couple": 2, "several": 4, "many": 5, "some": 3}
_UNIT = {"hour": "days", "hours": "days", "day": "days", "days": "days", "week": "weeks", "weeks": "weeks", "fortnight": "weeks",
         "month": "months", "months": "months", "year": "years", "years": "years", "yr": "years", "yrs": "years"}
_DURATION = re.compile(
    r"\b(?:for|over|about|around|nearly|almost|since)\s+(?:the\s+)?(?:past\s+|last\s+)?(?:(?:a|an)\s+)?"
    r"(?P<n>\d+|a|an|one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|few|couple|several|many|some)?\s*(?:of\s+)?"
    r"(?P<unit>hours?|days?|weeks?|fortnight|months?|years?|yrs?)\b"
    r"|\b(?P<n2>\d+|a|an|one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|few|couple|several)\s+(?:of\s+)?"
    r"(?P<unit2>hours?|days?|weeks?|fortnight|months?|years?)\s+(?:now|ago|so far)\b"
    r"|\bsince\s+(?P<since>yesterday|last night|this morning|monday|tuesday|wednesday|thursday|friday|saturday|sunday|last week|"
    r"last month|last year|christmas|the summer|the spring|the winter|the autumn)\b"
    r"|\b(?P<day>yesterday|this morning)\b",
    re.IGNORECASE)
_SINCE = {"yesterday": "days", "last night": "days", "this morning": "days", "last week": "weeks", "last month": "months",
          "last year": "years", "christmas": "months", "the summer": "months", "the spring": "months", "the winter": "months",
          "the autumn": "months"}
_AGE = re.compile(
    r"\b(?:i\s*am|i'm|im|aged|age)\s+(?:a\s+)?(?P<a>\d{2})\b(?!\s*(?:%|kg|lbs?|pounds|minutes|hours|days|weeks|months|mg|miles))"
    r"|\b(?P<b>\d{2})\s*(?:years?\s*old|yrs?\s*old|yo|y/o|y\.o\.|-year-old|year old)\b"
    r"|\b(?P<c>\d{2})\s*(?P<cs>[mf])\b|(?<!')\b(?P<ds>[mf])\s*(?P<d>\d{2})\b"
    r"|\bin my (?P<e>twenties|thirties|forties|fifties|sixties|seventies|eighties|20s|30s|40s|50s|60s|70s|80s)\b",
    re.IGNORECASE)
_DECADES = {"twenties": 25, "thirties": 35, "forties": 45, "fifties": 55, "sixties": 65, "seventies": 75, "eighties": 85,
            "20s": 25, "30s": 35, "40s": 45, "50s": 55, "60s": 65, "70s": 75, "80s": 85}
_SEX = re.compile(
    r"\b(?:i\s*am|i'm|im|as)\s+(?:a\s+)?(?:\d{2}\s*(?:years?\s*old|yo|y/o)?\s*)?(?:year\s+old\s+|-year-old\s+)?"
    r"(?P<w>woman|female|girl|lady|mum|mom|mother|wife|man|male|guy|bloke|dude|father|dad|husband|gentleman)\b"
    r"|\b\d{2}\s*(?:years?\s*old|yo|y/o|-year-old|year old)\s+(?P<w2>woman|female|girl|lady|man|male|guy|bloke)\b"
    r"|\b\d{2}\s*(?P<l>[mf])\b|(?<!')\b(?P<l2>[mf])\s*\d{2}\b|(?<!my )(?<!his )(?<!her )\b(?P<w4>female|male)\b",
    re.IGNORECASE)
_SEX_WORD = {"woman": "female", "female": "female", "girl": "female", "lady": "female", "mum": "female", "mom": "female",
             "mother": "female", "wife": "female", "f": "female", "man": "male", "male": "male", "guy": "male", "bloke": "male",
             "dude": "male", "father": "male", "dad": "male", "husband": "male", "gentleman": "male", "m": "male"}
