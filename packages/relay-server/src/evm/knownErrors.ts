import { forwarderAbi, tagTokenAbi, vestingVaultAbi } from '@tokentags/contracts'
import type { Abi } from 'viem'

/** ABIs whose custom errors name a revert by default: the forwarder and TokenTags' own contracts. */
export const knownErrorAbis: readonly Abi[] = [forwarderAbi, vestingVaultAbi, tagTokenAbi]
