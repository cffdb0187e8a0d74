"""Images and their visible captions: figcaption, table captions, the paragraph under an image,
caption-classed elements.
"""

from __future__ import annotations

import re

from lxml.html import HtmlElement

from crawler.extract.html import attr_match, el_attrs, own_text

# class/id values of image captions.
_CAPTION_ATTR = re.compile(
    r"caption|chuthich|chu-thich|chu_thich|image_desc|img-desc|photo-desc|desc-img", re.I
)


def _image_only(el: HtmlElement) -> bool:
    return not any(t.strip() for t in el.itertext()) and el.find(".//img") is not None


def _icon(img: HtmlElement) -> bool:
    """Bullets, arrows and file-type icons (small by their declared size)."""
    sizes = [(img.get(d) or "").strip().removesuffix("px") for d in ("width", "height")]
    return any(v.isdigit() and int(v) < 60 for v in sizes)


def _caption_styled(el: HtmlElement) -> bool:
    style = (el.get("style") or "").replace(" ", "").lower()
    if "text-align:center" in style or (el.get("align") or "").lower() == "center":
        return True
    if attr_match(_CAPTION_ATTR, el_attrs(el)):
        return True
    text = own_text(el)
    return any(own_text(sub) == text for sub in el.iter("em", "i"))


def _fully_bold(el: HtmlElement) -> bool:
    text = own_text(el)
    return any(own_text(sub) == text for sub in el.iter("strong", "b"))


def _caption_after(block: HtmlElement) -> HtmlElement | None:
    """The caption paragraph directly under an image-only block, if there is one."""
    nxt = block.getnext()
    if nxt is None or not isinstance(nxt.tag, str) or nxt.find(".//img") is not None:
        return None
    text = own_text(nxt)
    links = sum(len(own_text(a)) for a in nxt.iter("a"))
    if not text or len(text) > 300 or links > len(text) / 2:
        return None  # a link is never a caption
    if _caption_styled(nxt):
        return nxt
    if len(text) <= 250 and text[-1] not in '.!?…:;"”' and not _fully_bold(nxt):
        return nxt
    return None


def image_captions(root: HtmlElement) -> list[tuple[HtmlElement, str, HtmlElement | None]]:
    """Every img with its visible caption and the element holding that caption (or None)."""
    found: list[tuple[HtmlElement, str, HtmlElement | None]] = []
    for img in root.iter("img"):
        cap_el: HtmlElement | None = None
        if _icon(img):
            found.append((img, "", None))
            continue
        figure = next((a for a in img.iterancestors("figure")), None)
        if figure is not None:
            cap_el = figure.find(".//figcaption")
        table = next(img.iterancestors("table"), None)
        if cap_el is None and table is not None and len(table.findall(".//img")) <= 2:
            cap_el = table.find("caption")  # <table class="image"><caption>...</caption>
        if cap_el is None:
            holder = img
            while (
                holder.getparent() is not None
                and holder.getparent().tag not in ("body", "html")
                and _image_only(holder.getparent())
            ):
                holder = holder.getparent()
            cap_el = _caption_after(holder)
            parent = holder.getparent()
            if cap_el is None and parent is not None and len(own_text(parent)) <= 300:
                cap_el = next((x for x in parent.iterdescendants() if _caption_class(x, img)), None)
        caption = own_text(cap_el) if cap_el is not None else ""
        found.append((img, caption, cap_el if caption else None))
    return found


def _caption_class(el: HtmlElement, img: HtmlElement) -> bool:
    """An element marked as a caption by its class or id that does not hold the image itself."""
    return attr_match(_CAPTION_ATTR, el_attrs(el)) and img not in el.iterdescendants()
