import { nothing, type SVGTemplateResult, svg } from 'lit'

export interface Series {
  name: string
  /** A CSS class of the line (its colour comes from the shadow styles). */
  className: string
  points: { x: number; y: number }[]
}

const W = 560
const H = 180
const PAD = { left: 44, right: 8, top: 8, bottom: 22 }

function ticks(max: number): number[] {
  if (max <= 0) return [0]
  const step = 10 ** Math.floor(Math.log10(max))
  const nice = max / step > 5 ? step * 2 : max / step > 2 ? step : step / 2
  const out: number[] = []
  for (let v = 0; v <= max + 1e-9; v += nice) out.push(v)
  return out
}

/** A multi-series line chart as inline SVG (no styles attribute: colours come from classes). */
export function lineChart(series: Series[], label: string): SVGTemplateResult {
  const xs = series.flatMap((s) => s.points.map((p) => p.x))
  const ys = series.flatMap((s) => s.points.map((p) => p.y))
  const minX = xs.length ? Math.min(...xs) : 0
  const maxX = xs.length ? Math.max(...xs) : 1
  const maxY = Math.max(1, ...ys)
  const yTicks = ticks(maxY)
  const top = Math.max(maxY, yTicks.at(-1) ?? maxY)
  const sx = (x: number) => PAD.left + ((x - minX) / Math.max(1, maxX - minX)) * (W - PAD.left - PAD.right)
  const sy = (y: number) => H - PAD.bottom - (y / top) * (H - PAD.top - PAD.bottom)
  return svg`<svg viewBox="0 0 ${W} ${H}" role="img" aria-label=${label} class="chart">
    ${yTicks.map(
      (t) => svg`<line class="grid" x1=${PAD.left} x2=${W - PAD.right} y1=${sy(t)} y2=${sy(t)}></line>
        <text class="axis" x=${PAD.left - 4} y=${sy(t) + 4} text-anchor="end">${t}</text>`,
    )}
    ${series.map((s) =>
      s.points.length === 0
        ? nothing
        : s.points.length === 1
          ? svg`<circle class=${`series ${s.className}`} cx=${sx(s.points[0]?.x ?? 0)} cy=${sy(s.points[0]?.y ?? 0)} r="3"></circle>`
          : svg`<polyline class=${`series ${s.className}`} fill="none" points=${s.points.map((p) => `${sx(p.x)},${sy(p.y)}`).join(' ')}></polyline>`,
    )}
  </svg>`
}

export interface Bar {
  label: string
  value: number
  className?: string
}

/** Vertical bars as inline SVG. */
export function barChart(bars: Bar[], label: string, format: (v: number) => string): SVGTemplateResult {
  const maxY = Math.max(1, ...bars.map((b) => b.value))
  const width = (W - PAD.left - PAD.right) / Math.max(1, bars.length)
  return svg`<svg viewBox="0 0 ${W} ${H}" role="img" aria-label=${label} class="chart">
    <line class="grid" x1=${PAD.left} x2=${W - PAD.right} y1=${H - PAD.bottom} y2=${H - PAD.bottom}></line>
    ${bars.map((b, i) => {
      const h = (b.value / maxY) * (H - PAD.top - PAD.bottom)
      const x = PAD.left + i * width + 4
      return svg`<rect class=${`bar ${b.className ?? ''}`} x=${x} y=${H - PAD.bottom - h} width=${Math.max(1, width - 8)} height=${h}>
          <title>${b.label}: ${format(b.value)}</title></rect>
        <text class="axis" x=${x + (width - 8) / 2} y=${H - 6} text-anchor="middle">${b.label}</text>`
    })}
  </svg>`
}

/** A horizontal gauge: used of limit. */
export function gauge(used: number, limit: number, label: string): SVGTemplateResult {
  const ratio = limit > 0 ? Math.min(1, used / limit) : 0
  const level = ratio >= 0.9 ? 'danger' : ratio >= 0.7 ? 'warn' : 'ok'
  return svg`<svg viewBox="0 0 200 12" role="img" aria-label=${label} class="gauge">
    <rect class="track" x="0" y="0" width="200" height="12" rx="6"></rect>
    <rect class=${`fill ${level}`} x="0" y="0" width=${200 * ratio} height="12" rx="6"></rect>
  </svg>`
}
