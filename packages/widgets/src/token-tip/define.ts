import { defineElement } from '../internal/define-element.js'
import { TokenTagsConfig } from '../tokentags-config/tokentags-config.js'
import { TokenTip } from './token-tip.js'

defineElement('token-tip', TokenTip)
// A tip widget is useless without the page's configuration element.
defineElement('tokentags-config', TokenTagsConfig)
