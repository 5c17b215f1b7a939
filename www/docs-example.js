// The example page's own script: a copy button for the snippet and a log of the elements' events.
import { copyButton, h } from './render.js';

const code = document.getElementById('snippet');
code.closest('.sc-codeblock').append(copyButton(() => code.textContent));

const log = document.getElementById('event-log');
// score and grade are null when half the points or more could not be judged.
const verdict = (r) => (r.score == null ? 'not judged' : `grade ${r.grade}, ${r.score}/100`);
for (const type of ['sendercheck-done', 'sendercheck-error']) {
  document.addEventListener(type, (e) => {
    const who = e.target.id ? `#${e.target.id}` : e.target.localName;
    const what = type === 'sendercheck-done' ? `${e.detail.domain}: ${verdict(e.detail)}` : e.detail.message;
    log.append(h('li', { text: `${type} from ${who}: ${what}` }));
  });
}
