export { forwarderAbi, forwarderBytecode } from './generated/forwarder.js'
export { tagTokenAbi, tagTokenBytecode } from './generated/tagToken.js'
export { vestingVaultAbi, vestingVaultBytecode } from './generated/vestingVault.js'
