import { createMemoryStores } from '../src/index.js'
import { describeStoreConformance } from './storeConformance.js'

describeStoreConformance('memory', (options) => createMemoryStores(options))
