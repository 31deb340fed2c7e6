// Registers every TokenTags element (guarded: a tag already defined is left alone).
import './tokentags-config/define.js'
import './token-claim/define.js'
import './token-tip/define.js'
import './token-buy/define.js'
