//! DNS over HTTPS (RFC 8484), GET only: `<url>?dns=<base64url of the query, no padding>` with
//! `Accept: application/dns-message`. A GET with only that header needs no CORS preflight,
//! so the same client works in a browser.
//!
//! Natively each request runs on its own std thread with `ureq` and hands its result back
//! through a oneshot channel, so the engine stays single-threaded and works under any executor
//! (`dns::block::block_on` in the CLI). In wasm32 it uses `fetch` with `cache:
//! no-store` and an `AbortController` timeout, from a Window or a Worker.

use std::cell::Cell;
use std::time::Duration;

use crate::future::FutureExt;
use crate::future::LocalBoxFuture;

use super::wire::{build_query, decode_answer};
use super::{Failure, Lookup, Outcome, RecordType, Resolver};

/// The resolver used when none is given.
pub const DEFAULT_URL: &str = "https://cloudflare-dns.com/dns-query";

/// The time allowed for one request.
pub const DEFAULT_TIMEOUT: Duration = Duration::from_secs(5);

/// A DoH client over an ordered list of resolver URLs. A failure of transport, HTTP, a
/// malformed answer or an error rcode (SERVFAIL, REFUSED, ...) moves on to the next URL; an
/// answer (records, NXDOMAIN, NODATA) is final. When every URL fails, the last failure is
/// reported.
pub struct DohResolver {
    urls: Vec<String>,
    timeout: Duration,
    next_id: Cell<u16>,
}

impl Default for DohResolver {
    fn default() -> Self {
        DohResolver::new(vec![DEFAULT_URL.to_string()])
    }
}

impl DohResolver {
    /// A client over `urls`, tried in order; an empty list means [`DEFAULT_URL`].
    pub fn new(urls: Vec<String>) -> DohResolver {
        let urls = if urls.is_empty() {
            vec![DEFAULT_URL.to_string()]
        } else {
            urls
        };
        DohResolver {
            urls,
            timeout: DEFAULT_TIMEOUT,
            next_id: Cell::new(1),
        }
    }

    /// Sets the time allowed for each request.
    pub fn with_timeout(mut self, timeout: Duration) -> DohResolver {
        self.timeout = timeout;
        self
    }

    pub fn urls(&self) -> &[String] {
        &self.urls
    }

    pub fn timeout(&self) -> Duration {
        self.timeout
    }

    /// A fresh message id. RFC 8484 §4.1 suggests id 0 for HTTP caching, but the answers are
    /// not cached by HTTP here (`no-store`), and a counter lets a mixed-up answer be caught.
    fn id(&self) -> u16 {
        let id = self.next_id.get();
        self.next_id.set(id.wrapping_add(1).max(1));
        id
    }

    /// One exchange with one URL.
    async fn ask(&self, url: &str, name: &str, rtype: RecordType) -> Lookup {
        let id = self.id();
        let query = match build_query(id, name, rtype) {
            Ok(query) => query,
            Err(failure) => return Lookup::new(name, rtype, Outcome::Failed(failure)),
        };
        let encoded = base64url(&query);
        let separator = if url.contains('?') { '&' } else { '?' };
        let full = format!("{url}{separator}dns={encoded}");
        match fetch(full, self.timeout).await {
            Ok(body) => decode_answer(&body, Some(id), name, rtype),
            Err(failure) => Lookup::new(name, rtype, Outcome::Failed(failure)),
        }
    }
}

/// Whether a failed lookup is worth asking the next resolver.
fn worth_retrying(outcome: &Outcome) -> bool {
    matches!(outcome, Outcome::Failed(failure) if *failure != Failure::CnameLoop)
}

impl Resolver for DohResolver {
    fn lookup<'a>(&'a self, name: &'a str, rtype: RecordType) -> LocalBoxFuture<'a, Lookup> {
        async move {
            let mut last = Lookup::new(
                name,
                rtype,
                Outcome::Failed(Failure::Network {
                    detail: "no resolver".into(),
                }),
            );
            for url in &self.urls {
                last = self.ask(url, name, rtype).await;
                if !worth_retrying(&last.outcome) {
                    break;
                }
            }
            last
        }
        .boxed_local()
    }
}

/// Checks an HTTP answer: status 200, a DNS message content type, not a web page.
fn check_response(status: u16, content_type: Option<&str>, body: &[u8]) -> Result<(), Failure> {
    if status != 200 {
        return Err(Failure::Http { status });
    }
    let content_type = content_type.unwrap_or("").trim().to_ascii_lowercase();
    let media = content_type.split(';').next().unwrap_or("").trim();
    let looks_html = body.iter().find(|b| !b.is_ascii_whitespace()) == Some(&b'<');
    if media == "text/html" || (media != "application/dns-message" && looks_html) {
        return Err(Failure::Malformed {
            detail: "the server sent a web page (HTML), not a DNS answer".into(),
        });
    }
    if media != "application/dns-message" {
        let shown = if media.is_empty() { "none" } else { media };
        return Err(Failure::Malformed {
            detail: format!("content type {shown}, expected application/dns-message"),
        });
    }
    Ok(())
}

#[cfg(not(target_arch = "wasm32"))]
async fn fetch(url: String, timeout: Duration) -> Result<Vec<u8>, Failure> {
    let (sender, receiver) = futures::channel::oneshot::channel();
    let spawned = std::thread::Builder::new()
        .name("sendercheck-doh".into())
        .spawn(move || {
            let _ = sender.send(native::get(&url, timeout));
        });
    if let Err(err) = spawned {
        return Err(Failure::Network {
            detail: format!("cannot start a request thread: {err}"),
        });
    }
    receiver.await.unwrap_or_else(|_| {
        Err(Failure::Network {
            detail: "the request thread ended early".into(),
        })
    })
}

#[cfg(not(target_arch = "wasm32"))]
mod native {
    use std::io::ErrorKind;
    use std::time::Duration;

    use super::{check_response, Failure};

    /// The largest answer body read (a DNS message is at most 65535 bytes).
    const MAX_BODY: u64 = 65_535;

    /// True for URLs on loopback, which must never go through a proxy.
    fn is_loopback(url: &str) -> bool {
        let rest = url.split_once("://").map(|(_, rest)| rest).unwrap_or(url);
        let host = rest.split(['/', '?']).next().unwrap_or("");
        let host = host.rsplit_once('@').map(|(_, h)| h).unwrap_or(host);
        host.starts_with("127.") || host.starts_with("localhost") || host.starts_with("[::1]")
    }

    fn map_error(err: ureq::Error) -> Failure {
        match err {
            ureq::Error::Timeout(_) => Failure::Timeout,
            ureq::Error::Io(io) if matches!(io.kind(), ErrorKind::TimedOut | ErrorKind::WouldBlock) => Failure::Timeout,
            ureq::Error::StatusCode(status) => Failure::Http { status },
            ureq::Error::BodyExceedsLimit(_) => Failure::Malformed {
                detail: "the answer body is too large".into(),
            },
            other => Failure::Network {
                detail: other.to_string(),
            },
        }
    }

    pub(super) fn get(url: &str, timeout: Duration) -> Result<Vec<u8>, Failure> {
        let mut config = ureq::Agent::config_builder()
            .timeout_global(Some(timeout))
            .http_status_as_error(false)
            .max_redirects(3)
            .user_agent(concat!("sendercheck/", env!("CARGO_PKG_VERSION")));
        if is_loopback(url) {
            config = config.proxy(None);
        }
        let agent: ureq::Agent = config.build().into();
        let mut response = agent
            .get(url)
            .header("Accept", "application/dns-message")
            .call()
            .map_err(map_error)?;
        let status = response.status().as_u16();
        let content_type = response
            .headers()
            .get("content-type")
            .and_then(|v| v.to_str().ok())
            .map(str::to_string);
        if status != 200 {
            return Err(Failure::Http { status });
        }
        let body = response
            .body_mut()
            .with_config()
            .limit(MAX_BODY)
            .read_to_vec()
            .map_err(map_error)?;
        check_response(status, content_type.as_deref(), &body)?;
        Ok(body)
    }
}

#[cfg(target_arch = "wasm32")]
async fn fetch(url: String, timeout: Duration) -> Result<Vec<u8>, Failure> {
    web::get(&url, timeout).await
}

#[cfg(target_arch = "wasm32")]
mod web {
    use std::time::Duration;

    use js_sys::{Function, Uint8Array};
    use wasm_bindgen::closure::Closure;
    use wasm_bindgen::{JsCast, JsValue};
    use wasm_bindgen_futures::JsFuture;
    use web_sys::{AbortController, Headers, Request, RequestCache, RequestInit, Response, Window, WorkerGlobalScope};

    use super::{check_response, Failure};

    fn detail(value: &JsValue) -> String {
        value
            .as_string()
            .or_else(|| js_sys::Error::from(value.clone()).message().as_string())
            .unwrap_or_default()
    }

    fn network(value: &JsValue) -> Failure {
        let what = detail(value);
        Failure::Network {
            detail: format!(
                "the request failed: a network error or a CORS rejection (the browser does not tell them apart){}",
                if what.is_empty() {
                    String::new()
                } else {
                    format!(": {what}")
                }
            ),
        }
    }

    pub(super) async fn get(url: &str, timeout: Duration) -> Result<Vec<u8>, Failure> {
        let global = js_sys::global();
        let controller = AbortController::new().map_err(|e| network(&e))?;
        let signal = controller.signal();
        let init = RequestInit::new();
        init.set_method("GET");
        init.set_cache(RequestCache::NoStore);
        init.set_signal(Some(&signal));
        let headers = Headers::new().map_err(|e| network(&e))?;
        headers
            .set("Accept", "application/dns-message")
            .map_err(|e| network(&e))?;
        init.set_headers(&headers);
        let request = Request::new_with_str_and_init(url, &init).map_err(|e| network(&e))?;

        // The timer aborts the request; aborting after it completed does nothing.
        let abort = Closure::once_into_js(move || controller.abort());
        let abort: &Function = abort.unchecked_ref();
        let millis = i32::try_from(timeout.as_millis()).unwrap_or(i32::MAX);
        let promise = if let Some(window) = global.dyn_ref::<Window>() {
            let _ = window.set_timeout_with_callback_and_timeout_and_arguments_0(abort, millis);
            window.fetch_with_request(&request)
        } else if let Some(worker) = global.dyn_ref::<WorkerGlobalScope>() {
            let _ = worker.set_timeout_with_callback_and_timeout_and_arguments_0(abort, millis);
            worker.fetch_with_request(&request)
        } else {
            return Err(Failure::Network {
                detail: "no fetch in this JavaScript environment".into(),
            });
        };
        let failed = |e: JsValue| {
            if signal.aborted() {
                Failure::Timeout
            } else {
                network(&e)
            }
        };
        let response: Response = JsFuture::from(promise).await.map_err(failed)?.unchecked_into();
        let status = response.status();
        let content_type = response.headers().get("content-type").ok().flatten();
        if status != 200 {
            return Err(Failure::Http { status });
        }
        let buffer = response.array_buffer().map_err(failed)?;
        let buffer = JsFuture::from(buffer).await.map_err(failed)?;
        let body = Uint8Array::new(&buffer).to_vec();
        check_response(status, content_type.as_deref(), &body)?;
        Ok(body)
    }
}

/// base64url without padding (RFC 4648 §5), as RFC 8484 §4.1 asks for the `dns` parameter.
/// Twenty lines rather than the base64 crate's general engine, for the browser module's size.
pub fn base64url(bytes: &[u8]) -> String {
    const ALPHABET: &[u8; 64] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";
    let mut out = String::with_capacity(bytes.len().div_ceil(3) * 4);
    for chunk in bytes.chunks(3) {
        let b0 = chunk.first().copied().unwrap_or(0);
        let b1 = chunk.get(1).copied().unwrap_or(0);
        let b2 = chunk.get(2).copied().unwrap_or(0);
        let group = u32::from(b0) << 16 | u32::from(b1) << 8 | u32::from(b2);
        // One output character per 6 bits of input: 2, 3 or 4 of them for 1, 2 or 3 bytes.
        for i in 0..=chunk.len() {
            let index = (group >> (18 - 6 * i)) & 0x3f;
            out.push(char::from(ALPHABET[index as usize]));
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn base64url_without_padding() {
        // RFC 4648 §10 test vectors, in the URL-safe alphabet and without padding.
        let vectors = [
            ("", ""),
            ("f", "Zg"),
            ("fo", "Zm8"),
            ("foo", "Zm9v"),
            ("foob", "Zm9vYg"),
            ("fooba", "Zm9vYmE"),
            ("foobar", "Zm9vYmFy"),
        ];
        for (input, expected) in vectors {
            assert_eq!(base64url(input.as_bytes()), expected);
        }
        assert_eq!(base64url(&[0xfb, 0xff, 0xbf]), "-_-_");
        // The RFC 8484 §4.1.1 example query for www.example.com A.
        let query = [
            0x00, 0x00, 0x01, 0x00, 0x00, 0x01, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x03, 0x77, 0x77, 0x77, 0x07, 0x65,
            0x78, 0x61, 0x6d, 0x70, 0x6c, 0x65, 0x03, 0x63, 0x6f, 0x6d, 0x00, 0x00, 0x01, 0x00, 0x01,
        ];
        assert_eq!(base64url(&query), "AAABAAABAAAAAAAAA3d3dwdleGFtcGxlA2NvbQAAAQAB");
    }

    #[test]
    fn response_checks() {
        assert_eq!(check_response(200, Some("application/dns-message"), b"\0\0"), Ok(()));
        assert_eq!(
            check_response(200, Some("Application/DNS-Message; charset=x"), b"\0\0"),
            Ok(())
        );
        assert_eq!(
            check_response(503, Some("application/dns-message"), b""),
            Err(Failure::Http { status: 503 })
        );
        assert!(matches!(
            check_response(200, Some("text/html"), b"<html>"),
            Err(Failure::Malformed { detail }) if detail.contains("HTML")
        ));
        assert!(matches!(
            check_response(200, Some("text/plain"), b"x"),
            Err(Failure::Malformed { detail }) if detail.contains("text/plain")
        ));
        assert!(matches!(
            check_response(200, None, b"  <!doctype html>"),
            Err(Failure::Malformed { .. })
        ));
    }

    #[test]
    fn retry_policy() {
        assert!(worth_retrying(&Outcome::Failed(Failure::ServFail)));
        assert!(worth_retrying(&Outcome::Failed(Failure::Timeout)));
        assert!(!worth_retrying(&Outcome::NxDomain));
        assert!(!worth_retrying(&Outcome::NoData));
        assert!(!worth_retrying(&Outcome::Failed(Failure::CnameLoop)));
    }
}
