import { defineConfig } from 'vitest/config'

// The tests StrykerJS runs against each mutant (stryker.config.mjs): those that drive the mutated modules in
// process. The process tests (crash, scale-out, restarts) run the built dist/ and cannot see a mutant.
export default defineConfig({
  test: {
    include: [
      'test/fees.test.ts',
      'test/hotPath/signature.test.ts',
      'test/policy.test.ts',
      'test/requestPolicy.test.ts',
      'test/memoryStore.test.ts',
      'test/solana.test.ts',
      'test/batching.test.ts',
      'test/settlement.test.ts',
      'test/solanaPolicy.unit.test.ts',
      'test/site.test.ts',
      'test/feeBounds.test.ts',
      'test/settlementOutcomes.test.ts',
      'test/nonces.test.ts',
      'test/requestStatus.test.ts',
      'test/mutation/senderNonces.test.ts',
      'test/mutation/memoryStoreRules.test.ts',
      'test/mutation/settlement.test.ts',
      'test/mutation/networkModel.test.ts',
      'test/mutation/keyLeases.test.ts',
      'test/mutation/reservationPrice.test.ts',
      'test/mutation/requireSite.test.ts',
    ],

    pool: 'forks',
    maxWorkers: 1,
    testTimeout: 60_000,
    hookTimeout: 60_000,
  },
})
