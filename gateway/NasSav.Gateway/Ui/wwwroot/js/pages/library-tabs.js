// The tabs above the library, actors and genres lists.
import { h } from '../core/dom.js';
import { t } from '../core/i18n.js';

export function libraryTabs(active) {
  return h('nav', { class: 'tabs' }, [['library', '#/library'], ['actors', '#/actors'], ['genres', '#/genres']].map(([name, target]) =>
    h('a', { href: target, class: name === active ? 'active' : '', 'aria-current': name === active ? 'page' : null }, t(`library.tab.${name}`))));
}
