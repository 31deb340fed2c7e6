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

/**
 * A y-axis fitted to the data: a 1, 2 or 5 step of the data's own magnitude, from 0 to the first
 * tick at or above the largest value. Never a floor of 1: 0.0006 ETH must fill the chart, not be a
 * sub-pixel bar under an axis that starts at 1 (the issue 16 finding). All zeros (or no data): 0..1.
 */
export function yScale(max: number): { top: number; ticks: number[] } {
  if (!(max > 0) || !Number.isFinite(max)) return { top: 1, ticks: [0, 0.5, 1] }
  const magnitude = 10 ** Math.floor(Math.log10(max))
  const ratio = max / magnitude
  const step = (ratio > 5 ? 2 : ratio > 2 ? 1 : ratio > 1 ? 0.5 : 0.2) * magnitude
  const count = Math.ceil(max / step - 1e-9)
  // Multiplying (not adding) keeps 0.0003 from drifting into 0.00030000000000000003.
  const ticks = Array.from({ length: count + 1 }, (_, i) => Number((i * step).toPrecision(12)))
  return { top: ticks.at(-1) ?? max, ticks }
}

/** A tick label short enough for the axis: 1.5k, 0.0006, 2e-9. */
export function tickLabel(value: number): string {
  if (value === 0) return '0'
  const abs = Math.abs(value)
  if (abs >= 1e9) return `${Number((value / 1e9).toPrecision(3))}G`
  if (abs >= 1e6) return `${Number((value / 1e6).toPrecision(3))}M`
  if (abs >= 1e3) return `${Number((value / 1e3).toPrecision(3))}k`
  if (abs >= 1e-4) return String(Number(value.toPrecision(3)))
  return value.toExponential(1).replace('.0e', 'e')
}

/** A multi-series line chart as inline SVG (no styles attribute: colours come from classes). */
export function lineChart(series: Series[], label: string): SVGTemplateResult {
  const xs = series.flatMap((s) => s.points.map((p) => p.x))
  const ys = series.flatMap((s) => s.points.map((p) => p.y))
  const minX = xs.length ? Math.min(...xs) : 0
  const maxX = xs.length ? Math.max(...xs) : 1
  const { top, ticks: yTicks } = yScale(Math.max(0, ...ys))
  const sx = (x: number) => PAD.left + ((x - minX) / Math.max(1, maxX - minX)) * (W - PAD.left - PAD.right)
  const sy = (y: number) => H - PAD.bottom - (y / top) * (H - PAD.top - PAD.bottom)
  return svg`<svg viewBox="0 0 ${W} ${H}" role="img" aria-label=${label} class="chart" data-top=${top}>
    ${yTicks.map(
      (t) => svg`<line class="grid" x1=${PAD.left} x2=${W - PAD.right} y1=${sy(t)} y2=${sy(t)}></line>
        <text class="axis" x=${PAD.left - 4} y=${sy(t) + 4} text-anchor="end">${tickLabel(t)}</text>`,
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

/** Vertical bars as inline SVG, on a y-axis fitted to the largest bar (`yScale`). */
export function barChart(bars: Bar[], label: string, format: (v: number) => string): SVGTemplateResult {
  const { top, ticks: yTicks } = yScale(Math.max(0, ...bars.map((b) => b.value)))
  const plot = H - PAD.top - PAD.bottom
  const width = (W - PAD.left - PAD.right) / Math.max(1, bars.length)
  return svg`<svg viewBox="0 0 ${W} ${H}" role="img" aria-label=${label} class="chart" data-top=${top}>
    ${yTicks.map(
      (
        t,
      ) => svg`<line class="grid" x1=${PAD.left} x2=${W - PAD.right} y1=${H - PAD.bottom - (t / top) * plot} y2=${H - PAD.bottom - (t / top) * plot}></line>
        <text class="axis" x=${PAD.left - 4} y=${H - PAD.bottom - (t / top) * plot + 4} text-anchor="end">${tickLabel(t)}</text>`,
    )}
    ${bars.map((b, i) => {
      const h = (Math.max(0, b.value) / top) * plot
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
