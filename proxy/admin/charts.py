"""Small server-side SVG charts for the dashboard: no JavaScript, no CDN, works offline.

Every text that reaches the SVG goes through html.escape; colours and sizes are constants.
"""

from __future__ import annotations

from collections.abc import Sequence
from html import escape

from markupsafe import Markup

W, H = 640, 200
PAD_L, PAD_R, PAD_T, PAD_B = 60, 12, 12, 28
INK = "#1f2937"
MUTED = "#6b7280"
GRID = "#e5e7eb"
PRIMARY = "#2563eb"
DANGER = "#dc2626"
ACCENT = "#059669"
PALETTE = ("#2563eb", "#7c3aed", "#db2777", "#ea580c", "#ca8a04", "#059669", "#0891b2", "#4b5563")


def _nice_max(v: float) -> float:
    if v <= 0:
        return 1.0
    mag = 10 ** (len(str(int(v))) - 1) if v >= 1 else 1.0
    for step in (1, 2, 2.5, 5, 10):
        if step * mag >= v:
            return float(step * mag)
    return float(10 * mag)


def _fmt(v: float, money: bool = False, scale: float | None = None) -> str:
    """Numbers for axes and tooltips; `scale` (the axis maximum) picks the decimals for money."""
    if money:
        ref = scale if scale is not None else v
        digits = 2 if ref >= 0.1 or v == 0 and scale is None else 4 if ref >= 0.001 else 6
        return f"${v:,.{digits}f}"
    return f"{v:,.0f}" if v >= 10 or v == int(v) else f"{v:.1f}"


def _svg(body: list[str], label: str, height: int = H) -> Markup:
    return Markup(  # noqa: S704 - all interpolated text is escaped above
        f'<svg class="chart" viewBox="0 0 {W} {height}" role="img" aria-label="{escape(label)}" '
        f'xmlns="http://www.w3.org/2000/svg" font-family="system-ui, sans-serif" font-size="11">'
        + "".join(body) + "</svg>"
    )


def _axes(ymax: float, money: bool, labels: list[str]) -> list[str]:
    out = []
    plot_h = H - PAD_T - PAD_B
    for i in range(5):
        y = PAD_T + plot_h * i / 4
        val = ymax * (4 - i) / 4
        out.append(f'<line x1="{PAD_L}" y1="{y:.1f}" x2="{W - PAD_R}" y2="{y:.1f}" stroke="{GRID}"/>')
        out.append(f'<text x="{PAD_L - 6}" y="{y + 4:.1f}" text-anchor="end" fill="{MUTED}">'
                   f"{escape(_fmt(val, money, ymax))}</text>")
    n = len(labels)
    if n:
        step = (W - PAD_L - PAD_R) / n
        shown = {0, n - 1, n // 2} if n > 3 else set(range(n))
        for i in sorted(shown):
            x = PAD_L + step * (i + 0.5)
            out.append(f'<text x="{x:.1f}" y="{H - 8}" text-anchor="middle" fill="{MUTED}">'
                       f"{escape(labels[i])}</text>")
    return out


def stacked_bars(labels: list[str], totals: list[float], highlighted: list[float], *, label: str,
                 highlight_name: str = "blocked") -> Markup:
    """Bars of `totals` with the `highlighted` part (e.g. blocked requests) stacked in red."""
    ymax = _nice_max(max(totals, default=0))
    body = _axes(ymax, False, labels)
    plot_h = H - PAD_T - PAD_B
    n = max(len(labels), 1)
    step = (W - PAD_L - PAD_R) / n
    bw = max(step * 0.7, 1)
    for i, (lab, tot, hi) in enumerate(zip(labels, totals, highlighted, strict=True)):
        x = PAD_L + step * i + (step - bw) / 2
        h_tot = plot_h * tot / ymax
        h_hi = plot_h * min(hi, tot) / ymax
        tip = escape(f"{lab}: {_fmt(tot)} requests, {_fmt(hi)} {highlight_name}")
        body.append(f'<g><title>{tip}</title>'
                    f'<rect x="{x:.1f}" y="{PAD_T + plot_h - h_tot:.1f}" width="{bw:.1f}" '
                    f'height="{h_tot:.1f}" fill="{PRIMARY}" rx="2"/>'
                    + (f'<rect x="{x:.1f}" y="{PAD_T + plot_h - h_hi:.1f}" width="{bw:.1f}" '
                       f'height="{h_hi:.1f}" fill="{DANGER}"/>' if h_hi > 0 else "")
                    + "</g>")
    return _svg(body, label)


def line(labels: list[str], values: list[float], *, label: str, money: bool = True) -> Markup:
    """A filled line chart (cost over time)."""
    ymax = _nice_max(max(values, default=0))
    body = _axes(ymax, money, labels)
    plot_h = H - PAD_T - PAD_B
    n = max(len(values), 1)
    step = (W - PAD_L - PAD_R) / n
    pts = [(PAD_L + step * (i + 0.5), PAD_T + plot_h - plot_h * v / ymax) for i, v in enumerate(values)]
    if pts:
        path = " ".join(f"{x:.1f},{y:.1f}" for x, y in pts)
        base = PAD_T + plot_h
        body.append(f'<polygon points="{pts[0][0]:.1f},{base} {path} {pts[-1][0]:.1f},{base}" '
                    f'fill="{ACCENT}" fill-opacity="0.15"/>')
        body.append(f'<polyline points="{path}" fill="none" stroke="{ACCENT}" stroke-width="2"/>')
        for (x, y), lab, v in zip(pts, labels, values, strict=True):
            tip = escape(f"{lab}: {_fmt(v, money)}")
            body.append(f'<circle cx="{x:.1f}" cy="{y:.1f}" r="3" fill="{ACCENT}">'
                        f"<title>{tip}</title></circle>")
    return _svg(body, label)


def hbars(items: Sequence[tuple[str, float]], *, label: str, color: str = PRIMARY,
          empty: str = "no data") -> Markup:
    """Horizontal bars, one row per item (redactions by type, findings by CWE)."""
    row_h = 24
    height = max(len(items), 1) * row_h + 8
    body: list[str] = []
    if not items:
        body.append(f'<text x="{W / 2}" y="20" text-anchor="middle" fill="{MUTED}">{escape(empty)}</text>')
        return _svg(body, label, 32)
    vmax = max(v for _, v in items) or 1
    label_w = 200
    bar_max = W - label_w - 70
    for i, (name, v) in enumerate(items):
        y = 4 + i * row_h
        w = max(bar_max * v / vmax, 2)
        c = PALETTE[i % len(PALETTE)] if color == "palette" else color
        body.append(f'<g><title>{escape(f"{name}: {_fmt(v)}")}</title>'
                    f'<text x="{label_w - 8}" y="{y + 15}" text-anchor="end" fill="{INK}">'
                    f"{escape(name[:32])}</text>"
                    f'<rect x="{label_w}" y="{y + 3}" width="{w:.1f}" height="{row_h - 8}" fill="{c}" '
                    f'rx="2"/><text x="{label_w + w + 6:.1f}" y="{y + 15}" fill="{MUTED}">'
                    f"{escape(_fmt(v))}</text></g>")
    return _svg(body, label, height)
