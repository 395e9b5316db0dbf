"""The words dates are written with in the languages of the pages we read, as data.

Owns the month names of French, German, Spanish, Italian, Portuguese and Dutch
(``FOREIGN_MONTHS``, and ``FOREIGN_MONTH`` to put in a pattern), the weekday names of
those languages, English and CJK (``WEEKDAY``), and the words around a date on a date line
("Publié le", "Pubblicato il", "公開", "입력": ``DATE_LINE_WORDS``). ``dates`` uses them;
add a language here.
"""

from __future__ import annotations

# Month names of the other languages of the web pages we read (French, German, Spanish,
# Italian, Portuguese, Dutch); English ones are in ``dates``.
FOREIGN_MONTHS = {
    name: number
    for number, names in enumerate(
        (
            "janvier januar jänner enero gennaio janeiro januari",
            "février fevrier februar febrero febbraio fevereiro februari",
            "mars märz maerz marzo março marco maart",
            "avril abril aprile",
            "mai mayo maggio maio mei",
            "juin juni junio giugno junho",
            "juillet juli julio luglio julho",
            "août aout agosto augustus",
            "septembre septiembre setiembre settembre setembro",
            "octobre oktober octubre ottobre outubro",
            "novembre noviembre novembro",
            "décembre decembre dezember diciembre dicembre dezembro",
        ),
        start=1,
    )
    for name in names.split()
}
FOREIGN_MONTH = "|".join(sorted(FOREIGN_MONTHS, key=len, reverse=True))
WEEKDAY = (
    r"\b(?:mon|tue|tues|wed|thu|thur|thurs|fri|sat|sun)(?:day|sday|nesday|rsday|urday)?\b\.?"
    r"|\b(?:lundi|mardi|mercredi|jeudi|vendredi|samedi|dimanche"
    r"|montag|dienstag|mittwoch|donnerstag|freitag|samstag|sonntag"
    r"|lunes|martes|miércoles|miercoles|jueves|viernes|sábado|sabado|domingo"
    r"|lunedì|lunedi|martedì|martedi|mercoledì|mercoledi|giovedì|giovedi|venerdì|venerdi"
    r"|sabato|domenica|segunda|terça|terca|quarta|quinta|sexta|feira"
    r"|maandag|dinsdag|woensdag|donderdag|vrijdag|zaterdag|zondag)\b"
    r"|[（(]?[月火水木金土日][曜]?[日]?[）)]|[（(][월화수목금토일][）)]"
)
# Words around a date on a date line: "Publié le … à …", "Veröffentlicht am … um … Uhr",
# "Publicado el … a las …", "Pubblicato il … alle ore …", "gepubliceerd op … om …", "公開".
DATE_LINE_WORDS = (
    r"\b(?:publié|publiée|mis à jour|modifié|le|à|veröffentlicht|aktualisiert|stand|am|um"
    r"|uhr|publicado|actualizado|el|a las|pubblicato|aggiornato|il|alle|ore|atualizado|às"
    r"|gepubliceerd|bijgewerkt|op|om|de)\b"
    r"|公開|更新|配信|发布|發布|时间|時間|来源|입력|수정|기사입력"
)
