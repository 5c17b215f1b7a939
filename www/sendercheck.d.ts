// Types of the sendercheck wasm API, shipped with the package. The Rust side (src/check, src/spf,
// src/parse/analyze.rs, src/catalogue.rs, src/wasm.rs) is authoritative; these types follow the
// JSON it emits (checked against `sendercheck check --json` and `sendercheck parse --json`).

// The report object, the same from `sendercheck check --json` and from the wasm API.
// Field names are snake_case as serde emits them. Optional fields (`?`) are left out when empty.

export type Status = "pass" | "warn" | "fail" | "missing" | "unknown";
export type Severity = "error" | "warning" | "info";
export type CheckName = "mx" | "spf" | "dmarc" | "dkim" | "mta_sts" | "tls_rpt" | "bimi" | "dnssec" | "reputation" | "ip";
export type SpfResult = "none" | "neutral" | "pass" | "fail" | "softfail" | "temperror" | "permerror";

export interface Span { start: number; end: number }

export interface Finding {
  code: string;            // rule code, e.g. "SPF010"; look it up in rules()
  severity: Severity;
  check: CheckName;
  message: string;         // short, factual
  help: string;            // the fix
  record?: string;         // the record text at fault, when a record is at fault
  span?: Span;             // byte span into `record` (UTF-8 bytes!)
  related?: Span;          // a second place in `record`, e.g. the first of a duplicated tag
  related_label?: string;  // what sits at `related`, e.g. "the first one"
  name?: string;           // DNS name the record was found at
}

export interface CheckBase {
  status: Status;
  summary: string;         // one line for a person
  cause?: string;          // why, when status is "unknown" (e.g. "the resolver answered SERVFAIL")
}

export interface MxHost { preference: number; exchange: string; addresses: string[]; is_cname: boolean; status: Status }
export interface MxCheck extends CheckBase {
  records: MxHost[]; null_mx: boolean; implicit: boolean;
  domain_exists: boolean | null;   // null when the lookups that would tell failed
}

export interface SpfNode {
  domain: string;
  record: string | null;
  via: string | null;          // the term that led here, e.g. "include:_spf.google.com"
  via_span: Span | null;       // where that term sits in the parent's record (UTF-8 bytes)
  lookups: number;             // this record's own DNS-querying terms
  total_lookups: number;       // running total when this record was done
  void_lookups: number;        // this record's own void lookups
  total_void_lookups: number;  // running total of void lookups
  result: SpfResult | null;    // check_host() result of this record (null in an expansion)
  children: SpfNode[];
  error: string | null;
  limit_crossed: boolean;      // the 10-lookup limit was crossed in this record
  void_limit_crossed: boolean; // the 2-void-lookup limit was crossed in this record
}
export interface SpfCheck extends CheckBase {
  record: string | null; name: string;
  lookups: number; void_lookups: number;
  tree: SpfNode | null;
  result?: SpfResult; matched?: string | null;   // when a sending IP was given (first IP)
}

export interface ExternalReport { uri: string; domain: string; authorized: boolean | null }
export interface DmarcCheck extends CheckBase {
  record: string | null;
  found_at: string | null;     // the name the record was found at (may be a parent domain)
  policy: "none" | "quarantine" | "reject" | null;  // effective policy for the domain as given
  subdomain_policy: string | null; nonexistent_policy: string | null;
  testing: boolean; adkim: "r" | "s"; aspf: "r" | "s";
  rua: string[]; ruf: string[];
  external_reports: ExternalReport[];
  walk: string[];              // the names asked, in order (RFC 7489 §6.6.3 / DMARCbis tree walk)
}

export interface DkimSelector {
  selector: string; name: string; status: Status;
  record: string | null; key_type: string | null; key_bits: number | null;
  testing: boolean; revoked: boolean; given: boolean;   // given by the user, or probed
}
export interface DkimCheck extends CheckBase {
  selectors: DkimSelector[];
  probed: number;              // how many selectors were asked for
  domainkey_absent: boolean;   // _domainkey.<domain> does not exist at all (NXDOMAIN)
}

export interface MtaStsCheck extends CheckBase {
  record: string | null; id: string | null;
  policy_status: "fetched" | "not_checkable_from_browser" | "failed" | "not_fetched";
  policy_url: string;          // https://mta-sts.<domain>/.well-known/mta-sts.txt
  policy: { mode: string | null; max_age: number | null; mx: string[]; text: string } | null;
}
export interface TlsRptCheck extends CheckBase { record: string | null; rua: string[] }
export interface BimiCheck extends CheckBase { record: string | null; logo: string | null; authority: string | null }
export interface DnssecCheck extends CheckBase { validated: boolean }

// One DNS blocklist asked about a sending IP (kind "ip") or the domain (kind "domain").
export interface Blocklist {
  zone: string;                // e.g. "zen.spamhaus.org"
  name: string;                // display name, e.g. "Spamhaus ZEN"
  kind: "ip" | "domain";
  query: string;               // the name asked, e.g. "1.2.0.192.zen.spamhaus.org"
  status: "listed" | "clear" | "refused" | "unknown";   // refused/unknown: nothing concluded
  listing: "advisory" | "policy" | "abuse" | null;      // how serious, when listed
  answer: string | null;       // the A answer(s), comma-separated, e.g. "127.0.0.2"
  meaning: string | null;      // the list's documented meaning of the answer
  reason: string | null;       // the list's TXT record (asked only when listed)
  detail: string | null;       // why the status is "unknown" or "refused"
  lookup: string;              // the list's lookup and removal page
}
export interface IpCheck extends CheckBase {
  address: string; ptr: string[]; fcrdns: boolean | null; spf_result: SpfResult | null; spf_matched: string | null;
  blocklists: Blocklist[];
}
// The domain on domain reputation lists (Spamhaus DBL, SURBL, URIBL).
export interface ReputationCheck extends CheckBase { blocklists: Blocklist[] }

// Points are rounded to one decimal: max 62.5, earned 27.5, ...
export interface AreaScore { area: "authentication" | "infrastructure" | "reputation" | "transport_security" | "brand"; max: number; earned: number; lost: number; unknown: number }
export interface Requirement {
  provider: "Google" | "Yahoo" | "Microsoft"; scope: string; requirement: string;
  status: "met" | "not_met" | "unknown" | "not_checkable"; detail: string; source: string; date: string;
}

export interface Report {
  domain: string;              // A-label form
  display_domain: string;      // Unicode form for display
  checks: {
    mx: MxCheck; spf: SpfCheck; dmarc: DmarcCheck; dkim: DkimCheck;
    mta_sts: MtaStsCheck; tls_rpt: TlsRptCheck; bimi: BimiCheck; dnssec: DnssecCheck;
    reputation: ReputationCheck;
    ip?: IpCheck[];            // one per sending IP; absent when none was given
  };
  findings: Finding[];
  queries: number; critical_path: number; elapsed_ms: number;
  resolvers: string[];
  score: number | null;        // 0..100, an integer; null when half the points or more could not be judged (checks unknown)
  grade: "A" | "B" | "C" | "D" | "F" | null;  // one letter; null exactly when score is null
  grade_cap?: string;          // why the grade was capped, e.g. "an authentication error (SPF005) caps the grade at C"
  unknown_points: number;      // points of checks that could not be completed (one decimal)
  areas: AreaScore[];
  parked: boolean;             // judged as a domain that sends no mail (Null MX, SPF -all, DMARC reject)
  requirements: Requirement[];
}

// Progress events: check(input, options, onProgress) calls onProgress(event) as each check settles,
// then resolves with the whole Report. `findings` are that check's findings (the same objects as
// in Report.findings), so a page can draw a check completely as soon as it settles.
export interface ProgressEvent {
  check: CheckName;
  result: MxCheck | SpfCheck | DmarcCheck | DkimCheck | MtaStsCheck | TlsRptCheck | BimiCheck | DnssecCheck | ReputationCheck | IpCheck[];
  findings: Finding[];
}
export interface CheckOptions {
  ips?: string[]; selectors?: string[]; resolvers?: string[]; sender?: string; helo?: string;
  zone?: string;            // pasted zone text overlaid on live DNS (pre-flight)
  offline?: boolean;        // zone only, no network
  timeout_ms?: number;       // per DNS answer; default 5000, clamped to 100..60000
}

// parse(text, kind?) -> ParseResult, offline and synchronous.
export type RecordKind = "spf" | "dmarc" | "dkim" | "bimi" | "mta-sts" | "mta-sts-policy" | "tlsrpt" | "zone";
export interface ParsedRecord {
  kind: Exclude<RecordKind, "zone">;
  name: string | null;          // the owner name, from zone-file input
  line: number | null;          // 1-based line of the pasted text where it starts
  text: string;                 // the record text the spans point into
  diagnostics: Diagnostic[];
  value: unknown;               // the typed value (kind-specific)
}
export interface Diagnostic {
  code: string;
  severity: Severity;
  span: Span;                   // byte span into the record text (UTF-8 bytes)
  related?: Span;               // a second place, e.g. the first of a duplicated tag
  related_label?: string;       // what sits at `related`, e.g. "the first one"
  message: string;
  help: string;
}
export interface ParseResult {
  kind: RecordKind;             // what the text was taken for ("zone" for zone-file lines)
  records: ParsedRecord[];
  diagnostics: Diagnostic[];    // about the text as a whole (zone lines, "line N: ..."); spans into the pasted text
}

// rules() -> Rule[]. The wasm build leaves the five documentation sections out (they would be a
// tenth of the module); www/rules.json holds every rule with them (api.js loadRuleDocs()).
export type Category = "spf" | "dmarc" | "dkim" | "bimi" | "mta-sts" | "tls-rpt" | "zone" | "mx" | "dns" | "sending-ip" | "reputation" | "dnssec";
export interface Rule {
  code: string; name: string; category: Category; severity: Severity; area: AreaScore["area"] | "none"; weight: number;   // area "none": informational, never scored
  checks?: string; why?: string; problematic?: string; corrected?: string; references?: string;   // in rules.json, not from rules()
}

// The functions exported by pkg/sendercheck.js (wasm-bindgen --target web). Bad input throws a JS
// Error whose message says what to do (e.g. "' ' cannot appear in a domain name; use letters, ...").
export default function init(module_or_path?: string | URL | Request | { module_or_path: string | URL | Request }): Promise<unknown>;
export function check(input: string, options?: CheckOptions | null, onProgress?: (e: ProgressEvent) => void): Promise<Report>;
export function parse(text: string, kind?: RecordKind | null): ParseResult;   // at most 1 MiB of text
export function rules(): Rule[];
export function normalize_domain(input: string): string;
