import { css } from 'lit'
import { baseStyles } from './base.styles.js'

/**
 * The card every widget draws: status, notes, the action button, wallet lists, the spinner and QR codes. Each
 * widget adds only its own rules, so a bundle carries no other widget's styles.
 */
export const cardStyles = [
  baseStyles,
  css`
    @layer tokentags {
      .container {
        display: grid;
        gap: calc(var(--_space) * 0.75);
        padding: var(--_space);
        border: 1px solid var(--_border);
        border-radius: var(--_radius);
        background: var(--_background);
        color: var(--_text);
      }

      .status {
        margin: 0;
        font-weight: 600;
      }

      /* Focused by script only (when the pressed button went away), never by Tab. */
      .status:focus {
        outline: none;
      }

      .note {
        margin: 0;
        color: var(--_muted);
        font-size: 0.875em;
      }

      .amount {
        font-variant-numeric: tabular-nums;
      }

      .error {
        color: var(--_danger);
      }

      .done {
        color: var(--_success);
      }

      .action {
        justify-self: start;
        min-height: 2.5rem;
        padding: 0.5rem 1rem;
        border: 1px solid transparent;
        border-radius: calc(var(--_radius) * 0.75);
        background: var(--_accent);
        color: var(--_accent-text);
        font-weight: 600;
      }

      .action:hover {
        filter: brightness(1.08);
      }

      .wallets {
        display: grid;
        gap: calc(var(--_space) * 0.5);
        margin: 0;
        padding: 0;
        list-style: none;
      }

      .wallets .action {
        display: flex;
        align-items: center;
        gap: 0.5rem;
        width: 100%;
        background: transparent;
        color: var(--_text);
        border-color: var(--_border);
      }

      /* Deep links into wallet apps look like the wallet buttons. */
      a.action {
        text-decoration: none;
      }

      .wallets img {
        width: 24px;
        height: 24px;
        border-radius: 6px;
      }

      .spinner {
        display: inline-block;
        width: 1em;
        height: 1em;
        margin-inline-end: 0.5em;
        vertical-align: -0.15em;
        border: 2px solid var(--_border);
        border-top-color: var(--_accent);
        border-radius: 50%;
        animation: spin 0.8s linear infinite;
      }

      @keyframes spin {
        to {
          transform: rotate(360deg);
        }
      }

      .action.secondary {
        background: transparent;
        color: var(--_text);
        border-color: var(--_border);
      }

      /* Payment and WalletConnect pairing codes: scanners need the light quiet zone, kept by the SVG itself. */
      .qr {
        margin: 0;
      }

      .qr svg {
        display: block;
        width: min(100%, 15rem);
        height: auto;
      }
    }
  `,
]
