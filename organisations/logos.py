"""The logo at the size of a directory card, made once when the logo changes.

A card shows the logo in a 48-pixel square; the rendition is twice that for sharp screens,
the logo centred on a transparent square so the card can always say ``width`` and
``height``. It is stored next to the logo through Django's storage (S3 when configured),
as WebP, a small fraction of the logo's size.
"""

import io
import logging
from pathlib import PurePosixPath

from django.core.files.base import ContentFile
from PIL import Image, UnidentifiedImageError

logger = logging.getLogger(__name__)

CARD_SIDE = 96  # pixels; shown at 48 CSS pixels


def card_rendition(logo):
    """PNG, JPEG or WebP ``logo`` (an open file) as a ``CARD_SIDE`` square WebP, as bytes."""
    with Image.open(logo) as image:
        image = image.convert("RGBA")
        image.thumbnail((CARD_SIDE, CARD_SIDE))
        square = Image.new("RGBA", (CARD_SIDE, CARD_SIDE), (0, 0, 0, 0))
        square.paste(image, ((CARD_SIDE - image.width) // 2, (CARD_SIDE - image.height) // 2))
        buffer = io.BytesIO()
        square.save(buffer, format="WEBP", quality=85)
    return buffer.getvalue()


def card_name(logo_name):
    """The rendition's name for a logo's: ``logos/ab12.png`` → ``ab12-card.webp``."""
    return f"{PurePosixPath(logo_name).stem}-card.webp"


def update_logo_card(organisation):
    """Make ``organisation``'s card-size logo if its logo changed since the last one (or
    clear it with the logo); return whether the row's ``logo_card`` needs saving."""
    if not organisation.logo:
        changed = bool(organisation.logo_card)
        organisation.logo_card = ""
        return changed
    wanted = card_name(organisation.logo.name)
    if organisation.logo_card and PurePosixPath(organisation.logo_card.name).name == wanted:
        return False
    try:
        with organisation.logo.open("rb") as logo:
            rendition = card_rendition(logo)
    except (OSError, ValueError, UnidentifiedImageError):
        # A logo that cannot be read back must not stop the save: the card shows no logo.
        logger.warning("The logo of %s could not be read; no card-size logo.", organisation.pk)
        return False
    organisation.logo_card.save(wanted, ContentFile(rendition), save=False)
    return True
