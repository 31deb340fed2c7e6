// Rewrites the size table in README.md (between the size-table markers) from dist/cdn.
// Run after the build: npm run size:table -w packages/widgets
import { readFileSync, writeFileSync } from 'node:fs'
import { fileURLToPath } from 'node:url'
import { sizeTable } from './bundle-sizes.mjs'

const readme = fileURLToPath(new URL('../README.md', import.meta.url))
const start = '<!-- size-table:start -->'
const end = '<!-- size-table:end -->'
const text = readFileSync(readme, 'utf8')
const from = text.indexOf(start)
const to = text.indexOf(end)
if (from < 0 || to < from) throw new Error(`README.md has no ${start} … ${end} section`)
const table = sizeTable()
writeFileSync(readme, `${text.slice(0, from + start.length)}\n\n${table}\n\n${text.slice(to)}`)
console.log(table)
