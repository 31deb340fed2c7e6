import { css } from 'lit'
import { cardStyles } from './card.styles.js'

/**
 * The card of the widgets that take an amount (`<token-tip>`, `<token-buy>`): amount buttons, the balance and Max,
 * a labelled field, a disabled action.
 */
export const amountCardStyles = [
  ...cardStyles,
  css`
    @layer tokentags {
      .preset {
        min-height: 2.5rem;
        min-width: 3.5rem;
        padding: 0.5rem 0.75rem;
        border: 1px solid var(--_border);
        border-radius: calc(var(--_radius) * 0.75);
        background: transparent;
        color: var(--_text);
        font-variant-numeric: tabular-nums;
      }

      .preset[aria-pressed='true'] {
        border-color: var(--_accent);
        box-shadow: inset 0 0 0 1px var(--_accent);
        font-weight: 600;
      }

      .balance {
        display: flex;
        align-items: center;
        justify-content: space-between;
        gap: calc(var(--_space) * 0.5);
      }

      .max {
        min-height: 2.75rem;
        min-width: 2.75rem;
      }

      .field {
        display: grid;
        gap: 0.25rem;
      }

      .field label {
        font-size: 0.875em;
      }

      .field input {
        min-height: 2.5rem;
        padding: 0.25rem 0.5rem;
        border: 1px solid var(--_border);
        border-radius: calc(var(--_radius) * 0.5);
        background: var(--_background);
        color: var(--_text);
        font: inherit;
        font-variant-numeric: tabular-nums;
      }

      .field input[aria-invalid='true'] {
        border-color: var(--_danger);
      }

      .action[aria-disabled='true'] {
        opacity: 0.6;
        cursor: not-allowed;
      }
    }
  `,
]
