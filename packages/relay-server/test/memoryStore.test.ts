import { createMemoryStore } from '../src/index.js'
import { describeStoreConformance } from './storeConformance.js'

describeStoreConformance('memory', (options) => createMemoryStore(options))
