import { defineElement } from '../internal/define-element.js'
import { TokenTagsConfig } from '../tokentags-config/tokentags-config.js'
import { TokenClaim } from './token-claim.js'

defineElement('token-claim', TokenClaim)
// A claim widget is useless without the page's configuration element.
defineElement('tokentags-config', TokenTagsConfig)
