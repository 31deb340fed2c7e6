export { ANVIL_DEV_ACCOUNTS, type DevAccount } from './accounts.js'
export { type AnvilInstance, anvilBinary, type StartAnvilOptions, startAnvil } from './anvil.js'
export { CHROMIUM_ARGS, chromiumPath } from './chromium.js'
export { freePort, waitForPort } from './ports.js'
