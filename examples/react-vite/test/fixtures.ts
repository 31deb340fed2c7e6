import { fileURLToPath } from 'node:url'
import { exampleAppTest } from '../../../e2e/example-app.js'

/** This example built against a dev stack on free ports and served by `vite preview`. */
export const test = exampleAppTest(fileURLToPath(new URL('..', import.meta.url)))
export { expect } from '@playwright/test'
