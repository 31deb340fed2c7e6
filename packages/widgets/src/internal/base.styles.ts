import { css } from 'lit'

// Dark defaults, used by `theme="dark"` and by `auto` when the page prefers dark.
const dark = css`
  --_accent: var(--tokentags-accent, #818cf8);
  --_accent-text: var(--tokentags-accent-text, #111827);
  --_background: var(--tokentags-background, #111827);
  --_text: var(--tokentags-text, #f9fafb);
  --_muted: var(--tokentags-muted, #d1d5db);
  --_border: var(--tokentags-border, #374151);
  --_danger: var(--tokentags-danger, #fca5a5);
  --_success: var(--tokentags-success, #6ee7b7);
  --_focus: var(--tokentags-focus, var(--_accent));
  color-scheme: dark;
`

/**
 * Theme tokens shared by every widget. Public `--tokentags-*` properties feed private
 * `--_*` variables on `:host`; everything lives in the `tokentags` cascade layer so a
 * page's own rules win without specificity fights. `theme="light|dark"` forces a scheme,
 * `auto` (the default) follows `prefers-color-scheme`.
 */
export const baseStyles = css`
  @layer tokentags {
    :host {
      --_accent: var(--tokentags-accent, #4f46e5);
      --_accent-text: var(--tokentags-accent-text, #ffffff);
      --_background: var(--tokentags-background, #ffffff);
      --_text: var(--tokentags-text, #111827);
      --_muted: var(--tokentags-muted, #4b5563);
      --_border: var(--tokentags-border, #d1d5db);
      --_danger: var(--tokentags-danger, #b91c1c);
      --_success: var(--tokentags-success, #047857);
      --_focus: var(--tokentags-focus, var(--_accent));
      --_radius: var(--tokentags-radius, 12px);
      --_font: var(--tokentags-font, inherit);
      --_font-size: var(--tokentags-font-size, 1em);
      --_space: var(--tokentags-spacing, 1rem);

      display: block;
      box-sizing: border-box;
      color-scheme: light;
      font-family: var(--_font);
      font-size: var(--_font-size);
      color: var(--_text);
      line-height: 1.4;
    }

    :host([theme='dark']) {
      ${dark}
    }

    @media (prefers-color-scheme: dark) {
      :host(:not([theme='light'])) {
        ${dark}
      }
    }

    :host([hidden]) {
      display: none;
    }

    *,
    *::before,
    *::after {
      box-sizing: inherit;
    }

    /* While a language's words load: keep the box, show (and announce) nothing yet. */
    .pending {
      visibility: hidden;
    }

    button {
      font: inherit;
      cursor: pointer;
    }

    button:focus-visible,
    a:focus-visible {
      outline: 3px solid var(--_focus);
      outline-offset: 2px;
    }

    a {
      color: var(--_accent);
    }

    /* The account chip and its menu (every widget, once the page's wallet is connected). */
    .account {
      position: relative;
      justify-self: end;
    }

    .account-button {
      display: inline-flex;
      align-items: center;
      gap: 0.375rem;
      min-height: 2rem;
      padding: 0.25rem 0.625rem;
      border: 1px solid var(--_border);
      border-radius: 999px;
      background: var(--_background);
      color: var(--_text);
      font-size: 0.875em;
    }

    .account-menu {
      position: absolute;
      inset-inline-end: 0;
      z-index: 1;
      min-width: 11rem;
      margin: 0.25rem 0 0;
      padding: 0.25rem;
      list-style: none;
      border: 1px solid var(--_border);
      border-radius: calc(var(--_radius) * 0.75);
      background: var(--_background);
      box-shadow: 0 4px 16px rgb(0 0 0 / 0.15);
    }

    .menu-item {
      display: block;
      width: 100%;
      padding: 0.5rem 0.75rem;
      border: 0;
      border-radius: calc(var(--_radius) * 0.5);
      background: transparent;
      color: var(--_text);
      text-align: start;
    }

    .menu-item:hover,
    .menu-item:focus-visible {
      background: color-mix(in srgb, var(--_accent) 12%, transparent);
    }

    @media (prefers-reduced-motion: reduce) {
      *,
      *::before,
      *::after {
        animation: none !important;
        transition: none !important;
      }
    }
  }
`
