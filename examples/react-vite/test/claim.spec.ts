import { expectGaslessClaim } from '../../../e2e/example-claim.js'
import { test } from './fixtures.js'

// The README says the app uses the dev stack by default: built with nothing but the stack's
// .tokentags/local.json, it claims through the relay with the dev wallet.
test('built against the dev stack, the app claims vested tokens gaslessly through the relay', async ({ page, app }) => {
  await expectGaslessClaim(page, app)
})
