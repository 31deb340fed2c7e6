// Shared pieces of the widget stories: theme-token controls, locale and theme controls, and a
// tiny check for play functions (stories stay free of test-library imports).
import type { ArgTypes } from '@storybook/web-components-vite'
import { styleMap } from 'lit/directives/style-map.js'

/** The public theme tokens, as story controls (empty means the widget's default). */
export const themeTokens = {
  accent: '--tokentags-accent',
  accentText: '--tokentags-accent-text',
  background: '--tokentags-background',
  text: '--tokentags-text',
  muted: '--tokentags-muted',
  border: '--tokentags-border',
  danger: '--tokentags-danger',
  success: '--tokentags-success',
  focus: '--tokentags-focus',
  radius: '--tokentags-radius',
  spacing: '--tokentags-spacing',
  font: '--tokentags-font',
  fontSize: '--tokentags-font-size',
} as const

export type ThemeTokenArgs = { [K in keyof typeof themeTokens]?: string }

export interface WidgetArgs extends ThemeTokenArgs {
  locale: string
  theme: 'auto' | 'light' | 'dark'
}

const colour = new Set(['accent', 'accentText', 'background', 'text', 'muted', 'border', 'danger', 'success', 'focus'])

export const widgetArgTypes: Partial<ArgTypes<WidgetArgs>> = {
  locale: {
    control: 'select',
    options: ['', 'en', 'es', 'fr', 'de', 'ar'],
    description: 'The `locale` attribute (empty: the closest `lang`, then the page, then the browser)',
  },
  theme: { control: 'inline-radio', options: ['auto', 'light', 'dark'], description: 'The `theme` attribute' },
  ...Object.fromEntries(
    Object.entries(themeTokens).map(([key, property]) => [
      key,
      {
        name: property,
        control: colour.has(key) ? 'color' : 'text',
        description: `CSS custom property \`${property}\``,
        table: { category: 'theme tokens' },
      },
    ]),
  ),
}

export const widgetArgs: WidgetArgs = { locale: '', theme: 'auto' }

/** The theme tokens set in the controls, as a style map for the element. */
export function tokenStyles(args: ThemeTokenArgs) {
  const styles: Record<string, string> = {}
  for (const [key, property] of Object.entries(themeTokens)) {
    const value = args[key as keyof ThemeTokenArgs]
    if (value) styles[property] = value
  }
  return styleMap(styles)
}

/** The element of a story, once rendered in its language. */
export async function widget<T extends HTMLElement & { updateComplete: Promise<boolean> }>(
  canvas: HTMLElement,
  tag: string,
): Promise<T> {
  const el = canvas.querySelector(tag) as T | null
  if (!el) throw new Error(`<${tag}> is not in the story`)
  await el.updateComplete
  return el
}

export function check(condition: unknown, message: string): asserts condition {
  if (!condition) throw new Error(message)
}

export const textOf = (node: Element | null | undefined) => (node?.textContent ?? '').replace(/\s+/g, ' ').trim()
