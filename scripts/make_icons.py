"""Draws the app icon (resources/icons/sosku.png and sosku.ico) with Pillow.

The icon is plain geometry, so it is made here instead of kept as an
opaque binary: a teal rounded square with a white "S" ring mark. Run
``.venv/bin/python scripts/make_icons.py`` after changing it.
"""

from __future__ import annotations

from pathlib import Path

from PIL import Image, ImageDraw

OUT = Path(__file__).resolve().parent.parent / "resources" / "icons"
TEAL = (0, 105, 120, 255)
WHITE = (255, 255, 255, 255)


def draw(size: int = 512) -> Image.Image:
    image = Image.new("RGBA", (size, size), (0, 0, 0, 0))
    pen = ImageDraw.Draw(image)
    pen.rounded_rectangle((0, 0, size - 1, size - 1), radius=size // 5, fill=TEAL)
    width = size // 11
    box = size // 4
    # Two open arcs that read as an "S" and as two people facing each other.
    pen.arc((box, box, size - box, size // 2 + width // 2), 20, 270, fill=WHITE, width=width)
    pen.arc(
        (box, size // 2 - width // 2, size - box, size - box), 200, 450, fill=WHITE, width=width
    )
    return image


def main() -> None:
    OUT.mkdir(parents=True, exist_ok=True)
    image = draw()
    image.resize((256, 256), Image.Resampling.LANCZOS).save(OUT / "sosku.png")
    image.save(
        OUT / "sosku.ico",
        sizes=[(16, 16), (24, 24), (32, 32), (48, 48), (64, 64), (128, 128), (256, 256)],
    )


if __name__ == "__main__":
    main()
