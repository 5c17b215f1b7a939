//! The browser boundary: a few async functions that take plain JS values and return serde data.
//! Bad input throws a JS `Error` with a message a person can act on; nothing here panics.

use std::cell::RefCell;
use std::time::Duration;

use crate::future::LocalBoxFuture;
use serde::Serialize;
use wasm_bindgen::prelude::*;
use wasm_bindgen::JsCast;
use wasm_bindgen_futures::JsFuture;

use crate::check::{self, Options, PolicyFetch, PolicyFetcher, Progress};
use crate::dns::{Cache, DohResolver, Lookup, Outcome, Overlay, RecordType, Resolver, ZoneResolver};
use crate::parse::analyze::{analyze, RecordKind};
use crate::vec_map::VecMap;

/// Pasted text longer than this is refused with a message rather than parsed: 1 MiB is far
/// beyond any real zone a person pastes, and keeps parsing well under a frame budget's worth of
/// seconds on a phone.
pub const PASTE_LIMIT: usize = 1024 * 1024;

/// How long a shared answer stays fresh for later checks on the same page.
const SHARED_CACHE_MS: f64 = 60_000.0;

#[wasm_bindgen(start)]
pub fn start() {
    #[cfg(feature = "debug-panic-hook")]
    console_error_panic_hook::set_once();
}

/// Hands a result to JavaScript as plain objects and arrays (serde-wasm-bindgen's
/// JSON-compatible mode: maps become objects, 64-bit integers become numbers).
fn to_js<T: Serialize>(value: &T) -> Result<JsValue, JsError> {
    value
        .serialize(&serde_wasm_bindgen::Serializer::json_compatible())
        .map_err(|e| JsError::new(&format!("cannot pass the result to JavaScript: {e}")))
}

/// Turns what a person typed (domain, email address, URL) into the A-label domain, or throws.
#[wasm_bindgen]
pub fn normalize_domain(input: &str) -> Result<String, JsError> {
    check::normalize_domain(input)
        .map(|domain| domain.ascii)
        .map_err(|e| JsError::new(&e.to_string()))
}

/// Parses pasted records or zone text offline. `kind` is one of spf, dmarc, dkim, bimi,
/// mta-sts, mta-sts-policy, tlsrpt, zone; detected when absent.
#[wasm_bindgen]
pub fn parse(text: &str, kind: Option<String>) -> Result<JsValue, JsError> {
    if text.len() > PASTE_LIMIT {
        return Err(JsError::new(&format!(
            "the pasted text is {} KiB; paste at most {} KiB at a time",
            text.len() / 1024,
            PASTE_LIMIT / 1024
        )));
    }
    let kind = match kind.as_deref().map(str::trim).filter(|k| !k.is_empty()) {
        Some(name) => {
            Some(RecordKind::from_name(name).ok_or_else(|| JsError::new(&format!("unknown record kind {name:?}")))?)
        }
        None => None,
    };
    to_js(&analyze(text, kind))
}

/// The rule catalogue, with every rule's documentation.
#[wasm_bindgen]
pub fn rules() -> Result<JsValue, JsError> {
    let rules: Vec<&crate::catalogue::Rule> = crate::catalogue::all().collect();
    to_js(&rules)
}

/// The options object of `check`. Read by hand with `Reflect` rather than by serde: serde's
/// deserializer (and the float formatting its error messages need) was a large part of the
/// module for one small object. Missing, `undefined` and `null` fields take their defaults;
/// unknown fields are ignored.
#[derive(Default)]
struct CheckOptions {
    ips: Vec<String>,
    selectors: Vec<String>,
    resolvers: Vec<String>,
    sender: Option<String>,
    helo: Option<String>,
    zone: Option<String>,
    offline: bool,
    timeout_ms: Option<u32>,
}

impl CheckOptions {
    fn from_js(options: &JsValue) -> Result<CheckOptions, String> {
        if options.is_undefined() || options.is_null() {
            return Ok(CheckOptions::default());
        }
        if !options.is_object() {
            return Err("the options must be an object".into());
        }
        let field = |name: &str| -> Option<JsValue> {
            js_sys::Reflect::get(options, &JsValue::from_str(name))
                .ok()
                .filter(|value| !value.is_undefined() && !value.is_null())
        };
        let strings = |name: &str| -> Result<Vec<String>, String> {
            let Some(value) = field(name) else {
                return Ok(Vec::new());
            };
            let array = value
                .dyn_into::<js_sys::Array>()
                .map_err(|_| format!("`{name}` must be a list of strings"))?;
            array
                .iter()
                .map(|item| {
                    item.as_string()
                        .ok_or_else(|| format!("`{name}` must be a list of strings"))
                })
                .collect()
        };
        let string = |name: &str| -> Result<Option<String>, String> {
            match field(name) {
                None => Ok(None),
                Some(value) => value
                    .as_string()
                    .map(Some)
                    .ok_or_else(|| format!("`{name}` must be a string")),
            }
        };
        let offline = match field("offline") {
            None => false,
            Some(value) => value.as_bool().ok_or("`offline` must be true or false")?,
        };
        let timeout_ms = match field("timeout_ms") {
            None => None,
            Some(value) => {
                let millis = value
                    .as_f64()
                    .filter(|ms| ms.fract() == 0.0 && (0.0..=f64::from(u32::MAX)).contains(ms));
                Some(millis.ok_or("`timeout_ms` must be a whole number of milliseconds")? as u32)
            }
        };
        Ok(CheckOptions {
            ips: strings("ips")?,
            selectors: strings("selectors")?,
            resolvers: strings("resolvers")?,
            sender: string("sender")?,
            helo: string("helo")?,
            zone: string("zone")?,
            offline,
            timeout_ms,
        })
    }
}

/// Runs every check of the domain in `input`. `on_progress` (optional) is called with
/// `{ check, result, findings }` as each check settles; the promise resolves to the report.
#[wasm_bindgen]
pub async fn check(input: String, options: JsValue, on_progress: Option<js_sys::Function>) -> Result<JsValue, JsError> {
    let domain = check::normalize_domain(&input).map_err(|e| JsError::new(&e.to_string()))?;
    let options = CheckOptions::from_js(&options).map_err(|e| JsError::new(&format!("bad options: {e}")))?;
    let mut ips = Vec::new();
    for ip in &options.ips {
        let trimmed = ip.trim();
        if trimmed.is_empty() {
            continue;
        }
        ips.push(
            trimmed
                .trim_start_matches('[')
                .trim_end_matches(']')
                .parse()
                .map_err(|_| JsError::new(&format!("{trimmed:?} is not an IP address")))?,
        );
    }
    for url in &options.resolvers {
        if !(url.starts_with("https://") || url.starts_with("http://")) {
            return Err(JsError::new(&format!("the resolver {url:?} is not an http(s) URL; use an RFC 8484 URL such as https://cloudflare-dns.com/dns-query")));
        }
    }
    if let Some(zone) = &options.zone {
        if zone.len() > PASTE_LIMIT {
            return Err(JsError::new(&format!(
                "the pasted zone is {} KiB; paste at most {} KiB",
                zone.len() / 1024,
                PASTE_LIMIT / 1024
            )));
        }
    }
    let resolvers = if options.resolvers.is_empty() {
        vec![crate::dns::doh::DEFAULT_URL.to_string()]
    } else {
        options.resolvers.clone()
    };
    let timeout = Duration::from_millis(u64::from(options.timeout_ms.unwrap_or(5000).clamp(100, 60_000)));
    let check_options = Options {
        ips,
        sender: options.sender.clone(),
        helo: options.helo.clone(),
        selectors: options.selectors.clone(),
        resolvers: if options.offline {
            vec!["pasted zone (offline)".into()]
        } else {
            resolvers.clone()
        },
    };
    let progress = |event: Progress<'_>| {
        if let Some(callback) = &on_progress {
            if let Ok(value) = to_js(&event) {
                // An exception in the page's callback must not stop the check.
                let _ = callback.call1(&JsValue::NULL, &value);
            }
        }
    };
    let now = || js_sys::Date::now();
    let fetcher = BrowserPolicyFetcher { timeout };
    let zone = options
        .zone
        .as_deref()
        .map(|text| ZoneResolver::from_text(text, Some(&domain.ascii)));
    let report = match (zone, options.offline) {
        (Some(zone), true) => {
            let resolver = Cache::new(zone);
            check::check_domain(&domain, &resolver, None, &check_options, &progress, &now).await
        }
        (None, true) => return Err(JsError::new("offline checks need pasted zone text")),
        (Some(zone), false) => {
            let live = SharedAnswers::new(DohResolver::new(resolvers.clone()).with_timeout(timeout), &resolvers);
            let resolver = Cache::new(Overlay::new(zone, live));
            check::check_domain(&domain, &resolver, Some(&fetcher), &check_options, &progress, &now).await
        }
        (None, false) => {
            let resolver = Cache::new(SharedAnswers::new(
                DohResolver::new(resolvers.clone()).with_timeout(timeout),
                &resolvers,
            ));
            check::check_domain(&domain, &resolver, Some(&fetcher), &check_options, &progress, &now).await
        }
    };
    to_js(&report)
}

/// A shared answer's key: the resolver list, the name asked, the record type.
type SharedKey = (String, String, RecordType);

thread_local! {
    /// Answers shared by every check on the page (several `<sender-check>` elements share one
    /// wasm instance): a name asked by one element is not asked again by the next for a minute.
    /// Failures are never shared, so a retry asks again. Each answer keeps the time it came.
    static SHARED: RefCell<VecMap<SharedKey, (f64, Lookup)>> = const { RefCell::new(VecMap::new()) };
}

/// A resolver in front of DoH that remembers answers for the page's lifetime (bounded by age).
struct SharedAnswers {
    inner: DohResolver,
    key: String,
}

impl SharedAnswers {
    fn new(inner: DohResolver, resolvers: &[String]) -> SharedAnswers {
        SharedAnswers {
            inner,
            key: resolvers.join(" "),
        }
    }
}

impl Resolver for SharedAnswers {
    fn lookup<'a>(&'a self, name: &'a str, rtype: RecordType) -> LocalBoxFuture<'a, Lookup> {
        Box::pin(async move {
            let key = (self.key.clone(), crate::dns::normalize_name(name), rtype);
            let now = js_sys::Date::now();
            let cached = SHARED.with(|shared| {
                shared
                    .borrow()
                    .get(&key)
                    .filter(|(at, _)| now - at < SHARED_CACHE_MS)
                    .map(|(_, lookup)| lookup.clone())
            });
            if let Some(lookup) = cached {
                return lookup;
            }
            let lookup = self.inner.lookup(name, rtype).await;
            if !matches!(lookup.outcome, Outcome::Failed(_)) {
                SHARED.with(|shared| {
                    let mut shared = shared.borrow_mut();
                    if shared.len() > 5000 {
                        shared.retain(|_, (at, _)| now - *at < SHARED_CACHE_MS);
                    }
                    shared.insert(key, (now, lookup.clone()));
                });
            }
            lookup
        })
    }
}

/// Fetches the MTA-STS policy through the browser's fetch. Most policy hosts send no CORS
/// header, so the browser refuses to let the page read the file: that is reported as "not
/// checkable from a browser", not as a fault of the domain.
struct BrowserPolicyFetcher {
    timeout: Duration,
}

impl PolicyFetcher for BrowserPolicyFetcher {
    fn fetch<'a>(&'a self, url: &'a str) -> LocalBoxFuture<'a, PolicyFetch> {
        Box::pin(async move {
            match fetch_text(url, self.timeout).await {
                Ok(text) => PolicyFetch::Fetched(text),
                Err(FetchError::Blocked) => PolicyFetch::NotCheckableFromBrowser,
                Err(FetchError::Status(status)) => PolicyFetch::Failed(format!("HTTP {status}")),
                Err(FetchError::Other(detail)) => PolicyFetch::Failed(detail),
            }
        })
    }
}

enum FetchError {
    /// Network error or CORS refusal: the browser does not tell them apart.
    Blocked,
    Status(u16),
    Other(String),
}

async fn fetch_text(url: &str, timeout: Duration) -> Result<String, FetchError> {
    let global = js_sys::global();
    let init = web_sys::RequestInit::new();
    init.set_method("GET");
    init.set_mode(web_sys::RequestMode::Cors);
    init.set_cache(web_sys::RequestCache::NoStore);
    let controller = web_sys::AbortController::new().map_err(|_| FetchError::Other("no AbortController".into()))?;
    init.set_signal(Some(&controller.signal()));
    let request =
        web_sys::Request::new_with_str_and_init(url, &init).map_err(|_| FetchError::Other(format!("bad URL {url}")))?;
    let abort = Closure::once_into_js(move || controller.abort());
    let millis = i32::try_from(timeout.as_millis()).unwrap_or(i32::MAX);
    let promise = if let Some(window) = global.dyn_ref::<web_sys::Window>() {
        let _ = window.set_timeout_with_callback_and_timeout_and_arguments_0(abort.unchecked_ref(), millis);
        window.fetch_with_request(&request)
    } else if let Some(worker) = global.dyn_ref::<web_sys::WorkerGlobalScope>() {
        let _ = worker.set_timeout_with_callback_and_timeout_and_arguments_0(abort.unchecked_ref(), millis);
        worker.fetch_with_request(&request)
    } else {
        return Err(FetchError::Other("no fetch in this JavaScript environment".into()));
    };
    let response: web_sys::Response = JsFuture::from(promise)
        .await
        .map_err(|_| FetchError::Blocked)?
        .unchecked_into();
    if !response.ok() {
        return Err(FetchError::Status(response.status()));
    }
    let text = response
        .text()
        .map_err(|_| FetchError::Other("unreadable body".into()))?;
    let text = JsFuture::from(text)
        .await
        .map_err(|_| FetchError::Other("unreadable body".into()))?;
    Ok(text.as_string().unwrap_or_default())
}
