// Types of the sendercheck wasm API, shipped with the package. Copied from the report schema draft;
// the Rust side implements exactly this. Keep in step with notes/report-schema.ts.

// The report object, the same from `sendercheck check --json` and from the wasm API.
// Field names are snake_case as serde emits them. Draft: the Rust side implements exactly this.

export type Status = "pass" | "warn" | "fail" | "missing" | "unknown";
export type Severity = "error" | "warning" | "info";
export type CheckName = "mx" | "spf" | "dmarc" | "dkim" | "mta_sts" | "tls_rpt" | "bimi" | "dnssec" | "ip";
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
  name?: string;           // DNS name the record was found at
}

export interface CheckBase {
  status: Status;
  summary: string;         // one line for a person
  cause?: string;          // why, when status is "unknown" (e.g. "the resolver answered SERVFAIL")
}

export interface MxHost { preference: number; exchange: string; addresses: string[]; is_cname: boolean; status: Status }
export interface MxCheck extends CheckBase { records: MxHost[]; null_mx: boolean; implicit: boolean }

export interface SpfNode {
  domain: string;
  record: string | null;
  via: string | null;          // the term that led here, e.g. "include:_spf.google.com"
  lookups: number;             // this node's own DNS-mechanism lookups
  total: number;               // running total at this node
  void_lookups: number;
  limit_crossed: boolean;      // the 10-lookup limit was crossed here
  error: string | null;
  children: SpfNode[];
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
}

export interface DkimSelector {
  selector: string; name: string; status: Status;
  record: string | null; key_type: string | null; key_bits: number | null;
  testing: boolean; revoked: boolean; given: boolean;   // given by the user, or probed
}
export interface DkimCheck extends CheckBase { selectors: DkimSelector[]; probed: number }

export interface MtaStsCheck extends CheckBase {
  record: string | null; id: string | null;
  policy_status: "fetched" | "not_checkable_from_browser" | "failed" | "not_fetched";
  policy: { mode: string | null; max_age: number | null; mx: string[]; text: string } | null;
}
export interface TlsRptCheck extends CheckBase { record: string | null; rua: string[] }
export interface BimiCheck extends CheckBase { record: string | null; logo: string | null; authority: string | null }
export interface DnssecCheck extends CheckBase { validated: boolean }

export interface Blocklist {
  zone: string; kind: "ip" | "domain"; status: "listed" | "clear" | "refused" | "unknown";
  answer: string | null; meaning: string | null; reason: string | null;
}
export interface IpCheck extends CheckBase {
  address: string; ptr: string[]; fcrdns: boolean | null; spf_result: SpfResult | null; spf_matched: string | null;
  blocklists: Blocklist[];
}

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
    ip?: IpCheck[];
  };
  findings: Finding[];
  queries: number; critical_path: number; elapsed_ms: number;
  resolvers: string[];
  score: number; grade: "A" | "B" | "C" | "D" | "F"; unknown_points: number;
  areas: AreaScore[];
  requirements: Requirement[];
}

// Progress events: check(input, options, onProgress) calls onProgress({ check: CheckName, result }) as each
// check settles (result is the check object above), then resolves with the whole Report.
export interface CheckOptions {
  ips?: string[]; selectors?: string[]; resolvers?: string[]; sender?: string; helo?: string;
  zone?: string;            // pasted zone text overlaid on live DNS (pre-flight)
  offline?: boolean;        // zone only, no network
  timeout_ms?: number;
}

// parse(text, kind?) -> ParseResult, offline and synchronous.
export type RecordKind = "spf" | "dmarc" | "dkim" | "bimi" | "mta-sts" | "mta-sts-policy" | "tlsrpt" | "zone";
export interface ParsedRecord {
  kind: RecordKind; name: string | null; line: number | null;
  text: string;                 // the record text the spans point into
  diagnostics: Diagnostic[];
  value: unknown;               // the typed value (kind-specific)
}
export interface Diagnostic { code: string; severity: Severity; span: Span; related?: Span; message: string; help: string }
export interface ParseResult { kind: RecordKind; records: ParsedRecord[]; diagnostics: Diagnostic[] /* zone-level, "line N: ..." */ }

// rules() -> Rule[]
export interface Rule {
  code: string; name: string; category: string; severity: Severity; area: string; weight: number;
  checks: string; why: string; problematic: string; corrected: string; references: string;
}

// The functions exported by pkg/sendercheck.js (wasm-bindgen --target web).
export default function init(module_or_path?: string | URL | Request | { module_or_path: string | URL | Request }): Promise<unknown>;
export function check(input: string, options: CheckOptions, onProgress?: (e: { check: CheckName; result: CheckBase | IpCheck[] }) => void): Promise<Report>;
export function parse(text: string, kind?: RecordKind): ParseResult;
export function rules(): Rule[];
export function normalize_domain(input: string): string;
