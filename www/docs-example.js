// The example page's own script: a copy button for the snippet and a log of the elements' events.
import { copyButton, h } from './render.js';

const code = document.getElementById('snippet');
code.closest('.sc-codeblock').append(copyButton(() => code.textContent));

const log = document.getElementById('event-log');
for (const type of ['sendercheck-done', 'sendercheck-error']) {
  document.addEventListener(type, (e) => {
    const who = e.target.id ? `#${e.target.id}` : e.target.localName;
    const what = type === 'sendercheck-done' ? `${e.detail.domain}: grade ${e.detail.grade}, ${e.detail.score}/100` : e.detail.message;
    log.append(h('li', { text: `${type} from ${who}: ${what}` }));
  });
}
