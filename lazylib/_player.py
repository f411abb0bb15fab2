"""A self-contained HTML/JavaScript player over precomputed PNG frames (private helper of ``widgets``).

The static site has no kernel, so each explorer is also rendered as a grid of frames: one PNG per
combination of control values, base64-embedded in the page, with one ``<input type="range">`` per
control and a few lines of inline JavaScript that swap the shown frame. No external script, no
CDN, no network request: the page works from ``file://``.

Markup (for the browser tests): ``div.lazy-player`` holds ``img.lazy-player-frame`` and one
``input.lazy-player-slider`` per control, each followed by ``span.lazy-player-value``.
"""

from __future__ import annotations

import base64
import hashlib
import html
import io
import json
from collections.abc import Sequence

from matplotlib.figure import Figure
from PIL import Image

__all__ = ["figure_png", "player_html"]


def figure_png(fig: Figure, dpi: float = 80.0, colors: int = 128) -> bytes:
    """Render ``fig`` to PNG bytes, quantised to an adaptive palette of ``colors`` colours.

    ``colors=0`` skips the quantisation (faster; used by the live widget).

    Line plots use few colours, so a palette PNG is 3-5x smaller than RGBA at no visible cost.
    Deterministic: same figure, same bytes (no timestamps in the metadata), so stored notebook
    outputs compare equal under nbval.
    """
    buf = io.BytesIO()
    fig.savefig(buf, format="png", dpi=dpi, metadata={"Software": None}, facecolor="white")
    if colors <= 0:
        return buf.getvalue()
    buf.seek(0)
    with Image.open(buf) as img:
        pal = img.convert("RGB").quantize(colors=colors, method=Image.Quantize.MEDIANCUT, dither=0)
    out = io.BytesIO()
    pal.save(out, format="PNG", optimize=True)
    return out.getvalue()


_SCRIPT = """
(function () {
  var root = document.getElementById(%(id)s);
  if (!root || root.dataset.ready) { return; }
  root.dataset.ready = "1";
  var frames = JSON.parse(root.querySelector("script.lazy-player-data").textContent);
  var img = root.querySelector("img.lazy-player-frame");
  var sliders = root.querySelectorAll("input.lazy-player-slider");
  var shape = %(shape)s, labels = %(labels)s;
  function show() {
    var k = 0;
    for (var c = 0; c < sliders.length; c++) {
      var i = parseInt(sliders[c].value, 10);
      k = k * shape[c] + i;
      sliders[c].nextElementSibling.textContent = labels[c][i];
    }
    img.src = "data:image/png;base64," + frames[k];
    img.dataset.frame = String(k);
  }
  for (var c = 0; c < sliders.length; c++) { sliders[c].addEventListener("input", show); }
  show();
})();
"""

_STYLE = (
    ".lazy-player{font-family:sans-serif;font-size:0.9em;max-width:100%%}"
    ".lazy-player img{max-width:100%%;height:auto;display:block}"
    ".lazy-player label{display:inline-flex;align-items:center;gap:0.4em;margin:0.2em 1.2em 0.2em 0}"
    ".lazy-player input[type=range]{width:12em}"
    ".lazy-player .lazy-player-value{min-width:4em;font-family:monospace}"
)


def player_html(
    frames: Sequence[bytes],
    names: Sequence[str],
    value_labels: Sequence[Sequence[str]],
    initial: Sequence[int],
    caption: str = "",
    alt: str = "explorer frame",
) -> str:
    """HTML of a frame player over a grid of controls.

    Parameters
    ----------
    frames : sequence of bytes
        PNG frames in row-major order over the control grid (last control fastest).
    names : sequence of str
        Control labels (HTML-escaped here; may hold Unicode such as "α").
    value_labels : sequence of sequence of str
        For each control, the label of each of its values; ``len(value_labels[c])`` is the grid size
        along control ``c`` and ``prod`` of the sizes must equal ``len(frames)``.
    initial : sequence of int
        Index of the value shown first, per control.
    caption : str
        A line of text above the controls (HTML-escaped).
    alt : str
        Alternative text of the image.

    Returns
    -------
    str
        A ``<div class="lazy-player">`` with the frames embedded as base64, styled and scripted
        inline. Its id is a hash of the content, so the output is deterministic.
    """
    shape = [len(v) for v in value_labels]
    if len(names) != len(shape) or len(initial) != len(shape):
        raise ValueError("names, value_labels and initial must have one entry per control")
    total = 1
    for size in shape:
        total *= size
    if total != len(frames) or total == 0:
        raise ValueError(f"frames must hold prod(grid) = {total} PNGs, got {len(frames)}")
    encoded = [base64.b64encode(f).decode("ascii") for f in frames]
    digest = hashlib.sha1("".join(encoded).encode("ascii")).hexdigest()[:12]
    pid = f"lazy-player-{digest}"
    flat0 = 0
    for size, i in zip(shape, initial, strict=True):
        if not 0 <= i < size:
            raise ValueError(f"initial index {i} outside 0..{size - 1}")
        flat0 = flat0 * size + i
    controls = "".join(
        f'<label>{html.escape(name)} <input type="range" class="lazy-player-slider" min="0" '
        f'max="{size - 1}" step="1" value="{i}" aria-label="{html.escape(name)}">'
        f'<span class="lazy-player-value">{html.escape(vals[i])}</span></label>'
        for name, size, i, vals in zip(names, shape, initial, value_labels, strict=True)
    )
    script = _SCRIPT % {
        "id": json.dumps(pid),
        "shape": json.dumps(shape),
        "labels": json.dumps([list(v) for v in value_labels], ensure_ascii=True),
    }
    cap = f'<div class="lazy-player-caption">{html.escape(caption)}</div>' if caption else ""
    return (
        f'<div class="lazy-player" id="{pid}" data-frames="{total}">'
        f"<style>{_STYLE % ()}</style>{cap}"
        f'<div class="lazy-player-controls">{controls}</div>'
        f'<img class="lazy-player-frame" alt="{html.escape(alt)}" data-frame="{flat0}" '
        f'src="data:image/png;base64,{encoded[flat0]}">'
        f'<script type="application/json" class="lazy-player-data">{json.dumps(encoded)}</script>'
        f"<script>{script}</script></div>"
    )
