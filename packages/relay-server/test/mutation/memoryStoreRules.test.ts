import { createMemoryStores } from '../../src/index.js'
import { describeStoreRules } from './storeRules.js'

describeStoreRules('memory', (options) => createMemoryStores(options))
