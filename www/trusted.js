// The page's only Trusted Types policy, named `sendercheck` as the CSP allows. Its one job is the
// service-worker script URL: register() is a script sink under require-trusted-types-for. It
// accepts same-origin URLs of the known worker scripts and nothing else.

const ALLOWED_SCRIPTS = new Set(['sw.js']);
let policy = null;

function vet(url) {
  const u = new URL(url, document.baseURI);
  const file = u.pathname.split('/').pop();
  if (u.origin !== location.origin || !ALLOWED_SCRIPTS.has(file) || u.search || u.hash) {
    throw new TypeError(`script URL not allowed: ${u.href}`);
  }
  return u.href;
}

/** A TrustedScriptURL (or a plain string where Trusted Types do not exist) for a vetted script. */
export function trustedScriptURL(url) {
  if (!globalThis.trustedTypes?.createPolicy) return vet(url);
  policy ??= trustedTypes.createPolicy('sendercheck', { createScriptURL: vet });
  return policy.createScriptURL(url);
}
