import { defineElement } from '../internal/define-element.js'
import { TokenTagsConfig } from '../tokentags-config/tokentags-config.js'
import { TokenBuy } from './token-buy.js'

defineElement('token-buy', TokenBuy)
// A buy widget is useless without the page's configuration element.
defineElement('tokentags-config', TokenTagsConfig)
