import { css } from 'lit'
import { amountCardStyles } from '../internal/amount-card.styles.js'

/** `<token-tip>`: the amount card and its row of preset amounts. */
export const tipStyles = [
  ...amountCardStyles,
  css`
    @layer tokentags {
      .presets {
        display: flex;
        flex-wrap: wrap;
        gap: calc(var(--_space) * 0.5);
        margin: 0;
        padding: 0;
        border: none;
      }
    }
  `,
]
